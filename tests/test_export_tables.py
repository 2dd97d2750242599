"""The JSON export and import are driven by the schema: a new kind of record (a table with a
uuid, a vocabulary, a link table, a record without a time) travels with no code of its own."""

from __future__ import annotations

import io
import sqlite3
from datetime import datetime, timezone

import pytest

from relapse_cli.share.formats import jsonfmt
from relapse_cli.share.formats.job import ExportJob
from relapse_cli.share.store.portable import Selection, describe, merge
from relapse_cli.storage.db import open_journal
from relapse_cli.storage.records import write

# Made-up kinds under x_ names: no migration will ever create these (the real
# thought_records and plan_items tables exist in every journal now).
EXTRA = """
CREATE TABLE x_thought_records (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,
  occurred_at TEXT NOT NULL, utc_offset_min INTEGER NOT NULL, situation TEXT, belief REAL,
  entry_id INTEGER REFERENCES entries(id), updated_at TEXT);
CREATE TABLE x_traps (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL);
CREATE TABLE x_thought_traps (thought_id INTEGER NOT NULL REFERENCES x_thought_records(id),
  trap_id INTEGER NOT NULL REFERENCES x_traps(id), PRIMARY KEY (thought_id, trap_id));
CREATE TABLE x_plan_items (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, section TEXT NOT NULL,
  text TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 0);
"""
U = "00000000-0000-4000-8000-{:012d}".format
NOW = datetime(2026, 11, 24, 21, tzinfo=timezone.utc)


@pytest.fixture
def journals(tmp_path):
    """``journals("a.db")``: a journal with the made-up kinds (``plain=True``: without);
    every one is closed when the test ends."""
    made: list[sqlite3.Connection] = []

    def make(name: str, plain: bool = False) -> sqlite3.Connection:
        con = open_journal(str(tmp_path / name))
        made.append(con)
        if not plain:
            con.executescript(EXTRA)
        return con

    yield make
    for con in made:
        con.close()


def fill(con: sqlite3.Connection) -> None:
    with write(con):
        con.execute(
            "INSERT INTO entries (uuid, kind, occurred_at, utc_offset_min, intensity, created_at, "
            "updated_at) VALUES (?, 'craving', ?, 0, 7, ?, ?)",
            (U(1), *["2026-11-20T20:00:00Z"] * 3),
        )
        con.executemany(
            "INSERT INTO x_thought_records (uuid, occurred_at, utc_offset_min, situation, belief, "
            "entry_id, updated_at) VALUES (?, ?, 60, ?, 0.5, ?, '2026-11-20T21:00:00Z')",
            [(U(10), "2026-11-20T20:30:00Z", "alone after work", 1),
             (U(11), "2026-10-01T08:00:00Z", "long ago", None)],
        )  # fmt: skip
        con.executemany("INSERT INTO x_traps (uuid, key, name) VALUES (?, ?, ?)",
                        [(U(20), "labeling", "Labeling"), (U(21), "should", "Should statements"),
                         (U(22), "unused", "Never used")])  # fmt: skip
        con.executemany("INSERT INTO x_thought_traps VALUES (?, ?)", [(1, 1), (1, 2), (2, 2)])
        con.execute("INSERT INTO x_plan_items (uuid, section, text) VALUES (?, 'reasons', 'my kids')",
                    (U(30),))  # fmt: skip


def export(con: sqlite3.Connection, selection: Selection) -> dict:
    job = ExportJob(con=con, selection=selection, now=NOW, since=None, until=NOW)
    buf = io.BytesIO()
    jsonfmt.export(job, buf)
    return jsonfmt.read(buf.getvalue(), "test")


def test_new_tables_are_described_parents_first(journals):
    con = journals("a.db")
    order = [t.name for t in describe(con)]
    assert (
        order.index("entries") < order.index("x_thought_records") < order.index("x_thought_traps")
    )
    assert order.index("x_traps") < order.index("x_thought_traps")
    link = next(t for t in describe(con) if t.name == "x_thought_traps")
    assert link.is_link and link.owner == "thought_id"


def test_new_kinds_round_trip(journals):
    a = journals("a.db")
    fill(a)
    doc = export(a, Selection())
    tr = doc["tables"]["x_thought_records"]
    assert [t["entry_id"] for t in tr] == [None, U(1)]  # an integer key became the uuid
    assert doc["tables"]["x_thought_traps"][0] == {"thought_id": U(10), "trap_id": U(20)}
    b = journals("b.db")
    with write(b):
        report = merge(b, doc["tables"])
    assert report.added == {"entries": 1, "x_thought_records": 2, "x_traps": 3, "x_plan_items": 1}
    rows = b.execute(
        "SELECT tr.uuid, e.uuid, t.name FROM x_thought_traps x "
        "JOIN x_thought_records tr ON tr.id = x.thought_id JOIN x_traps t ON t.id = x.trap_id "
        "LEFT JOIN entries e ON e.id = tr.entry_id ORDER BY 1, 3"
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        (U(10), U(1), "Labeling"), (U(10), U(1), "Should statements"),
        (U(11), None, "Should statements")]  # fmt: skip
    with write(b):
        assert merge(b, doc["tables"]).changes == 0


def test_period_cuts_records_and_vocabulary_but_keeps_the_plan(journals):
    a = journals("a.db")
    fill(a)
    doc = export(a, Selection(since="2026-11-01T00:00:00Z", until="2026-11-30T00:00:00Z"))
    t = doc["tables"]
    assert [r["uuid"] for r in t["x_thought_records"]] == [U(10)]
    assert {r["name"] for r in t["x_traps"]} == {"Labeling", "Should statements"}
    assert len(t["x_thought_traps"]) == 2
    assert [r["text"] for r in t["x_plan_items"]] == ["my kids"]
    from relapse_cli.share.store.portable import check_kinds

    assert check_kinds(a, ["x_thought_records", "x_plan_items"]) == [
        "x_thought_records",
        "x_plan_items",
    ]
    only = export(a, Selection(kinds=["x_thought_records"]))["tables"]
    assert "entries" not in only and len(only["x_thought_records"]) == 2


def test_import_into_a_journal_without_the_new_kind_is_refused(journals):
    a = journals("a.db")
    fill(a)
    doc = export(a, Selection())
    older = journals("old.db", plain=True)
    from relapse_cli.core.errors import BadInput

    with pytest.raises(BadInput, match="does not know: 'x_plan_items'"):
        with write(older):
            merge(older, doc["tables"])
    assert older.execute("SELECT count(*) FROM entries").fetchone()[0] == 0


def test_kinds_take_everyday_words_singular_or_plural(journals):
    from relapse_cli.core.errors import BadInput
    from relapse_cli.share.store.portable import check_kinds

    con = journals("k.db", plain=True)
    words = ["checkin", "Check-ins,thoughts", "meds", "Lapse", "plan_item", "breathing",
             "withdrawal", "balance", "screener", "trackers", "reflection", "appointment",
             "homework", "cravings"]  # fmt: skip
    assert check_kinds(con, words) == [
        "checkins", "thought_records", "medication_events", "use", "plan_items",
        "exercise_sessions", "withdrawal_checks", "decisional_balance", "screenings",
        "tracker_values", "reflection_answers", "appointments", "homework", "craving",
    ]  # fmt: skip
    with pytest.raises(BadInput) as bad:
        check_kinds(con, ["checkins", "diary"])
    assert bad.value.message == "unknown kind 'diary'"


def test_export_kinds_by_everyday_word(cli, journal):
    assert cli("log", "craving", "5").code == 0
    assert cli("checkin", "--mood", "6").code == 0
    assert cli("meds", "add", "Naltrexone", "--times", "08:00").code == 0
    assert cli("meds", "take", "Naltrexone", "--at", "08:10").code == 0
    result = cli("export", "-f", "json", "--kinds", "checkin,meds")
    assert result.code == 0, result.err
    import json

    tables = {t: len(v) for t, v in json.loads(result.out)["tables"].items() if v}
    # the medication list travels with its events (the schedule as added, the dose taken)
    assert tables == {"checkins": 1, "medications": 1, "medication_events": 2}

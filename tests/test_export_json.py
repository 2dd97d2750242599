"""relapse export --format json and relapse import: schema, merge rules, one transaction."""

from __future__ import annotations

import json
import os
import re
import sqlite3

import jsonschema
import pytest
from conftest import records

from relapse_cli.core.prompter import ScriptedPrompter
from relapse_cli.share.formats import schema as export_schema


@pytest.fixture
def demo(cli, tmp_path) -> str:
    path = str(tmp_path / "demo.db")
    assert cli("demo", "--out", path).code == 0
    return path


def export_json(cli, journal: str, out: str, *args: str) -> dict:
    result = cli("--journal", journal, "export", "-o", out, "--force", *args)
    assert result.code == 0, result.err
    with open(out, encoding="utf-8") as fh:
        return json.load(fh)


def portable_rows(path: str) -> dict[str, set]:
    """Every exported table as a set of rows with rowids replaced by uuids (independent SQL)."""
    con = sqlite3.connect(path)
    try:
        out = {
            "entries": set(con.execute("SELECT * FROM entries").fetchall()),
            "triggers": set(con.execute("SELECT uuid, name, key, category, created_at FROM triggers")),
            "coping": set(con.execute("SELECT uuid, name, key, created_at FROM coping")),
            "entry_triggers": set(con.execute(
                "SELECT e.uuid, t.uuid FROM entry_triggers x JOIN entries e ON e.id = x.entry_id "
                "JOIN triggers t ON t.id = x.trigger_id")),
            "entry_coping": set(con.execute(
                "SELECT e.uuid, c.uuid, x.position FROM entry_coping x JOIN entries e ON "
                "e.id = x.entry_id JOIN coping c ON c.id = x.coping_id")),
        }  # fmt: skip
        out["entries"] = {row[1:] for row in out["entries"]}  # drop the rowid
        return out
    finally:
        con.close()


def all_rows(path: str) -> dict[str, list]:
    """Every table but local bookkeeping, rows sorted, each row's integer key dropped and its
    foreign keys shown as the uuid they point at (plain SQL, independent of portable.py)."""
    con = sqlite3.connect(path)
    try:
        out: dict[str, list] = {}
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
            # _journal_identity: each journal's own id, never copied by an import (issue 18)
            "AND name NOT IN ('actions', '_sqlite_migrations', '_journal_identity')")]  # fmt: skip
        for t in tables:
            info = con.execute(f"PRAGMA table_info([{t}])").fetchall()
            keys = [(r[1], r[2].upper()) for r in info if r[5]]
            drop = keys[0][0] if len(keys) == 1 and "INT" in keys[0][1] else None  # the rowid
            fks = {r[3]: r[2] for r in con.execute(f"PRAGMA foreign_key_list([{t}])")}
            cols = [r[1] for r in info if r[1] != drop]
            select = [f"(SELECT uuid FROM [{fks[c]}] p WHERE p.rowid = x.[{c}])" if c in fks
                      else f"x.[{c}]" for c in cols]  # fmt: skip
            rows = con.execute(f"SELECT {', '.join(select)} FROM [{t}] x").fetchall()  # noqa: S608
            out[t] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def test_every_kind_round_trips_field_for_field(cli, demo, tmp_path):
    from test_report_html import add_every_other_kind

    add_every_other_kind(cli, demo)
    source = all_rows(demo)
    assert not [t for t, rows in source.items() if not rows and t != "export_sessions"]
    doc = export_json(cli, demo, str(tmp_path / "all.json"), "--include-hidden")
    jsonschema.validate(doc, export_schema.shipped())
    fresh = str(tmp_path / "fresh.db")
    dry = cli("--journal", fresh, "import", "--dry-run", str(tmp_path / "all.json"))
    assert dry.code == 0 and "Would add" in dry.out
    assert all(not rows for rows in all_rows(fresh).values())  # a dry run adds nothing
    assert cli("--journal", fresh, "import", str(tmp_path / "all.json")).code == 0
    assert all_rows(fresh) == source
    before = records(fresh)
    again = cli("--journal", fresh, "import", str(tmp_path / "all.json"))
    assert again.code == 0 and again.out.startswith("Added 0 records; updated 0")
    assert records(fresh) == before


def test_round_trip_demo_and_schema(cli, demo, tmp_path):
    doc = export_json(cli, demo, str(tmp_path / "a.json"))
    jsonschema.validate(doc, export_schema.shipped())
    assert doc["format_version"] == 1 and doc["notes_included"] is True
    assert {"entries", "triggers", "coping", "entry_triggers", "entry_coping"} <= set(doc["tables"])
    assert "actions" not in doc["tables"]  # the undo log stays home
    link = doc["tables"]["entry_triggers"][0]
    assert len(link["entry_id"]) == 36 and len(link["trigger_id"]) == 36  # uuids, not rowids
    fresh = str(tmp_path / "fresh.db")
    result = cli("--journal", fresh, "import", str(tmp_path / "a.json"))
    assert result.code == 0, result.err
    assert "Added" in result.out
    assert portable_rows(fresh) == portable_rows(demo)


def test_shipped_schema_matches_a_freshly_migrated_journal():
    """Regenerate: python -m relapse_cli.share.formats.schema (after adding a migration)."""
    fresh, shipped = export_schema.fresh_schema(), export_schema.shipped()
    tables = {name: sorted(d["properties"]) for name, d in fresh["$defs"].items()}
    assert tables == {name: sorted(d["properties"]) for name, d in shipped["$defs"].items()}
    assert fresh == shipped


def test_import_twice_changes_nothing(cli, demo, tmp_path):
    export_json(cli, demo, str(tmp_path / "a.json"))
    fresh = str(tmp_path / "fresh.db")
    assert cli("--journal", fresh, "import", str(tmp_path / "a.json")).code == 0
    before = records(fresh)
    again = cli("--journal", fresh, "import", str(tmp_path / "a.json"), "--json")
    assert again.code == 0
    assert again.json()["added"] == {} and again.json()["updated"] == {}
    assert records(fresh) == before


def test_newer_edit_wins_and_links_follow(cli, tmp_path):
    a, b = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    assert cli("--journal", a, "log", "craving", "6", "-t", "stress", "-n", "first").code == 0
    export_json(cli, a, str(tmp_path / "a.json"))
    assert cli("--journal", b, "import", str(tmp_path / "a.json")).code == 0
    uuid = cli("--journal", a, "history", "--json").json()[0]["uuid"]
    con = sqlite3.connect(a)
    con.execute("UPDATE entries SET updated_at = '2030-01-01T00:00:00Z'")  # a later edit on A
    con.commit()
    con.close()
    assert cli("--journal", a, "edit", uuid[:8], "--intensity", "3", "-t", "payday").code == 0
    con = sqlite3.connect(a)
    con.execute("UPDATE entries SET updated_at = '2030-01-01T00:00:00Z'")
    con.commit()
    con.close()
    export_json(cli, a, str(tmp_path / "a2.json"))
    result = cli("--journal", b, "import", str(tmp_path / "a2.json"), "--json")
    assert result.json()["updated"] == {"entries": 1}
    entry = cli("--journal", b, "show", uuid[:8], "--json").json()
    assert entry["intensity"] == 3 and entry["triggers"] == ["payday"]
    # An older copy never overwrites a newer one.
    assert cli("--journal", b, "import", str(tmp_path / "a.json"), "--json").json()["updated"] == {}
    assert cli("--journal", b, "show", uuid[:8], "--json").json()["intensity"] == 3


def test_two_computers_share_vocabulary(cli, tmp_path):
    a, b = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    assert cli("--journal", a, "log", "craving", "6", "-t", "Stress").code == 0
    assert cli("--journal", b, "log", "craving", "4", "-t", "stress").code == 0
    export_json(cli, a, str(tmp_path / "a.json"))
    assert cli("--journal", b, "import", str(tmp_path / "a.json")).code == 0
    triggers = cli("--journal", b, "triggers", "--json").json()
    assert [t["name"] for t in triggers] == ["stress"]
    assert len(cli("--journal", b, "history", "--json").json()) == 2


def test_malformed_file_changes_nothing_and_names_the_record(cli, demo, tmp_path, journal):
    doc = export_json(cli, demo, str(tmp_path / "a.json"))
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    bad = doc["tables"]["entries"][7]
    bad["intensity"] = "very"
    doc["tables"]["entries"][20]["mood"] = 99
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    result = cli("import", str(path))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert f"tables.entries[7] (uuid {bad['uuid']})" in result.err
    assert records(journal) == before


@pytest.mark.parametrize(
    ("table", "change", "message"),
    [
        ("checkins", {"mood": 99}, "mood takes 0 to 10, not 99"),
        ("checkins", {"occurred_at": "yesterday"}, "occurred_at must be UTC time like"),
        ("checkins", {"local_date": "24/11/2026"}, "local_date must be a date like 2026-11-24"),
        ("checkins", {"utc_offset_min": 5000}, "utc_offset_min is out of range"),
        ("screenings", {"total": 26}, "total and band must be the answers' score (9, mild)"),
        ("screenings", {"answers": "[1, 2]"}, "answers: PHQ-9 needs 9 answers, got 2"),
        ("screenings", {"instrument": "bdi"}, "instrument must be one of phq9, gad7, pacs"),
        ("thought_records", {"created_at": "2026-11-24 18:30"}, "created_at must be UTC time"),
        ("thought_records", {"moods": '{"angry": 850}'}, "moods must map each mood to a rating"),
        ("thought_records", {"thoughts": "not json"}, "thoughts must be JSON text"),
        ("thought_records", {"thoughts": '["just one"]', "hot_index": 5},
         "hot_index: --hot 5: there is only one thought"),
        ("thought_records", {"belief": 120}, "belief must be 0 to 100, not 120"),
        ("exercise_sessions", {"urge_before": 11}, "urge_before must be 0 to 10, not 11"),
        ("exercise_sessions", {"ratings": "[[60, 12]]"}, "ratings must be a JSON list of"),
        ("withdrawal_checks", {"tremor": 7}, "--tremor must be 0 (none) to 3 (severe), not 7"),
    ],
)  # fmt: skip
def test_other_kinds_are_checked_by_their_own_rules(cli, demo, tmp_path, journal, table, change,
                                                    message):  # fmt: skip
    """An import accepts what the kind's own command accepts; the first bad record is named."""
    if table == "withdrawal_checks":
        from test_report_html import add_every_other_kind

        add_every_other_kind(cli, demo)
    doc = export_json(cli, demo, str(tmp_path / "a.json"))
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    rows = sorted(doc["tables"][table], key=lambda r: r["uuid"])
    bad = next(r for r in rows if table != "screenings" or r["instrument"] == "phq9")
    if table == "screenings":
        bad.update(answers="[2, 1, 2, 1, 1, 1, 1, 0, 0]", total=9, band="mild")  # a valid base
    bad.update(change)
    index = doc["tables"][table].index(bad)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    result = cli("import", str(path))
    assert result.code == 2 and result.err.count("\n") == 1, result.err
    assert f"tables.{table}[{index}] (uuid {bad['uuid']}): {message}" in result.err
    assert records(journal) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(schema_version=99), "newer journal (schema 99"),
        (lambda d: d["tables"].update(thought_records_v9=[{"uuid": "x"}]), "does not know"),
        (lambda d: d["tables"]["entries"][0].update(mystery=1), "unknown field 'mystery'"),
        (lambda d: d["tables"]["entries"][0].update(uuid="not-a-uuid"), "not a uuid"),
        (lambda d: d.update(format="something else"), "not a relapse-cli JSON export"),
        (lambda d: d["tables"]["entry_triggers"][0].update(trigger_id=None), "trigger_id is required"),
    ],
)  # fmt: skip
def test_bad_exports_are_refused(cli, demo, tmp_path, journal, change, message):
    doc = export_json(cli, demo, str(tmp_path / "a.json"))
    change(doc)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    result = cli("import", str(path))
    assert result.code == 2, result.err
    assert message in result.err
    assert records(journal) == before


def test_not_json_at_all(cli, tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"format": ')
    result = cli("import", str(path))
    assert result.code == 2 and "not valid JSON (line 1" in result.err


def test_dry_run_changes_nothing(cli, demo, tmp_path, journal):
    export_json(cli, demo, str(tmp_path / "a.json"))
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    result = cli("import", str(tmp_path / "a.json"), "--dry-run")
    assert result.code == 0
    assert "Would add" in result.out and "dry run" in result.out
    assert records(journal) == before


def test_no_notes_kinds_and_period(cli, demo, tmp_path):
    doc = export_json(cli, demo, str(tmp_path / "a.json"), "--no-notes", "--kinds", "use,mood",
                      "--since", "2026-11-01", "--until", "2026-11-15")  # fmt: skip
    entries = doc["tables"]["entries"]
    assert entries and {e["kind"] for e in entries} <= {"use", "mood"}
    assert all(e["note"] is None for e in entries)
    assert all("2026-11-01" <= e["occurred_at"] <= "2026-11-16" for e in entries)
    assert doc["notes_included"] is False
    used = {x["trigger_id"] for x in doc["tables"]["entry_triggers"]}
    assert {t["uuid"] for t in doc["tables"]["triggers"]} == used  # only words those records use
    assert "coping" not in doc["tables"] or not doc["tables"]["coping"]


def test_no_notes_import_keeps_the_notes_already_here(cli, tmp_path):
    a, b = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    assert cli("--journal", a, "log", "mood", "5", "-n", "private words").code == 0
    export_json(cli, a, str(tmp_path / "full.json"))
    assert cli("--journal", b, "import", str(tmp_path / "full.json")).code == 0
    con = sqlite3.connect(a)
    con.execute("UPDATE entries SET mood = 6, updated_at = '2030-01-01T00:00:00Z'")
    con.commit()
    con.close()
    export_json(cli, a, str(tmp_path / "bare.json"), "--no-notes")
    assert cli("--journal", b, "import", str(tmp_path / "bare.json")).code == 0
    entry = cli("--journal", b, "history", "--json").json()[0]
    assert entry["mood"] == 6 and entry["note"] == "private words"


def test_no_notes_for_every_kind_keeps_what_the_record_is(cli, tmp_path, journal):
    """--no-notes: every kind's note column goes; a thought record's thoughts, a plan item and
    a reflection answer stay (they are the record; --kinds leaves them out)."""
    steps = [
        ("checkin", "--mood", "5", "--note", "N-checkin"),
        ("appointments", "add", "therapy", "yesterday 14:00", "--note", "N-appt"),
        ("meds", "add", "Naltrexone", "--times", "08:00", "--note", "N-med"),
        ("log", "withdrawal", "--anxiety", "1", "--note", "N-withdrawal"),
        ("think", "balance", "--using-good", "it relaxes me", "--importance", "8",
         "--confidence", "5"),
        ("plan", "add", "reasons", "my kids"),
        ("think", "--situation", "payday", "--mood", "restless=80", "--thought", "one won't hurt",
         "--hot", "1", "--for", "hard week", "--against", "it never stays one",
         "--balanced", "one never stays one", "--belief", "70", "--mood-after", "restless=40"),
        ("log", "craving", "5", "-n", "N-craving"),
    ]  # fmt: skip
    for step in steps:
        assert cli(*step).code == 0, step
    full = json.dumps(export_json(cli, journal, str(tmp_path / "a.json"))["tables"])
    assert all(f"N-{k}" in full for k in ("checkin", "appt", "med", "withdrawal", "craving"))
    doc = export_json(cli, journal, str(tmp_path / "b.json"), "--no-notes")
    jsonschema.validate(doc, export_schema.shipped())
    bare = json.dumps(doc["tables"])
    assert "N-" not in bare
    for kept in ("one won't hurt", "one never stays one", "my kids", "it relaxes me"):
        assert kept in bare, kept
    for name, rows in doc["tables"].items():
        for row in rows:
            assert row.get("note") is None and row.get("notes") is None, name


def test_hidden_entries_only_with_include_hidden(cli, tmp_path, journal):
    assert cli("log", "mood", "5").code == 0
    assert cli("log", "mood", "2").code == 0
    uuid = cli("history", "--json").json()[0]["uuid"]
    assert cli("delete", uuid[:8]).code == 0
    doc = export_json(cli, journal, str(tmp_path / "a.json"))
    assert [e["mood"] for e in doc["tables"]["entries"]] == [5]
    doc = export_json(cli, journal, str(tmp_path / "b.json"), "--include-hidden")
    assert sorted(e["mood"] for e in doc["tables"]["entries"]) == [2, 5]


def test_session_marking_and_since_last_session(cli, clock, tmp_path, journal):
    assert cli("log", "mood", "5").code == 0
    result = cli("export", "--since-last-session")
    assert result.code == 2 and "no export has been marked as a session" in result.err
    assert cli("export", "-o", str(tmp_path / "s1.json"), "--session").code == 0
    clock.advance(3600)
    assert cli("log", "mood", "7").code == 0
    doc = json.loads(cli("export", "--since-last-session").out)
    assert [e["mood"] for e in doc["tables"]["entries"]] == [7]


def test_output_is_private_and_never_silently_replaced(cli, tmp_path):
    assert cli("log", "mood", "5").code == 0
    out = tmp_path / "out.json"
    out.write_text("keep me")
    result = cli("export", "-o", str(out))
    assert result.code == 2 and "already exists" in result.err and "--force" in result.err
    assert out.read_text() == "keep me"
    result = cli("export", "-o", str(out), prompter=ScriptedPrompter(["no"]))
    assert result.code == 2 and out.read_text() == "keep me"
    assert cli("export", "-o", str(out), prompter=ScriptedPrompter(["yes"])).code == 0
    assert json.loads(out.read_text())["tables"]["entries"][0]["mood"] == 5
    assert os.stat(out).st_mode & 0o777 == 0o600
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".part")]


def test_bad_options(cli, tmp_path):
    assert cli("log", "mood", "5").code == 0
    for args, message in [
        (("--format", "docx"), "unknown format 'docx'"),
        (("--kinds", "dreams"), "unknown kind 'dreams'"),
        (("--since", "2026-11-20", "--until", "2026-11-01"), "starts after it ends"),
        (("--format", "csv"), "takes one kind of record as CSV"),
        (("--format", "md", "--include-hidden"), "--include-hidden is for"),
        (("--since", "2026-11-01", "--since-last-session"), "not both"),
    ]:
        result = cli("export", *args)
        assert result.code == 2, args
        assert message in result.err, (args, result.err)


def test_review_leaves_the_counselors_journal_alone(cli, demo, tmp_path, journal):
    export_json(cli, demo, str(tmp_path / "a.json"))
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    result = cli("review", str(tmp_path / "a.json"), "--html", str(tmp_path / "r.html"))
    assert result.code == 0, result.err
    shown = " ".join(result.out.split())
    assert "Days since last use" in shown and "Your own journal was not touched" in shown
    assert records(journal) == before
    html = (tmp_path / "r.html").read_text()
    assert "Session report" in html and "<svg" in html
    data = cli("review", str(tmp_path / "a.json"), "--json").json()
    assert data["summary"]["days_since_last_use"] == 12
    assert data["period"]["totals"]["use_days"] == 2


# ---- review speaks to the counselor, over the export's own period (issue 19, item 12) ----------


def test_review_shows_the_exports_period_in_the_third_person(cli, demo, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert cli("--journal", demo, "config", "name", "Jordan").code == 0
    assert cli("--journal", demo, "checkin", "phq9", "--answers", "1,1,1,1,1,1,1,0,1").code == 0
    out = str(tmp_path / "week.json")
    export_json(cli, demo, out, "--since", "2026-11-17")  # 8 days, to Tue 24 Nov
    result = cli("review", out)
    assert result.code == 0, result.err
    shown = " ".join(result.out.replace("│", " ").split())
    assert "Review of Jordan's export" in shown
    assert "Summary: the exported period (17 Nov 2026 – 24 Nov 2026)" in shown
    assert "Daily check-ins 7 of 8 days" in shown
    assert "30 days" not in shown and "days before" not in shown  # nothing before was exported
    assert "talk it over with their clinician" in shown and "(your first entry)" not in shown
    assert "When cravings come (their local time)" in shown and "What works for them" in shown
    assert not re.search(r"\b[Yy]our\b(?! own journal was not touched)", shown), shown
    assert "Reminder" not in shown
    assert f"Every figure, as data: relapse review {out} --json" in shown
    assert "relapse summary --json" not in shown
    data = cli("review", out, "--json").json()
    assert data["summary"]["period"]["first_day"] == "2026-11-17"
    assert data["summary"]["period"]["days"] == data["period"]["days"] == 8
    assert data["summary"]["audience"] == "clinician"
    # The person's own dashboard keeps speaking to them.
    own = " ".join(cli("--journal", demo, "summary").out.replace("│", " ").split())
    assert "talk it over with your clinician" in own and "What works for you" in own


def test_third_person_rewrites_phrases_never_a_persons_own_words():
    from relapse_cli.share.model.audience import for_clinician, third_person

    assert third_person("Your 12 cravings were spread out") == "Their 12 cravings were spread out"
    assert third_person("your mum") == "your mum"  # a trigger's name is the person's own
    data = {"more": {"checkins": {"lines": [("Reminder", "your last PHQ-9 was 20 days ago"),
                                            ("PHQ-9", "5 of 27")], "reminders": ["x"]}},
            "triggers": {"ranked": [{"name": "your mum"}]}}  # fmt: skip
    out = for_clinician(data)
    assert out["more"]["checkins"]["lines"] == [("PHQ-9", "5 of 27")]
    assert out["triggers"]["ranked"][0]["name"] == "your mum"

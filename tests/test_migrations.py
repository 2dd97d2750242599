"""Schema steps: a new journal gets every table; old journals open and keep every record."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from relapse_cli.core.errors import EnvironmentFault
from relapse_cli.storage.db import open_journal
from relapse_cli.storage.migrations import steps
from relapse_cli.storage.version import SCHEMA_VERSION

FIXTURES = Path(__file__).parent / "fixtures"
# One journal per schema version that has shipped: journal_v<N>.db, made by that version.
OLD_JOURNALS = sorted(FIXTURES.glob("journal_v*.db"))


def test_version_counts_the_steps():
    assert SCHEMA_VERSION == len(steps._migrations)


def test_new_journal_has_every_table_and_column(tmp_path):
    con = open_journal(str(tmp_path / "j.db"))
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    columns = {r[1]: r[2] for r in con.execute("PRAGMA table_info(entries)")}
    assert columns["uuid"] == "TEXT" and columns["intensity"] == "INTEGER"
    assert columns["sleep_hours"] == "REAL" and columns["occurred_at"] == "TEXT"
    notnull = {r[1] for r in con.execute("PRAGMA table_info(entries)") if r[3]}
    assert {"uuid", "kind", "occurred_at", "utc_offset_min"} <= notnull
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"entries", "triggers", "coping", "entry_triggers", "entry_coping", "actions"} <= tables
    indexes = {r[1] for r in con.execute("PRAGMA index_list(entries)")}
    assert any("kind" in name and "occurred_at" in name for name in indexes)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    con.close()


def test_insert_cannot_invent_columns(tmp_path):
    con = open_journal(str(tmp_path / "j.db"))
    with pytest.raises(sqlite3.OperationalError):
        con.execute("INSERT INTO entries (uuid, kind, occurred_at, mystery) VALUES (1,2,3,4)")
    con.close()


@pytest.mark.parametrize("fixture", OLD_JOURNALS, ids=[p.name for p in OLD_JOURNALS])
def test_every_earlier_version_opens_and_keeps_its_records(tmp_path, fixture, cli):
    path = tmp_path / "journal.db"
    shutil.copy(fixture, path)
    old = sqlite3.connect(path)
    old_version = old.execute("PRAGMA user_version").fetchone()[0]
    old_uuids = {r[0] for r in old.execute("SELECT uuid FROM entries")}
    old.close()
    result = cli("--journal", str(path), "history", "--json", "--limit", "1000")
    assert result.code == 0, result.err
    assert {e["uuid"] for e in result.json()} == old_uuids
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        con.close()
    if old_version < SCHEMA_VERSION:
        assert (tmp_path / f"journal.db.v{old_version}.bak").exists()
    notes = [e.get("note") for e in result.json()]
    assert "fixture note" in notes
    for table, rows in _rows_by_table(tmp_path / f"journal.db.v{old_version}.bak").items():
        now = _rows_by_table(
            path, only=table, columns_of=tmp_path / f"journal.db.v{old_version}.bak"
        )
        assert now[table] == rows, f"{table} changed in the upgrade from v{old_version}"


def _rows_by_table(path: Path, only: str | None = None, columns_of: Path | None = None) -> dict:
    """Every row of every table (the columns the older file had), for 'kept every record'."""
    con = sqlite3.connect(path)
    shape = sqlite3.connect(columns_of or path)
    try:
        tables = [r[0] for r in shape.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != '_sqlite_migrations' ORDER BY name")]  # fmt: skip
        out = {}
        for table in tables if only is None else [only]:
            cols = ", ".join(f"[{r[1]}]" for r in shape.execute(f"PRAGMA table_info([{table}])"))
            out[table] = sorted(con.execute(f"SELECT {cols} FROM [{table}]"), key=repr)  # noqa: S608
        return out
    finally:
        con.close()
        shape.close()


def test_newer_journal_is_refused_untouched(tmp_path):
    path = tmp_path / "future.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE entries (id INTEGER)")
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(EnvironmentFault, match="newer relapse-cli"):
        open_journal(str(path))
    assert path.read_bytes() == before


def test_two_processes_creating_the_same_journal_both_succeed(tmp_path):
    import subprocess
    import sys

    path = str(tmp_path / "race.db")
    code = "import sys; from relapse_cli.storage.db import open_journal; open_journal(sys.argv[1])"
    procs = [subprocess.Popen([sys.executable, "-c", code, path]) for _ in range(3)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    con = open_journal(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.close()

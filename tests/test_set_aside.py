"""A row that breaks the journal's value rules (written by another tool with the CHECK
constraints off, or before migration 0010 put them in the schema) is set aside by every export
and report with one line on stderr, never fails the command (issue 21, item 1). `relapse doctor`
names it."""

from __future__ import annotations

import json
import sqlite3

import pytest
from test_report_html import add_every_other_kind

FORMATS = [("json", "out.json"), ("csv", "out.zip"), ("md", "out.md"), ("html", "out.html"),
           ("tlfb", "tlfb.csv"), ("fhir", "fhir.json")]  # fmt: skip

# (table, column, a value its rule refuses), one per kind of rule: a malformed time, a range,
# an enum, a total.
BREAKS = [
    ("entries", "occurred_at", "2026-11-30 10:00"),
    ("entries", "intensity", 42),
    ("entries", "outcome", "maybe"),
    ("checkins", "mood", 99),
    ("screenings", "total", -5),
    ("plan_items", "section", "banana"),
]


_BASE: list[str] = []


@pytest.fixture
def base(cli, tmp_path_factory) -> str:
    """A journal holding every kind of record, made once per run through the real commands."""
    if not _BASE:
        path = str(tmp_path_factory.mktemp("setaside") / "every.db")
        for args in (("log", "craving", "7", "-t", "stress", "--at", "2026-11-23 18:00"),
                     ("log", "mood", "4", "--at", "2026-11-23 19:00"),
                     ("log", "use", "-s", "alcohol", "--amount", "3", "--unit", "drinks",
                      "--at", "2026-11-22 21:00"),
                     ("checkin", "--mood", "6", "--anxiety", "3", "--at", "2026-11-23 20:00"),
                     ("checkin", "phq9", "--answers", "1,1,1,1,1,1,1,1,0"),
                     ("plan", "add", "warning_signs", "skipping meals")):  # fmt: skip
            result = cli("--journal", path, *args)
            assert result.code == 0, (args, result.err)
        add_every_other_kind(cli, path)
        _BASE.append(path)
    return _BASE[0]


def _break(source: str, target: str, table: str, column: str, value: object) -> None:
    import shutil

    shutil.copy(source, target)
    con = sqlite3.connect(target)
    try:
        con.execute("PRAGMA ignore_check_constraints=ON")
        changed = con.execute(
            f"UPDATE [{table}] SET [{column}] = ? WHERE rowid = (SELECT min(rowid) FROM [{table}])",
            (value,),
        ).rowcount  # fmt: skip
        con.commit()
    finally:
        con.close()
    assert changed == 1, f"the base journal has no {table}"


@pytest.mark.parametrize(("table", "column", "value"), BREAKS)
def test_every_export_sets_a_rule_breaking_row_aside(cli, base, tmp_path, table, column, value):
    journal = str(tmp_path / "j.db")
    _break(base, journal, table, column, value)
    for fmt, name in FORMATS:
        out = str(tmp_path / name)
        result = cli("--journal", journal, "export", "-f", fmt, "-o", out, "--since", "2026-01-01")
        assert result.code == 0, (fmt, result.err)
        assert "unexpected" not in result.err, (fmt, result.err)
        assert result.err == (
            "relapse: 1 record left out: a value breaks the journal's rules "
            "(relapse doctor names it)\n"
        ), (fmt, result.err)
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert all(row.get(column) != value for row in doc["tables"].get(table, []))
    fresh = str(tmp_path / "fresh.db")
    imported = cli("--journal", fresh, "import", str(tmp_path / "out.json"))
    assert imported.code == 0, imported.err  # what the export wrote, its own import takes
    for command in (["summary"], ["history"], ["trends"], ["review", str(tmp_path / "out.json")]):
        shown = cli("--journal", journal, *command)
        assert shown.code == 0 and "unexpected" not in shown.err, (command, shown.err)
    doctor = cli("--journal", journal, "doctor")
    assert column in doctor.out and doctor.code != 0


def test_a_journal_that_keeps_the_rules_exports_without_a_word(cli, base, tmp_path):
    result = cli("--journal", base, "export", "-f", "json", "-o", str(tmp_path / "a.json"))
    assert result.code == 0 and result.err == ""


def test_a_rule_breaking_row_outside_the_export_is_not_counted(cli, base, tmp_path):
    """The line counts what this export leaves out, not every bad row in the journal."""
    journal = str(tmp_path / "j.db")
    _break(base, journal, "plan_items", "section", "banana")
    out = str(tmp_path / "moods.json")
    result = cli("--journal", journal, "export", "-f", "json", "-k", "mood", "-o", out)
    assert result.code == 0 and result.err == "", result.err

"""The value rules in the journal itself (CHECK constraints, migration 0010), `relapse doctor`
naming rule-breaking rows, and views that set such a row aside instead of failing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from conftest import records
from hypothesis import example, given, settings
from hypothesis import strategies as st

from relapse_cli.domain import rules
from relapse_cli.storage import checks
from relapse_cli.storage.db import open_journal
from relapse_cli.storage.migrations import RULES_0010

RULED = [(t, c) for t, cols in rules.RULES.items() for c in cols]


def test_the_schema_checks_are_todays_rules():
    """Migration 0010 froze the rules; when domain/rules.py changes, add a step (never edit
    0010) with the new constraints, and update this test to compare with that step."""
    assert RULES_0010 == {t: dict(c) for t, c in rules.RULES.items()}


def _breaking(table: str, column: str) -> object:
    if column.endswith("_at"):
        return "2026-11-30 10:00"
    if column.endswith("_date"):
        return "2026-02-30"
    rule = rules.RULES.get(table, {}).get(column, rules.OFFSET_MIN)
    return "banana" if rules.is_enum(rule) else rule[1] + 1


def test_every_rule_is_a_check_constraint(tmp_path):
    """Each ruled column of a fresh journal refuses a breaking value, by the rule's name."""
    con = open_journal(str(tmp_path / "j.db"))
    try:
        found = checks.constraints(con, rules.RULES)
        names = {(t, c) for t, items in found.items() for _n, c, _e in items}
        assert set(RULED) <= names
        assert ("entries", "occurred_at") in names and ("checkins", "local_date") in names
        for table, items in found.items():
            sql = con.execute(
                "SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,)
            ).fetchone()[0]
            for name, column, expr in items:
                assert f"CONSTRAINT [{name}] CHECK ({expr})" in sql, (table, column)
    finally:
        con.close()


@pytest.mark.parametrize(("table", "column"), RULED)
@settings(max_examples=30, deadline=None)
@given(value=st.one_of(st.none(), st.integers(-2000, 12000), st.floats(allow_nan=False),
                       st.text(max_size=12), st.sampled_from(["craving", "draft", "planned",
                                                              "Mood", "use "])))  # fmt: skip
def test_sql_and_python_rules_agree(table, column, value):
    """The CHECK expression and domain/rules.check accept exactly the same values."""
    expr = checks.expression(rules.RULES[table], column)
    con = sqlite3.connect(":memory:")
    try:
        con.execute(f"CREATE TABLE t ([{column}])")
        con.execute("INSERT INTO t VALUES (?)", (value,))
        (ok,) = con.execute(f"SELECT CASE WHEN ({expr}) THEN 1 ELSE 0 END FROM t").fetchone()
    finally:
        con.close()
    assert bool(ok) == (rules.check(table, column, value) is None), value


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=25) | st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")))
@example("２０２６-11-24T18:30:00Z")  # other scripts' digits: Python's \d, not SQLite's
@example("2026-1-1T1:1:1Z")  # strptime takes it; the stored form does not
def test_sql_and_python_agree_on_utc_times(text):
    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE TABLE t ([x_at])")
        con.execute("INSERT INTO t VALUES (?)", (text,))
        (ok,) = con.execute(
            f"SELECT CASE WHEN ({checks.expression({}, 'x_at')}) THEN 1 ELSE 0 END FROM t"
        ).fetchone()
    finally:
        con.close()
    assert bool(ok) == rules.is_utc(text)


def _sneak(path: str, sql: str) -> None:
    """Write as another tool could (an old build, or CHECKs switched off)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA ignore_check_constraints=1")
        con.execute(sql)
        con.commit()
    finally:
        con.close()


def test_sqlite_utils_cli_cannot_write_a_bad_row(cli, journal):
    assert cli("log", "craving", "5").code == 0
    before = records(journal)
    for sql in ("UPDATE entries SET occurred_at = '2026-11-30 10:00'",
                "UPDATE entries SET kind = 'banana'", "UPDATE entries SET intensity = 42"):  # fmt: skip
        done = subprocess.run([sys.executable, "-m", "sqlite_utils", "query", journal, sql],
                              capture_output=True, text=True)  # fmt: skip
        assert done.returncode != 0 and "CHECK constraint failed" in done.stderr, done
    assert records(journal) == before


def test_doctor_names_bad_rows_and_views_keep_working(cli, journal):
    for args in (("log", "craving", "5", "-t", "stress"), ("log", "mood", "4"),
                 ("log", "craving", "3")):  # fmt: skip
        assert cli(*args).code == 0
    ok = cli("doctor")
    assert "every value keeps the rules" in ok.out
    rows = cli("history", "--json").json()
    first, second, third = (r["uuid"] for r in sorted(rows, key=lambda r: r.get("intensity", 0)))
    _sneak(journal, f"UPDATE entries SET occurred_at='2026-11-30 10:00' WHERE uuid='{third}'")
    _sneak(journal, f"UPDATE entries SET kind='banana' WHERE uuid='{second}'")
    _sneak(journal, f"UPDATE entries SET kind='Craving ' WHERE uuid='{first}'")
    result = cli("doctor")
    assert result.code == 1
    lines = [line for line in result.out.splitlines() if line.startswith("FIX")]
    assert len(lines) == 3, result.out
    assert any(third in x and "occurred_at = '2026-11-30 10:00'" in x for x in lines)
    assert any(second in x and "kind = 'banana'" in x for x in lines)
    assert "integrity                    ok" in result.out  # a bad value is not damage
    shown = cli("history")
    assert shown.code == 0, shown.err
    assert shown.err.count("\n") == 1 and "3 entries not shown" in shown.err
    before = records(journal)
    fixed = cli("doctor", "--fix")  # only the certain one: 'Craving ' is 'craving'
    assert "records fixed" in fixed.out and fixed.code == 1
    after = {r["uuid"]: r for r in cli("history", "--json").json()}
    assert after[first]["kind"] == "craving" and second not in after and third not in after
    changed = set(records(journal)) ^ set(before)
    assert all(first in map(str, row) for row in changed), changed  # nothing else touched


@pytest.mark.parametrize(
    ("column", "value", "fixed"),
    [("kind", "Craving ", "craving"), ("kind", "banana", None), ("kind", 3, None),
     ("occurred_at", "2026-11-30T10:00:00+01:00", "2026-11-30T09:00:00Z"),
     ("occurred_at", "2026-11-30T10:00:00Z ", "2026-11-30T10:00:00Z"),
     ("occurred_at", "2026-11-30 10:00", None), ("occurred_at", "yesterday", None),
     ("intensity", 42, None)],
)  # fmt: skip
def test_certain_fixes_only(column, value, fixed):
    assert checks.certain_fix(column, value, rules.RULES["entries"].get(column)) == fixed


BAD_VALUES = [("occurred_at", "'2026-11-30 10:00'"), ("occurred_at", "'yesterday'"),
              ("intensity", "42"), ("kind", "'banana'"), ("utc_offset_min", "5000"),
              ("outcome", "'maybe'")]  # fmt: skip
VIEWS = [("show", "{id}"), ("show", "{id}", "--json"), ("summary",), ("summary", "--json"),
         ("summary", "--all"), ("trends",), ("history",), ("history", "--json"),
         ("export", "-f", "md"), ("export", "-f", "json"), ("export", "-f", "csv", "-k", "craving"),
         ("edit", "{id}", "--note", "fixed later"), ("delete", "{id}"), ("undo",)]  # fmt: skip


@pytest.mark.parametrize(("column", "value"), BAD_VALUES)
def test_a_rule_breaking_entry_costs_a_line_never_the_command(cli, journal, column, value):
    """Every view that meets an entry another tool wrote against the rules (with the CHECK
    constraints switched off) still answers; what it leaves out is said on one stderr line,
    never "unexpected"; and the figures do not count the bad value."""
    assert cli("log", "craving", "5", "-t", "stress").code == 0
    assert cli("log", "craving", "6").code == 0
    bad = cli("history", "--json").json()[0]["uuid"]
    _sneak(journal, f"UPDATE entries SET {column} = {value} WHERE uuid = '{bad}'")
    for view in VIEWS:
        result = cli(*(part.format(id=bad[:8]) for part in view))
        assert "unexpected" not in result.err and "Traceback" not in result.err, (view, result.err)
        assert result.code in (0, 2), (view, result.code, result.err)
        assert result.err.count("\n") <= 1, (view, result.err)
    summary = cli("summary", "--json")
    assert "not counted" in summary.err
    assert "not counted" in cli("trends").err  # the trends leave it out too, and say so
    assert summary.json()["cravings"]["count"] == 1  # only the good one is counted


@pytest.mark.parametrize(("column", "value"), [("amount", "5000"), ("intensity", "42")])
def test_a_lapse_with_a_bad_value_still_counts_as_a_lapse(cli, journal, column, value):
    """A value that breaks a rule leaves the figures, never the lapse: days since last use
    and use days stay as the person logged them (a streak must not look longer than it is)."""
    assert cli("log", "craving", "5", "--at", "10 days ago").code == 0
    assert cli("log", "use", "-s", "alcohol", "--amount", "3", "--at", "2 days ago").code == 0
    assert cli("log", "craving", "6", "-o", "used", "--at", "5 days ago").code == 0
    before = cli("summary", "--json").json()["recovery"]
    kind = "craving" if column == "intensity" else "use"
    _sneak(journal, f"UPDATE entries SET {column} = {value} WHERE kind = '{kind}' "
                    "AND occurred_at = (SELECT max(occurred_at) FROM entries "
                    f"WHERE kind = '{kind}')")  # fmt: skip
    result = cli("summary", "--json")
    after = result.json()["recovery"]
    assert "not counted" in result.err
    for key in ("days_since_last_use", "use_days_total", "current_streak", "sober_days_total"):
        assert after[key] == before[key], key

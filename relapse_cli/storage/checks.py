"""The value rules of domain/rules.py as SQL: the CHECK constraints migration 0010 puts in the
schema, and the row-by-row look ``relapse doctor`` takes at a journal (rows written before the
constraints, or by another tool with them switched off, e.g. ``PRAGMA ignore_check_constraints``).

The same expression serves both, so the doctor names exactly the rows SQLite would refuse.
"""

from __future__ import annotations

import sqlite3

TYPE_CHECKING = False  # not `from typing import`: listings on the hot path read keeps_rules
if TYPE_CHECKING:
    from relapse_cli.domain.rules import Rule

UTC_SQL = "%Y-%m-%dT%H:%M:%SZ"
SKIP = ("_sqlite_migrations", "actions")  # sqlite-utils' own record; the undo log


class RulesKept(sqlite3.Connection):
    """A connection to a journal whose every row was checked against the rules on the way in
    and that nothing else writes: a caseload's in-memory copy of one export, filled by the
    import's ``validate``. Its queries need not ask each row again (``keeps_rules``)."""


_KEEPS_COLUMNS: dict[tuple[str, str, tuple[str, ...] | None], str] = {}


def keeps_rules(
    con: sqlite3.Connection, table: str, alias: str = "", columns: tuple[str, ...] | None = None
) -> str:
    """SQL true for a row of ``table`` whose values keep every rule (or only the rules of
    ``columns``): listings use it to set a rule-breaking row aside (one line in the view, see
    ``breaking``), never to fail on it."""
    if isinstance(con, RulesKept):
        return "1"
    key = (table, alias, columns)
    if key not in _KEEPS_COLUMNS:
        from relapse_cli.domain.rules import RULES

        prefix = f"{alias}." if alias else ""
        parts = [
            f"({sql.replace('[', prefix + '[')})"
            for _n, column, sql in constraints(con, RULES, only=table).get(table, [])
            if columns is None or column in columns
        ]
        _KEEPS_COLUMNS[key] = " AND ".join(parts) or "1"
    return _KEEPS_COLUMNS[key]


def count_breaking(
    con: sqlite3.Connection, table: str, within: tuple[str, str, str] | None = None
) -> int:
    """Visible rows of ``table`` that break a value rule (written by another tool): views
    leave them out and say so in one line (``breaking_line``); ``relapse doctor`` names them.

    ``within`` = (column, low, high): only rows whose column (an indexed UTC text) lies in
    [low, high), so a view over a period asks its own rows, not a million others, and the
    rows no period can hold, whose column does not begin with a digit (a number, '', or
    'yesterday' sorts outside '0'..':'): two more index ranges."""
    sql = (
        f"SELECT count(*) FROM [{table}] t WHERE t.deleted_at IS NULL "  # noqa: S608
        f"AND NOT ({keeps_rules(con, table, 't')})"
    )
    args: list[str] = []
    if within is not None:
        c = f"t.[{within[0]}]"
        sql += f" AND ({c} >= ? AND {c} < ? OR {c} < '0' OR {c} >= ':')"
        args = [within[1], within[2]]
    return int(con.execute(sql, args).fetchone()[0])


def breaking_line(n: int, singular: str, plural: str, left: str) -> str | None:
    """The one line a view gives for rows it set aside, e.g. "1 entry not counted: ..."."""
    if not n:
        return None
    return (
        f"relapse: {n} {singular if n == 1 else plural} {left}: a value breaks the "
        "journal's rules (relapse doctor names it)"
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def expression(rules_table: dict, column: str) -> str | None:
    """The SQL that is true when ``column``'s value keeps its rule (NULL always does)."""
    c = f"[{column}]"
    if column.endswith("_at"):
        return f"{c} IS NULL OR strftime('{UTC_SQL}', {c}) IS {c}"
    if column.endswith("_date"):
        return f"{c} IS NULL OR date({c}) IS {c}"
    rule = rules_table.get(column)
    if column == "utc_offset_min" and rule is None:
        rule = (-960, 960)
    if rule is None:
        return None
    if all(isinstance(v, str) for v in rule):
        return f"{c} IS NULL OR {c} IN ({', '.join(_quote(v) for v in rule)})"
    low, high = rule
    return (
        f"{c} IS NULL OR (typeof({c}) IN ('integer', 'real') AND {c} BETWEEN {low:g} AND {high:g})"
    )


def constraints(
    con: sqlite3.Connection, rules: dict[str, dict], only: str | None = None
) -> dict[str, list[tuple]]:
    """table -> [(constraint name, column, expression)] for every column with a rule."""
    out: dict[str, list[tuple]] = {}
    for (table,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall():
        if table in SKIP or (only is not None and table != only):
            continue
        for row in con.execute(f"PRAGMA table_info([{table}])").fetchall():
            sql = expression(rules.get(table, {}), row[1])
            if sql is not None:
                out.setdefault(table, []).append((f"rule_{table}_{row[1]}", row[1], sql))
    return out


def add_constraints(con: sqlite3.Connection, rules: dict[str, dict]) -> None:
    """Append CHECK constraints to each table's CREATE statement in place.

    SQLite cannot ALTER a table to add a CHECK; the rebuild it documents (new table, copy,
    drop, rename) needs foreign keys off, which cannot be switched inside the migration's
    transaction, and would refuse the whole journal over one bad row. Editing the stored
    statement (writable_schema, the documented way for constraint-only changes) keeps every
    row where it is; rows that break a rule stay readable, and ``relapse doctor`` names them.
    Must run inside the migration's transaction.
    """
    version = con.execute("PRAGMA schema_version").fetchone()[0]
    con.execute("PRAGMA writable_schema=ON")
    try:
        for table, checks in constraints(con, rules).items():
            (sql,) = con.execute(
                "SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,)
            ).fetchone()
            clauses = "".join(f",\n   CONSTRAINT [{n}] CHECK ({e})" for n, _c, e in checks)
            end = sql.rindex(")")
            con.execute(
                "UPDATE sqlite_master SET sql=? WHERE type='table' AND name=?",
                (sql[:end] + clauses + sql[end:], table),
            )
        con.execute(f"PRAGMA schema_version={version + 1}")
    finally:
        con.execute("PRAGMA writable_schema=OFF")


def bad_values(con: sqlite3.Connection, rules: dict[str, dict]) -> list[dict]:
    """Every value in the journal that breaks a rule: table, uuid (or rowid), column, value."""
    found: list[dict] = []
    for table, checks in constraints(con, rules).items():
        cols = {r[1] for r in con.execute(f"PRAGMA table_info([{table}])").fetchall()}
        ident = "uuid" if "uuid" in cols else "rowid"
        for _name, column, sql in checks:
            for rowid, key, value in con.execute(
                f"SELECT rowid, [{ident}], [{column}] FROM [{table}] WHERE NOT ({sql})"
            ).fetchall():
                found.append(
                    {"table": table, "rowid": rowid, "id": key, "column": column, "value": value}
                )
    return found


def certain_fix(column: str, value: object, rule: Rule | None) -> str | None:
    """The one right value for a bad one, or None when there is no single right answer.

    Certain: an enum word in the wrong case or with spaces ('Craving ' -> 'craving'); a time
    that names its own offset ('2026-11-30T10:00:00+01:00' -> '2026-11-30T09:00:00Z').
    Not certain (left for the person): a time without an offset, a number out of range.
    """
    if not isinstance(value, str):
        return None
    if rule is not None and all(isinstance(v, str) for v in rule):
        word = value.strip().lower()
        return word if word in rule else None
    if column.endswith("_at"):
        from datetime import datetime, timezone

        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        if moment.tzinfo is None:
            return None
        return moment.astimezone(timezone.utc).strftime(UTC_SQL)
    return None


def fix_values(con: sqlite3.Connection, rules: dict[str, dict], bad: list[dict]) -> int:
    """Apply ``certain_fix`` where there is one, in one transaction; returns how many."""
    fixed = 0
    con.execute("BEGIN IMMEDIATE")
    try:
        for item in bad:
            rule = rules.get(item["table"], {}).get(item["column"])
            new = certain_fix(item["column"], item["value"], rule)
            if new is None:
                continue
            try:  # a row with a second bad value still breaks its CHECK: left for the person
                con.execute(
                    f"UPDATE [{item['table']}] SET [{item['column']}]=? WHERE rowid=?",
                    (new, item["rowid"]),
                )
            except sqlite3.IntegrityError:
                continue
            fixed += 1
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return fixed

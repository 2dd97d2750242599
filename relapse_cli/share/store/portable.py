"""Moving records between journals, driven by the schema rather than written per kind.

Every table that holds records has a ``uuid`` column; link tables (``entry_triggers``) have
none and are identified by the records they join. So an export can be made from the schema
alone: read the tables and their foreign keys, write every row keyed by its uuid, and write
each integer foreign key as the uuid of the row it points to. An import maps those uuids back
to this journal's rowids. A new kind of record (a new table with a ``uuid``) is exported and
imported without a line of code here.

Rules, in one place:
- *exported*: tables with a ``uuid`` column, and link tables whose key columns all point at
  exported tables. Local bookkeeping (the undo log ``actions``, migration records) stays home.
- *period*: a table with a time column (``TIME_COLUMNS``) is cut by ``--since/--until``; a link
  table follows the record that owns it (the table its first key column points at); a record
  without a time column that points at another (a child) follows its parent; a vocabulary
  (a table others point at) is cut to the words the exported records use, when a period or
  kinds are chosen; anything else (a plan, settings-like records) is exported whole.
- *merge*: records match by uuid, or else by another unique key (two computers that both
  added the trigger "stress" share it); the newer edit wins, judged by ``updated_at`` (or a
  later ``deleted_at``); links of a record follow that record.

Streaming: rows come from a cursor one at a time, with foreign keys translated by joins in
SQL, so exporting a million entries needs no more memory than exporting ten.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from relapse_cli.core.errors import BadInput
from relapse_cli.core.limits import json_loads  # refuses deep nesting (a hostile export)
from relapse_cli.core.timeparse import is_iso_day
from relapse_cli.kinds import kind_words, resolve, shown_words, validator_paths

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal

LOCAL_ONLY = frozenset({"actions", "_sqlite_migrations"})
# The column that says when a record happened, by preference. Tables without one are exported
# whole (or follow the records they belong to).
TIME_COLUMNS = (
    "occurred_at",
    "started_at",
    "taken_at",
    "completed_at",
    "answered_at",
    "exported_at",
)
NOTE_COLUMNS = frozenset({"note", "notes"})  # what --no-notes leaves out
STAMP_COLUMNS = ("updated_at", "deleted_at")  # "which edit is newer", in this order
ENTRY_KINDS = ("craving", "mood", "trigger", "use")  # kinds that live in `entries`
# The time columns say when a record happened, so an import refuses one later than its own
# clock (as `log --at` refuses the future), allowing this much skew between the two computers'
# clocks. (Bookkeeping stamps such as created_at are not judged; `starts_at` of an appointment
# lies ahead on purpose and is not one of the time columns.)
CLOCK_SKEW_MIN = 10


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # integer | real | text | blob | "" (as declared, lower-cased)
    notnull: bool
    has_default: bool


@dataclass
class Table:
    name: str
    columns: list[Column]
    fks: dict[str, str] = field(default_factory=dict)  # column -> referenced table (by rowid)
    rowid: str | None = None  # the INTEGER PRIMARY KEY column, internal to one journal
    pk: tuple[str, ...] = ()
    unique_keys: list[tuple[str, ...]] = field(default_factory=list)  # besides uuid
    time: str | None = None

    # Asked per record by validate and merge: worked out once (columns and rowid are set
    # when the table is described and never change).
    @cached_property
    def has_uuid(self) -> bool:
        return any(c.name == "uuid" for c in self.columns)

    @cached_property
    def is_link(self) -> bool:
        return not self.has_uuid

    @property
    def owner(self) -> str | None:
        """The column of a link table that says which record the link belongs to."""
        return self.pk[0] if self.is_link and self.pk else None

    @cached_property
    def portable_columns(self) -> list[Column]:
        return [c for c in self.columns if c.name != self.rowid]

    @cached_property
    def portable_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.portable_columns)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def _affinity(declared: str) -> str:
    t = declared.upper()
    if "INT" in t:
        return "integer"
    if any(s in t for s in ("CHAR", "CLOB", "TEXT")):
        return "text"
    if any(s in t for s in ("REAL", "FLOA", "DOUB")):
        return "real"
    if not t or "BLOB" in t:
        return "blob"
    return "real"  # NUMERIC affinity: numbers


def describe(con: sqlite3.Connection) -> list[Table]:
    """The exported tables, parents before the tables that point at them."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        )
    ]
    tables: dict[str, Table] = {}
    for name in names:
        if name in LOCAL_ONLY or name.startswith("_"):
            continue
        info = con.execute(f"PRAGMA table_info([{name}])").fetchall()
        pk = tuple(r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5]))
        # Key columns are required even where SQLite would allow NULL in a composite key.
        columns = [
            Column(r[1], _affinity(r[2] or ""), bool(r[3]) or r[1] in pk, r[4] is not None)
            for r in info
        ]
        types = {r[1]: _affinity(r[2] or "") for r in info}
        rowid = pk[0] if len(pk) == 1 and types[pk[0]] == "integer" else None
        fks = {r[3]: r[2] for r in con.execute(f"PRAGMA foreign_key_list([{name}])")}
        unique: list[tuple[str, ...]] = []
        for idx in con.execute(f"PRAGMA index_list([{name}])"):
            if not idx[2] or idx[3] == "pk":
                continue
            cols = tuple(r[2] for r in con.execute(f"PRAGMA index_info([{idx[1]}])"))
            if cols != ("uuid",) and None not in cols:
                unique.append(cols)
        time = next((t for t in TIME_COLUMNS if any(c.name == t for c in columns)), None)
        tables[name] = Table(name, columns, fks, rowid, pk, sorted(unique), time)
    # Keep tables with a uuid, and link tables whose key columns all point at kept tables.
    kept = {n: t for n, t in tables.items() if t.has_uuid and t.rowid}
    for n, t in tables.items():
        if not t.has_uuid and t.pk and all(t.fks.get(c) in kept for c in t.pk):
            kept[n] = t
    for t in kept.values():  # only foreign keys to kept tables' rowids are translated
        t.fks = {c: p for c, p in t.fks.items() if p in kept and kept[p].rowid}
    return _parents_first(kept)


def _parents_first(tables: dict[str, Table]) -> list[Table]:
    done: list[Table] = []
    seen: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in seen or name in path:
            return
        for parent in tables[name].fks.values():
            if parent != name:
                visit(parent, (*path, name))
        seen.add(name)
        done.append(tables[name])

    for name in sorted(tables):
        visit(name, ())
    return done


# ---------------------------------------------------------------------------------- export


@dataclass
class Selection:
    """What to export: a UTC window (storage text), record kinds, notes, hidden records."""

    since: str | None = None
    until: str | None = None
    kinds: list[str] | None = None  # entry kinds and/or table names
    notes: bool = True
    hidden: bool = False

    @property
    def narrowed(self) -> bool:
        return bool(self.since or self.until or self.kinds)


def kind_names(tables: list[Table]) -> list[str]:
    """What --kinds accepts: the entry kinds and every table of records with a time of its own."""
    return [
        *ENTRY_KINDS,
        *sorted(
            t.name
            for t in tables
            if t.has_uuid
            and t.name not in ("entries", "export_sessions")
            and not _referenced_by(t, tables)
        ),
    ]


def _referenced_by(table: Table, tables: list[Table]) -> list[tuple[Table, str]]:
    """Who uses ``table`` as a vocabulary: (table, column) pairs pointing at it, leaving out
    a link table's owner column (those links belong to the record, not the other way round)."""
    return [
        (t, c)
        for t in tables
        for c, p in t.fks.items()
        if p == table.name and t is not table and not (t.is_link and c == t.owner)
    ]


def _filters(
    tables: list[Table],
    sel: Selection,
    keeps: dict[str, str] | None = None,
) -> dict[str, str | None]:
    """A SQL condition per exported table (None: the whole table; absent: not exported).

    Conditions name their own columns as ``[table].column`` so they also work in the joins
    of ``rows``.
    """
    by_name = {t.name: t for t in tables}
    entry_kinds: list[str] | None = None
    chosen: set[str] | None = None
    if sel.kinds:
        entry_kinds = [k for k in sel.kinds if k in ENTRY_KINDS]
        chosen = {k for k in sel.kinds if k not in ENTRY_KINDS}
        if entry_kinds:
            chosen.add("entries")
    memo: dict[str, str | None | Literal[False]] = {}

    def inside(parent: str, col: str, t: Table) -> str | None | Literal[False]:
        """``[t].col`` points at an exported row of ``parent`` (False: parent not exported)."""
        pc = cond(parent)
        if pc is False or pc is None:
            return pc
        p = by_name[parent]
        return f"[{t.name}].[{col}] IN (SELECT [{p.name}].[{p.rowid}] FROM [{p.name}] WHERE {pc})"

    def cond(name: str) -> str | None | Literal[False]:
        """False: not exported; None: every row; text: a WHERE condition."""
        if name in memo:
            return memo[name]
        memo[name] = False  # a cycle of references exports nothing rather than looping
        t = by_name[name]
        parts: list[str] = []
        if not sel.hidden and t.column("deleted_at"):
            parts.append(f"[{name}].deleted_at IS NULL")
        if keeps and keeps.get(name, "1") != "1":  # a rule-breaking row is set aside, not fatal
            parts.append(keeps[name])
        result: str | None | Literal[False] = None
        required = [
            (c, p)
            for c, p in t.fks.items()
            if p != name and (column := t.column(c)) is not None and column.notnull
        ]
        users = _referenced_by(t, tables)
        if t.is_link or (required and not t.time):  # follows the record it belongs to
            if t.is_link:
                owner = t.owner
                assert owner is not None  # describe() keeps only link tables with a key
                col, parent = owner, t.fks[owner]
            else:
                col, parent = required[0]
            follow = inside(parent, col, t)
            if follow is False:
                result = False
            elif follow:
                parts.append(follow)
        elif t.time:
            if chosen is not None and name not in chosen:
                result = False
            if sel.since:
                parts.append(f"[{name}].[{t.time}] >= '{sel.since}'")
            if sel.until:
                parts.append(f"[{name}].[{t.time}] <= '{sel.until}'")
            if name == "entries" and entry_kinds is not None:
                parts.append(f"[{name}].kind IN ({', '.join(repr(k) for k in entry_kinds)})")
        elif users and sel.narrowed:  # a vocabulary: only the words exported records use
            uses = [
                f"[{name}].[{t.rowid}] IN (SELECT [{u.name}].[{c}] FROM [{u.name}]"
                + (f" WHERE {uc})" if (uc := cond(u.name)) else ")")
                for u, c in users
                if cond(u.name) is not False
            ]
            if uses:
                parts.append("(" + " OR ".join(uses) + ")")
            else:
                result = False
        elif chosen is not None and name not in chosen and not users:
            result = False
        if result is not False:
            result = " AND ".join(parts) or None
        memo[name] = result
        return result

    out: dict[str, str | None] = {}
    for t in tables:
        c = cond(t.name)
        if c is not False:
            out[t.name] = c
    return out


# Everyday words for kinds whose table name says it differently (compared without - _ or
# spaces, singular or plural): `--kinds thoughts,checkin,meds`. Declared per kind in
# relapse_cli/kinds.py.
KIND_WORDS = kind_words()


def shown_kind(name: str) -> str:
    """A kind or table as a person reads and types it ('plan_items' -> 'plan',
    'reflection_answers' -> 'reflections'): no internal table names in messages."""
    return _SHOWN.get(name, name.replace("_", " "))


# The word each table is shown as (each is also a KIND_WORDS word, so it can be typed back).
_SHOWN = shown_words()


def _squash(word: str) -> str:
    return "".join(ch for ch in word.lower() if ch not in "-_ ")


def check_kinds(con: sqlite3.Connection, kinds: list[str]) -> list[str]:
    """Validate --kinds words: a kind's name singular or plural, with - or _ or neither
    (check-ins, checkin, thought_record), or an everyday word (``KIND_WORDS``)."""
    names = kind_names(describe(con))
    lookup: dict[str, str] = {}
    for name in names:
        lookup[_squash(name)] = name
        lookup[_squash(name) + "s"] = name
        if name.endswith("s"):
            lookup[_squash(name[:-1])] = name
    for word, name in KIND_WORDS.items():
        if name in names:
            lookup.setdefault(_squash(word), name)
            lookup.setdefault(_squash(word) + "s", name)
    out: list[str] = []
    for raw in kinds:
        for part in raw.split(","):
            if not part.strip():
                continue
            found = lookup.get(_squash(part))
            if found is None:
                raise BadInput(
                    f"unknown kind {part.strip()!r}",
                    "kinds: " + ", ".join(shown_kind(n) for n in names),
                )
            if found not in out:
                out.append(found)
    return out


def plan(con: sqlite3.Connection, sel: Selection) -> list[tuple[Table, str | None]]:
    """The tables an export writes, each with its SQL condition (parents first)."""
    from relapse_cli.storage.checks import keeps_rules

    tables = describe(con)
    keeps = {t.name: keeps_rules(con, t.name, f"[{t.name}]") for t in tables}
    conds = _filters(tables, sel, keeps)
    return [(t, conds[t.name]) for t in tables if t.name in conds]


def set_aside(con: sqlite3.Connection, sel: Selection) -> int:
    """How many records of the kinds ``sel`` chooses ``plan`` leaves out because a value breaks
    the journal's rules (storage/checks.keeps_rules): the count the export reports in one line.
    The period is not applied: a row whose time is malformed cannot be placed in one."""
    from dataclasses import replace

    from relapse_cli.storage.checks import keeps_rules

    tables = describe(con)
    conds = _filters(tables, replace(sel, since=None, until=None))
    n = 0
    for table in tables:
        keeps = keeps_rules(con, table.name, f"[{table.name}]")
        if table.name in conds and keeps != "1":
            n += count(
                con, table, f"NOT ({keeps})" + (f" AND {c}" if (c := conds[table.name]) else "")
            )
    return n


def rows(
    con: sqlite3.Connection, table: Table, where: str | None, sel: Selection
) -> Iterator[dict]:
    """The rows of one table as portable dicts (no rowid; foreign keys as uuids), streamed."""
    me = f"[{table.name}]"
    select: list[str] = []
    joins: list[str] = []
    for i, col in enumerate(table.portable_columns):
        parent = table.fks.get(col.name)
        if parent is not None:
            joins.append(f"LEFT JOIN [{parent}] p{i} ON p{i}.rowid = {me}.[{col.name}]")
            select.append(f"p{i}.uuid")
        elif not sel.notes and col.name in NOTE_COLUMNS:
            select.append("NULL")
        else:
            select.append(f"{me}.[{col.name}]")
    order = [table.time] if table.time else []
    order += list(table.pk or ("rowid",))
    sql = f"SELECT {', '.join(select)} FROM {me} {' '.join(joins)}"
    if where:
        sql += f" WHERE {where}"
    sql += " ORDER BY " + ", ".join(f"{me}.[{c}]" for c in order)
    cur = con.cursor()
    cur.row_factory = None  # plain tuples: cheaper than sqlite3.Row for a million rows
    names = [c.name for c in table.portable_columns]
    for values in cur.execute(sql):
        yield dict(zip(names, values, strict=True))


def count(con: sqlite3.Connection, table: Table, where: str | None) -> int:
    sql = f"SELECT count(*) FROM [{table.name}]" + (f" WHERE {where}" if where else "")
    return int(con.execute(sql).fetchone()[0])


# ---------------------------------------------------------------------------------- import


class Invalid(BadInput):
    """A record in an import file that cannot be used; names the record."""


def _where(table: str, index: int, row: object) -> str:
    uuid = row.get("uuid") if isinstance(row, dict) else None
    return f"tables.{table}[{index}]" + (f" (uuid {uuid})" if isinstance(uuid, str) else "")


# Lower-case hex in the 8-4-4-4-12 groups (ASCII only: the class names each character).
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def _check_value(col: Column, value: object, fk: bool) -> str | None:
    """Why ``value`` cannot go in ``col`` (None when it can)."""
    if value is None:
        return f"{col.name} is required" if col.notnull and not col.has_default else None
    if fk:
        return None if is_uuid(value) else f"{col.name} must be the uuid of a record"
    if col.type == "integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return _storable(col.name, value)
        return f"{col.name} must be a whole number"
    if col.type == "real":
        if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
            return _storable(col.name, value)
        return f"{col.name} must be a number"
    if col.type == "text":
        if not isinstance(value, str):
            return f"{col.name} must be text"
        if "\x00" in value:
            return f"{col.name} contains a NUL character"
        return None
    if isinstance(value, dict | list):
        return f"{col.name} must be a plain value"
    return None


def _storable(column: str, value: float) -> str | None:
    """A number beyond what SQLite stores (or JSON's non-standard Infinity) is refused like a
    wrong type, whatever column it is in: rules.STORABLE, which the export schema also states."""
    from relapse_cli.domain.rules import STORABLE

    if STORABLE[0] <= value <= STORABLE[1]:
        return None
    return f"{column} is beyond what a journal can hold ({float(value):.3g})"


def _check_time(column: str, value: object) -> str | None:
    """Times and dates of every kind, by the schema's naming rule: ``*_at`` is UTC text,
    ``*_date`` a calendar day, ``utc_offset_min`` a real offset. A malformed one would sort
    and count wrongly in every query, so it is refused like a wrong type."""
    if value is None:
        return None
    if column.endswith("_at") and not _is_stamp(value):
        return f"{column} must be UTC time like 2026-11-24T18:30:00Z"
    if column.endswith("_date") and not is_iso_day(value):
        return f"{column} must be a date like 2026-11-24"
    if column == "utc_offset_min" and isinstance(value, int) and not -16 * 60 <= value <= 16 * 60:
        return "utc_offset_min is out of range"
    return None


def _check_future(column: str, value: object, not_after: str | None) -> str | None:
    if not_after is None or column not in TIME_COLUMNS:
        return None
    if isinstance(value, str) and value > not_after:  # same fixed-width UTC form: text order
        return (
            f"{column} {value} is in the future on this computer's clock (more than "
            f"{CLOCK_SKEW_MIN} minutes ahead); is either clock wrong?"
        )
    return None


def validate(tables: list[Table], data: dict, not_after: str | None = None) -> None:
    """Check every record in file order before anything is written; the first bad one is named.

    ``not_after`` (UTC stamp text): no happened-at stamp may be later (see CLOCK_SKEW_MIN)."""
    from relapse_cli.domain import rules

    by_name = {t.name: t for t in tables}
    if not isinstance(data, dict):
        raise Invalid("the export has no tables")
    for name, items in data.items():
        table = by_name.get(name)
        if table is None:
            raise Invalid(
                f"the export holds records of a kind this journal does not know: {name!r}",
                "upgrade relapse-cli, then import again",
            )
        if not isinstance(items, list):
            raise Invalid(f"tables.{name} must be a list of records")
        allowed = {c.name: c for c in table.portable_columns}
        checks = _column_checks(table, not_after)
        has_uuid = table.has_uuid
        hooks = validators().get(name, ())
        ruled = {c: rules.checker(name, c) for c in _ruled_columns(name, allowed)}
        if _all_pass(items, allowed, checks, has_uuid, hooks, ruled, not_after):
            continue
        for index, row in enumerate(items):
            if not isinstance(row, dict):
                raise Invalid(f"{_where(name, index, row)} is not a record")
            if not row.keys() <= allowed.keys():
                unknown = [k for k in row if k not in allowed]
                raise Invalid(
                    f"{_where(name, index, row)}: unknown field {unknown[0]!r}",
                    "was it made by a newer relapse-cli?",
                )
            if has_uuid and not is_uuid(row.get("uuid")):
                raise Invalid(f"{_where(name, index, row)}: uuid is missing or not a uuid")
            for col, fk, timed, future, plain in checks:
                if col.name in row:
                    value = row[col.name]
                elif col.notnull:
                    value = None
                else:
                    continue
                if value is None:  # the time rules pass an empty value; "required" is here
                    why = _check_value(col, value, fk)
                elif plain(value):
                    why = None
                else:
                    why = _check_value(col, value, fk)
                if not why and timed:
                    why = _check_time(col.name, value)
                if not why and future:
                    why = _check_future(col.name, value, not_after)
                if why:
                    raise Invalid(f"{_where(name, index, row)}: {why}")
            for hook in hooks:
                why = hook(row)
                if why:
                    raise Invalid(f"{_where(name, index, row)}: {why}")
            for column, value in row.items():  # the rules the export schema also states
                rule = ruled.get(column)
                if rule is not None and value is not None:
                    why = rule(value)
                    if why:
                        raise Invalid(f"{_where(name, index, row)}: {why}")


_NONE = type(None)
_TEXT_TYPES = frozenset({str, _NONE})
_INTEGER_TYPES = frozenset({int, _NONE})


def _all_pass(
    items: list,
    allowed: dict[str, Column],
    checks: list[tuple[Column, bool, bool, bool, Callable[[object], bool]]],
    has_uuid: bool,
    hooks: tuple,
    ruled: dict[str, Callable[[object], str | None]],
    not_after: str | None,
) -> bool:
    """Whether every record of one table passes every check of ``validate``'s loop, asked
    column by column (a column's types as one set, its stamps once each): a caseload reads
    hundreds of exports, and most of an export's time went to asking the same checks value by
    value. True only when the loop would raise nothing; on False the loop runs and names the
    first bad record in file order, with its own words (tests/test_import_fuzz.py)."""
    if not all(type(row) is dict and row.keys() <= allowed.keys() for row in items):
        return False
    if has_uuid and not all(is_uuid(row.get("uuid")) for row in items):
        return False
    # _check_time's rules need no pass of their own here: every *_at, *_date and
    # utc_offset_min column is ruled (rules.checker, as strict or stricter), asked below.
    for col, fk, _timed, future, plain in checks:
        name = col.name
        values = [row.get(name) for row in items]
        given = [v for v in values if v is not None]
        if len(given) < len(values) and col.notnull and not col.has_default:
            return False  # a required value missing: the loop words it
        if not given:
            continue
        types = set(map(type, given))
        if fk or col.type == "text":
            if not types <= _TEXT_TYPES or "\x00" in "".join(given):
                return False
            if fk and not all(map(is_uuid, set(given))):
                return False
        elif col.type == "integer" and types <= _INTEGER_TYPES:
            if not all(map(plain, (min(given), max(given)))):
                return False
        elif not all(map(plain, given)):
            return False
        if future and not_after is not None and max(given) > not_after:  # UTC text order
            return False
    for row in items:
        for hook in hooks:
            if hook(row):
                return False
    for column, rule in ruled.items():  # a rule is a function of the value alone
        for value in {row.get(column) for row in items}:
            if value is not None and rule(value):
                return False
    return True


def _column_checks(
    table: Table, not_after: str | None
) -> list[tuple[Column, bool, bool, bool, Callable[[object], bool]]]:
    """Per column, once per table rather than per row: (column, is a foreign key, has a time
    rule (``_check_time``), has the clock rule (``_check_future``), a quick test of the
    common good value). A check left out here is one that returns None for that column
    whatever the value; when the quick test says no, ``_check_value`` decides and words it."""
    return [
        (
            c,
            c.name in table.fks,
            c.name.endswith(("_at", "_date")) or c.name == "utc_offset_min",
            not_after is not None and c.name in TIME_COLUMNS,
            is_uuid if c.name in table.fks else _plain(c.type),
        )
        for c in table.portable_columns
    ]


def _never(value: object) -> bool:
    return False


def _plain_text(value: object) -> bool:
    return type(value) is str and "\x00" not in value


def _plain(kind: str) -> Callable[[object], bool]:
    """The value most records hold in a column of this type, accepted without _check_value's
    wording; anything else goes to _check_value (a float NaN fails the bounds, so it too)."""
    from relapse_cli.domain.rules import STORABLE

    low, high = STORABLE
    if kind == "text":
        return _plain_text
    if kind == "integer":
        return lambda v: type(v) is int and low <= v <= high
    if kind == "real":
        return lambda v: (type(v) is float or type(v) is int) and low <= v <= high
    return _never


def _ruled_columns(name: str, allowed: dict[str, Column]) -> frozenset[str]:
    """The columns ``rules.check`` can refuse a value of (its naming rules and RULES);
    for every other column it returns None, so it is not called."""
    from relapse_cli.domain import rules

    return frozenset(
        c
        for c in allowed
        if c.endswith(("_at", "_date")) or c == "utc_offset_min" or c in rules.RULES.get(name, {})
    )


def _entry_check(row: dict) -> str | None:
    from relapse_cli.log.model.entries import FIELDS, build_entry, check_text

    kind = row.get("kind")
    note = row.get("note")
    fast = type(kind) is str and kind in FIELDS and (note is None or type(note) is str)
    try:
        if fast:
            try:
                check_text("note", note)
            except BadInput:
                fast = False  # a bad note: build_entry words it in its own order
        if fast:
            try:
                names = FIELDS[str(kind)]
                why = _entry_fields(str(kind), tuple(row.get(f) for f in names if f != "note"))
            except TypeError:  # an unhashable value: asked without the memory
                fast = False
            else:
                if why:
                    return why
        if not fast:
            build_entry(str(kind), {k: v for k, v in row.items() if k not in ("kind",)})
            check_text("note", note)
    except BadInput as exc:
        return exc.message
    if not _is_stamp(row.get("occurred_at")):
        return "occurred_at must be UTC time like 2026-11-24T18:30:00Z"
    offset = row.get("utc_offset_min")
    if isinstance(offset, int) and not -16 * 60 <= offset <= 16 * 60:
        return "utc_offset_min is out of range"
    return None


@lru_cache(maxsize=4096)
def _entry_fields(kind: str, values: tuple[object, ...]) -> str | None:
    """build_entry's answer for an entry's fields but its note (pure in them, and a year of
    a person's entries repeats the same few: intensity, outcome, substance...). Asked only
    when the note itself is good: then the note cannot change build_entry's answer."""
    from relapse_cli.log.model.entries import FIELDS, build_entry

    names = [f for f in FIELDS[kind] if f != "note"]
    try:
        build_entry(kind, dict(zip(names, values, strict=True)))
    except BadInput as exc:
        return exc.message
    return None


def _is_stamp(value: object) -> bool:
    """strptime-able as UTC_FORMAT (rules.parses_as_utc: the same set, cheaply)."""
    from relapse_cli.domain.rules import parses_as_utc

    return isinstance(value, str) and parses_as_utc(value)


def _vocab_check(row: dict) -> str | None:
    from relapse_cli.log.model.entries import clean_name, vocab_key

    try:
        name = clean_name(str(row.get("name", "")), "vocabulary")
    except BadInput as exc:
        return exc.message
    if row.get("key") is not None and row["key"] != vocab_key(name):
        return "key does not match the name"
    return None


def _checkin_check(row: dict) -> str | None:
    """The daily check-in's scales, by the check-in's own rules (checkins/model.py)."""
    from relapse_cli.checkins.model import RANGES, check_number

    try:
        for field in RANGES:
            check_number(field, row.get(field))
    except BadInput as exc:
        return exc.message
    return None


def _screening_check(row: dict) -> str | None:
    """A screener result must be a complete answer set whose total and band are its score."""

    from typing import cast

    from relapse_cli.checkins.screeners import KEYS, load, score

    if row.get("instrument") not in KEYS:
        return f"instrument must be one of {', '.join(KEYS)}"
    inst = load(str(row["instrument"]))
    try:
        answers = json_loads(str(row.get("answers")))
        # JSON of any shape: score() checks it is a complete answer list (ValueError,
        # TypeError otherwise), so the cast only names what it accepts.
        got = score(inst, cast("list[int]", answers))
    except (ValueError, TypeError) as exc:
        return f"answers: {exc}"
    if row.get("total") != got.total or row.get("band") != got.band:
        return f"total and band must be the answers' score ({got.total}, {got.band})"
    return None


def _withdrawal_check(row: dict) -> str | None:
    from relapse_cli.care.model.withdrawal import SYMPTOMS, check_severity

    try:
        for symptom in SYMPTOMS:
            check_severity(symptom, row.get(symptom))
    except BadInput as exc:
        return exc.message
    return None


def _scale(row: dict, columns: tuple[str, ...], high: int) -> str | None:
    for col in columns:
        value = row.get(col)
        if value is not None and not (isinstance(value, int | float) and 0 <= value <= high):
            return f"{col} must be 0 to {high}, not {value!r}"
    return None


def _json(row: dict, col: str, shape: str) -> tuple[object, str | None]:
    """A JSON text column: ``list`` of texts, or ``ratings`` (name -> 0-100)."""

    raw = row.get(col)
    if raw is None:
        return None, None
    try:
        value = json_loads(str(raw))
    except ValueError:
        return None, f"{col} must be JSON text"
    if shape == "list" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return None, f"{col} must be a JSON list of texts"
    if shape == "ratings" and not (
        isinstance(value, dict)
        and all(
            v is None or (isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 100)
            for v in value.values()
        )
    ):
        return None, f"{col} must map each mood to a rating 0 to 100"
    return value, None


def _thought_check(row: dict) -> str | None:
    """JSON columns of the right shape, ratings 0-100, the hot thought one of the thoughts."""
    from relapse_cli.thoughts.model import check

    parsed = {}
    for col, shape in (
        ("moods", "ratings"),
        ("moods_after", "ratings"),
        ("thoughts", "list"),
        ("traps", "list"),
        ("evidence_for", "list"),
        ("evidence_against", "list"),
    ):
        parsed[col], why = _json(row, col, shape)
        if why:
            return why
    why = _scale(row, ("belief",), 100)
    if why:
        return why
    try:
        check({"hot_index": row.get("hot_index"), "thoughts": parsed["thoughts"]})
    except BadInput as exc:
        return f"hot_index: {exc.message}"
    return None


def _exercise_check(row: dict) -> str | None:
    """Urge and mood ratings 0-10, and the urge-surfing ratings as [seconds, 0-10] pairs."""

    why = _scale(row, ("urge_before", "urge_after", "mood_before", "mood_after"), 10)
    if why or row.get("ratings") is None:
        return why
    try:
        pairs = json_loads(str(row["ratings"]))
    except ValueError:
        return "ratings must be JSON text"
    ok = isinstance(pairs, list) and all(
        isinstance(p, list)
        and len(p) == 2
        and isinstance(p[0], int | float)
        and p[0] >= 0
        and isinstance(p[1], int)
        and 0 <= p[1] <= 10
        for p in pairs
    )
    return None if ok else "ratings must be a JSON list of [seconds, rating 0-10] pairs"


def _balance_check(row: dict) -> str | None:
    for col in ("using_good", "using_bad", "not_using_good", "not_using_bad"):
        _value, why = _json(row, col, "list")
        if why:
            return why
    return _scale(row, ("importance", "confidence"), 10)


# Kind-specific checks on top of the schema's types (times and dates are checked for every
# table); each calls the kind's own domain rules, so an import accepts what the command does.
# Declared per kind in relapse_cli/kinds.py ("module:function"), resolved on first use.
_validators: dict[str, tuple] = {}


def validators() -> dict[str, tuple]:
    """table -> the kind's checks (functions of a row returning why it is refused, or None)."""
    if not _validators:
        for table, paths in validator_paths().items():
            _validators[table] = tuple(resolve(p) for p in paths)
    return _validators


@dataclass
class MergeReport:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    unlinked: int = 0  # links to records in neither the file nor the journal (left empty)

    def bump(self, what: dict[str, int], table: str) -> None:
        what[table] = what.get(table, 0) + 1

    @property
    def changes(self) -> int:
        return sum(self.added.values()) + sum(self.updated.values())

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "links_to_records_not_exported": self.unlinked,
        }


def _stamp(row: dict | sqlite3.Row, table: Table) -> str:
    return max((str(row[c] or "") for c in STAMP_COLUMNS if table.column(c)), default="")


def merge(
    con: sqlite3.Connection, data: dict, *, notes_included: bool = True, now: str | None = None
) -> MergeReport:
    """Merge portable records into the journal (inside the caller's transaction).

    Validates everything first; then, table by table with parents first: a record unknown
    here is added, a known one is replaced only when the file's copy is newer, and a link
    follows its record. Raises Invalid naming the first record that cannot be used (the
    caller rolls back, so nothing is changed).
    """
    tables = describe(con)
    validate(tables, data, _plus_skew(now) if now else None)
    return _Merger(con, tables, notes_included).run(data)


def _plus_skew(now: str) -> str:
    from datetime import datetime, timedelta

    moment = datetime.strptime(now, "%Y-%m-%dT%H:%M:%SZ") + timedelta(minutes=CLOCK_SKEW_MIN)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class _Merger:
    def __init__(self, con: sqlite3.Connection, tables: list[Table], notes: bool) -> None:
        self.con = con
        self.tables = tables
        self.notes = notes
        self.report = MergeReport()
        self.ids: dict[str, dict[str, int]] = {t.name: {} for t in tables}
        self.renewed: dict[str, set[int]] = {t.name: set() for t in tables}  # added or newer
        self.replaced: dict[str, set[int]] = {t.name: set() for t in tables}  # newer only
        # Tables that held no records when the merge began, and the uuids this merge has
        # inserted into them: a uuid not among those cannot be there, so it is not looked up
        # (a caseload's export goes into an empty journal: half its statements were those).
        self.fresh: dict[str, set[str]] = {}
        # Links gathered and not yet written: their table and columns, and each one's values.
        self.link_kind: tuple[str, tuple[str, ...]] | None = None
        self.link_rows: list[tuple[object, ...]] = []
        # New records of a fresh table without unique keys, gathered and not yet written:
        # their table and columns, and each one's uuid and values (see _flush_records).
        self.record_kind: tuple[str, tuple[str, ...]] | None = None
        self.record_rows: list[tuple[str, tuple[object, ...]]] = []

    def run(self, data: dict) -> MergeReport:
        for table in self.tables:
            if not table.is_link and data.get(table.name):
                sql = f"SELECT 1 FROM [{table.name}] LIMIT 1"  # noqa: S608
                if self.con.execute(sql).fetchone() is None:
                    self.fresh[table.name] = set()
            if table.is_link:  # a replaced record's links become the file's links
                owner_col = str(table.owner)
                for owner in sorted(self.replaced[table.fks[owner_col]]):
                    self.con.execute(
                        f"DELETE FROM [{table.name}] WHERE [{owner_col}] = ?",  # noqa: S608
                        (owner,),
                    )
            for index, item in enumerate(data.get(table.name) or []):
                values = self._local_values(table, index, item)
                if values is None:
                    continue
                if table.is_link:
                    self._link(table, values)
                else:
                    self._record(table, item, values)
            self._flush_records()
            self._flush_links()
        return self.report

    def _local_id(self, parent: str, uuid: str) -> int | None:
        cache = self.ids[parent]
        if uuid not in cache and self.record_kind is not None and self.record_kind[0] == parent:
            self._flush_records()  # a record pointing at one of its own table's gathered ones
        if uuid not in cache:
            sql = f"SELECT rowid FROM [{parent}] WHERE uuid = ?"  # noqa: S608
            row = self.con.execute(sql, (uuid,)).fetchone()
            if row is None:
                return None
            cache[uuid] = int(row[0])
        return cache[uuid]

    def _local_values(self, table: Table, index: int, item: dict) -> dict[str, object] | None:
        """The record with foreign-key uuids turned into this journal's rowids."""
        if not table.fks:  # nothing to turn: the record's own columns, in the table's order
            return {name: item[name] for name in table.portable_names if name in item}
        values: dict[str, object] = {}
        for col in table.portable_columns:
            if col.name not in item:
                continue
            value = item[col.name]
            if col.name in table.fks and value is not None:
                value = self._local_id(table.fks[col.name], str(value))
                if value is None:
                    self.report.unlinked += 1
                    if table.is_link:
                        return None  # a link to a record outside the export: nothing to join
                    if col.notnull:
                        raise Invalid(
                            f"{_where(table.name, index, item)}: {col.name} points at "
                            "a record that is in neither the file nor this journal"
                        )
            values[col.name] = value
        return values

    def _record(self, table: Table, item: dict, values: dict[str, object]) -> None:
        con, report, uuid = self.con, self.report, str(item["uuid"])
        inserted = self.fresh.get(table.name)
        if inserted is not None and uuid not in inserted:
            if not table.unique_keys:  # nothing here to look up: gathered, written in one go
                self._gather(table, uuid, values)
                inserted.add(uuid)
                report.bump(report.added, table.name)
                return
            local = None
        else:
            self._flush_records()  # the uuid may be among those gathered
            sql = f"SELECT * FROM [{table.name}] WHERE uuid = ?"  # noqa: S608
            local = con.execute(sql, (uuid,)).fetchone()
        if local is None:
            for key in table.unique_keys:  # e.g. the trigger "stress" added on two computers
                if all(values.get(c) is not None for c in key):
                    same = con.execute(
                        f"SELECT rowid FROM [{table.name}] WHERE "  # noqa: S608
                        + " AND ".join(f"[{c}] = ?" for c in key),
                        [values[c] for c in key],
                    ).fetchone()
                    if same is not None:
                        self.ids[table.name][uuid] = int(same[0])
                        report.bump(report.unchanged, table.name)
                        return
            cols = list(values)
            cur = con.execute(
                f"INSERT INTO [{table.name}] ({', '.join(f'[{c}]' for c in cols)}) "  # noqa: S608
                f"VALUES ({', '.join('?' * len(cols))})",
                [values[c] for c in cols],
            )
            self.ids[table.name][uuid] = int(cur.lastrowid or 0)
            self.renewed[table.name].add(int(cur.lastrowid or 0))
            if inserted is not None:
                inserted.add(uuid)
            report.bump(report.added, table.name)
            return
        rowid = int(local[table.rowid])
        self.ids[table.name][uuid] = rowid
        changes = {
            c: v for c, v in values.items() if c != "uuid" and (self.notes or c not in NOTE_COLUMNS)
        }
        newer = _stamp(item, table) > _stamp(local, table)
        if not newer or all(local[c] == v for c, v in changes.items()):
            report.bump(report.unchanged, table.name)
            return
        con.execute(
            f"UPDATE [{table.name}] SET {', '.join(f'[{c}] = ?' for c in changes)} "  # noqa: S608
            "WHERE uuid = ?",
            [*changes.values(), uuid],
        )
        self.renewed[table.name].add(rowid)
        self.replaced[table.name].add(rowid)
        report.bump(report.updated, table.name)

    def _gather(self, table: Table, uuid: str, values: dict[str, object]) -> None:
        cols = tuple(values)
        if self.record_kind != (table.name, cols):
            self._flush_records()
            self.record_kind = (table.name, cols)
        self.record_rows.append((uuid, tuple(values.values())))  # in the order of cols

    def _flush_records(self) -> None:
        """Insert the gathered new records (one table, one set of columns) in file order with
        one executemany, then read their rowids back: the same rows and rowids as one INSERT
        per record. Only records of a table that was empty when the merge began, with no
        unique key besides uuid and a uuid not yet seen, are gathered, so no lookup could
        have found one of them; a lookup of their table's uuids flushes them first."""
        if self.record_kind is not None and self.record_rows:
            name, cols = self.record_kind
            before = self.con.execute(f"SELECT max(rowid) FROM [{name}]").fetchone()[0]  # noqa: S608
            self.con.executemany(
                f"INSERT INTO [{name}] ({', '.join(f'[{c}]' for c in cols)}) "  # noqa: S608
                f"VALUES ({', '.join('?' * len(cols))})",
                [row for _, row in self.record_rows],
            )
            gathered = {uuid for uuid, _ in self.record_rows}
            ids, renewed = self.ids[name], self.renewed[name]
            for rowid, uuid in self.con.execute(
                f"SELECT rowid, uuid FROM [{name}] WHERE rowid > ?",  # noqa: S608
                (before if before is not None else -(2**63),),
            ):
                if uuid in gathered:
                    ids[uuid] = int(rowid)
                    renewed.add(int(rowid))
        self.record_kind, self.record_rows = None, []

    def _link(self, table: Table, values: dict[str, object]) -> None:
        owner_col = str(table.owner)
        if values.get(owner_col) not in self.renewed[table.fks[owner_col]]:
            return  # the record is unchanged here, so its links stand as they are
        cols = tuple(values)
        if self.link_kind != (table.name, cols):
            self._flush_links()
            self.link_kind = (table.name, cols)
        self.link_rows.append(tuple(values.values()))  # in the order of cols

    def _flush_links(self) -> None:
        """Write the links gathered (one table, one set of columns) in file order with one
        executemany: the statements and their order are those of one execute per link, and
        nothing reads a link table while its links are gathered."""
        if self.link_kind is not None and self.link_rows:
            name, cols = self.link_kind
            self.con.executemany(
                f"INSERT OR REPLACE INTO [{name}] ({', '.join(f'[{c}]' for c in cols)}) "  # noqa: S608
                f"VALUES ({', '.join('?' * len(cols))})",
                self.link_rows,
            )
        self.link_kind, self.link_rows = None, []

"""Storing and reading daily check-ins and screener results (tables from migration 0007).

Every write is one transaction (``entries.write``); the CLI validates everything first.
"""

from __future__ import annotations

import json
import sqlite3

from relapse_cli.core.ids import new_uuid
from relapse_cli.storage.records import utc_now, write

CHECKIN_COLUMNS = (
    "mood",
    "anxiety",
    "sleep_hours",
    "sleep_quality",
    "hungry",
    "angry",
    "lonely",
    "tired",
    "medication",
    "support",
    "note",
)
_TAKEN_DATE = "date(taken_at, utc_offset_min || ' minutes')"


def _dicts(cur: sqlite3.Cursor) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


# ---- daily check-ins -----------------------------------------------------------------------


def checkins_on(con: sqlite3.Connection, local_date: str) -> list[dict]:
    """The check-ins of one local day, oldest first."""
    cur = con.execute(
        "SELECT * FROM checkins WHERE local_date = ? AND deleted_at IS NULL "
        "ORDER BY occurred_at, id",
        (local_date,),
    )
    return _dicts(cur)


def insert_checkin(
    con: sqlite3.Connection, when: tuple[str, int], local_date: str, values: dict
) -> str:
    uuid = new_uuid()
    stamp = utc_now()
    cols = [
        "uuid",
        "occurred_at",
        "utc_offset_min",
        "local_date",
        *CHECKIN_COLUMNS,
        "created_at",
        "updated_at",
    ]
    row = [
        uuid,
        when[0],
        when[1],
        local_date,
        *(values.get(c) for c in CHECKIN_COLUMNS),
        stamp,
        stamp,
    ]
    with write(con):
        con.execute(
            f"INSERT INTO checkins ({', '.join(cols)}) "  # noqa: S608
            f"VALUES ({', '.join('?' * len(cols))})",
            row,
        )
    return uuid


def replace_checkin(
    con: sqlite3.Connection, uuid: str, when: tuple[str, int], local_date: str, values: dict
) -> None:
    """Overwrite a check-in's answers (it keeps its uuid; ``updated_at`` says it is newer)."""
    sets = ", ".join(
        f"{c} = ?"
        for c in ("occurred_at", "utc_offset_min", "local_date", *CHECKIN_COLUMNS, "updated_at")
    )
    args = [
        when[0],
        when[1],
        local_date,
        *(values.get(c) for c in CHECKIN_COLUMNS),
        utc_now(),
        uuid,
    ]
    with write(con):
        con.execute(f"UPDATE checkins SET {sets} WHERE uuid = ?", args)  # noqa: S608


def list_checkins(
    con: sqlite3.Connection,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> list[dict]:
    """Check-ins between UTC bounds (storage text), newest first."""
    where, args = _window("occurred_at", since, until)
    sql = f"SELECT * FROM checkins WHERE {where} ORDER BY occurred_at DESC, id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return _dicts(con.execute(sql, args))


def checkins_between_days(con: sqlite3.Connection, first: str, last: str) -> list[dict]:
    """Check-ins whose local day is within [first, last] (YYYY-MM-DD), oldest first."""
    cur = con.execute(
        "SELECT * FROM checkins WHERE deleted_at IS NULL AND local_date >= ? "
        "AND local_date <= ? ORDER BY occurred_at, id",
        (first, last),
    )
    return _dicts(cur)


# ---- screenings ----------------------------------------------------------------------------


def insert_screening(
    con: sqlite3.Connection,
    instrument: str,
    when: tuple[str, int],
    answers: list[int],
    total: int,
    band: str | None,
    item9: int | None,
    difficulty: int | None,
    substance: str | None,
) -> str:
    uuid = new_uuid()
    with write(con):
        con.execute(
            "INSERT INTO screenings (uuid, instrument, taken_at, utc_offset_min, answers, total, "
            "band, item9, difficulty, substance, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                uuid,
                instrument,
                when[0],
                when[1],
                json.dumps(answers),
                total,
                band,
                item9,
                difficulty,
                substance,
                utc_now(),
            ),
        )
    return uuid


def previous_screening(
    con: sqlite3.Connection, instrument: str, before: str, substance: str | None = None
) -> dict | None:
    """The latest result of this instrument taken before the UTC time ``before``, about the
    same substance (a PACS about cannabis is not compared with one about alcohol)."""
    cur = con.execute(
        "SELECT * FROM screenings WHERE instrument = ? AND taken_at <= ? AND "
        "LOWER(COALESCE(substance, '')) = ? AND deleted_at IS NULL "
        "ORDER BY taken_at DESC, id DESC LIMIT 1",
        (instrument, before, (substance or "").lower()),
    )
    rows = _dicts(cur)
    return _screening(rows[0]) if rows else None


def list_screenings(
    con: sqlite3.Connection,
    instrument: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> list[dict]:
    """Results between UTC bounds, newest first (``answers`` parsed)."""
    where, args = _window("taken_at", since, until)
    if instrument:
        where += " AND instrument = ?"
        args.append(instrument)
    sql = f"SELECT * FROM screenings WHERE {where} ORDER BY taken_at DESC, id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [_screening(r) for r in _dicts(con.execute(sql, args))]


def latest_by_instrument(con: sqlite3.Connection, last_day: str) -> dict[str, dict]:
    """The latest result of each instrument taken on or before the local day ``last_day``."""
    out: dict[str, dict] = {}
    for key in ("phq9", "gad7", "pacs"):
        cur = con.execute(
            f"SELECT * FROM screenings WHERE instrument = ? AND deleted_at IS NULL "
            f"AND {_TAKEN_DATE} <= ? ORDER BY taken_at DESC, id DESC LIMIT 1",  # noqa: S608
            (key, last_day),
        )
        rows = _dicts(cur)
        if rows:
            out[key] = _screening(rows[0])
    return out


def item9_positive_between(con: sqlite3.Connection, first_day: str, last_day: str) -> list[dict]:
    """PHQ-9 results with item 9 above 0 taken on local days first_day..last_day, newest
    first (so a dashboard can flag one even when a later result is the latest)."""
    cur = con.execute(
        f"SELECT * FROM screenings WHERE instrument = 'phq9' AND item9 > 0 "
        f"AND deleted_at IS NULL AND {_TAKEN_DATE} BETWEEN ? AND ? "  # noqa: S608
        "ORDER BY taken_at DESC, id DESC",
        (first_day, last_day),
    )
    return [_screening(r) for r in _dicts(cur)]


def _screening(row: dict) -> dict:
    row = dict(row)
    row["answers"] = json.loads(row["answers"])
    return row


def _window(column: str, since: str | None, until: str | None) -> tuple[str, list]:
    from relapse_cli.storage.window import window_terms

    where, args = window_terms(column, since, until)
    return " AND ".join(where), args


# ---- hiding a record (delete / restore) ----------------------------------------------------


def find_record(con: sqlite3.Connection, prefix: str, *, hidden: bool) -> tuple[str, dict]:
    """The one check-in or screening whose id starts with ``prefix``: (table, row).

    ``hidden``: look among hidden records (to restore) instead of visible ones.
    """
    from relapse_cli.core.errors import BadInput, NotFound

    p = prefix.strip().lower()
    if len(p) < 4 or any(ch not in "0123456789abcdef-" for ch in p):
        raise BadInput(
            f"not a check-in id: {prefix!r}",
            "use at least 4 characters of the id from: relapse checkin history",
        )
    state = "IS NOT NULL" if hidden else "IS NULL"
    found = []
    for table in ("checkins", "screenings"):
        cur = con.execute(
            f"SELECT * FROM {table} WHERE uuid >= ? AND uuid < ? "  # noqa: S608
            f"AND deleted_at {state} LIMIT 2",
            (p, p + "\x7f"),
        )
        found += [(table, r) for r in _dicts(cur)]
    if not found:
        where = "hidden check-in" if hidden else "check-in or screener result"
        raise NotFound(f"no {where} with id {prefix}", "see ids with: relapse checkin history")
    if len(found) > 1:
        raise NotFound(f"id {prefix} matches more than one record", "type more of the id")
    return found[0]


def set_hidden(con: sqlite3.Connection, table: str, uuid: str, hidden: bool) -> None:
    """Hide (``deleted_at`` now) or show again; a check-in's ``updated_at`` moves too, so the
    newer state wins when exports merge."""
    stamp = utc_now()
    sets = "deleted_at = ?" + (", updated_at = ?" if table == "checkins" else "")
    args = [stamp if hidden else None] + ([stamp] if table == "checkins" else []) + [uuid]
    with write(con):
        con.execute(f"UPDATE {table} SET {sets} WHERE uuid = ?", args)  # noqa: S608

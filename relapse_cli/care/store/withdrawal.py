"""Storing and reading withdrawal checks (``relapse log withdrawal``, ``relapse withdrawal``).

Plain sqlite3 (the log path stays light). Red flags are stored as a JSON list of ids.
"""

from __future__ import annotations

import sqlite3

from relapse_cli.care.model.withdrawal import SYMPTOMS
from relapse_cli.core.ids import new_uuid
from relapse_cli.storage.records import utc_now, write

_COLUMNS = (
    "uuid",
    "occurred_at",
    "utc_offset_min",
    *SYMPTOMS,
    "total",
    "answered",
    "red_flags",
    "substance",
    "note",
    "created_at",
    "updated_at",
)


def insert_check(con: sqlite3.Connection, row: dict[str, object]) -> str:
    """Store one validated check (``row`` from domain.withdrawal.build_check plus its time)."""
    import json

    stamp = utc_now()
    record = dict(row)
    record["uuid"] = new_uuid()
    record["red_flags"] = json.dumps(record.get("red_flags") or [])  # build_check's list
    record["created_at"] = record["updated_at"] = stamp
    with write(con):
        con.execute(
            f"INSERT INTO withdrawal_checks ({', '.join(_COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join('?' * len(_COLUMNS))})",
            [record.get(c) for c in _COLUMNS],
        )
    return str(record["uuid"])


def list_checks(
    con: sqlite3.Connection, since: str | None = None, until: str | None = None
) -> list[dict]:
    """Visible checks in a UTC window (storage text), oldest first, with their local date."""
    import json

    from relapse_cli.storage.window import window_terms

    where, args = window_terms("occurred_at", since, until)
    sql = (
        "SELECT *, date(occurred_at, utc_offset_min || ' minutes') AS local_date, "
        "time(occurred_at, utc_offset_min || ' minutes') AS local_time "
        f"FROM withdrawal_checks WHERE {' AND '.join(where)} ORDER BY occurred_at, id"  # noqa: S608
    )
    out = []
    for r in con.execute(sql, args):
        item = dict(r)
        item["red_flags"] = json.loads(item["red_flags"] or "[]")
        out.append(item)
    return out

"""Decisional balances (``relapse think balance``): four short lists and two 0-10 rulers."""

from __future__ import annotations

import json
import sqlite3

from relapse_cli.core.ids import new_uuid
from relapse_cli.storage.records import utc_now, write

LISTS = ("using_good", "using_bad", "not_using_good", "not_using_bad")


def add(con: sqlite3.Connection, row: dict) -> str:
    uuid = new_uuid()
    cols = (
        "uuid",
        "occurred_at",
        "utc_offset_min",
        "substance",
        *LISTS,
        "importance",
        "confidence",
        "note",
        "created_at",
    )
    record = {**row, "uuid": uuid, "created_at": utc_now()}
    for k in LISTS:
        record[k] = json.dumps(list(row.get(k) or []), ensure_ascii=False)
    with write(con):
        con.execute(
            f"INSERT INTO decisional_balance ({', '.join(cols)}) "  # noqa: S608
            f"VALUES ({', '.join('?' * len(cols))})",
            [record.get(c) for c in cols],
        )
    return uuid


def _out(r: sqlite3.Row) -> dict:
    item = dict(r)
    for k in LISTS:
        item[k] = json.loads(item[k] or "[]")
    return item


def latest(con: sqlite3.Connection) -> dict | None:
    row = con.execute(
        "SELECT * FROM decisional_balance ORDER BY occurred_at DESC, id DESC LIMIT 1"
    ).fetchone()
    return _out(row) if row else None


def history(con: sqlite3.Connection) -> list[dict]:
    return [
        _out(r) for r in con.execute("SELECT * FROM decisional_balance ORDER BY occurred_at, id")
    ]

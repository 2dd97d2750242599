"""Exports marked as brought to a counselling session (``relapse export --session``)."""

from __future__ import annotations

import sqlite3

from relapse_cli.core.ids import new_uuid
from relapse_cli.storage.records import write


def last_session(con: sqlite3.Connection) -> dict | None:
    row = con.execute(
        "SELECT * FROM export_sessions ORDER BY exported_at DESC, id DESC LIMIT 1"
    ).fetchone()
    return dict(row) if row is not None else None


def mark_session(
    con: sqlite3.Connection,
    exported_at: str,
    offset: int,
    since: str | None,
    until: str,
    fmt: str,
) -> str:
    uuid = new_uuid()
    with write(con):
        con.execute(
            "INSERT INTO export_sessions (uuid, exported_at, utc_offset_min, period_since, "
            "period_until, format) VALUES (?, ?, ?, ?, ?, ?)",
            (uuid, exported_at, offset, since, until, fmt),
        )
    return uuid

"""Custom trackers from homework (`relapse log NAME VALUE`): the hot-path reads and the insert.

Kept apart from journal/homework.py and light (sqlite3 and json only), because `relapse log`
must answer in a blink: no sqlite-utils, no dateutil, no uuid module.
"""

from __future__ import annotations

import json
import sqlite3

from relapse_cli.domain.entries import new_uuid
from relapse_cli.journal.entries import utc_now, write

# The newest assignment that is not archived defines a tracker's scale (a counselor who
# renews an assignment each week may change the labels).
_ACTIVE = """SELECT t.id, t.tracker, t.spec, h.title FROM homework_tasks t
              JOIN homework h ON h.id = t.homework_id
              WHERE t.kind = 'tracker' AND h.archived_at IS NULL"""


def _has_homework(con: sqlite3.Connection) -> bool:
    return (
        con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'homework_tasks'"
        ).fetchone()
        is not None
    )


def tracker(con: sqlite3.Connection, name: str) -> dict | None:
    """The tracker task called ``name`` (task id, spec, assignment title), or None."""
    if not _has_homework(con):
        return None
    row = con.execute(_ACTIVE + " AND t.tracker = ? ORDER BY h.loaded_at DESC, h.id DESC LIMIT 1",
                      (name,)).fetchone()  # fmt: skip
    if row is None:
        return None
    return {"task_id": row[0], "name": row[1], "spec": json.loads(row[2]), "assignment": row[3]}


def names(con: sqlite3.Connection) -> list[str]:
    """Every tracker name that can be logged now, sorted."""
    if not _has_homework(con):
        return []
    return sorted({r[1] for r in con.execute(_ACTIVE)})


def insert_value(
    con: sqlite3.Connection,
    task_id: int,
    name: str,
    value: float,
    occurred_at: str,
    offset_min: int,
    note: str | None,
) -> str:
    uuid = new_uuid()
    with write(con):
        con.execute(
            "INSERT INTO tracker_values (uuid, task_id, tracker, value, occurred_at, "
            "utc_offset_min, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (uuid, task_id, name, value, occurred_at, offset_min, note, utc_now()),
        )
    return uuid

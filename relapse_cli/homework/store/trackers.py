"""Custom trackers from homework (`relapse log NAME VALUE`): the hot-path reads and the insert.

Kept apart from homework/store/homework.py and light (sqlite3 and json only), because `relapse log`
must answer in a blink: no sqlite-utils, no dateutil, no uuid module.
"""

from __future__ import annotations

import json
import sqlite3

from relapse_cli.core.ids import new_uuid
from relapse_cli.storage.records import utc_now, write

# The newest assignment that is not archived defines a tracker's scale (a counselor who
# renews an assignment each week may change the labels).
_ACTIVE = (
    "SELECT uuid, title, spec, trackers FROM homework WHERE archived_at IS NULL "
    "AND trackers IS NOT NULL"
)


def _has_homework(con: sqlite3.Connection) -> bool:
    return (
        con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'homework'"
        ).fetchone()
        is not None
    )


def tracker(con: sqlite3.Connection, name: str) -> dict | None:
    """The tracker called ``name``: its task spec, task id and assignment, or None."""
    if not _has_homework(con):
        return None
    row = con.execute(
        _ACTIVE + " AND instr(trackers, ?) > 0 ORDER BY loaded_at DESC, id DESC LIMIT 1",
        (f",{name},",),
    ).fetchone()
    if row is None:
        return None
    for task in json.loads(row[2]).get("tasks", []):
        if task.get("kind") == "tracker" and task.get("name") == name:
            return {
                "homework_uuid": row[0],
                "assignment": row[1],
                "task_key": task["id"],
                "name": name,
                "spec": task,
            }
    return None


def names(con: sqlite3.Connection) -> list[str]:
    """Every tracker name that can be logged now, sorted."""
    if not _has_homework(con):
        return []
    found: set[str] = set()
    for row in con.execute(_ACTIVE):
        found.update(n for n in str(row[3]).split(",") if n)
    return sorted(found)


def insert_value(
    con: sqlite3.Connection,
    found: dict,
    value: float,
    occurred_at: str,
    offset_min: int,
    note: str | None,
) -> str:
    uuid = new_uuid()
    with write(con):
        con.execute(
            "INSERT INTO tracker_values (uuid, homework_uuid, task_key, tracker, value, "
            "occurred_at, utc_offset_min, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                uuid,
                found["homework_uuid"],
                found["task_key"],
                found["name"],
                value,
                occurred_at,
                offset_min,
                note,
                utc_now(),
            ),
        )
    return uuid

"""Storing assignments and reading what homework progress is computed from.

Progress reads other kinds' tables (entries, checkins, thought_records, exercise_sessions,
screenings, plan_items); a table that does not exist yet counts nothing. Records are read
with their UTC time and stored offset; the local day is worked out in domain code.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

from relapse_cli.core.errors import NotFound
from relapse_cli.core.ids import new_uuid
from relapse_cli.core.text import plain_digits
from relapse_cli.homework.model.homework import Assignment, Task
from relapse_cli.storage.records import utc_now, write


def columns(con: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in con.execute(f"PRAGMA table_info([{table}])")}


def find_loaded(con: sqlite3.Connection, sha256: str) -> dict | None:
    row = con.execute(
        "SELECT uuid, title FROM homework WHERE source_sha256 = ? AND archived_at IS NULL",
        (sha256,),
    ).fetchone()
    return None if row is None else {"uuid": row[0], "title": row[1]}


def insert(
    con: sqlite3.Connection,
    a: Assignment,
    *,
    source: str,
    data: dict,
    sha256: str,
    loaded_at: str,
    offset_min: int,
    loaded_date: date,
) -> str:
    """Store an assignment (its tasks are in ``spec``); returns its uuid."""
    stamp = utc_now()
    uuid = new_uuid()
    by = a.assigned_by
    names = [t.tracker for t in a.tasks if t.tracker]
    trackers = ("," + ",".join(names) + ",") if names else None
    with write(con):
        con.execute(
            "INSERT INTO homework (uuid, title, assigned_by_name, assigned_by_service, "
            "assigned_by_contact, message, start_date, due_date, source, spec, trackers, "
            "source_sha256, loaded_at, utc_offset_min, loaded_date, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                uuid,
                a.title,
                by.get("name"),
                by.get("service"),
                by.get("contact"),
                a.message,
                a.start.isoformat(),
                a.due.isoformat(),
                source,
                json.dumps(data, sort_keys=True),
                trackers,
                sha256,
                loaded_at,
                offset_min,
                loaded_date.isoformat(),
                stamp,
                stamp,
            ),
        )
    return uuid


def _assignment(row: sqlite3.Row) -> dict:
    from relapse_cli.homework.model.file import build

    data = json.loads(row["spec"])
    return {
        "id": row["id"],
        "uuid": row["uuid"],
        "assignment": build(data),
        "loaded_date": date.fromisoformat(row["loaded_date"]),
        "loaded_at": row["loaded_at"],
        "archived_at": row["archived_at"],
        "source": row["source"],
    }


def assignments(con: sqlite3.Connection, *, archived: bool | None = False) -> list[dict]:
    """Assignments, oldest loaded first. ``archived``: False active only, True archived only,
    None both."""
    where = {False: "WHERE archived_at IS NULL", True: "WHERE archived_at IS NOT NULL", None: ""}[
        archived
    ]
    rows = con.execute(f"SELECT * FROM homework {where} ORDER BY loaded_at, id").fetchall()  # noqa: S608
    return [_assignment(row) for row in rows]


def find(con: sqlite3.Connection, ref: str, *, archived: bool | None = None) -> dict:
    """An assignment by uuid prefix, or by number in `relapse homework list` (1 = oldest)."""
    every = assignments(con, archived=None)
    pool = (
        every
        if archived is None
        else [a for a in every if (a["archived_at"] is not None) == archived]
    )
    ref = ref.strip()
    if plain_digits(ref) and len(ref) <= 4:
        n = int(ref)
        if 1 <= n <= len(every) and every[n - 1] in pool:
            return every[n - 1]
    matches = [a for a in pool if len(ref) >= 4 and a["uuid"].startswith(ref.lower())]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise NotFound(f"{ref!r} matches {len(matches)} assignments", "give more of the id")
    raise NotFound(f"no assignment {ref!r}", "see the numbers and ids with: relapse homework list")


def archive(con: sqlite3.Connection, homework_id: int, *, undo: bool = False) -> None:
    stamp = utc_now()
    with write(con):
        con.execute(
            "UPDATE homework SET archived_at = ?, updated_at = ? WHERE id = ?",
            (None if undo else stamp, stamp, homework_id),
        )


def answer(
    con: sqlite3.Connection, homework_uuid: str, task_key: str, text: str, at: str, offset_min: int
) -> str:
    """Store (or replace) the answer to a reflection prompt; returns its uuid."""
    stamp = utc_now()
    key = (homework_uuid, task_key)
    with write(con):
        row = con.execute(
            "SELECT uuid FROM reflection_answers WHERE homework_uuid = ? AND task_key = ?", key
        ).fetchone()
        if row:
            con.execute(
                "UPDATE reflection_answers SET answer = ?, answered_at = ?, "
                "utc_offset_min = ?, updated_at = ? WHERE homework_uuid = ? AND "
                "task_key = ?",
                (text, at, offset_min, stamp, *key),
            )
            return str(row[0])
        uuid = new_uuid()
        con.execute(
            "INSERT INTO reflection_answers (uuid, homework_uuid, task_key, answer, "
            "answered_at, utc_offset_min, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (uuid, *key, text, at, offset_min, stamp, stamp),
        )
        return uuid


def answers(con: sqlite3.Connection, homework_uuid: str) -> dict[str, dict]:
    """An assignment's reflection answers by task id."""
    rows = con.execute(
        "SELECT task_key, answer, answered_at, utc_offset_min FROM "
        "reflection_answers WHERE homework_uuid = ?",
        (homework_uuid,),
    ).fetchall()
    return {r[0]: {"answer": r[1], "answered_at": r[2], "utc_offset_min": r[3]} for r in rows}


# --------------------------------------------------------------------------- what counts


def _local_day(utc_text: str, offset_min: int) -> date:
    from relapse_cli.core.timeparse import from_storage

    return from_storage(utc_text, int(offset_min)).date()


def _bounds(first: date, last: date) -> tuple[str, str]:
    """A UTC range wide enough for every local day from first to last (offsets up to +-14 h)."""
    lo = first - timedelta(days=1)
    hi = last + timedelta(days=2)
    return f"{lo.isoformat()}T00:00:00Z", f"{hi.isoformat()}T00:00:00Z"


def _days(
    con: sqlite3.Connection,
    table: str,
    time_col: str,
    where: str,
    args: tuple,
    first: date,
    last: date,
) -> list[date]:
    cols = columns(con, table)
    if not cols or time_col not in cols:
        return []
    if "deleted_at" in cols:
        where += " AND deleted_at IS NULL"
    lo, hi = _bounds(first, last)
    rows = con.execute(
        f"SELECT {time_col}, utc_offset_min FROM [{table}] "  # noqa: S608
        f"WHERE {time_col} >= ? AND {time_col} < ? AND {where}",
        (lo, hi, *args),
    ).fetchall()
    days = (_local_day(r[0], r[1]) for r in rows)
    return sorted(d for d in days if first <= d <= last)


def counting_days(con: sqlite3.Connection, task: Task, first: date, last: date) -> list[date]:
    """The local day of every record that counts for a dated task, from first to last."""
    s = task.spec
    if task.kind == "cravings":
        return _days(con, "entries", "occurred_at", "kind = 'craving'", (), first, last)
    if task.kind == "checkin":
        cols = columns(con, "checkins")
        if "local_date" in cols:
            where = "local_date >= ? AND local_date <= ?"
            if "deleted_at" in cols:
                where += " AND deleted_at IS NULL"
            rows = con.execute(
                f"SELECT DISTINCT local_date FROM checkins WHERE {where}",  # noqa: S608
                (first.isoformat(), last.isoformat()),
            ).fetchall()
            return sorted(date.fromisoformat(r[0]) for r in rows)
        return _days(con, "checkins", "occurred_at", "1", (), first, last)
    if task.kind == "thought_records":
        cols = columns(con, "thought_records")
        where = "status = 'complete'" if "status" in cols else "1"
        return _days(con, "thought_records", "occurred_at", where, (), first, last)
    if task.kind == "breathing":
        where = "1"
        args: tuple[object, ...] = ()
        if s.get("exercise") not in (None, "any"):
            where, args = "exercise = ?", (str(s["exercise"]),)
        if s.get("minutes") is not None:
            # Exercises keep to whole breaths (4 minutes of the sigh is 26 breaths, 3 min 54 s):
            # a finished session within one breath of the minutes counts.
            need = float(s["minutes"]) * 60
            where += (
                " AND (actual_s >= ? OR (completed = 1 AND cycles > 0"
                " AND actual_s * (cycles + 1) >= ? * cycles))"
            )
            args = (*args, need, need)
        elif "completed" in columns(con, "exercise_sessions"):
            where += " AND completed = 1"
        return _days(con, "exercise_sessions", "started_at", where, args, first, last)
    if task.kind == "screener":
        return _days(
            con, "screenings", "taken_at", "instrument = ?", (str(s["instrument"]),), first, last
        )
    if task.kind == "tracker":
        return _days(
            con, "tracker_values", "occurred_at", "tracker = ?", (str(s["name"]),), first, last
        )
    return []


def plan_count(con: sqlite3.Connection, section: str) -> int:
    cols = columns(con, "plan_items")
    if "section" not in cols:
        return 0
    where = "section = ?" + (" AND deleted_at IS NULL" if "deleted_at" in cols else "")
    if "text" in cols:
        where += (
            " AND (trim(coalesce(text, '')) != '' OR trim(coalesce(name, '')) != '')"
            if "name" in cols
            else " AND trim(coalesce(text, '')) != ''"
        )
    return int(
        con.execute(
            f"SELECT count(*) FROM plan_items WHERE {where}",  # noqa: S608
            (section,),
        ).fetchone()[0]
    )


def tracker_values(con: sqlite3.Connection, name: str, first: date, last: date) -> list[dict]:
    lo, hi = _bounds(first, last)
    rows = con.execute(
        "SELECT value, occurred_at, utc_offset_min FROM tracker_values WHERE tracker = ? "
        "AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at",
        (name, lo, hi),
    ).fetchall()
    out = []
    for value, at, offset in rows:
        day = _local_day(at, offset)
        if first <= day <= last:
            out.append({"value": value, "day": day})
    return out

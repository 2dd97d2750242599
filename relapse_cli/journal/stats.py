"""Aggregates for the summary, computed in SQL (with the stored offset for local days)."""

from __future__ import annotations

import sqlite3
from datetime import date

_LOCAL_DAY = "date(occurred_at, utc_offset_min || ' minutes')"
_USE = "(kind = 'use' OR (kind = 'craving' AND outcome = 'used'))"


def use_days(con: sqlite3.Connection) -> list[date]:
    rows = con.execute(
        f"SELECT DISTINCT {_LOCAL_DAY} FROM entries WHERE deleted_at IS NULL AND {_USE}"
    ).fetchall()
    return [date.fromisoformat(r[0]) for r in rows]


def first_day(con: sqlite3.Connection) -> date | None:
    row = con.execute(
        f"SELECT {_LOCAL_DAY} FROM entries WHERE deleted_at IS NULL ORDER BY occurred_at LIMIT 1"
    ).fetchone()
    return date.fromisoformat(row[0]) if row else None


def cravings_between(con: sqlite3.Connection, since: str, until: str) -> dict[str, float | None]:
    """Count, mean and peak intensity, and how many were resisted, in a UTC window."""
    row = con.execute(
        "SELECT count(*), avg(intensity), max(intensity), sum(outcome = 'resisted') "
        "FROM entries WHERE kind = 'craving' AND deleted_at IS NULL "
        "AND occurred_at >= ? AND occurred_at < ?",
        (since, until),
    ).fetchone()
    return {"count": row[0], "mean_intensity": row[1], "peak_intensity": row[2],
            "resisted": row[3] or 0}  # fmt: skip


def top_triggers(con: sqlite3.Connection, since: str, until: str, n: int = 3) -> list[dict]:
    rows = con.execute(
        """SELECT t.name, count(*) AS count, avg(e.intensity) AS mean_intensity
           FROM entries e JOIN entry_triggers et ON et.entry_id = e.id
           JOIN triggers t ON t.id = et.trigger_id
           WHERE e.deleted_at IS NULL AND e.occurred_at >= ? AND e.occurred_at < ?
           GROUP BY t.id ORDER BY count DESC, t.name COLLATE NOCASE LIMIT ?""",
        (since, until, n),
    ).fetchall()
    return [dict(r) for r in rows]


def entry_count(con: sqlite3.Connection) -> int:
    return int(con.execute("SELECT count(*) FROM entries WHERE deleted_at IS NULL").fetchone()[0])

"""Storing and reading exercise sessions (`relapse breathe`)."""

from __future__ import annotations

import json
import sqlite3

from relapse_cli.core.ids import new_uuid
from relapse_cli.storage.records import utc_now, write

COLUMNS = (
    "uuid",
    "exercise",
    "started_at",
    "utc_offset_min",
    "planned_s",
    "actual_s",
    "cycles",
    "completed",
    "end_reason",
    "pattern",
    "urge_before",
    "urge_after",
    "mood_before",
    "mood_after",
    "ratings",
    "created_at",
)


def save_session(con: sqlite3.Connection, row: dict[str, object]) -> str:
    """Store one session (validated by the caller); returns its uuid."""
    record = dict(row)
    record.setdefault("uuid", new_uuid())
    record["created_at"] = utc_now()
    if isinstance(record.get("ratings"), list):
        record["ratings"] = json.dumps(record["ratings"])
    cols = [c for c in COLUMNS if record.get(c) is not None]
    with write(con):
        con.execute(
            f"INSERT INTO exercise_sessions ({', '.join(cols)}) "
            f"VALUES ({', '.join('?' * len(cols))})",
            [record[c] for c in cols],
        )
    return str(record["uuid"])


def set_after(
    con: sqlite3.Connection, uuid: str, *, urge_after: int | None, mood_after: int | None
) -> None:
    """The ratings given after the session, which is stored before they are asked."""
    with write(con):
        con.execute(
            "UPDATE exercise_sessions SET urge_after = ?, mood_after = ? WHERE uuid = ?",
            (urge_after, mood_after, uuid),
        )


def _dict(cur: sqlite3.Cursor, row: tuple) -> dict:
    out = {d[0]: v for d, v in zip(cur.description, row, strict=True)}
    if "ratings" in out:
        out["ratings"] = json.loads(out["ratings"]) if out["ratings"] else []
    return out


def list_sessions(
    con: sqlite3.Connection,
    *,
    since: str | None = None,
    until: str | None = None,
    exercise: str | None = None,
    limit: int | None = None,
) -> list[dict]:
    """Sessions, newest first (``since``/``until``: UTC storage text)."""
    from relapse_cli.storage.window import window_terms

    where, args = window_terms("started_at", since, until, hidden_column=None)  # never hidden
    if exercise:
        where.append("exercise = ?")
        args.append(exercise)
    sql = f"SELECT {', '.join(COLUMNS)} FROM exercise_sessions"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY started_at DESC, id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    cur = con.execute(sql, args)
    return [_dict(cur, r) for r in cur.fetchall()]


LOCAL_DAY = "date(started_at, utc_offset_min || ' minutes')"


def by_exercise(
    con: sqlite3.Connection,
    *,
    since: str | None = None,
    until: str | None = None,
    first_day: str | None = None,
    last_day: str | None = None,
) -> list[dict]:
    """Per exercise: sessions, completed, and the urge before/after over sessions rated both
    times (``drop`` = mean of before - after). Bounds: UTC text, or local days 'YYYY-MM-DD'."""
    where, args = ["1 = 1"], []
    for clause, value in (
        ("started_at >= ?", since),
        ("started_at <= ?", until),
        (f"{LOCAL_DAY} >= ?", first_day),
        (f"{LOCAL_DAY} <= ?", last_day),
    ):
        if value:
            where.append(clause)
            args.append(value)
    rated = "urge_before IS NOT NULL AND urge_after IS NOT NULL"
    sql = f"""
        SELECT exercise, count(*) AS times, sum(completed) AS completed,
               sum({rated}) AS rated,
               avg(CASE WHEN {rated} THEN urge_before END) AS urge_before,
               avg(CASE WHEN {rated} THEN urge_after END) AS urge_after,
               avg(CASE WHEN {rated} THEN urge_before - urge_after END) AS drop_mean,
               sum(actual_s) AS seconds
        FROM exercise_sessions WHERE {" AND ".join(where)}
        GROUP BY exercise
    """
    cur = con.execute(sql, args)
    rows = [_dict(cur, r) for r in cur.fetchall()]
    rows.sort(
        key=lambda r: (r["drop_mean"] is None, -(r["drop_mean"] or 0), -r["times"], r["exercise"])
    )
    return rows

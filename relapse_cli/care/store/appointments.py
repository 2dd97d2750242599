"""Storing and reading appointments (``relapse appointments``)."""

from __future__ import annotations

import sqlite3

from relapse_cli.core.errors import NotFound
from relapse_cli.core.ids import new_uuid
from relapse_cli.storage.records import utc_now, write

_LOCAL = "datetime(starts_at, utc_offset_min || ' minutes')"


def add(con: sqlite3.Connection, row: dict) -> str:
    stamp = utc_now()
    uuid = new_uuid()
    with write(con):
        con.execute(
            "INSERT INTO appointments (uuid, kind, starts_at, utc_offset_min, title, place, "
            "status, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                uuid,
                row["kind"],
                row["starts_at"],
                row["utc_offset_min"],
                row.get("title"),
                row.get("place"),
                row.get("status") or "planned",
                row.get("note"),
                stamp,
                stamp,
            ),
        )
    return uuid


def listing(
    con: sqlite3.Connection, since: str | None = None, until: str | None = None
) -> list[dict]:
    from relapse_cli.storage.window import window_terms

    where, args = window_terms("starts_at", since, until)
    sql = (
        f"SELECT *, {_LOCAL} AS local_time FROM appointments WHERE {' AND '.join(where)} "  # noqa: S608
        "ORDER BY starts_at, id"
    )
    return [dict(r) for r in con.execute(sql, args)]


def find(con: sqlite3.Connection, prefix: str) -> dict:
    p = prefix.strip().lower()
    if len(p) < 4 or any(c not in "0123456789abcdef-" for c in p):
        raise NotFound(
            f"not an appointment id: {prefix!r}", "ids are shown by: relapse appointments"
        )
    rows = con.execute(
        f"SELECT *, {_LOCAL} AS local_time FROM appointments WHERE uuid LIKE ? "  # noqa: S608
        "AND deleted_at IS NULL",
        (p + "%",),
    ).fetchall()
    if len(rows) != 1:
        what = "no appointment" if not rows else "more than one appointment"
        raise NotFound(f"{what} with id {prefix!r}", "ids are shown by: relapse appointments")
    return dict(rows[0])


def latest_started(con: sqlite3.Connection, now_utc: str, statuses: tuple[str, ...]) -> dict | None:
    marks = ", ".join("?" * len(statuses))
    row = con.execute(
        f"SELECT *, {_LOCAL} AS local_time FROM appointments WHERE deleted_at IS NULL "  # noqa: S608
        f"AND starts_at <= ? AND status IN ({marks}) ORDER BY starts_at DESC, id DESC LIMIT 1",
        (now_utc, *statuses),
    ).fetchone()
    return dict(row) if row else None


def next_planned(con: sqlite3.Connection, now_utc: str) -> dict | None:
    row = con.execute(
        f"SELECT *, {_LOCAL} AS local_time FROM appointments WHERE deleted_at IS NULL "  # noqa: S608
        "AND status = 'planned' AND starts_at > ? ORDER BY starts_at, id LIMIT 1",
        (now_utc,),
    ).fetchone()
    return dict(row) if row else None


def set_status(con: sqlite3.Connection, uuid: str, status: str) -> None:
    with write(con):
        con.execute(
            "UPDATE appointments SET status = ?, updated_at = ? WHERE uuid = ?",
            (status, utc_now(), uuid),
        )

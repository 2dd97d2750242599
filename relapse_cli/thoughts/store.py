"""Storing and reading thought records (table ``thought_records``, migration step below).

One row per record, drafts included (``status`` draft | complete). Lists and ratings are
JSON text a person can read in any SQLite tool: ``moods`` ``{"anxious": 80}`` in the order
named, ``thoughts`` / ``evidence_for`` / ``evidence_against`` ``["..."]``, ``traps``
``["relief", "catastrophizing"]`` (NULL: not asked yet; ``[]``: none fit).
"""

from __future__ import annotations

import json
import sqlite3

from relapse_cli.core.errors import BadInput, NotFound
from relapse_cli.core.ids import new_uuid
from relapse_cli.storage.records import utc_now, write

TABLE = "thought_records"
JSON_COLUMNS = ("moods", "thoughts", "traps", "evidence_for", "evidence_against", "moods_after")
TEXT_COLUMNS = ("situation", "hot_index", "balanced_thought", "belief", "next_step")


def _row(record: dict) -> dict[str, object]:
    """A record dict as column values (empty lists as NULL, except traps: [] means none fit)."""
    row: dict[str, object] = {}
    for col in JSON_COLUMNS:
        value = record.get(col)
        if col == "traps":
            row[col] = None if value is None else json.dumps(list(value), ensure_ascii=False)
        else:
            row[col] = json.dumps(value, ensure_ascii=False) if value else None
    for col in TEXT_COLUMNS:
        row[col] = record.get(col)
    return row


def _record(row: sqlite3.Row) -> dict:
    item = {k: row[k] for k in row.keys()}
    for col in JSON_COLUMNS:
        raw = item.get(col)
        if raw is None:
            item[col] = None if col == "traps" else ({} if col.startswith("moods") else [])
        else:
            item[col] = json.loads(raw)
    return item


def save(con: sqlite3.Connection, record: dict, *, status: str) -> str:
    """Insert a new record or update one already stored (by uuid); returns the uuid.

    ``record`` must carry ``occurred_at`` and ``utc_offset_min``; ``uuid`` is added when new.
    """
    if status not in ("draft", "complete"):
        raise ValueError(status)
    stamp = utc_now()
    values = _row(record) | {
        "status": status,
        "entry_uuid": record.get("entry_uuid"),
        "updated_at": stamp,
    }
    with write(con):
        sql = f"SELECT 1 FROM {TABLE} WHERE uuid = ?"  # noqa: S608
        exists = record.get("uuid") and con.execute(sql, (record["uuid"],)).fetchone()
        if exists:  # its time too: `think --resume ID --at "sunday 20:00"` may correct it
            values |= {
                "occurred_at": record["occurred_at"],
                "utc_offset_min": record["utc_offset_min"],
            }
            sets = ", ".join(f"{k} = ?" for k in values)
            con.execute(
                f"UPDATE {TABLE} SET {sets} WHERE uuid = ?",  # noqa: S608
                [*values.values(), record["uuid"]],
            )
        else:
            record["uuid"] = record.get("uuid") or new_uuid()
            values |= {
                "uuid": record["uuid"],
                "occurred_at": record["occurred_at"],
                "utc_offset_min": record["utc_offset_min"],
                "created_at": stamp,
            }
            cols = ", ".join(values)
            con.execute(
                f"INSERT INTO {TABLE} ({cols}) VALUES ({', '.join('?' * len(values))})",  # noqa: S608
                list(values.values()),
            )
    record["status"] = status
    return str(record["uuid"])


def find(con: sqlite3.Connection, prefix: str, *, status: str | None = None) -> dict:
    """The one visible record whose uuid starts with ``prefix`` (4+ characters)."""
    p = prefix.strip().lower()
    if len(p) < 4 or any(ch not in "0123456789abcdef-" for ch in p):
        raise BadInput(
            f"not a thought record id: {prefix!r}",
            "use at least 4 characters of the id; see: relapse thoughts",
        )
    where = "uuid >= ? AND uuid < ? AND deleted_at IS NULL"
    args: list[object] = [p, p + "\x7f"]
    if status:
        where += " AND status = ?"
        args.append(status)
    rows = con.execute(f"SELECT * FROM {TABLE} WHERE {where} LIMIT 2", args).fetchall()  # noqa: S608
    what = "draft" if status == "draft" else "thought record"
    if not rows:
        where_to = "relapse thoughts drafts" if status == "draft" else "relapse thoughts"
        raise NotFound(f"no {what} with id {prefix}", f"see ids with: {where_to}")
    if len(rows) > 1:
        raise NotFound(f"id {prefix} matches more than one {what}", "type more of the id")
    return _record(rows[0])


def latest_draft(con: sqlite3.Connection) -> dict | None:
    row = con.execute(
        f"SELECT * FROM {TABLE} WHERE status = 'draft' AND deleted_at IS NULL "  # noqa: S608
        "ORDER BY updated_at DESC, id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else _record(row)


def list_records(
    con: sqlite3.Connection,
    *,
    status: str | None = "complete",
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> list[dict]:
    """Visible records newest first, in a UTC window (storage text), of one status or all."""
    from relapse_cli.storage.window import window_terms

    where, args = window_terms("occurred_at", since, until)
    if status:
        where.append("status = ?")
        args.append(status)
    sql = f"SELECT * FROM {TABLE} WHERE {' AND '.join(where)} ORDER BY occurred_at DESC, id DESC"  # noqa: S608
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return [_record(r) for r in con.execute(sql, args)]


def in_local_days(con: sqlite3.Connection, first: str, last: str) -> list[dict]:
    """Visible records (any status) whose local day is within [first, last] ('YYYY-MM-DD')."""
    rows = con.execute(
        f"SELECT * FROM {TABLE} WHERE deleted_at IS NULL AND "  # noqa: S608
        "date(occurred_at, utc_offset_min || ' minutes') BETWEEN ? AND ? ORDER BY occurred_at",
        (first, last),
    )
    return [_record(r) for r in rows]


def count_drafts(con: sqlite3.Connection) -> int:
    return int(
        con.execute(
            f"SELECT count(*) FROM {TABLE} WHERE status = 'draft' AND deleted_at IS NULL"  # noqa: S608
        ).fetchone()[0]
    )


def discard(con: sqlite3.Connection, uuid: str) -> None:
    """Remove a record for good, leaving no trace of its text in free pages or the WAL."""
    con.execute("PRAGMA secure_delete=ON")
    with write(con):
        con.execute(f"DELETE FROM {TABLE} WHERE uuid = ?", (uuid,))  # noqa: S608
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")

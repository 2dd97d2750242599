"""Storing and reading log entries (cravings, moods, triggers met, uses).

Every write is one ``BEGIN IMMEDIATE ... COMMIT``: either the entry, its trigger and coping
links and any new vocabulary all land, or nothing does.
"""

from __future__ import annotations

import sqlite3

from relapse_cli.core.errors import BadInput, NotFound
from relapse_cli.core.ids import new_uuid
from relapse_cli.log.model.entries import vocab_key
from relapse_cli.storage.records import utc_now, write

ENTRY_COLUMNS = (
    "uuid",
    "kind",
    "occurred_at",
    "utc_offset_min",
    "intensity",
    "intensity_after",
    "outcome",
    "duration_min",
    "substance",
    "location",
    "company",
    "mood",
    "anxiety",
    "sleep_hours",
    "energy",
    "amount",
    "unit",
    "context",
    "led_up_to",
    "note",
    "created_at",
    "updated_at",
    "deleted_at",
)


def vocab_id(con: sqlite3.Connection, table: str, name: str, stamp: str) -> int:
    """Id of the vocabulary word with this key, adding it if new (folding case and spacing)."""
    key = vocab_key(name)
    row = con.execute(f"SELECT id FROM {table} WHERE key = ?", (key,)).fetchone()  # noqa: S608
    if row:
        return int(row[0])
    cur = con.execute(
        f"INSERT INTO {table} (uuid, name, key, created_at) VALUES (?, ?, ?, ?)",  # noqa: S608
        (new_uuid(), name, key, stamp),
    )
    return int(cur.lastrowid or 0)


def insert_entry(
    con: sqlite3.Connection,
    row: dict[str, object],
    triggers: list[str],
    coping: list[str],
) -> str:
    """Store one validated entry with its links; returns its UUID."""
    stamp = utc_now()
    record = dict(row)
    record.setdefault("uuid", new_uuid())
    record["created_at"] = record["updated_at"] = stamp
    cols = [c for c in ENTRY_COLUMNS if record.get(c) is not None]
    with write(con):
        cur = con.execute(
            f"INSERT INTO entries ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [record[c] for c in cols],
        )
        entry_id = cur.lastrowid
        for name in triggers:
            con.execute(
                "INSERT OR IGNORE INTO entry_triggers (entry_id, trigger_id) VALUES (?, ?)",
                (entry_id, vocab_id(con, "triggers", name, stamp)),
            )
        for position, name in enumerate(coping):
            con.execute(
                "INSERT OR IGNORE INTO entry_coping (entry_id, coping_id, position) "
                "VALUES (?, ?, ?)",
                (entry_id, vocab_id(con, "coping", name, stamp), position),
            )
    return str(record["uuid"])


_SELECT = """
SELECT e.*,
  (SELECT json_group_array(t.name) FROM entry_triggers et JOIN triggers t
     ON t.id = et.trigger_id WHERE et.entry_id = e.id) AS triggers_json,
  (SELECT json_group_array(name) FROM (SELECT c.name FROM entry_coping ec JOIN coping c
     ON c.id = ec.coping_id WHERE ec.entry_id = e.id ORDER BY ec.position)) AS coping_json
FROM entries e
"""


def _as_dict(row: sqlite3.Row) -> dict[str, object]:
    import json

    item = {k: row[k] for k in row.keys() if k not in ("triggers_json", "coping_json")}
    item["triggers"] = json.loads(row["triggers_json"])
    item["coping"] = json.loads(row["coping_json"])
    return item


def find_entry(con: sqlite3.Connection, prefix: str, *, include_hidden: bool = False) -> dict:
    """The one entry whose UUID starts with ``prefix`` (case-insensitive)."""
    p = prefix.strip().lower()
    if len(p) < 4 or any(ch not in "0123456789abcdef-" for ch in p):
        raise BadInput(f"not an entry id: {prefix!r}", "use at least 4 characters of the id")
    hidden = "" if include_hidden else "AND e.deleted_at IS NULL"
    rows = con.execute(
        f"{_SELECT} WHERE e.uuid >= ? AND e.uuid < ? {hidden} LIMIT 2", (p, p + "\x7f")
    ).fetchall()
    if not rows:
        raise NotFound(f"no entry with id {prefix}", "see ids with: relapse history")
    if len(rows) > 1:
        raise NotFound(f"id {prefix} matches more than one entry", "type more of the id")
    return _as_dict(rows[0])


def list_entries(
    con: sqlite3.Connection,
    *,
    kinds: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    trigger: str | None = None,
    limit: int | None = None,
    newest_first: bool = True,
) -> list[dict]:
    """Visible entries in a UTC window, optionally of some kinds or naming one trigger."""
    where, args = _list_terms(kinds, since, until, trigger)
    where.append(_keeps(con))
    order = "DESC" if newest_first else "ASC"
    sql = f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY e.occurred_at {order}, e.id {order}"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return [_as_dict(r) for r in con.execute(sql, args)]


def _list_terms(
    kinds: list[str] | None, since: str | None, until: str | None, trigger: str | None
) -> tuple[list[str], list[object]]:
    from relapse_cli.storage.window import window_terms

    where, args = window_terms("e.occurred_at", since, until, hidden_column="e.deleted_at")
    if kinds:
        where.append(f"e.kind IN ({', '.join('?' * len(kinds))})")
        args.extend(kinds)
    if trigger:
        where.append(
            "e.id IN (SELECT et.entry_id FROM entry_triggers et JOIN triggers t "
            "ON t.id = et.trigger_id WHERE t.key = ?)"
        )
        args.append(vocab_key(trigger))
    return where, args


def count_entries(
    con: sqlite3.Connection,
    *,
    kinds: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    trigger: str | None = None,
) -> int:
    """How many entries ``list_entries`` would give without a limit (for "20 of 27")."""
    where, args = _list_terms(kinds, since, until, trigger)
    where.append(_keeps(con))
    sql = f"SELECT count(*) FROM entries e WHERE {' AND '.join(where)}"  # noqa: S608
    return int(con.execute(sql, args).fetchone()[0])


def _keeps(con: sqlite3.Connection) -> str:
    from relapse_cli.storage.checks import keeps_rules

    return keeps_rules(con, "entries", "e")


def breaks_rules(con: sqlite3.Connection, uuid: str) -> bool:
    """Whether this entry holds a value the journal's rules refuse (another tool wrote it):
    ``show`` says so in one line beside what it can show."""
    sql = f"SELECT NOT ({_keeps(con)}) FROM entries e WHERE e.uuid = ?"  # noqa: S608
    row = con.execute(sql, (uuid,)).fetchone()
    return bool(row and row[0])


def update_entry(
    con: sqlite3.Connection,
    uuid: str,
    changes: dict[str, object],
    triggers: list[str] | None = None,
    coping: list[str] | None = None,
) -> None:
    """Apply an edit and remember the old values so ``undo`` can put them back."""
    import json

    current = find_entry(con, uuid)
    before = {k: current[k] for k in changes}
    if triggers is not None:
        before["triggers"] = current["triggers"]
    if coping is not None:
        before["coping"] = current["coping"]
    stamp = utc_now()
    with write(con):
        _apply(con, uuid, changes, triggers, coping, stamp)
        con.execute(
            "INSERT INTO actions (at, action, entry_uuid, before) VALUES (?, 'edit', ?, ?)",
            (stamp, uuid, json.dumps(before)),
        )


def _apply(
    con: sqlite3.Connection,
    uuid: str,
    changes: dict[str, object],
    triggers: list[str] | None,
    coping: list[str] | None,
    stamp: str,
) -> None:
    sets = [f"{k} = ?" for k in changes if k in ENTRY_COLUMNS] + ["updated_at = ?"]
    values = [v for k, v in changes.items() if k in ENTRY_COLUMNS] + [stamp, uuid]
    con.execute(f"UPDATE entries SET {', '.join(sets)} WHERE uuid = ?", values)
    entry_id = con.execute("SELECT id FROM entries WHERE uuid = ?", (uuid,)).fetchone()[0]
    if triggers is not None:
        con.execute("DELETE FROM entry_triggers WHERE entry_id = ?", (entry_id,))
        for name in triggers:
            con.execute(
                "INSERT OR IGNORE INTO entry_triggers (entry_id, trigger_id) VALUES (?, ?)",
                (entry_id, vocab_id(con, "triggers", name, stamp)),
            )
    if coping is not None:
        con.execute("DELETE FROM entry_coping WHERE entry_id = ?", (entry_id,))
        for position, name in enumerate(coping):
            con.execute(
                "INSERT OR IGNORE INTO entry_coping (entry_id, coping_id, position) "
                "VALUES (?, ?, ?)",
                (entry_id, vocab_id(con, "coping", name, stamp), position),
            )


def hide_entry(con: sqlite3.Connection, uuid: str) -> None:
    """``delete``: hidden from every view, kept until ``purge`` so ``undo`` can bring it back."""
    stamp = utc_now()
    with write(con):
        con.execute("UPDATE entries SET deleted_at = ? WHERE uuid = ?", (stamp, uuid))
        con.execute(
            "INSERT INTO actions (at, action, entry_uuid) VALUES (?, 'delete', ?)", (stamp, uuid)
        )


def undo_last(con: sqlite3.Connection) -> tuple[str, str] | None:
    """Reverse the latest delete or edit not yet undone; returns (action, uuid) or None."""
    import json

    row = con.execute(
        "SELECT a.id, a.action, a.entry_uuid, a.before FROM actions a "
        "JOIN entries e ON e.uuid = a.entry_uuid "
        "WHERE a.undone_at IS NULL ORDER BY a.id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    stamp = utc_now()
    with write(con):
        if row["action"] == "delete":
            con.execute("UPDATE entries SET deleted_at = NULL WHERE uuid = ?", (row["entry_uuid"],))
        else:
            before = json.loads(row["before"])
            triggers = before.pop("triggers", None)
            coping = before.pop("coping", None)
            _apply(con, row["entry_uuid"], before, triggers, coping, stamp)
        con.execute("UPDATE actions SET undone_at = ? WHERE id = ?", (stamp, row["id"]))
    return str(row["action"]), str(row["entry_uuid"])


def purge_entries(con: sqlite3.Connection, uuids: list[str], schema: str = "main") -> int:
    """Delete entries with their links and undo history, inside the caller's transaction.

    Also the trigger and coping names that only these entries used: a name typed once for a
    purged entry ("the party at Sam's") says as much as its note. Names still used by another
    entry, or never used by any (the person's own vocabulary), stay. ``schema`` names an
    attached copy (a backup); tables an older copy lacks (a pre-migration backup) are skipped,
    so the same function purges the journal and every copy the tool keeps.
    """
    s = schema
    tables = {r[0] for r in con.execute(f"SELECT name FROM {s}.sqlite_master WHERE type = 'table'")}  # noqa: S608
    if "entries" not in tables:
        return 0
    count = 0
    for uuid in uuids:
        row = con.execute(f"SELECT id FROM {s}.entries WHERE uuid = ?", (uuid,)).fetchone()  # noqa: S608
        if row is None:
            continue
        for link, vocab, column in (
            ("entry_triggers", "triggers", "trigger_id"),
            ("entry_coping", "coping", "coping_id"),
        ):
            if link not in tables:
                continue
            used = [
                r[0]
                for r in con.execute(
                    f"SELECT {column} FROM {s}.{link} WHERE entry_id = ?",
                    (row[0],),  # noqa: S608
                )
            ]
            con.execute(f"DELETE FROM {s}.{link} WHERE entry_id = ?", (row[0],))  # noqa: S608
            for vocab_id in used:
                con.execute(
                    f"DELETE FROM {s}.{vocab} WHERE id = ? AND NOT EXISTS "  # noqa: S608
                    f"(SELECT 1 FROM {s}.{link} WHERE {column} = ?)",
                    (vocab_id, vocab_id),
                )
        if "actions" in tables:
            con.execute(f"DELETE FROM {s}.actions WHERE entry_uuid = ?", (uuid,))  # noqa: S608
        con.execute(f"DELETE FROM {s}.entries WHERE id = ?", (row[0],))  # noqa: S608
        count += 1
    return count


def purge(con: sqlite3.Connection, uuids: list[str] | None) -> int:
    """Remove entries for good (all when ``uuids`` is None), then leave no trace in the file.

    secure_delete zeroes freed pages, VACUUM rebuilds the file, and a truncating checkpoint
    empties the WAL, so purged text is not left in free pages or the write-ahead log.
    """
    from relapse_cli.kinds import purge_tables

    con.execute("PRAGMA secure_delete=ON")
    with write(con):
        if uuids is None:
            count = con.execute("SELECT count(*) FROM entries").fetchone()[0]
            # Every table a kind owns (relapse_cli/kinds.py), links first; the plan's sos.toml
            # mirror goes in log/commands/history.py.
            for table in purge_tables():
                con.execute(f"DELETE FROM [{table}]")  # noqa: S608 - names from the registry
        else:
            count = purge_entries(con, uuids)
    con.execute("VACUUM")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return int(count)

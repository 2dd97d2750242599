"""The person's own words for triggers and coping strategies: list, add, rename, merge."""

from __future__ import annotations

import sqlite3

from relapse_cli.core.errors import BadInput, NotFound
from relapse_cli.core.ids import new_uuid
from relapse_cli.log.model.entries import vocab_key
from relapse_cli.storage.records import utc_now, write

VOCABS = {"triggers": ("entry_triggers", "trigger_id"), "coping": ("entry_coping", "coping_id")}


def _get(con: sqlite3.Connection, table: str, name: str) -> sqlite3.Row:
    row = con.execute(f"SELECT * FROM {table} WHERE key = ?", (vocab_key(name),)).fetchone()
    if row is None:
        what = "trigger" if table == "triggers" else "coping strategy"
        raise NotFound(f"no {what} called {name!r}", f"see: relapse {table}")
    return row


def list_words(con: sqlite3.Connection, table: str) -> list[dict]:
    """Each word with how often it was logged (visible entries) and when last."""
    link, col = VOCABS[table]
    extra = ", v.category" if table == "triggers" else ""
    outcome = (
        ", sum(e.kind = 'craving' AND e.outcome = 'resisted') AS resisted"
        ", sum(e.kind = 'craving' AND e.outcome IS NOT NULL) AS with_outcome"
        if table == "coping"
        else ""
    )
    rows = con.execute(
        f"""SELECT v.name{extra}, count(e.id) AS count, max(e.occurred_at) AS last_seen{outcome}
            FROM {table} v LEFT JOIN {link} l ON l.{col} = v.id
            LEFT JOIN entries e ON e.id = l.entry_id AND e.deleted_at IS NULL
            GROUP BY v.id ORDER BY count DESC, v.name COLLATE NOCASE"""
    ).fetchall()
    return [dict(r) for r in rows]


def add_word(con: sqlite3.Connection, table: str, name: str, category: str | None = None) -> bool:
    """Add a word; False if it (or a case/spacing variant) was already there."""
    key = vocab_key(name)
    with write(con):
        exists = con.execute(f"SELECT id FROM {table} WHERE key = ?", (key,)).fetchone()
        if exists:
            if category:
                con.execute(f"UPDATE {table} SET category = ? WHERE id = ?", (category, exists[0]))
            return False
        cols = "uuid, name, key, created_at" + (", category" if table == "triggers" else "")
        values = [new_uuid(), name, key, utc_now()] + ([category] if table == "triggers" else [])
        con.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(values))})", values)
    return True


def rename_word(con: sqlite3.Connection, table: str, old: str, new: str) -> None:
    row = _get(con, table, old)
    key = vocab_key(new)
    clash = con.execute(f"SELECT name FROM {table} WHERE key = ? AND id != ?", (key, row["id"]))
    other = clash.fetchone()
    if other:
        raise BadInput(
            f"{other['name']!r} already exists", f"to fold them together use: relapse {table} merge"
        )
    with write(con):
        con.execute(f"UPDATE {table} SET name = ?, key = ? WHERE id = ?", (new, key, row["id"]))


def _visible_count(con: sqlite3.Connection, table: str, word_id: int) -> int:
    """Visible entries naming a word: the same count `relapse triggers` / `coping` list."""
    link, col = VOCABS[table]
    row = con.execute(
        f"""SELECT count(DISTINCT e.id) FROM {link} l JOIN entries e ON e.id = l.entry_id
            WHERE l.{col} = ? AND e.deleted_at IS NULL""",
        (word_id,),
    ).fetchone()
    return int(row[0])


def merge_words(con: sqlite3.Connection, table: str, source: str, target: str) -> tuple[int, int]:
    """Fold ``source`` into ``target``: its entries now name the target.

    Returns (entries moved, entries that now name the target): the second is the figure a
    person checks against `relapse triggers`, so it counts the target's own entries too.
    """
    link, col = VOCABS[table]
    src, dst = _get(con, table, source), _get(con, table, target)
    if src["id"] == dst["id"]:
        raise BadInput("those are the same word")
    with write(con):
        count = _visible_count(con, table, src["id"])
        con.execute(
            f"UPDATE OR IGNORE {link} SET {col} = ? WHERE {col} = ?", (dst["id"], src["id"])
        )
        con.execute(f"DELETE FROM {link} WHERE {col} = ?", (src["id"],))  # already had target
        if table == "triggers" and dst["category"] is None and src["category"] is not None:
            con.execute(
                "UPDATE triggers SET category = ? WHERE id = ?", (src["category"], dst["id"])
            )
        con.execute(f"DELETE FROM {table} WHERE id = ?", (src["id"],))
        total = _visible_count(con, table, dst["id"])
    return count, total


def set_category(con: sqlite3.Connection, name: str, category: str) -> None:
    row = _get(con, "triggers", name)
    with write(con):
        con.execute("UPDATE triggers SET category = ? WHERE id = ?", (category, row["id"]))


COMPLETABLE = ("triggers", "coping", "medications")  # the tables shell completion may read


def names_for_completion(path: str, table: str, prefix: str, limit: int = 50) -> list[str]:
    """Names starting with ``prefix`` (any case), read-only and never creating anything: a
    completion must not write, migrate or wait; any trouble (no journal yet, a locked or
    busy one, an older schema) just means no suggestions."""
    import os

    if table not in COMPLETABLE or not os.path.isfile(path) or os.path.exists(path + ".locked"):
        return []
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2)
    except sqlite3.Error:
        return []
    try:
        like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = con.execute(
            f"SELECT name FROM [{table}] WHERE name LIKE ? ESCAPE '\\' ORDER BY name LIMIT ?",
            (like, limit),
        ).fetchall()
        return [r[0] for r in rows]
    except sqlite3.Error:
        return []
    finally:
        con.close()

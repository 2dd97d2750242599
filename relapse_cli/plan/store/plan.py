"""Storing the relapse-prevention plan (``plan_items``).

One row per item; ``position`` orders the items of a section. Removing an item sets
``deleted_at`` (so an older export cannot bring it back on import); ``purge --all`` deletes
the rows. Every change is one transaction, validated before it starts.
"""

from __future__ import annotations

import sqlite3

from relapse_cli.core.errors import BadInput
from relapse_cli.core.ids import new_uuid
from relapse_cli.plan.model.plan import FIELDS, SECTIONS, grouped, same_item
from relapse_cli.storage.records import utc_now, write

COLUMNS = ("uuid", "section", "position", *FIELDS, "created_at", "updated_at", "deleted_at")
_ORDER = {s.key: n for n, s in enumerate(SECTIONS)}


def list_items(con: sqlite3.Connection) -> list[dict[str, object]]:
    """Live items in plan order (section, then position)."""
    cols = ", ".join(("uuid", "section", "position", *FIELDS))
    rows = con.execute(
        f"SELECT {cols} FROM plan_items WHERE deleted_at IS NULL "  # noqa: S608
        "ORDER BY position, id"
    ).fetchall()
    items = [
        {
            k: row[n]
            for n, k in enumerate(("uuid", "section", "position", *FIELDS))
            if row[n] is not None
        }
        for row in rows
    ]
    items.sort(key=lambda i: _ORDER.get(str(i["section"]), 99))
    return items


def add_item(con: sqlite3.Connection, item: dict[str, object]) -> str:
    """Append a validated item to its section; returns its uuid."""
    with write(con):
        return _insert(con, item, _next_position(con, str(item["section"])), utc_now())


def _next_position(con: sqlite3.Connection, section: str) -> int:
    row = con.execute(
        "SELECT max(position) FROM plan_items WHERE section = ? AND deleted_at IS NULL", (section,)
    ).fetchone()
    return int(row[0] or 0) + 1


def _insert(con: sqlite3.Connection, item: dict[str, object], position: int, stamp: str) -> str:
    uuid = new_uuid()
    record = {k: item.get(k) for k in FIELDS}
    record["text"] = record["text"] or ""
    cols = ["uuid", "section", "position", *FIELDS, "created_at", "updated_at"]
    con.execute(
        f"INSERT INTO plan_items ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",  # noqa: S608
        (uuid, item["section"], position, *(record[k] for k in FIELDS), stamp, stamp),
    )
    return uuid


def remove_item(con: sqlite3.Connection, section: str, number: int) -> dict[str, object]:
    """Remove the Nth item (1-based, as ``relapse plan`` numbers them) of a section."""
    items = grouped(list_items(con)).get(section, [])
    if not items:
        raise BadInput(f"your plan has nothing under {section} yet")
    if not 1 <= number <= len(items):
        raise BadInput(
            f"{section} has items 1 to {len(items)}, not {number}",
            "see the numbers with: relapse plan",
        )
    item = items[number - 1]
    stamp = utc_now()
    with write(con):
        con.execute(
            "UPDATE plan_items SET deleted_at = ?, updated_at = ? WHERE uuid = ?",
            (stamp, stamp, item["uuid"]),
        )
    return item


def replace_plan(con: sqlite3.Connection, items: list[dict[str, object]]) -> dict[str, int]:
    """Make the plan exactly ``items`` (from ``plan edit``): unchanged items keep their
    identity, changed or new ones are added, the rest removed. One transaction."""
    current = list_items(con)
    stamp = utc_now()
    kept: set[str] = set()
    counts = {"added": 0, "removed": 0, "kept": 0}
    positions: dict[str, int] = {}
    with write(con):
        for item in items:
            section = str(item["section"])
            positions[section] = positions.get(section, 0) + 1
            match = next(
                (c for c in current if str(c["uuid"]) not in kept and same_item(c, item)), None
            )
            if match is not None:
                kept.add(str(match["uuid"]))
                counts["kept"] += 1
                if match.get("position") != positions[section]:
                    con.execute(
                        "UPDATE plan_items SET position = ?, updated_at = ? WHERE uuid = ?",
                        (positions[section], stamp, match["uuid"]),
                    )
                continue
            _insert(con, item, positions[section], stamp)
            counts["added"] += 1
        for old in current:
            if str(old["uuid"]) not in kept:
                con.execute(
                    "UPDATE plan_items SET deleted_at = ?, updated_at = ? WHERE uuid = ?",
                    (stamp, stamp, old["uuid"]),
                )
                counts["removed"] += 1
    return counts


def suggestions(con: sqlite3.Connection, table: str, limit: int = 8) -> list[str]:
    """The person's own triggers or coping strategies, most used first (builder hints)."""
    if table not in ("triggers", "coping"):
        raise ValueError(table)
    link, key = (
        ("entry_triggers", "trigger_id") if table == "triggers" else ("entry_coping", "coping_id")
    )
    rows = con.execute(
        f"SELECT w.name, count(l.entry_id) AS n FROM {table} w "  # noqa: S608
        f"LEFT JOIN {link} l ON l.{key} = w.id GROUP BY w.id ORDER BY n DESC, w.name LIMIT ?",
        (limit,),
    ).fetchall()
    return [str(r[0]) for r in rows]

"""Writing many entries in one transaction (demo journals, benchmarks, imports)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from relapse_cli.core.ids import new_uuid
from relapse_cli.core.timeparse import to_storage
from relapse_cli.log.model.entries import vocab_key
from relapse_cli.log.store.entries import ENTRY_COLUMNS, vocab_id
from relapse_cli.storage.records import utc_now, write


def insert_many(con: sqlite3.Connection, items: Iterable[dict]) -> int:
    """Each item: entry columns plus ``when`` (aware datetime), ``triggers``, ``coping``."""
    stamp = utc_now()
    cache: dict[tuple[str, str], int] = {}
    count = 0
    with write(con):
        for item in items:
            row = {k: v for k, v in item.items() if k in ENTRY_COLUMNS and v is not None}
            row["occurred_at"], row["utc_offset_min"] = to_storage(item["when"])
            row.setdefault("uuid", new_uuid())
            row["created_at"] = row["updated_at"] = stamp
            cols = list(row)
            cur = con.execute(
                f"INSERT INTO entries ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                list(row.values()),
            )
            for table, link, col in (
                ("triggers", "entry_triggers", "trigger_id"),
                ("coping", "entry_coping", "coping_id"),
            ):
                for position, name in enumerate(item.get(table) or []):
                    key = (table, vocab_key(name))
                    if key not in cache:
                        cache[key] = vocab_id(con, table, name, stamp)
                    extra = ", position" if table == "coping" else ""
                    values = (cur.lastrowid, cache[key]) + ((position,) if extra else ())
                    con.execute(
                        f"INSERT OR IGNORE INTO {link} (entry_id, {col}{extra}) "
                        f"VALUES ({', '.join('?' * len(values))})",
                        values,
                    )
            count += 1
    return count

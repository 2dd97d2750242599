"""The journal's own random id (migration 0011), read for the JSON export's header."""

from __future__ import annotations

import sqlite3


def journal_id(con: sqlite3.Connection) -> str | None:
    """This journal's id; None for a connection without one (never expected once migrated,
    but an export must not fail for want of it: the caseload then falls back to the name)."""
    try:
        row = con.execute("SELECT id FROM _journal_identity LIMIT 1").fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else str(row[0])

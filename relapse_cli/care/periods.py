"""Periods other commands take from care's records: "since my last appointment" (summary,
export, withdrawal). A service of the care capability, outside its command modules, so other
capabilities never import care's commands for it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from relapse_cli.core.errors import BadInput

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relapse_cli.cli.context import AppContext


def since_last_appointment(app: AppContext, con: sqlite3.Connection, *, clash: bool) -> datetime:
    """The start of the period "since my last appointment": the time of the latest one that
    has started and was not missed or cancelled (BadInput when there is none)."""
    from relapse_cli.care.store import appointments as store
    from relapse_cli.core.timeparse import from_storage, utc_text

    if clash:
        raise BadInput("use one start: --since, --since-last-session or --since-last-appointment")
    now = app.clock.now()
    last = store.latest_started(con, utc_text(now), ("attended", "planned"))
    if last is None:
        raise BadInput("no appointment has taken place yet",
                       "add one: relapse appointments add therapy \"2026-11-20 14:00\"")  # fmt: skip
    return from_storage(last["starts_at"], last["utc_offset_min"])

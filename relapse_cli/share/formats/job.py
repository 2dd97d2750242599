"""What every codec is handed: the journal, the selection and the period, as plain values."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from relapse_cli.share.store.portable import Selection

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relapse_cli.insights.model import Summary


@dataclass
class ExportJob:
    con: sqlite3.Connection
    selection: Selection
    now: datetime  # aware, the person's local time when the export is made
    since: datetime | None  # aware local bounds of the period (None: from the first record)
    until: datetime
    settings: dict = field(default_factory=dict)
    summary: Summary | None = None  # the summary dashboard's figures as of ``until``
    person: str = "me"  # the id written in a TLFB file

    @property
    def notes(self) -> bool:
        return self.selection.notes

    @property
    def entry_kinds(self) -> list[str] | None:
        """The log-entry kinds chosen with --kinds (None: all of them)."""
        kinds = self.selection.kinds
        if kinds is None:
            return None
        return [k for k in kinds if k in ("craving", "mood", "trigger", "use")]

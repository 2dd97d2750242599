"""What every command receives: global options plus the seams tests replace."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not `from typing import`: typing costs the hot path ~2 ms

if TYPE_CHECKING:
    import sqlite3

    from relapse_cli.core.clock import FakeClock, SystemClock
    from relapse_cli.core.prompter import Prompter


class AppContext:
    """Global options (``--journal``, ``--debug``) and the clock/prompter/stdin seams.

    A plain class, not a dataclass: it is built on the hot path.
    """

    def __init__(
        self,
        journal: str | None = None,
        debug: bool = False,
        clock: SystemClock | FakeClock | None = None,
        prompter: Prompter | None = None,
        interactive: bool | None = None,
    ) -> None:
        self.journal = journal  # a property: the screen-reader setting is read from its journal
        self.debug = debug
        self._clock = clock
        self._prompter = prompter
        self._interactive = interactive
        self._con: sqlite3.Connection | None = None

    @property
    def journal(self) -> str | None:
        return self._journal

    @journal.setter
    def journal(self, value: str | None) -> None:
        from relapse_cli.core.paths import JOURNAL_OPTION  # imported on every path anyway

        self._journal = value
        JOURNAL_OPTION[0] = value

    @property
    def clock(self) -> SystemClock | FakeClock:
        if self._clock is None:
            from relapse_cli.core.clock import SystemClock

            self._clock = SystemClock()
        return self._clock

    @property
    def interactive(self) -> bool:
        """May we ask questions? Only with a person at a terminal (or a scripted prompter)."""
        if self._interactive is None:
            self._interactive = self._prompter is not None or (
                sys.stdin is not None and sys.stdin.isatty()
            )
        return self._interactive

    @property
    def prompter(self) -> Prompter:
        if self._prompter is None:
            from relapse_cli.core.prompter import TerminalPrompter

            self._prompter = TerminalPrompter()
        return self._prompter

    @property
    def journal_path(self) -> str:
        from relapse_cli.core.paths import journal_path

        return journal_path(self.journal)

    def connect(self, *, create: bool = True) -> sqlite3.Connection:
        """The journal connection for this command (opened once, migrated if behind)."""
        if self._con is None:
            from relapse_cli.core.paths import ENV_JOURNAL
            from relapse_cli.storage.db import open_journal

            default = self.journal is None and not os.environ.get(ENV_JOURNAL)
            self._con = open_journal(self.journal_path, create=create, make_dirs=default)
        return self._con

    def close(self) -> None:
        """Close the connection, then give up this process's holds on journals (the command
        is over: a later lock/unlock/restore must not wait for us; storage/hold.py)."""
        if self._con is not None:
            self._con.close()
            self._con = None
        hold = sys.modules.get("relapse_cli.storage.hold")
        if hold is not None:
            hold.release_all()

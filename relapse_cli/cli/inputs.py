"""Reading what a person typed for the options many commands share: ``--note``, ``--at`` and
the ``--since``/``--until`` window.

On the hot path (``relapse log ...``, relapse_cli/log/commands/log.py): imports stay light, no
Typer, Rich or dateutil at import (time parsing is imported when a time is given).
"""

from __future__ import annotations

import sys

from relapse_cli.core.errors import BadInput

TYPE_CHECKING = False  # not `from typing import`: typing costs the hot path ~2 ms
if TYPE_CHECKING:
    from datetime import datetime

    from relapse_cli.cli.context import AppContext


def resolve_note(app: AppContext, note: object) -> str | None:
    """``--note -`` reads stdin; a bare ``--note`` asks at a prompt (out of shell history)."""
    from relapse_cli.cli.spec import NOTE_PROMPT

    if note == "-":
        return sys.stdin.read()
    if note == NOTE_PROMPT:
        if not app.interactive:
            raise BadInput(
                "--note without a value needs a terminal to ask on",
                "use --note - to read the note from stdin",
            )
        try:
            return app.prompter.ask("Note (typed here, it stays out of your shell history)")
        except EOFError:
            return None
    return None if note is None else str(note)


def when_from(app: AppContext, at: object) -> datetime:
    """The moment ``--at`` names (aware, local), or now when it was not given."""
    if at is None:
        return app.clock.now()
    from relapse_cli.core.timeparse import parse_when

    return parse_when(str(at), app.clock)


def window(app: AppContext, since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """--since/--until as UTC storage text (either may be None)."""
    from relapse_cli.core.timeparse import parse_bound, utc_text

    clock = app.clock
    lo = utc_text(parse_bound(since, clock, end=False)) if since else None
    hi = utc_text(parse_bound(until, clock, end=True)) if until else None
    if lo and hi and lo > hi:
        raise BadInput("--since is after --until")
    return lo, hi

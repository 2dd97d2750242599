"""``relapse log NAME VALUE``: a value of a custom tracker from homework (the hot path).

Any name after ``relapse log`` that is not a built-in kind comes here, from the fast lane
and from Typer alike (homework/commands/track_group.py). Imports stay light: sqlite3 and json only.
"""

from __future__ import annotations

import sys

from relapse_cli.core.errors import BadInput
from relapse_cli.core.text import say
from relapse_cli.homework.model import trackers as scale

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relapse_cli.cli.context import AppContext


def unknown(name: str, names: list[str]) -> BadInput:
    from difflib import get_close_matches

    from relapse_cli.log.commands.spec import LOG_COMMANDS

    kinds = ", ".join(LOG_COMMANDS)
    have = f"; your trackers: {', '.join(names)}" if names else "; no homework trackers loaded"
    close = get_close_matches(name.lower(), [*LOG_COMMANDS, *names], n=1, cutoff=0.6)
    hint = f"did you mean: relapse log {close[0]}?" if close else "e.g. relapse log craving 5"
    return BadInput(f"nothing to log called {name!r}: log one of {kinds}{have}", hint)


def run_tracker(app: AppContext, name: str, values: dict[str, object]) -> int:
    from relapse_cli.cli.inputs import resolve_note, when_from
    from relapse_cli.homework.store import trackers

    con = app.connect()
    found = trackers.tracker(con, name)
    if found is None:
        raise unknown(name, trackers.names(con))
    spec = found["spec"]
    raw = values.get("value")
    if raw is None:
        if not app.interactive:
            raise BadInput(
                f"missing VALUE for {name} ({scale.scale(spec)})",
                f"e.g. relapse log {name} {scale.number(spec['min'])}",
            )
        from relapse_cli.core.prompter import ask_number

        hint = scale.scale_hint(spec)
        if hint:
            app.prompter.say(f"{name}: {hint}")
        try:
            raw = ask_number(
                app.prompter,
                name,
                spec["min"],
                spec["max"],
                integer=spec.get("integer", True),
                required=True,
            )
        except EOFError:
            raise BadInput(
                f"no value for {name}; nothing saved",
                f"e.g. relapse log {name} {scale.number(spec['min'])}",
            ) from None
    try:
        from relapse_cli.core.text import plain_number

        value = scale.check_value(spec, plain_number(float, str(raw)))
    except ValueError as exc:
        raise BadInput(f"{name}: {exc}", f"the scale is {scale.scale(spec)}") from None
    note = resolve_note(app, values.get("note"))
    when = when_from(app, values.get("at"))
    from relapse_cli.core.timeparse import to_storage

    at, offset = to_storage(when)
    uuid = trackers.insert_value(con, found, float(value), at, offset, note)
    label = scale.label_for(spec, value)
    shown = scale.number(value)
    if spec.get("unit"):
        shown += f" {spec['unit']}"
    else:
        shown += f"/{scale.number(spec['max'])}" if spec["min"] == 0 else ""
    if label:
        shown += f" ({label})"
    from relapse_cli.core.text import for_terminal
    from relapse_cli.core.timeparse import when_text

    line = f"Saved {name} {shown} · {when_text(when, app.clock.now())} · id {uuid[:8]}"
    say(for_terminal(line, single_line=True), sys.stdout)
    return 0

"""``relapse log craving|mood|trigger|use``: the hot path.

Both the fast path and the Typer command call ``run_log`` with the parsed values, so the
behaviour (validation, prompts, confirmation, safety lines) is one piece of code. Imports stay
light: no Rich, no sqlite-utils, no dateutil unless the command really needs them.
"""

from __future__ import annotations

import sys

from relapse_cli.cli.inputs import resolve_note, when_from
from relapse_cli.core.errors import BadInput
from relapse_cli.core.text import for_terminal
from relapse_cli.log.model import entries as domain

TYPE_CHECKING = False  # not `from typing import`: typing costs the hot path ~2 ms
if TYPE_CHECKING:
    from relapse_cli.cli.context import AppContext

# The flag that supplies each required field without a terminal.
_FLAG_FOR = {
    "intensity": "INTENSITY (e.g. relapse log craving 7)",
    "mood": "MOOD (e.g. relapse log mood 5)",
    "triggers": 'TRIGGER (e.g. relapse log trigger "walked past the bar")',
    "substance": "--substance (e.g. -s alcohol)",
}


def run_log(app: AppContext, kind: str, values: dict[str, object]) -> int:
    """Validate, fill in by asking if on a terminal, store, and confirm one entry."""
    from relapse_cli.log.commands.spec import LOG_COMMANDS

    if (
        kind not in LOG_COMMANDS
    ):  # a homework tracker: relapse log NAME VALUE (homework/commands/track.py)
        from relapse_cli.homework.commands.track import run_tracker

        return run_tracker(app, kind, values)
    if kind == "withdrawal":  # its own table, form and red flags (care/commands/withdrawal.py)
        from relapse_cli.care.commands.withdrawal import run_withdrawal

        return run_withdrawal(app, values)
    values = dict(values)
    values["note"] = resolve_note(app, values.get("note"))
    triggers = domain.split_names(given_names(values.pop("triggers", None)), "trigger")
    if kind == "trigger":
        name = values.pop("name", None)
        triggers = domain.split_names([str(name)] if name is not None else [], "trigger") + [
            t for t in triggers if domain.vocab_key(t) != domain.vocab_key(str(name or ""))
        ]
    coping = domain.split_names(given_names(values.pop("coping", None)), "coping strategy")
    at = values.pop("at", None)
    if kind == "use" and not values.get("substance"):
        values["substance"] = _single_focus_substance(app)

    missing = _missing(kind, values, triggers)
    interrupted = False
    if missing:
        if not app.interactive:
            raise BadInput(
                f"missing {missing}: give {_FLAG_FOR[missing]}", f"see relapse log {kind} --help"
            )
        from relapse_cli.log.commands.prompts import ask_for_entry

        interrupted = ask_for_entry(app.prompter, kind, values, triggers, coping)
        if _missing(kind, values, triggers):
            app.prompter.say("Nothing saved.")
            return 130

    when = when_from(app, at)
    row = domain.build_entry(kind, values)
    from relapse_cli.core.timeparse import to_storage

    row["occurred_at"], row["utc_offset_min"] = to_storage(when)
    from relapse_cli.log.store.entries import insert_entry

    uuid = insert_entry(app.connect(), row, triggers, coping)
    from relapse_cli.core.text import say

    out = sys.stdout
    say(confirmation(row, triggers, coping, when, uuid, app.clock.now(), at), out)
    if interrupted:
        say("Stopped early: saved what you typed so far.", out)
    for line in follow_up(row, app.journal_path, None if app.interactive else uuid):
        say(line, out)
    if (
        not interrupted
        and app.interactive
        and (
            row["kind"] == "use"
            or row.get("outcome") == "used"
            or (row["kind"] == "craving" and _at_least(row.get("intensity"), 6))
        )
    ):
        from relapse_cli.thoughts.flow import offer_thought_record  # terminal only, not scripts

        out.flush()
        offer_thought_record(app, uuid)
    return 0


def given_names(value: object) -> list[str]:
    """A repeatable option's values (-t, -c): the parsers give a list of strings, or None."""
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def _at_least(value: object, low: int) -> bool:
    return isinstance(value, (int, float)) and value >= low


def _missing(kind: str, values: dict[str, object], triggers: list[str]) -> str | None:
    for field in domain.REQUIRED[kind]:
        if field == "triggers":
            if not triggers:
                return field
        elif values.get(field) is None:
            return field
    return None


def _single_focus_substance(app: AppContext) -> str | None:
    """A use with no --substance means the one substance in focus, if there is exactly one."""
    from relapse_cli.core.settings import load_settings

    focus = load_settings(app.journal_path).get("substances", [])
    return focus[0] if isinstance(focus, list) and len(focus) == 1 else None


def confirmation(
    row: dict,
    triggers: list[str],
    coping: list[str],
    when,  # noqa: ANN001
    uuid: str,
    now=None,  # noqa: ANN001
    typed: object = None,
) -> str:
    """One line that names what was saved, so the person can see it is safe (and when, as
    ``timeparse.when_text`` shows it: the year if not this year, a time moved to yesterday)."""
    from relapse_cli.core.timeparse import when_text

    kind = row["kind"]
    parts: list[str] = []
    if kind == "craving":
        parts.append(f"craving {row['intensity']}/10")
    elif kind == "mood":
        parts.append(f"mood {row['mood']}/10")
        if row.get("anxiety") is not None:
            parts.append(f"anxiety {row['anxiety']}/10")
        if row.get("sleep_hours") is not None:
            parts.append(f"sleep {row['sleep_hours']:g} h")
        if row.get("energy") is not None:
            parts.append(f"energy {row['energy']}/10")
    elif kind == "trigger":
        parts.append("trigger")
        if row.get("intensity") is not None:
            parts.append(f"pull {row['intensity']}/10")
    else:
        amount = row.get("amount")
        unit = row.get("unit") or ""
        parts.append("use" + (f" {amount:g} {unit}".rstrip() if amount is not None else ""))
    if row.get("substance"):
        parts.append(str(row["substance"]))
    if triggers:
        parts.append(("" if kind == "trigger" else "triggers: ") + ", ".join(triggers))
    if coping:
        parts.append("coped: " + ", ".join(coping))
    if row.get("outcome"):
        after = row.get("intensity_after")
        parts.append(str(row["outcome"]) + (f" ({after}/10 after)" if after is not None else ""))
    parts.append(when_text(when, now or when, typed))
    text = for_terminal(" · ".join(parts), single_line=True)
    return f"Saved {text} · id {uuid[:8]}"


def follow_up(row: dict, journal: str | None = None, think_id: str | None = None) -> list[str]:
    """Kind words after a lapse or a very strong urge; never shame, always where help is."""
    from relapse_cli.log.model import lapse

    lines: list[str] = []
    if row["kind"] == "use" or row.get("outcome") == "used":
        lines.extend(lapse.REFRAME)
        lines.extend(lapse.harm_reduction_lines(row.get("substance")))
        if row["kind"] == "craving":
            lines.append("If you want it counted in your calendar too: relapse log use")
    elif row["kind"] in ("craving", "trigger") and (row.get("intensity") or 0) >= 9:
        lines.extend(lapse.STRONG_CRAVING)
    if lines:
        from relapse_cli.plan.safety import after_log_lines  # plan steps + sos (issue 6)

        lines.extend(after_log_lines(row, journal, think_id))
        lines.append(lapse.EMERGENCY)
    return lines

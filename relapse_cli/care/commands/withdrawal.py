"""``relapse log withdrawal``: a symptom check with red flags (the view: withdrawal_view.py).

The log part runs on the fast lane (no Typer, Rich or dateutil unless a red flag or the
guided form needs more). Order matters: a red flag is answered FIRST, with the urgent-help
screen (``plan/safety.py``), before any validation, question or saving; then the check is
saved and the command exits 0. The tool never advises on doses and never replaces the care
team: the red flags send the person to them.
"""

from __future__ import annotations

import sys

from relapse_cli.care.model import withdrawal as domain
from relapse_cli.core.errors import BadInput
from relapse_cli.core.text import for_terminal, say

TYPE_CHECKING = False  # not `from typing import`: typing costs the hot path ~2 ms
if TYPE_CHECKING:
    from relapse_cli.cli.context import AppContext
    from relapse_cli.core.prompter import Prompter

EXAMPLE = "e.g. relapse log withdrawal --tremor 2 --sweating 1 --anxiety 2"
URGENT_FALLBACK = (
    "Get urgent medical help now: call your local emergency number, or your doctor or clinic.",
    "If you are in danger now, call your local emergency number.",
)


def run_withdrawal(app: AppContext, values: dict[str, object]) -> int:
    """Urgent help first for any red flag, then validate, ask (terminal), save, confirm."""
    flags = [f for f in domain.RED_FLAGS if values.get(f)]
    if flags:
        show_urgent(app, flags)
    from relapse_cli.cli.inputs import resolve_note, when_from

    values = dict(values)
    values["note"] = resolve_note(app, values.get("note"))
    domain.build_check(values)  # bad ratings: one line, exit 2, before any question
    when = when_from(app, values.pop("at", None))  # a bad --at too, before the form is filled
    given = any(values.get(s) is not None for s in domain.SYMPTOMS) or flags
    interrupted = False
    if not given:
        if not app.interactive:
            raise BadInput("nothing to log: rate symptoms 0-3 or name red flags", EXAMPLE)
        interrupted = ask_check(app, values)
        rated = any(values.get(s) is not None for s in domain.SYMPTOMS)
        if interrupted and not rated and not any(values.get(f) for f in domain.RED_FLAGS):
            app.prompter.say("Nothing saved.")
            return 130
    row = domain.build_check(values)
    from relapse_cli.care.store.withdrawal import insert_check
    from relapse_cli.core.timeparse import to_storage

    row["occurred_at"], row["utc_offset_min"] = to_storage(when)
    uuid = insert_check(app.connect(), row)
    out = sys.stdout
    line = f"withdrawal check · {domain.describe(row)}"
    red_flags = row["red_flags"]
    assert isinstance(red_flags, list)  # build_check's list of red-flag ids
    if red_flags:
        line += " · red flags: " + ", ".join(domain.red_flag_label(f) for f in red_flags)
    from relapse_cli.core.timeparse import when_text

    say(
        f"Saved {for_terminal(line, single_line=True)} · {when_text(when, app.clock.now())} "
        f"· id {uuid[:8]}",
        out,
    )
    if interrupted:
        say("Stopped early: saved what you answered so far.", out)
    if not red_flags:
        say(domain.NOT_A_SCALE + " The course over the days: relapse withdrawal", out)
    return 0


def show_urgent(app: AppContext, flags: list[str]) -> None:
    """The urgent-help screen (issue 6's ``show_urgent_help``); a plain fallback if it fails,
    so a red flag is never met with an error instead of help."""
    reason = "withdrawal red flag: " + ", ".join(domain.red_flag_label(f) for f in flags)
    try:
        from relapse_cli.plan.safety import show_urgent_help

        show_urgent_help(app, reason=reason)
    except Exception:  # noqa: BLE001 - help must reach the person whatever went wrong
        say(for_terminal(reason.capitalize(), single_line=True) + ".", sys.stdout)
        for line in URGENT_FALLBACK:
            say(line, sys.stdout)
    if "self_harm" in flags:
        try:
            from relapse_cli.plan.safety import show_safety_screen

            show_safety_screen(app, reason="self_harm")
        except Exception:  # noqa: BLE001
            say("Crisis lines and your safety plan: relapse sos", sys.stdout)
    sys.stdout.flush()


def _yes(prompter: Prompter, question: str) -> bool:
    while True:
        raw = prompter.ask(question, hint="y/N").strip().lower()
        if raw in ("", "n", "no"):
            return False
        if raw in ("y", "yes"):
            return True
        prompter.say("Please answer y or n.")


def ask_check(app: AppContext, values: dict[str, object]) -> bool:
    """The guided form: every red-flag question first (they are few, and one yes must not
    hide another: a seizure and thoughts of self-harm need different help), then the
    urgent-help screen for all the yeses at once (with the suicide-safety plan when
    self-harm is yes), then each symptom 0-3. Fills ``values``; returns True if stopped
    early (Ctrl-C); a yes given before Ctrl-C still gets its screen."""
    from relapse_cli.core.prompter import ask_number

    p = app.prompter
    p.say("Withdrawal check. First, signs that need urgent help (Enter = no):")
    flagged: list[str] = []
    try:
        try:
            for item in domain.red_flag_items():
                if _yes(p, item["question"]):
                    values[item["id"]] = True
                    flagged.append(item["id"])
        finally:
            if flagged:
                show_urgent(app, flagged)
        if flagged:
            p.say("Saving this check now; the symptom questions can wait.")
            return False
        p.say("Now each symptom: 0 none, 1 mild, 2 moderate, 3 severe (Enter to skip).")
        for item in domain.symptom_items():
            values[item["id"]] = ask_number(p, item["question"], domain.LOW, domain.HIGH)
    except (KeyboardInterrupt, EOFError):
        return True
    return False

"""Crisis safety built into every flow: the safety screen and the urgent-help screen.

Other commands call these (check-ins when PHQ-9 item 9 is above 0; withdrawal red flags), and
``relapse sos`` shares their pieces. They read the plan from its mirror (``sos.toml``) first,
then from the journal, and print whatever they can: they never raise because the journal
cannot be opened. Light imports only (no Rich, no Typer), so the sos fast lane can use them.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relapse_cli.cli.context import AppContext


def journal_path_of(app: AppContext) -> str | None:
    try:
        return app.journal_path
    except Exception:  # noqa: BLE001 - a bad path must not hide the crisis lines
        return None


def plan_items(app: AppContext) -> list[dict[str, object]] | None:
    """The person's plan: from the mirror, else from a journal this command already opened."""
    return plan_read(app)[0]


def plan_read(app: AppContext) -> tuple[list[dict[str, object]] | None, int, bool]:
    """(typed plan items or None, items skipped as damaged, whole copy unreadable).

    From the mirror first, else from a journal this command already opened; either way
    validated by plan/model/plan.py ``valid_items``, so no value anywhere can break a crisis
    screen. Never opens the journal itself: a locked journal would ask for a passphrase and
    a busy one could keep a person waiting, in exactly the moment they need this screen.
    Never raises.
    """
    try:
        journal = journal_path_of(app)
        if journal is None:
            return None, 0, False
        from relapse_cli.plan.store.mirror import read_mirror_checked

        read = read_mirror_checked(journal)
        if read.items is not None or read.damaged:
            return read.items, read.skipped, read.damaged
        con = getattr(app, "_con", None)
        if con is None:
            return None, 0, False
        from relapse_cli.plan.model.plan import valid_items
        from relapse_cli.plan.store.plan import list_items

        items, skipped = valid_items(list_items(con))
        return items, skipped, False
    except Exception:  # noqa: BLE001 - a damaged journal: show the crisis lines anyway
        return None, 0, True


def country_for(app: AppContext, override: str | None = None) -> str | None:
    """--country, else the setting, else the locale (en_GB.UTF-8 -> GB)."""
    from relapse_cli.plan.model.crisis import country_from_locale, normalise

    if override:
        return normalise(override)
    journal = journal_path_of(app)
    if journal is not None:
        from relapse_cli.plan.store.mirror import read_settings_leniently

        country = read_settings_leniently(journal).get("country")
        if isinstance(country, str) and normalise(country):
            return normalise(country)
    try:
        return country_from_locale()
    except Exception:  # noqa: BLE001 - an odd locale: the fallback lines, not an error
        return None


def crisis_info(app: AppContext, override: str | None = None) -> object:
    """The crisis lines for the person's country; never raises (the no-country fallback)."""
    from relapse_cli.plan.model.crisis import lines_for

    try:
        return lines_for(country_for(app, override))
    except Exception:  # noqa: BLE001
        return lines_for(None)


def crisis_only(app: AppContext) -> list[str]:
    """The last resort of every crisis screen: crisis lines and the emergency sentence."""
    from relapse_cli.plan.view.sos_text import Style, crisis_block

    return crisis_block(crisis_info(app), Style(use_color()))


def use_color() -> bool:
    """Simple ANSI only on a terminal and only when NO_COLOR is unset (no-color.org)."""
    if "NO_COLOR" in os.environ:
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _print(lines: list[str]) -> None:
    from relapse_cli.core.wrapping import wrap_lines

    sys.stdout.write("\n".join(wrap_lines(lines)) + "\n")
    sys.stdout.flush()


def show_safety_screen(app: AppContext, *, reason: str) -> None:
    """The crisis safety plan (six steps, with the person's own safety-plan items) and crisis
    lines. Never raises: whatever fails, the crisis lines and the sentence are printed.

    ``reason``: a known tag (``"phq9_item9"``) or a short sentence to show first.
    """
    try:
        from relapse_cli.plan.view.sos_text import safety_screen

        items, skipped, damaged = plan_read(app)
        lines = safety_screen(
            items, crisis_info(app), reason, color=use_color(), skipped=skipped, damaged=damaged
        )
    except Exception:  # noqa: BLE001 - help must reach the person whatever went wrong
        lines = ["Your safety plan could not be shown.", *crisis_only(app)]
    _print(lines)


def show_urgent_help(app: AppContext, *, reason: str) -> None:
    """'Get urgent medical help now', the emergency number, the care team, crisis lines.
    Never raises: whatever fails, the crisis lines and the sentence are printed.

    ``reason``: a known tag (``"withdrawal"``) or a short sentence naming what was reported.
    """
    try:
        from relapse_cli.plan.view.sos_text import urgent_screen

        lines = urgent_screen(plan_items(app), crisis_info(app), reason, color=use_color())
    except Exception:  # noqa: BLE001
        lines = [
            "Get urgent medical help now: call your local emergency number.",
            *crisis_only(app),
        ]
    _print(lines)


def after_log_lines(row: dict, journal: str | None, think_id: str | None = None) -> list[str]:
    """After a craving of 9-10 or any use: the plan's top coping steps and `relapse sos`;
    after a use, the plan's "if I lapse" steps too, and (``think_id``: when no terminal is
    there to ask) the command for a thought record about it. Brief, printed once, never a
    question.

    Reads only the mirror (no journal query, tomllib only here) so the log stays fast.
    """
    from relapse_cli.plan.model.plan import grouped, item_line

    items = None
    if journal is not None:
        from relapse_cli.plan.store.mirror import read_mirror

        items = read_mirror(journal)
    groups = grouped(items or [])
    lines: list[str] = []
    coping = [_plain(item_line(i)) for i in groups["coping"][:3]]
    if coping:
        lines.append("From your plan, what helps: " + "; ".join(coping) + ".")
    lapsed = row.get("kind") == "use" or row.get("outcome") == "used"
    if lapsed:
        next_steps = [_plain(item_line(i)) for i in groups["if_lapse"][:3]]
        if next_steps:
            lines.append("Your plan for after a lapse: " + "; ".join(next_steps) + ".")
        else:
            lines.append(
                "Worth deciding what you will do after a lapse: relapse plan add "
                'if_lapse "call my sponsor"'
            )
        if think_id:
            lines.append(
                "A thought record can help you learn from it, when you are ready: "
                f"relapse think --craving {think_id[:8]}"
            )
    elif not coping:
        lines.append("Write down what helps you, for next time: relapse plan build")
    lines.append("Right now, one screen with your plan and people to call: relapse sos")
    return lines


def _plain(text: str) -> str:
    from relapse_cli.core.text import for_terminal

    return for_terminal(text, single_line=True)

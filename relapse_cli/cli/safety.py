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
    """The person's plan: from the mirror, else from a journal this command already opened.

    Never opens the journal itself: a locked journal would ask for a passphrase and a busy
    one could keep a person waiting, in exactly the moment they need this screen.
    """
    journal = journal_path_of(app)
    if journal is None:
        return None
    from relapse_cli.journal.mirror import read_mirror

    items = read_mirror(journal)
    if items is not None:
        return items
    con = getattr(app, "_con", None)
    if con is None:
        return None
    try:
        from relapse_cli.journal.plan import list_items

        return list_items(con)
    except Exception:  # noqa: BLE001 - a damaged journal: show the crisis lines anyway
        return None


def country_for(app: AppContext, override: str | None = None) -> str | None:
    """--country, else the setting, else the locale (en_GB.UTF-8 -> GB)."""
    from relapse_cli.domain.crisis import country_from_locale, normalise

    if override:
        return normalise(override)
    journal = journal_path_of(app)
    if journal is not None:
        from relapse_cli.journal.mirror import read_settings_leniently

        country = read_settings_leniently(journal).get("country")
        if isinstance(country, str) and normalise(country):
            return normalise(country)
    return country_from_locale()


def use_color() -> bool:
    """Simple ANSI only on a terminal and only when NO_COLOR is unset (no-color.org)."""
    if "NO_COLOR" in os.environ:
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _print(lines: list[str]) -> None:
    from relapse_cli.wrapping import wrap_lines

    sys.stdout.write("\n".join(wrap_lines(lines)) + "\n")
    sys.stdout.flush()


def show_safety_screen(app: AppContext, *, reason: str) -> None:
    """The crisis safety plan (six steps, with the person's own items) and crisis lines.

    ``reason``: a known tag (``"phq9_item9"``) or a short sentence to show first.
    """
    from relapse_cli.domain.crisis import lines_for
    from relapse_cli.render.sos_text import safety_screen

    _print(safety_screen(plan_items(app), lines_for(country_for(app)), reason,
                         color=use_color()))  # fmt: skip


def show_urgent_help(app: AppContext, *, reason: str) -> None:
    """'Get urgent medical help now', the emergency number, the care team, crisis lines.

    ``reason``: a known tag (``"withdrawal"``) or a short sentence naming what was reported.
    """
    from relapse_cli.domain.crisis import lines_for
    from relapse_cli.render.sos_text import urgent_screen

    _print(urgent_screen(plan_items(app), lines_for(country_for(app)), reason,
                         color=use_color()))  # fmt: skip


def after_log_lines(row: dict, journal: str | None, think_id: str | None = None) -> list[str]:
    """After a craving of 9-10 or any use: the plan's top coping steps and `relapse sos`;
    after a use, the plan's "if I lapse" steps too, and (``think_id``: when no terminal is
    there to ask) the command for a thought record about it. Brief, printed once, never a
    question.

    Reads only the mirror (no journal query, tomllib only here) so the log stays fast.
    """
    from relapse_cli.domain.plan import grouped, item_line

    items = None
    if journal is not None:
        from relapse_cli.journal.mirror import read_mirror

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
            lines.append('Worth deciding what you will do after a lapse: relapse plan add '
                         'if_lapse "call my sponsor"')  # fmt: skip
        if think_id:
            lines.append("A thought record can help you learn from it, when you are ready: "
                         f"relapse think --craving {think_id[:8]}")  # fmt: skip
    elif not coping:
        lines.append("Write down what helps you, for next time: relapse plan build")
    lines.append("Right now, one screen with your plan and people to call: relapse sos")
    return lines


def _plain(text: str) -> str:
    from relapse_cli.text import for_terminal

    return for_terminal(text, single_line=True)

"""``relapse sos``: the one command for a hard moment.

One screen, at once: a grounding line, the person's top coping steps and reasons, people to
call, then crisis lines for their country and the emergency sentence; then (on a terminal
only) one-key offers: urge surfing, SOBER breathing, log this craving.

It must work when nothing else does, so it never opens the journal: the plan comes from its
mirror (``sos.toml``, plan/store/mirror.py) and the crisis lines from packaged data. Like
``relapse log`` it has a fast lane in entry.py (no Typer, Click, Rich, sqlite-utils, sqlite3).
"""

from __future__ import annotations

import os
import sys

from relapse_cli.cli.spec import CommandSpec, Param

TYPE_CHECKING = False
if TYPE_CHECKING:
    import typer

    from relapse_cli.cli.context import AppContext

SOS = CommandSpec(
    "sos",
    "For a hard moment: your coping steps, reasons and people to call, crisis lines for your "
    "country, and one-key offers (urge surfing, breathing, log the craving). Works even when "
    "the journal cannot be opened.",
    (
        Param("country", "--country", metavar="XX",
              help="Show crisis lines for this country (two letters, e.g. GB) instead of your "
                   "setting; for travel."),
        Param("no_offers", "--no-offers", is_flag=True,
              help="Just print the screen; do not offer exercises or logging."),
    ),
)  # fmt: skip

OFFERS = (("u", "urge surfing"), ("b", "SOBER breathing"), ("l", "log this craving"))
# If the breathing module is not there (or fails), these words still help. SOBER: Stop,
# Observe, Breathe, Expand, Respond (Bowen, Chawla & Marlatt, MBRP, 2011); wording ours.
SOBER_FALLBACK = (
    "Stop where you are.",
    "Observe what you feel in your body and what your mind is saying, without acting on it.",
    "Breathe: slowly in through your nose, and a longer breath out. Ten times.",
    "Expand your attention to the room around you: five things you can see.",
    "Respond with the next step from your plan, not the urge.",
)
# Urge surfing (Marlatt): no duration is promised, as sources disagree on how long an urge
# lasts (CLINICAL.md section 6).
URGE_FALLBACK = (
    "Notice where the urge sits in your body. Rate it 0 to 10.",
    "Breathe with it, like riding a wave: it rises, peaks and falls, even when it feels as if "
    "it never will.",
    "Every minute or two, notice how strong it is now. You do not have to act on it.",
)


def run_sos(app: AppContext, values: dict[str, object]) -> int:
    """Print the sos screen and exit 0 whatever the mirror, settings or journal hold: the
    plan comes through one validating read (plan/store/mirror.py), each part is drawn on its
    own, and if anything still fails the crisis block alone is printed."""
    from relapse_cli.plan.model.crisis import normalise
    from relapse_cli.plan.safety import (
        crisis_info,
        crisis_only,
        journal_path_of,
        use_color,
    )

    raw_country = values.get("country")
    if raw_country is not None and normalise(str(raw_country)) is None:
        sys.stderr.write(
            f"relapse: --country takes two letters like GB or US, not "
            f"{str(raw_country)[:20]!r}; showing general advice\n"
        )
    offers = not values.get("no_offers") and app.interactive
    try:
        lines = _screen(app, raw_country, offers, journal_path_of(app), use_color())
    except Exception:  # noqa: BLE001 - the crisis lines must print whatever went wrong
        if app.debug:
            raise
        from relapse_cli.plan.model.plan import GROUNDING

        lines = ["SOS. " + GROUNDING[0], GROUNDING[1], *crisis_only(app)]
        if raw_country is not None:
            from relapse_cli.plan.view.sos_text import Style, crisis_block

            lines[2:] = crisis_block(crisis_info(app, str(raw_country)), Style(use_color()))
    out = sys.stdout
    out.write("\n".join(lines) + "\n")
    out.flush()
    if not offers:
        return 0
    return offer(app)


def _screen(
    app: AppContext, raw_country: object, offers: bool, journal: str | None, color: bool
) -> list[str]:
    from relapse_cli.plan.safety import crisis_info
    from relapse_cli.plan.view.sos_text import sos_screen

    items = None
    mirror_off = False
    skipped, damaged = 0, False
    if journal is not None:
        from relapse_cli.plan.store.mirror import read_mirror_checked, read_settings_leniently

        read = read_mirror_checked(journal)
        items, skipped, damaged = read.items, read.skipped, read.damaged
        mirror_off = items is None and read_settings_leniently(journal).get("sos_mirror") is False
    info = crisis_info(app, str(raw_country) if raw_country is not None else None)
    rows, cols = _terminal_size()
    if rows is not None:  # keep the grounding line in view: room for the offers and a prompt
        rows -= 3 if offers else 1
    return sos_screen(
        items,
        info,
        color=color,
        mirror_off=mirror_off,
        rows=rows,
        cols=cols,
        skipped=skipped,
        damaged=damaged,
    )


def _terminal_size() -> tuple[int | None, int]:
    """(rows, columns) of the terminal stdout is on; (None, 80) for a pipe or a file."""
    from relapse_cli.core.wrapping import terminal_width

    try:
        if not sys.stdout.isatty():
            return None, terminal_width(sys.stdout)
        size = os.get_terminal_size(sys.stdout.fileno())
    except (AttributeError, ValueError, OSError):
        return None, 80
    return (size.lines or None), (size.columns or 80)


def offer(app: AppContext) -> int:
    """One key: u, b, l, or anything else to close."""
    from relapse_cli.core.wrapping import join_fitting, terminal_width

    menu = [f"[{k}] {label}" for k, label in OFFERS] + ["[Enter] close"]
    sys.stdout.write("\n" + "\n".join(join_fitting(menu, terminal_width(sys.stdout))) + "\n")
    sys.stdout.flush()
    try:
        key = _read_key(app)
    except (KeyboardInterrupt, EOFError):
        return 0
    except Exception:  # noqa: BLE001 - a terminal that cannot give one key (termios) still closes
        if app.debug:
            raise
        return 0
    if key == "u":
        return _exercise(app, "urge", URGE_FALLBACK)
    if key == "b":
        return _exercise(app, "sober", SOBER_FALLBACK)
    if key == "l":
        if not _journal_opens(app):
            return 1
        from relapse_cli.log.commands.log import run_log

        return run_log(app, "craving", {})
    return 0


def _journal_opens(app: AppContext) -> bool:
    """Open the journal before asking the log's questions, not after: when it cannot be
    opened, say so at once rather than lose the answers."""
    from relapse_cli.core.errors import RelapseError

    try:
        app.connect()
    except RelapseError as exc:
        if app.debug:
            raise
        sys.stderr.write(
            f"relapse: this craving cannot be saved right now ({exc.line()}); "
            "the steps above still stand. Log it later: relapse log craving\n"
        )
        return False
    return True


def _read_key(app: AppContext) -> str:
    """A single key press on a real terminal; a scripted or piped answer line otherwise."""
    if app._prompter is None and _stdin_tty():
        return _raw_key()
    return app.prompter.ask("Choose", hint="u, b, l or Enter").strip().lower()[:1]


def _stdin_tty() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _raw_key() -> str:
    """One key press, read whole: an arrow key's escape sequence is one read (not a lone ESC
    with "[A" left over for the shell). Ctrl-C raises KeyboardInterrupt, Ctrl-D EOFError.
    Click is imported only here, once the screen is up, never on the way to showing it."""
    import click

    return click.getchar()[:1].lower()


def _exercise(app: AppContext, name: str, fallback: tuple[str, ...]) -> int:
    try:
        from relapse_cli.breathing.commands import start_exercise
    except ImportError:
        pass  # the words below, always there
    else:
        try:
            return int(start_exercise(app, name) or 0)
        except Exception as exc:  # noqa: BLE001 - e.g. the journal cannot be opened to save it
            if app.debug:
                raise
            from relapse_cli.core.errors import RelapseError

            why = exc.line() if isinstance(exc, RelapseError) else type(exc).__name__
            sys.stderr.write(
                f"relapse: the guided exercise could not run ({why}); here it is in words\n"
            )
    sys.stdout.write("\n".join(fallback) + "\n")
    return 0


def sos_handler(ctx: typer.Context, values: dict[str, object]) -> int:
    """The Typer lane of ``relapse sos`` (the fast path calls ``run_sos`` itself)."""
    from relapse_cli.cli.typer_build import app_context

    return run_sos(app_context(ctx), values)


def register(app: typer.Typer) -> None:
    from relapse_cli.cli.typer_build import from_spec

    app.command("sos", help=SOS.help)(from_spec(SOS, sos_handler))

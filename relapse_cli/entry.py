"""The ``relapse`` command: one error boundary, and a fast lane for the hot commands.

``relapse log ...`` is parsed straight from its spec (no Typer, no Click, no Rich) so that
logging an urge at 11 pm answers in a blink; everything else, and anything the fast lane is
unsure of, goes to the Typer app. Both lanes run the same handlers behind the same boundary:
expected failures become one line on stderr and an exit code, never a traceback.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not `from typing import`: typing costs the hot path ~2 ms

if TYPE_CHECKING:
    from collections.abc import Callable

    from relapse_cli.cli.context import AppContext
    from relapse_cli.core.clock import FakeClock, SystemClock
    from relapse_cli.core.prompter import Prompter

EXIT_INTERRUPTED = 130


def main(
    argv: list[str] | None = None,
    *,
    clock: SystemClock | FakeClock | None = None,
    prompter: Prompter | None = None,
    interactive: bool | None = None,
) -> int:
    """Run one command and return its exit code (the console script exits with it)."""
    from relapse_cli.core.text import reset_replaced

    reset_replaced()
    _streams()
    _sizes()
    raw = sys.argv[1:] if argv is None else list(argv)
    if any("\x00" in a for a in raw):  # never from a real shell; names, notes and paths alike
        at = next(i for i, a in enumerate(raw) if "\x00" in a) + 1
        sys.stderr.write(
            f"relapse: argument {at} holds a NUL character; control characters "
            "cannot be part of a name, note or path\n"
        )
        return 2
    args = ask_for_bare_note([_typed(a) for a in raw])
    if args == ["--version"]:  # answered without importing Typer (~5x faster than through it)
        from relapse_cli import version_line

        sys.stdout.write(version_line() + "\n")
        return 0
    args = negative_log_value(args)
    os.umask(0o077)  # everything this process creates is private: journal, WAL, exports
    from relapse_cli.cli.context import AppContext

    def context(journal: str | None = None, debug: bool = False) -> AppContext:
        """Global options plus the seams tests replace (clock, prompter, interactive)."""
        return AppContext(
            journal=journal, debug=debug, clock=clock, prompter=prompter, interactive=interactive
        )

    sos = _sos_lane(args)
    if (
        sos is not None
    ):  # `relapse sos`: a hard moment, so no Typer/Rich/SQLite (plan/commands/sos.py)
        (journal, debug), values = sos
        sos_app = context(journal, debug)

        def run_sos() -> int:
            from relapse_cli.plan.commands.sos import run_sos

            return run_sos(sos_app, values)

        return guarded(run_sos, sos_app)
    fast = _fast_lane(args)
    if fast is not None:
        (journal, debug), kind, values = fast
        app = context(journal, debug)

        def run() -> int:
            from relapse_cli.log.commands.log import run_log

            return run_log(app, kind, values)

        return guarded(run, app)
    app = context(debug="--debug" in args)
    return guarded(lambda: _typer_lane(args, app), app)


def _typed(arg: str) -> str:
    """An argument with bytes that are not UTF-8 replaced (``text.typed_text``), unless it
    names an existing file: a path is the file's name, not text to store."""
    from relapse_cli.core.text import typed_text

    if arg.isascii():
        return arg
    fixed = typed_text(arg)
    if fixed != arg and os.path.lexists(arg):
        return arg
    return fixed


def _streams() -> None:
    """Output that degrades instead of failing: a terminal or pipe that cannot show a
    character (``PYTHONIOENCODING=ascii``, a latin-1 locale) gets ``?`` for it, so a saved
    entry is never reported as a failure; stdin's undecodable bytes become U+FFFD (counted,
    and mentioned, like arguments)."""
    from relapse_cli.core.text import stdin_errors

    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        if getattr(stream, "errors", None) in ("strict", "surrogateescape") and hasattr(
            stream, "reconfigure"
        ):
            stream.reconfigure(errors=errors)
    stdin = sys.stdin
    if getattr(stdin, "errors", None) in ("strict", "surrogateescape") and hasattr(
        stdin, "reconfigure"
    ):
        try:
            stdin.reconfigure(errors=stdin_errors())
        except (OSError, ValueError):  # already read from, or closed: leave it
            pass


def _sizes() -> None:
    """A ``COLUMNS`` or ``LINES`` that is not plain digits ('²', 'wide') is dropped: Rich reads
    them with ``str.isdigit`` then ``int``, which fails on '²', and our wrapping would ignore
    them anyway; without them the terminal's own size is used."""
    from relapse_cli.core.text import plain_digits

    for name in ("COLUMNS", "LINES"):
        value = os.environ.get(name)
        if value is not None and not plain_digits(value):
            del os.environ[name]


_NOTE_FLAGS = ("-n", "--note")
_NOTE_COMMANDS = ("log", "edit", "checkin", "appointments", "meds")  # those with a note option


def negative_log_value(args: list[str]) -> list[str]:
    """``relapse log energy -3`` (a homework tracker whose range goes below 0): Click would
    read ``-3`` as an option, so the value moves behind ``--`` at the end, for both lanes.
    ``relapse log craving -1`` too, so that it meets the range check ("must be 0–10, not
    -1") instead of Click's "No such option: -1"."""
    if "--" in args or "log" not in args[:4]:
        return args
    at = args.index("log") + 2
    value = args[at] if at < len(args) else ""
    if len(value) < 2 or value[0] != "-" or not (value[1].isdigit() or value[1] == "."):
        return args
    try:
        float(value)
    except ValueError:
        return args
    from relapse_cli.log.commands.spec import LOG_COMMANDS

    spec = LOG_COMMANDS.get(args[at - 1])
    if spec is not None and not any(p.positional and p.type is not str for p in spec.params):
        return args  # `log trigger -1`: a name, not a number (and not ours to move)
    return [*args[:at], *args[at + 1 :], "--", value]


def ask_for_bare_note(args: list[str]) -> list[str]:
    """``--note`` with no value (last, or followed by another option) means "ask me".

    Notes typed as arguments land in shell history; a bare ``--note`` lets a person type the
    private part at a prompt instead. Done on argv, before either lane parses, so both agree.
    """
    if not any(a in _NOTE_COMMANDS for a in args[:4]):
        return args
    out: list[str] = []
    for i, arg in enumerate(args):
        out.append(arg)
        if arg == "--":
            out.extend(args[i + 1 :])
            break
        if arg in _NOTE_FLAGS:
            nxt = args[i + 1] if i + 1 < len(args) else None
            if nxt is None or (nxt.startswith("-") and nxt != "-" and len(nxt) > 1):
                from relapse_cli.cli.spec import NOTE_PROMPT

                out.append(NOTE_PROMPT)
    return out


def _globals(options: dict[str, object]) -> tuple[str | None, bool]:
    """(--journal, --debug) as ``fastpath.split_globals`` found them."""
    journal = options["journal"]
    assert journal is None or isinstance(journal, str)  # the option's text, or not given
    return journal, bool(options["debug"])


def _fast_lane(args: list[str]) -> tuple[tuple[str | None, bool], str, dict[str, object]] | None:
    if "log" not in args[:4]:
        return None
    from relapse_cli.cli import fastpath
    from relapse_cli.log.commands.spec import GLOBAL, LOG_COMMANDS, TRACKER

    split = fastpath.split_globals(GLOBAL, args)
    if split is None:
        return None
    options, rest = split
    if len(rest) < 2 or rest[0] != "log" or rest[1].startswith("-"):
        return None
    # A name that is not a kind is a homework tracker (`relapse log pain 4`, homework/commands/track.py).
    values = fastpath.parse(LOG_COMMANDS.get(rest[1]) or TRACKER, rest[2:])
    if values is None:
        return None
    return _globals(options), rest[1], values


def _sos_lane(args: list[str]) -> tuple[tuple[str | None, bool], dict[str, object]] | None:
    if "sos" not in args[:4]:
        return None
    from relapse_cli.cli import fastpath
    from relapse_cli.log.commands.spec import GLOBAL
    from relapse_cli.plan.commands.sos import SOS

    split = fastpath.split_globals(GLOBAL, args)
    if split is None or not split[1] or split[1][0] != "sos":
        return None
    values = fastpath.parse(SOS, split[1][1:])
    if values is None:
        return None
    return _globals(split[0]), values


def _typer_lane(args: list[str], app: AppContext) -> int:
    from relapse_cli.cli.app import click_errors, lazy_click

    abort, usage_error, click_error = click_errors()
    command = lazy_click()
    try:
        # Not standalone: Typer then returns exit codes and raises its errors to us, so that
        # every failure goes through the one boundary below (one line, no Rich box).
        result = command.main(args, prog_name="relapse", standalone_mode=False, obj=app)
    except abort:
        sys.stderr.write("Stopped.\n")
        return EXIT_INTERRUPTED
    except usage_error as exc:
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            sys.stdout.write(ctx.get_help() + "\n")  # bare `relapse`: help, not an error
            return 0
        where = ctx.command_path if ctx is not None else "relapse"
        message = exc.format_message()
        if message.startswith("Got unexpected extra argument"):  # Click's words, not ours
            extra = message[message.find("(", 30) + 1 : message.rfind(")")].strip()
            message = f"{where} takes fewer arguments; left over: {extra!r}"
        global_hint = _global_option_hint(message, args)
        if global_hint:
            sys.stderr.write(f"relapse: {message} ({global_hint})\n")
            return 2
        sys.stderr.write(f"relapse: {message} (see: {where} --help)\n")
        return 2
    except click_error as exc:
        sys.stderr.write(f"relapse: {exc.format_message()}\n")
        return int(getattr(exc, "exit_code", 1))
    return result if isinstance(result, int) else 0


def _say_replaced(code: int) -> None:
    """After a command that worked: say that typed bytes were replaced (see text.py)."""
    from relapse_cli.core.text import REPLACEMENT, replaced_bytes

    n = replaced_bytes()
    if n and code == 0:
        sys.stderr.write(
            f"relapse: {n} byte{'s' if n != 1 else ''} that {'were' if n != 1 else 'was'} not "
            f"UTF-8 text {'were' if n != 1 else 'was'} kept as {REPLACEMENT} (U+FFFD)\n"
        )


def _global_option_hint(message: str, args: list[str]) -> str | None:
    """``relapse log craving 5 --journal x.db``: a global option after the command."""
    for option in ("--journal", "--debug"):
        if f"No such option: {option}" in message:
            return (
                f"{option} is an option of relapse itself: put it before the command, "
                f"e.g. relapse {option}{' PATH' if option == '--journal' else ''} "
                f"{' '.join(a for a in args[:2] if not a.startswith('-'))} ..."
            )
    return None


def guarded(run: Callable[[], int], app: object) -> int:
    """The one error boundary: expected errors become one line and an exit code."""
    from relapse_cli.core.errors import RelapseError

    debug = bool(getattr(app, "debug", False)) or os.environ.get("RELAPSE_DEBUG") == "1"
    try:
        code = run()
        _say_replaced(code)
        return code
    except RelapseError as exc:
        if debug:
            raise
        from relapse_cli.core.text import for_terminal

        sys.stderr.write(f"relapse: {for_terminal(exc.line(), single_line=True)}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("\nStopped. Nothing was changed.\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `relapse history | head`): not an error worth a message.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return 0
    except Exception as exc:
        if debug:
            raise
        from relapse_cli.storage.db import database_errors, explain

        if isinstance(exc, database_errors()):  # e.g. the disk filled up mid-command
            path = getattr(app, "journal_path", "the journal")
            sys.stderr.write(f"relapse: {explain(path, exc).line()}\n")
            return 1
        # No traceback and no locals: journal text is private.
        sys.stderr.write(
            f"relapse: unexpected {type(exc).__name__}; nothing more was changed "
            "(run again with --debug for details)\n"
        )
        return 1
    finally:
        close = getattr(app, "close", None)
        if close is not None:
            close()

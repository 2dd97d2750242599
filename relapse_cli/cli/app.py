"""The Typer app: global options, and every command wired lazily from the registry.

Imported only off the hot path (``entry.py`` sends ``relapse log ...`` around it). Which
module holds each command, and the order of ``relapse --help``, are declared in
relapse_cli/kinds.py; the root group imports a command's module only when that command runs.
"""

from __future__ import annotations

import inspect
from functools import cache
from typing import TYPE_CHECKING, Annotated

import typer

from relapse_cli.cli.typer_build import app_context, from_spec, make_typer
from relapse_cli.kinds import COMMANDS, Command, command
from relapse_cli.log.commands.spec import GLOBAL, LOG_COMMANDS

if TYPE_CHECKING:
    from collections.abc import Callable

    from typer._click.core import Command as ClickCommand
    from typer._click.core import Context, Parameter
    from typer._click.exceptions import ClickException, UsageError
    from typer._click.formatting import HelpFormatter
    from typer.core import TyperGroup
    from typer.exceptions import Abort


def _version(value: bool) -> None:
    if value:
        from relapse_cli import version_line

        print(version_line())
        raise typer.Exit()


def _root(ctx: typer.Context, values: dict[str, object]) -> None:
    app = app_context(ctx)
    given = values.get("journal")
    app.journal = str(given) if given is not None else app.journal
    app.debug = bool(values.get("debug")) or app.debug


_VERSION = inspect.Parameter(
    "version",
    inspect.Parameter.KEYWORD_ONLY,
    default=False,
    annotation=Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ],
)


def _log_handler(kind: str) -> Callable[[typer.Context, dict[str, object]], int]:
    def handle(ctx: typer.Context, values: dict[str, object]) -> int:
        from relapse_cli.log.commands.log import run_log

        return run_log(app_context(ctx), kind, values)

    return handle


# The order of `relapse --help` is the registry's (relapse_cli/kinds.py).
HELP_ORDER = tuple(entry.name for entry in COMMANDS)


def register_log(app: typer.Typer) -> None:
    """``relapse log KIND``: one command per kind spec (log_spec.py), trackers otherwise."""
    from relapse_cli.homework.commands.track_group import LogGroup  # other names: homework trackers

    log_app = make_typer(
        cls=LogGroup,
        no_args_is_help=True,
        help="Log a craving, a mood, a trigger, a lapse or a withdrawal check in one line (or "
        "answer questions); "
        "a tracker from your homework: relapse log NAME VALUE.",
    )
    for name, spec in LOG_COMMANDS.items():
        log_app.command(name, help=spec.help)(from_spec(spec, _log_handler(name)))
    app.add_typer(log_app, name="log")


def _root_group() -> type[TyperGroup]:
    from typer.core import TyperGroup

    class RootGroup(TyperGroup):
        """The root command, lazy: a command's module is imported when it is looked up.

        ``relapse --help`` lists the registry's names and short help without importing any
        command module; ``relapse plan`` imports plan/commands/plan.py and nothing of the other
        commands. One module may hold several commands (history, show, edit, ...): loading
        it adds them all.
        """

        listing = False  # True while the help lists commands: placeholders, not modules

        def list_commands(self, ctx: Context) -> list[str]:
            names = [*HELP_ORDER, *(n for n in self.commands if n not in HELP_ORDER)]
            return names

        def get_command(self, ctx: Context, cmd_name: str) -> ClickCommand | None:
            if cmd_name not in self.commands:
                entry = command(cmd_name)
                if entry is None:
                    return None
                if self.listing:
                    from typer.core import TyperCommand

                    return TyperCommand(name=cmd_name, help=entry.help)
                self.load(entry)
            return self.commands.get(cmd_name)

        def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
            self.listing = True
            try:
                super().format_commands(ctx, formatter)
            finally:
                self.listing = False

        def load(self, entry: Command) -> None:
            """Import the command's module and add every command its ``register`` makes."""
            import importlib

            module = importlib.import_module(entry.module)
            holder = make_typer()
            getattr(module, entry.register)(holder)
            for name, cmd in typer.main.get_group(holder).commands.items():
                self.commands.setdefault(name, cmd)

    return RootGroup


def _root_app() -> typer.Typer:
    """The root Typer app: global options and --version; its commands come lazily."""
    app = make_typer(cls=_root_group(), no_args_is_help=True, help=GLOBAL.help)
    app.callback()(from_spec(GLOBAL, _root, extra=(_VERSION,)))
    return app


def build_app() -> typer.Typer:
    """The whole Typer app with every command registered (for tools that want a Typer)."""
    import importlib

    app = _root_app()
    done: set[tuple[str, str]] = set()
    for entry in COMMANDS:
        if (entry.module, entry.register) not in done:
            done.add((entry.module, entry.register))
            getattr(importlib.import_module(entry.module), entry.register)(app)
    return app


def click_errors() -> tuple[type[Abort], type[UsageError], type[ClickException]]:
    """(Abort, UsageError, ClickException) as Typer raises them: typer 0.28 vendors Click as
    ``typer._click`` (which is why ``typer`` is pinned to 0.28 in pyproject.toml)."""
    from typer._click import exceptions

    return typer.Abort, exceptions.UsageError, exceptions.ClickException


def _plain_numbers() -> None:
    """Every int/float option and argument (and their ranges) reads plain ASCII digits only,
    as the fast path does (``core.text.plain_number``), and says so in the person's words.

    Click's number types call ``int``/``float`` on the text, which also takes ``1_0`` and
    Unicode digits, and refuse with "'7.5' is not a valid int.". Set once on typer 0.28's
    vendored Click (used by this app alone); ranges (IntRange) go through the same convert.
    """
    from typer._click import types

    from relapse_cli.core.text import plain_number

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN202 - Click's signature
        kind = int if isinstance(self, types.IntParamType) else float
        try:
            return plain_number(kind, value)
        except ValueError:
            raise _not_a_number(value, param, ctx, whole=kind is int) from None

    types._NumberParamTypeBase.convert = convert  # type: ignore[method-assign]  # Click's parsing replaced on purpose


def _not_a_number(
    value: object, param: Parameter | None, ctx: Context | None, *, whole: bool
) -> Exception:
    from typer.core import TyperOption

    from relapse_cli.core.errors import BadInput
    from relapse_cli.log.commands.spec import LOG_COMMANDS
    from relapse_cli.log.model.entries import KIND_LABELS, RANGES

    name = getattr(param, "name", "") or ""
    command = getattr(ctx, "info_name", "") or ""
    what = getattr(param, "human_readable_name", name) if param is not None else "the value"
    if isinstance(param, TyperOption):  # the one class whose param_type_name is "option"
        what = max(param.opts, key=len)
    example = "e.g. 7" if whole else "e.g. 7 or 6.5"
    if command in LOG_COMMANDS and name in RANGES:
        low, high, label = RANGES[name]
        what = KIND_LABELS.get((command, name), label)
        example = f"{low:g} to {high:g}"
    number = "a whole number" if whole else "a number"
    path = getattr(ctx, "command_path", "relapse")
    return BadInput(
        f"{what} must be {number} in plain digits, not {value!r}", f"{example}; see: {path} --help"
    )


@cache
def lazy_click():  # noqa: ANN201 - a click Command (Typer's vendored Click)
    """The Click command ``entry.main`` runs: only the invoked command's module is imported."""
    _plain_numbers()
    return typer.main.get_command(_root_app())


@cache
def build_click():  # noqa: ANN201 - a click Command (Typer's vendored Click)
    """The whole Click command tree, every module loaded (for tests and tools that walk it);
    it runs exactly what ``lazy_click`` runs."""
    _plain_numbers()
    group = typer.main.get_command(_root_app())
    for entry in COMMANDS:
        group.get_command(None, entry.name)
    return group

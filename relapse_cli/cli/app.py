"""The full Typer app: every command, wired from the modules that hold them.

Imported only off the hot path (``entry.py`` sends ``relapse log ...`` around it).
"""

from __future__ import annotations

import inspect
from functools import cache
from typing import Annotated

import typer

from relapse_cli.cli.context import AppContext
from relapse_cli.cli.log_spec import GLOBAL, LOG_COMMANDS
from relapse_cli.cli.typer_build import from_spec

CONTEXT = {"help_option_names": ["-h", "--help"]}


def make_typer(**kwargs: object) -> typer.Typer:
    """Every (sub-)app with the same conventions: help on -h, no locals in crash reports."""
    return typer.Typer(
        context_settings=CONTEXT,
        pretty_exceptions_show_locals=False,
        rich_markup_mode=None,
        **kwargs,  # type: ignore[arg-type]
    )


def app_context(ctx: typer.Context) -> AppContext:
    """The AppContext that ``entry.main`` passed in (or a default one for direct Typer use)."""
    root = ctx.find_root()
    if not isinstance(root.obj, AppContext):
        root.obj = AppContext()
    return root.obj


def _version(value: bool) -> None:
    if value:
        from relapse_cli import version_line

        print(version_line())
        raise typer.Exit()


def _root(ctx: typer.Context, values: dict[str, object]) -> None:
    app = app_context(ctx)
    given = values.get("journal")
    app.journal = given if given is not None else app.journal  # type: ignore[assignment]
    app.debug = bool(values.get("debug")) or app.debug


_VERSION = inspect.Parameter(
    "version",
    inspect.Parameter.KEYWORD_ONLY,
    default=False,
    annotation=Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                            help="Show the version and exit.")],
)  # fmt: skip


def _log_handler(kind: str):  # noqa: ANN202
    def handle(ctx: typer.Context, values: dict[str, object]) -> int:
        from relapse_cli.cli.log import run_log

        return run_log(app_context(ctx), kind, values)

    return handle


# The order of `relapse --help`: what a person reaches for in a hard moment first, then the
# daily records, then looking back, then sharing, then housekeeping.
HELP_ORDER = (
    "log", "sos", "checkin", "breathe", "think", "plan",
    "summary", "trends", "history", "show", "edit", "delete", "undo", "thoughts", "traps",
    "triggers", "coping", "withdrawal", "meds", "appointments", "homework", "remind",
    "resources", "export", "import", "review", "config", "path", "backup", "restore",
    "doctor", "lock", "unlock", "purge", "demo",
)  # fmt: skip


def _root_group() -> type:
    from typer.core import TyperGroup

    class RootGroup(TyperGroup):
        def list_commands(self, ctx: object) -> list[str]:  # type: ignore[override]
            names = list(self.commands)
            rank = {name: i for i, name in enumerate(HELP_ORDER)}
            return sorted(names, key=lambda n: (rank.get(n, len(rank)), names.index(n)))

    return RootGroup


def build_app() -> typer.Typer:
    from relapse_cli.cli import admin, demo, history, lock, maintenance, summary, vocab

    app = make_typer(cls=_root_group(), no_args_is_help=True, help=GLOBAL.help)
    app.callback()(from_spec(GLOBAL, _root, extra=(_VERSION,)))

    from relapse_cli.cli.track_group import LogGroup  # other names: homework trackers

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

    history.register(app)
    vocab.register(app)
    summary.register(app)
    admin.register(app)
    demo.register(app)
    maintenance.register(app)
    lock.register(app)
    from relapse_cli.cli import share

    share.register(app)
    from relapse_cli.cli import think  # relapse think, thoughts, traps (issue 3)

    think.register(app)
    from relapse_cli.cli import plan, sos  # relapse plan, relapse sos (issue 6)

    plan.register(app)
    sos.register(app)
    from relapse_cli.cli import care  # withdrawal, meds, appointments, resources (issue 11)

    care.register(app)
    from relapse_cli.cli import breathe  # relapse breathe (issue 4)

    breathe.register(app)
    from relapse_cli.cli import checkin  # relapse checkin (issue 7)

    checkin.register(app)
    from relapse_cli.cli import homework  # relapse homework, relapse remind (issue 9)

    homework.register(app)
    return app


def click_errors() -> tuple[type[BaseException], type[Exception], type[Exception]]:
    """(Abort, UsageError, ClickException) as Typer raises them: typer 0.28 vendors Click as
    ``typer._click`` (which is why ``typer`` is pinned to 0.28 in pyproject.toml)."""
    from typer._click import exceptions

    return typer.Abort, exceptions.UsageError, exceptions.ClickException


def _plain_numbers() -> None:
    """Every int/float option and argument (and their ranges) reads plain ASCII digits only,
    as the fast path does (``spec.plain_number``), and says so in the person's words.

    Click's number types call ``int``/``float`` on the text, which also takes ``1_0`` and
    Unicode digits, and refuse with "'7.5' is not a valid int.". Set once on typer 0.28's
    vendored Click (used by this app alone); ranges (IntRange) go through the same convert.
    """
    from typer._click import types

    from relapse_cli.cli.spec import plain_number

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN202 - Click's signature
        kind = int if isinstance(self, types.IntParamType) else float
        try:
            return plain_number(kind, value)
        except ValueError:
            raise _not_a_number(value, param, ctx, whole=kind is int) from None

    types._NumberParamTypeBase.convert = convert  # type: ignore[method-assign]


def _not_a_number(value: object, param: object, ctx: object, *, whole: bool) -> Exception:
    from relapse_cli.cli.log_spec import LOG_COMMANDS
    from relapse_cli.domain.entries import KIND_LABELS, RANGES
    from relapse_cli.errors import BadInput

    name = getattr(param, "name", "") or ""
    command = getattr(ctx, "info_name", "") or ""
    what = getattr(param, "human_readable_name", name) if param is not None else "the value"
    if getattr(param, "param_type_name", "") == "option":
        what = max(param.opts, key=len)  # type: ignore[attr-defined]
    example = "e.g. 7" if whole else "e.g. 7 or 6.5"
    if command in LOG_COMMANDS and name in RANGES:
        low, high, label = RANGES[name]
        what = KIND_LABELS.get((command, name), label)
        example = f"{low:g} to {high:g}"
    number = "a whole number" if whole else "a number"
    path = getattr(ctx, "command_path", "relapse")
    return BadInput(f"{what} must be {number} in plain digits, not {value!r}",
                    f"{example}; see: {path} --help")  # fmt: skip


@cache
def build_click():  # noqa: ANN201 - a click Command (Typer's vendored Click)
    """The Click command behind the Typer app (what ``entry.main`` runs)."""
    _plain_numbers()
    return typer.main.get_command(build_app())

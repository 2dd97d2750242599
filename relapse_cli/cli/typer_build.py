"""Turning a ``CommandSpec`` into a Typer command, so options are declared once (as data)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer

from relapse_cli.cli.context import AppContext
from relapse_cli.cli.spec import CommandSpec, Param

Handler = Callable[..., int | None]


CONTEXT = {"help_option_names": ["-h", "--help"]}


def make_typer(**kwargs: Any) -> typer.Typer:
    """Every (sub-)app with the same conventions: help on -h, no locals in crash reports.

    ``kwargs``: Typer's own (``help``, ``cls``, ...), passed on only when given: Typer tells a
    keyword left out from one given as None (its DefaultPlaceholder)."""
    return typer.Typer(
        context_settings=CONTEXT,
        pretty_exceptions_show_locals=False,
        rich_markup_mode=None,
        **kwargs,
    )


def app_context(ctx: typer.Context) -> AppContext:
    """The AppContext that ``entry.main`` passed in (or a default one for direct Typer use)."""
    root = ctx.find_root()
    if not isinstance(root.obj, AppContext):
        root.obj = AppContext()
    return root.obj


def _parameter(p: Param) -> inspect.Parameter:
    from relapse_cli.cli.complete import BY_PARAM

    done = BY_PARAM.get(p.name)  # completes the values, not only the option names
    if p.positional:
        info = typer.Argument(
            help=p.help, metavar=p.metavar, show_default=False, autocompletion=done
        )
    else:
        info = typer.Option(
            *p.decls, help=p.help, metavar=p.metavar, show_default=False, autocompletion=done
        )
    if p.is_flag:
        annotation, default = Annotated[bool, info], False
    elif p.multiple:
        many = list.__class_getitem__(p.type)  # list[p.type], built from a value
        annotation, default = Annotated[many | None, info], None
    else:
        annotation, default = Annotated[p.type | None, info], None
    return inspect.Parameter(
        p.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def from_spec(
    spec: CommandSpec,
    handler: Callable[[typer.Context, dict], int | None],
    extra: tuple[inspect.Parameter, ...] = (),
) -> Handler:
    """A function whose signature Typer reads as the spec's parameters (plus ``extra``)."""
    params = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    ]
    params += [_parameter(p) for p in spec.params]
    params += extra

    def command(ctx: typer.Context, **values: object) -> int | None:
        return handler(ctx, values)

    command.__dict__["__signature__"] = inspect.Signature(params)  # what inspect reads
    command.__annotations__ = {p.name: p.annotation for p in params}
    command.__name__ = spec.name.replace("-", "_")
    command.__doc__ = spec.help
    return command

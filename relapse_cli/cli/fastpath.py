"""Parsing the hot commands from their specs without importing Typer or Click.

It only accepts what it understands for certain (known options, values that convert);
anything else returns None and the full Typer app answers, with Click's own messages, so the
two can never disagree on an error. ``tests/test_fastpath.py`` checks they agree on success.
"""

from __future__ import annotations

from relapse_cli.cli.spec import CommandSpec
from relapse_cli.core.text import plain_number


class _Unsure(Exception):
    """The fast path declines: let Typer parse this command line."""


def _convert(kind: type, raw: str) -> object:
    if kind is str:
        return raw
    try:
        return plain_number(kind, raw)
    except ValueError:
        raise _Unsure from None


def parse(spec: CommandSpec, args: list[str]) -> dict[str, object] | None:
    """Values by parameter name, as Typer would give them; None when unsure."""
    by_decl = {d: p for p in spec.params if not p.positional for d in p.decls}
    positionals = [p for p in spec.params if p.positional]
    values: dict[str, object] = {p.name: (False if p.is_flag else None) for p in spec.params}
    lists: dict[str, list[object]] = {}
    filled = 0
    only_positional = False
    i = 0
    try:
        while i < len(args):
            arg = args[i]
            i += 1
            if not only_positional and arg == "--":
                only_positional = True
                continue
            if not only_positional and arg.startswith("-") and arg != "-":
                name, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
                param = by_decl.get(name)
                if param is None or arg in ("-h", "--help"):
                    return None
                if param.is_flag:
                    if eq:
                        return None
                    values[param.name] = True
                    continue
                if not eq:
                    if i >= len(args):
                        return None
                    inline = args[i]
                    i += 1
                value = _convert(param.type, inline)
                if param.multiple:
                    lists.setdefault(param.name, []).append(value)
                else:
                    values[param.name] = value
                continue
            if filled >= len(positionals):
                return None
            param = positionals[filled]
            values[param.name] = _convert(param.type, arg)
            filled += 1
    except _Unsure:
        return None
    for name, items in lists.items():
        values[name] = items
    return values


def split_globals(spec: CommandSpec, args: list[str]) -> tuple[dict[str, object], list[str]] | None:
    """Leading global options (``--journal PATH``, ``--debug``) and the rest; None if unsure."""
    by_decl = {d: p for p in spec.params for d in p.decls}
    values: dict[str, object] = {p.name: (False if p.is_flag else None) for p in spec.params}
    i = 0
    while i < len(args) and args[i].startswith("-"):
        name, eq, inline = args[i].partition("=")
        param = by_decl.get(name)
        if param is None:
            return None
        if param.is_flag:
            if eq:
                return None
            values[param.name] = True
            i += 1
            continue
        if not eq:
            if i + 1 >= len(args):
                return None
            inline = args[i + 1]
            i += 1
        values[param.name] = inline
        i += 1
    return values, args[i:]

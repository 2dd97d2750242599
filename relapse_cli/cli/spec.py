"""Command options as data: the single definition both parsers read.

The Typer app builds its commands from these specs (``cli/typer_build.py``) and the fast path
(``cli/fastpath.py``) parses the hot ``log`` commands from the same specs without importing
Typer or Click (~40 ms). A test checks that both agree on a corpus of command lines.
"""

from __future__ import annotations

# What ``--note`` given without a value becomes in argv (entry.ask_for_bare_note): "ask for
# the note at a prompt", so the private part stays out of shell history (cli/inputs.py's
# resolve_note). Here, with the specs, because both parsers' lanes have it loaded already.
NOTE_PROMPT = "\x00ask"


class Param:
    """One option or positional argument of a command."""

    __slots__ = ("name", "decls", "type", "help", "multiple", "positional", "metavar", "is_flag")

    def __init__(
        self,
        name: str,
        *decls: str,
        type: type = str,  # noqa: A002 - mirrors click's wording
        help: str = "",  # noqa: A002
        multiple: bool = False,
        positional: bool = False,
        metavar: str | None = None,
        is_flag: bool = False,
    ) -> None:
        self.name = name
        self.decls = decls
        self.type = type
        self.help = help
        self.multiple = multiple
        self.positional = positional
        self.metavar = metavar
        self.is_flag = is_flag


class CommandSpec:
    """A command's name, help text and parameters, in the order shown in ``--help``."""

    __slots__ = ("name", "help", "params")

    def __init__(self, name: str, help: str, params: tuple[Param, ...]) -> None:  # noqa: A002
        self.name = name
        self.help = help
        self.params = params

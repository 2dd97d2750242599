"""The Rich console every command prints through, and the escaping of user text for it."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape

from relapse_cli.text import for_terminal, json_safe


def console(stderr: bool = False) -> Console:
    """A console on the current stdout/stderr. Rich honours NO_COLOR and plain pipes itself;
    ``highlight=False`` stops Rich colouring numbers inside a person's notes."""
    return Console(file=sys.stderr if stderr else sys.stdout, highlight=False, soft_wrap=False)


def safe(text: object, *, single_line: bool = False) -> str:
    """User text made inert for Rich: control characters shown, markup escaped."""
    return escape(for_terminal(str(text), single_line=single_line))


def print_json(data: Any) -> None:
    """JSON goes out plainly, never through Rich (which would reflow or colour it)."""
    sys.stdout.write(json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")


class Wrapped:
    """Text that wraps as ``relapse_cli.wrapping`` wraps plain lines: at spaces only, never
    inside a number ("87.5 %", "116 123", "8 → 3"), continuation lines keeping the indent or
    hanging under a list marker. Rich's own wrapping breaks at any space and drops the indent.

    ``text``: a Rich ``Text`` or a string of console markup (user text already ``safe``).
    """

    def __init__(self, text: object, style: str = "") -> None:
        from rich.text import Text

        self.text = text if isinstance(text, Text) else Text.from_markup(str(text), style=style)

    def __rich_measure__(self, console: Console, options: object) -> object:
        from rich.measure import Measurement

        from relapse_cli.wrapping import cells, glue

        lines = self.text.plain.split("\n")
        widest = max(cells(line) for line in lines)
        word = max((cells(w) for line in lines for w in glue(line).split()), default=0)
        hang = max((len(line) - len(line.lstrip(" ")) for line in lines), default=0)
        return Measurement(min(word + hang, widest), widest)

    def __rich_console__(self, console: Console, options: object) -> object:
        from rich.text import Text

        from relapse_cli.wrapping import breaks

        width = max(options.max_width, 1)  # type: ignore[attr-defined]
        for line in self.text.split("\n", allow_blank=True):
            hang, spans = breaks(line.plain, width)
            for i, (start, end) in enumerate(spans):
                part = line[start:end]
                yield Text(" " * hang) + part if i else part

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
    from relapse_cli.render.access import screen_reader

    file = sys.stderr if stderr else sys.stdout
    if screen_reader():  # issue 20: no boxes, no glyph charts, tables as "label: value" lines
        from relapse_cli.render.speech import SpeechConsole

        return SpeechConsole(file=file, highlight=False, soft_wrap=True, no_color=True, emoji=False)
    return Console(file=file, highlight=False, soft_wrap=False)


def safe(text: object, *, single_line: bool = False) -> str:
    """User text made inert for Rich: control characters shown, markup escaped."""
    return escape(for_terminal(str(text), single_line=single_line))


def print_json(data: Any) -> None:
    """JSON goes out plainly, never through Rich (which would reflow or colour it)."""
    sys.stdout.write(json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")

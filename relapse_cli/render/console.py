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
    """JSON goes out plainly, never through Rich (which would reflow or colour it).

    On a stream that cannot hold every character (``PYTHONIOENCODING=ascii``) the text is
    written with \\u escapes: the same JSON value, instead of ``?`` in place of letters."""
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "")
    ascii_only = encoding not in ("utf8", "utf16", "utf32")
    sys.stdout.write(json_safe(json.dumps(data, ensure_ascii=ascii_only, indent=2)) + "\n")

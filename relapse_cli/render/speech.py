"""The screen-reader console: what every command prints, as lines a screen reader reads well.

A screen reader reads a terminal line by line; box drawing is read as "box drawings light
horizontal" over and over, a two-column grid as unrelated words, a glyph chart as noise. So in
screen-reader mode (``render/access.py``) the console is a ``SpeechConsole``: each renderable a
command prints is turned into plain lines first (``speak``): a panel is its title then its
lines, a table is one "label: value" line per row (with a header row, "header: cell" for each
cell), and any box-drawing or block character left over is taken out. No colour, no live
redraw, no wrapping in the middle of a sentence. Charts are turned into sentences where they
are drawn (``render/describe.py``), since only there are the days and names known.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

# U+2500-257F box drawing, U+2580-259F block elements (sparkline bars, shades).
BOX_OR_BLOCK = re.compile("[\u2500-\u259f]")


def _plain(obj: object) -> str:
    if isinstance(obj, Text):
        return obj.plain
    if isinstance(obj, str):
        try:
            return Text.from_markup(obj).plain
        except Exception:  # noqa: BLE001  # not markup after all: the words as they are
            return obj
    return " ".join(speak(obj))


def _table(table: Table) -> list[str]:
    lines = []
    if table.title:
        lines.append(_plain(table.title))
    heads = [_plain(c.header).replace("\n", " ").strip() for c in table.columns]
    named = table.show_header and any(heads)
    columns = [list(c._cells) for c in table.columns]  # noqa: SLF001  # Rich keeps cells there
    for r in range(table.row_count):
        cells = [" ".join(_plain(col[r]).split()) if r < len(col) else "" for col in columns]
        if named:
            said = [f"{h}: {c}" if h else c for h, c in zip(heads, cells, strict=False) if c]
            lines.append("; ".join(said))
        elif len(cells) >= 2 and cells[0]:
            lines.append(f"{cells[0]}: {'; '.join(c for c in cells[1:] if c)}")
        else:
            lines.append(" ".join(c for c in cells if c))
    if table.caption:
        lines.append(_plain(table.caption))
    return [line for line in lines if line.strip()]


def speak(obj: object) -> list[str]:
    """Plain lines for anything a command prints."""
    if isinstance(obj, Panel):
        title = [_plain(obj.title)] if obj.title else []
        return title + speak(obj.renderable)
    if isinstance(obj, Table):
        return _table(obj)
    from relapse_cli.render.console import Fitted, Wrapped

    if isinstance(obj, Fitted):  # a narrow table's every column: words have no width to fit
        return _table(obj.table)
    if isinstance(obj, Wrapped):
        return _plain(obj.text).splitlines() or [""]
    if isinstance(obj, Group):
        return [line for part in obj.renderables for line in speak(part)]
    if isinstance(obj, Padding):
        return speak(obj.renderable)
    if isinstance(obj, Rule):
        return [_plain(obj.title)] if obj.title else []
    if isinstance(obj, Text | str):
        return _plain(obj).splitlines() or [""]
    capture = Console(width=200, no_color=True, highlight=False)  # anything else, as drawn
    with capture.capture() as out:
        capture.print(obj)
    return out.get().rstrip("\n").splitlines()


def clean(line: str) -> str:
    """A line with no box-drawing or block character left, and no runs of spaces inside."""
    line = BOX_OR_BLOCK.sub(" ", line)
    return re.sub(r"(?<=\S) {2,}(?=\S)", "  ", line).rstrip()


class SpeechConsole(Console):
    """A Rich console that prints every renderable as ``speak`` lines."""

    def print(self, *objects: object, **kwargs: Any) -> None:  # Console.print's keywords
        if not objects:
            super().print(**kwargs)
            return
        lines = [clean(line) for obj in objects for line in speak(obj)]
        for key in ("style", "justify", "overflow", "markup", "highlight", "width", "crop"):
            kwargs.pop(key, None)
        super().print(Text("\n".join(lines)), markup=False, highlight=False, crop=False, **kwargs)

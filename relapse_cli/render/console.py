"""The Rich console every command prints through, and the escaping of user text for it."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from relapse_cli.core.text import for_terminal, json_safe

if TYPE_CHECKING:
    from rich.console import ConsoleOptions, RenderResult
    from rich.measure import Measurement
    from rich.table import Column, Table


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
    """JSON goes out plainly, never through Rich (which would reflow or colour it).

    On a stream that cannot hold every character (``PYTHONIOENCODING=ascii``) the text is
    written with \\u escapes: the same JSON value, instead of ``?`` in place of letters."""
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "")
    ascii_only = encoding not in ("utf8", "utf16", "utf32")
    sys.stdout.write(json_safe(json.dumps(data, ensure_ascii=ascii_only, indent=2)) + "\n")


class Wrapped:
    """Text that wraps as ``relapse_cli.core.wrapping`` wraps plain lines: at spaces only, never
    inside a number ("87.5 %", "116 123", "8 → 3"), continuation lines keeping the indent or
    hanging under a list marker. Rich's own wrapping breaks at any space and drops the indent.

    ``text``: a Rich ``Text`` or a string of console markup (user text already ``safe``).
    """

    def __init__(self, text: object, style: str = "") -> None:
        from rich.text import Text

        self.text = text if isinstance(text, Text) else Text.from_markup(str(text), style=style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        from relapse_cli.core.wrapping import cells, glue

        lines = self.text.plain.split("\n")
        widest = max(cells(line) for line in lines)
        word = max((cells(w) for line in lines for w in glue(line).split()), default=0)
        hang = max((len(line) - len(line.lstrip(" ")) for line in lines), default=0)
        return Measurement(min(word + hang, widest), widest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        from relapse_cli.core.wrapping import breaks

        width = max(options.max_width, 1)
        for line in self.text.split("\n", allow_blank=True):
            hang, spans = breaks(line.plain, width)
            for i, (start, end) in enumerate(spans):
                part = line[start:end]
                yield Text(" " * hang) + part if i else part


class Fitted:
    """A table that fits the width it is drawn at, by leaving columns out rather than cutting
    words: Rich, short of room, ends cells and headers in "…" ("mo…", "4-7-8 breathi…").

    ``drop``: headers in the order they may be left out (the first goes first); a column not
    named there identifies the row (when, id, name) and always stays. Columns that may wrap
    wrap at word boundaries (give them ``no_wrap=False``). One mechanism for every table; the
    width is the one the table meets (terminal, pipe's 80, inside a panel), known only when
    drawn. When columns are left out, a dim line says which and where to see them all.
    """

    def __init__(self, table: Table, drop: tuple[str, ...] = (), *, note: bool = True) -> None:
        self.table = table
        self.drop = drop
        self.note = note

    def fit(self, console: Console, width: int) -> tuple[Table, list[str]]:
        """The table with as few columns left out as let its narrowest form fit ``width``."""
        import copy

        table = copy.copy(self.table)
        left_out: list[str] = []
        columns = list(self.table.columns)
        for name in (None, *self.drop):
            if name is not None:
                keep = [c for c in columns if _header(c) != name]
                if len(keep) == len(columns):
                    continue
                columns = keep
                left_out.append(name)
            table.columns = [copy.copy(c) for c in columns]
            for i, column in enumerate(table.columns):
                column._index = i  # Rich pads the first and last column by index
            if _narrowest(console, table) <= width:
                break
        _share(console, table, width)
        return table, left_out

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        table, _ = self.fit(console, options.max_width)
        return Measurement.get(console, options, table)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        table, left_out = self.fit(console, options.max_width)
        yield table
        if left_out and self.note:
            names = ", ".join(left_out)
            yield Wrapped(
                Text(
                    f"(Left out at this width: {names}. A wider terminal or --json "
                    "shows every column.)",
                    style="dim",
                )
            )


def _narrowest(console: Console, table: Table) -> int:
    """The fewest columns the table takes without a cut word: a column that may wrap needs
    its longest word (numbers and commands glued, as ``wrapping`` keeps them), a ``no_wrap``
    column its longest line. (Rich's own measure ignores ``no_wrap`` and so under-counts, then
    ends cells in "…".)"""
    needs = _needs(table)
    pads = sum(table._get_padding_width(i) for i in range(len(needs)))
    return int(table._extra_width + pads + sum(needs))


def _share(console: Console, table: Table, width: int) -> None:
    """Give the columns of a table too wide for ``width`` their widths ourselves: each at least
    what it needs (``_needs``), the widest capped first, as Rich shrinks. Rich's own shrinking
    knows no needs: once the columns that may wrap are even it cuts every column alike, a
    ``no_wrap`` one too ("08:00 taken" to "08:00 ta…"). A table that fits is left to Rich."""
    from rich.measure import Measurement

    columns = table.columns
    pads = [table._get_padding_width(i) for i in range(len(columns))]
    room = width - table._extra_width - sum(pads)
    needs = _needs(table)
    options = console.options.update_width(max(width, 1))
    widest = []
    for i, column in enumerate(columns):
        cells = [column.header] if table.show_header else []
        sizes = [Measurement.get(console, options, c).maximum for c in [*cells, *column._cells]]
        widest.append(max(needs[i], *sizes, 1) if column.width is None else column.width)
    if sum(widest) <= room or sum(needs) > room:
        return
    low, high = 0, max(widest)  # the largest cap under which every column still fits `room`
    while low < high:
        cap = (low + high + 1) // 2
        if sum(max(n, min(w, cap)) for n, w in zip(needs, widest, strict=True)) <= room:
            low = cap
        else:
            high = cap - 1
    sizes = [max(n, min(w, low)) for n, w in zip(needs, widest, strict=True)]
    for i in range(len(sizes)):  # what rounding left over, one cell each to the capped columns
        if sum(sizes) < room and sizes[i] < widest[i]:
            sizes[i] += 1
    for column, size in zip(columns, sizes, strict=True):
        column.width = size


def _needs(table: Table) -> list[int]:
    """Each column's narrowest width without a cut word (see ``_narrowest``)."""
    from rich.text import Text

    from relapse_cli.core.wrapping import cells, glue

    out = []
    for column in table.columns:
        need = 1
        texts = [column.header] if table.show_header else []
        for value in [*texts, *column._cells]:
            plain = value.plain if isinstance(value, Text) else Text.from_markup(str(value)).plain
            for line in plain.split("\n"):
                if column.no_wrap:
                    need = max(need, cells(line))
                else:
                    need = max(need, *(cells(w) for w in glue(line).split() or [""]))
        if column.min_width is not None:
            need = max(need, column.min_width)
        if column.width is not None:
            need = column.width
        out.append(need)
    return out


def _header(column: Column) -> str:
    """A column's header as one line of words ("Use\\ndays" is "Use days")."""
    return " ".join(str(getattr(column, "header", "")).split())

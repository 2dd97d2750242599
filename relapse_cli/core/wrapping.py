"""Wrapping lines at word boundaries to the terminal's width: one rule for every screen.

A terminal left to itself cuts a long line at its last column, through the middle of a word
or a phone number ("0800 58 / 58 58"); at 60 columns that happened in every guided flow and
in ``relapse sos``. Everything we print in lines (the prompter's questions and guidance, the
plain crisis screens, the breathing guide's words, confirmations) goes through ``wrap``; Rich
output goes through ``render.console.Wrapped``, which asks ``breaks`` for the same places.

The rule:
- break only at ASCII spaces; a word wider than the line stays whole (never split mid-word);
- never inside a number: spaces between digits (``116 123``, ``0800 58 58 58``), before a
  percent sign (``87.5 %``) and around an arrow between numbers (``8 → 3``) do not break;
  nor inside a command to type (``relapse plan build``); unless the glued run alone is wider
  than the line;
- a wrapped line keeps its indent, and lines under a list marker (``- ``, ``12. ``) hang under
  the text after it.

Standard library only, imported lazily by the prompter: the ``relapse log`` hot path pays
nothing until a line is shown.
"""

from __future__ import annotations

import os
import re

from relapse_cli.core.text import plain_digits

TYPE_CHECKING = False  # not `from typing import`: typing costs the hot path ~2 ms
if TYPE_CHECKING:
    from typing import TextIO

DEFAULT_WIDTH = 80
MIN_TEXT = 20  # a hanging indent never leaves fewer columns than this for the words
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Spaces that must not break: inside numbers, before %, around an arrow between numbers.
_GLUE = re.compile(r"(?<=\d) (?=\d)|(?<=\d) (?=%)|(?<=\d) (?=→ \d)|(?<=\d →) (?=\d)")
# A command to type stays on one line (copied in one piece): "relapse plan add people ...".
_COMMAND = re.compile(r"\brelapse(?: (?:--?[a-z][\w-]*|\"[^\"]*\"|'[^']*'|[a-z0-9][\w.:/-]*))+")
_HANG = re.compile(r"[ \t]*(?:(?:[-•*]|\d{1,3}[.)])[ ]+)?")


def terminal_width(stream: TextIO | None = None) -> int:
    """Columns to wrap to: ``COLUMNS`` when set (tests, and what Rich also honours), else the
    terminal ``stream`` (stdout by default) is on, else 80 (a pipe or a file)."""
    raw = os.environ.get("COLUMNS", "")
    if plain_digits(raw) and int(raw) > 0:
        return int(raw)
    import sys

    target = stream if stream is not None else sys.stdout
    try:
        if target.isatty():
            return os.get_terminal_size(target.fileno()).columns or DEFAULT_WIDTH
    except (AttributeError, ValueError, OSError):
        pass
    return DEFAULT_WIDTH


def glue(plain: str) -> str:
    """The same text with the spaces that must not break turned into no-break spaces (same
    length, so offsets into it are offsets into ``plain``)."""
    glued = _GLUE.sub("\u00a0", plain)
    if "relapse " in glued:
        glued = _COMMAND.sub(lambda m: m.group().replace(" ", "\u00a0"), glued)
    return glued


def cells(text: str) -> int:
    """Terminal columns the text takes (wide East Asian characters and emoji take two)."""
    if text.isascii():
        return len(text)
    from unicodedata import combining, east_asian_width

    return sum(0 if combining(c) else 2 if east_asian_width(c) in "WF" else 1 for c in text)


def breaks(plain: str, width: int) -> tuple[int, list[tuple[int, int]]]:
    """Where one line of plain text (no newline) is cut to fit ``width`` columns.

    Returns the hanging indent for the continuation lines and each line's (start, end)
    offsets in ``plain``; the spaces at a break belong to no line.
    """
    lead = _HANG.match(plain)
    assert lead is not None  # every part of _HANG is optional: it matches at any line's start
    hang = len(lead.group())
    if hang > max(width - MIN_TEXT, 0) or hang == len(plain):
        hang = len(plain) - len(plain.lstrip(" \t")) if len(plain.strip()) else 0
        hang = hang if hang <= max(width - MIN_TEXT, 0) else 0
    glued = glue(plain)
    words = [(m.start(), m.end()) for m in re.finditer(r"[^ \t]+", glued)]
    if not words or cells(plain) <= width:
        return hang, [(0, len(plain))]
    words = _split_wide(glued, words, width - hang)
    lines: list[tuple[int, int]] = []
    start, end = 0, words[0][1]
    col = cells(plain[: words[0][1]])
    for ws, we in words[1:]:
        gap = cells(plain[end:ws])
        size = cells(plain[ws:we])
        if col + gap + size <= width:
            end, col = we, col + gap + size
            continue
        lines.append((start, end))
        start, end, col = ws, we, hang + size
    lines.append((start, end))
    return hang, lines


def _split_wide(glued: str, words: list[tuple[int, int]], room: int) -> list[tuple[int, int]]:
    """A glued run wider than the line (a long row of numbers) may break at its glue after all;
    a single word stays whole."""
    out: list[tuple[int, int]] = []
    for ws, we in words:
        if cells(glued[ws:we]) <= room or "\u00a0" not in glued[ws:we]:
            out.append((ws, we))
            continue
        out.extend((ws + m.start(), ws + m.end()) for m in re.finditer(r"[^\u00a0]+", glued[ws:we]))
    return out


def wrap(text: str, width: int | None = None) -> list[str]:
    """``text`` (may hold newlines and ANSI styling) as lines of at most ``width`` columns."""
    width = terminal_width() if width is None else width
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(_wrap_one(line, max(width, 1)))
    return out


def wrap_lines(lines: list[str], width: int | None = None) -> list[str]:
    """Each line wrapped (a screen given as lines stays a list of lines, now shorter ones).

    The crisis screens pass through here, and they may never fail: should wrapping itself
    go wrong, the lines are returned as they were (the terminal then cuts them, as before).
    """
    try:
        width = terminal_width() if width is None else width
        return [part for line in lines for part in wrap(line, width)]
    except Exception:  # noqa: BLE001 - the sos screen must print whatever happens here
        return list(lines)


def join_fitting(parts: list[str] | tuple[str, ...], width: int, sep: str = "   ") -> list[str]:
    """Short items (a menu's "[u] urge surfing") on as few lines as fit, none cut in two."""
    lines: list[str] = []
    for part in parts:
        if lines and cells(lines[-1]) + cells(sep) + cells(part) <= width:
            lines[-1] += sep + part
        else:
            lines.append(part)
    return lines


def fill(text: str, width: int | None = None) -> str:
    """``wrap`` joined with newlines, for a single ``write``."""
    return "\n".join(wrap(text, width))


def _wrap_one(line: str, width: int) -> list[str]:
    if "\x1b" not in line:
        hang, spans = breaks(line, width)
        return [(" " * hang if i else "") + line[s:e] for i, (s, e) in enumerate(spans)]
    # Styled text: cut the visible characters, carry the escape codes with the words.
    plain, where = [], []
    pos = 0
    for m in _ANSI.finditer(line):
        for k in range(pos, m.start()):
            plain.append(line[k])
            where.append(k)
        pos = m.end()
    for k in range(pos, len(line)):
        plain.append(line[k])
        where.append(k)
    where.append(len(line))
    hang, spans = breaks("".join(plain), width)
    if len(spans) == 1:
        return [line]
    out = []
    for i, (s, _e) in enumerate(spans):
        raw_start = 0 if i == 0 else where[s]
        raw_end = where[spans[i + 1][0]] if i + 1 < len(spans) else len(line)
        piece = line[raw_start:raw_end]
        if i + 1 < len(spans):  # drop the break's spaces, keep the styling codes
            tail = re.search(r"(?:[ \t]|\x1b\[[0-9;?]*[A-Za-z])*$", piece)
            cut = tail.start() if tail else len(piece)
            piece = piece[:cut] + "".join(_ANSI.findall(piece[cut:]))
        out.append((" " * hang if i else "") + piece)
    return out

"""Bounds on documents read from others, checked before anything walks them.

An export, an assignment file, a plan or settings file is a handful of tables a few levels
deep. A hostile or broken one nested thousands of levels deep would otherwise end in a
RecursionError somewhere in the parser or in the code that walks the result; one too large
(``relapse import /dev/zero``) would fill memory. Both are refused with one line instead.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # not `from typing import`: settings are read on the hot path
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import BinaryIO

# Deepest nesting a real document needs: an export is envelope > tables > list > record >
# value (5); an assignment file task > table > list (4). 32 leaves room for any honest file.
MAX_DEPTH = 32
# The largest export read (a 20k-entry journal exports to ~8 MB); sealed exports included.
MAX_EXPORT_BYTES = 64 * 1024 * 1024


class TooDeep(ValueError):
    """A document nested deeper than ``MAX_DEPTH``."""

    def __init__(self, limit: int = MAX_DEPTH) -> None:
        super().__init__(f"nested more than {limit} levels deep")


class NotUnicode(ValueError):
    """A JSON string escape (``"\\ud800"``) that stands for no character: it cannot be stored
    or printed, so the document is refused like one that is not UTF-8."""

    def __init__(self) -> None:
        super().__init__("it holds text that is not valid Unicode (a lone \\ud800-style escape)")


def _is_text(item: str) -> bool:
    try:
        item.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_depth(value: object, limit: int = MAX_DEPTH, *, strings: bool = False) -> object:
    """``value`` itself, or TooDeep: an iterative walk, so depth itself cannot crash it.
    With ``strings``, every key and text value must be real Unicode (NotUnicode)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if strings and not all(_is_text(k) for k in item if isinstance(k, str)):
                raise NotUnicode
            children: Iterable[object] = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            if strings and isinstance(item, str) and not item.isascii() and not _is_text(item):
                raise NotUnicode
            continue
        if depth > limit:
            raise TooDeep(limit)
        stack.extend((child, depth + 1) for child in children)
    return value


# A JSON escape that could stand for a lone surrogate (\ud800 to \udfff); a real pair matches
# too, which only means the slower walk that looks at every text.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def json_loads(text: str | bytes, limit: int = MAX_DEPTH) -> object:
    """``json.loads`` that refuses deep nesting (TooDeep) instead of a RecursionError, and
    lone-surrogate escapes (NotUnicode) instead of a UnicodeEncodeError when stored."""
    import json

    try:
        value = json.loads(text)
    except RecursionError:
        raise TooDeep(limit) from None
    if isinstance(text, str) and _is_text(text) and not _SURROGATE_ESCAPE.search(text):
        # Every text in the document is one of the source's (real Unicode) or an escape that
        # is not a surrogate: only the depth needs walking, and only containers at that.
        return _check_json_depth(value, limit)
    return check_depth(value, limit, strings=True)


def _check_json_depth(value: object, limit: int) -> object:
    """check_depth for what ``json.loads`` returns (containers are exactly dict and list),
    pushing containers only: an export's hundred thousand plain values are looked at once."""
    if not (type(value) is dict or type(value) is list):
        return value
    stack: list[tuple[dict | list, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise TooDeep(limit)
        for child in item.values() if type(item) is dict else item:
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return value


def read_capped(fh: BinaryIO, limit: int) -> bytes | None:
    """At most ``limit`` bytes of an open binary file; None when it holds more (or is endless)."""
    data = fh.read(limit + 1)
    return None if len(data) > limit else data

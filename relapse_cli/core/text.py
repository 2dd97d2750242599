"""Making a person's own words safe to show.

Notes and names are private free text: they may hold terminal escape sequences (pasted or
hostile), bidi overrides that reorder a line, or Rich markup. Plain output goes through
``for_terminal``; Rich output additionally goes through ``rich.markup.escape`` at the render
layer. Stored text is never altered: this only changes what is printed.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `from typing import`: typing costs the hot path ~2 ms
if TYPE_CHECKING:
    from typing import TextIO

# C0 and C1 controls except tab/newline, DEL, and the Unicode bidi/invisible format controls
# that can make a line display differently from what it contains (CVE-2021-42574 "Trojan Source").
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = {c: None for c in range(0x00, 0x20) if c not in (0x09, 0x0A)}
_UNSAFE.update({0x7F: None})
_UNSAFE.update(dict.fromkeys(range(128, 160)))
_UNSAFE.update({ord(c): None for c in _BIDI})
_TABLE = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _UNSAFE}


# Inside JSON strings these stay valid as \u escapes: the same value, but inert on a terminal
# (json.dumps with ensure_ascii=False already escapes C0 controls, not DEL, C1 or bidi).
_JSON_TABLE = {code: f"\\u{code:04x}" for code in _UNSAFE if code >= 0x7F}


def json_safe(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) that cannot act on a terminal.

    Readable UTF-8 stays as it is; only DEL, C1 controls and bidi overrides become escapes,
    which decode to the same characters.
    """
    return text.translate(_JSON_TABLE)


def for_terminal(text: str, *, single_line: bool = False) -> str:
    """Show control characters as visible escapes (``\\x1b``) so they print but never act."""
    shown = text.translate(_TABLE)
    if single_line:
        shown = shown.replace("\n", " ").replace("\t", " ")
    return shown


def has_control(text: str) -> bool:
    """True if the text holds characters that ``for_terminal`` would rewrite (names refuse them)."""
    return any(ord(ch) in _UNSAFE for ch in text) or "\n" in text or "\t" in text


def shorten(text: str, width: int) -> str:
    """One line of at most ``width`` characters, with an ellipsis when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"


# Bytes that are not UTF-8 (a note piped from a latin-1 file, an argument typed in a terminal
# set to another encoding) reach Python as lone surrogates (argv) or fail to decode (stdin).
# The rule, everywhere a person *types* text (arguments, stdin, prompts): keep the text, put
# U+FFFD in place of each bad byte, and say so once on stderr. Files read as documents
# (exports, assignment files, plan and settings files) must be UTF-8 and are refused instead.
REPLACEMENT = "\ufffd"
_replaced = [0]  # bad bytes replaced in this process (a list: no `global` in the handler)


def _replace_and_count(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _replaced[0] += exc.end - exc.start
    return REPLACEMENT * (exc.end - exc.start), exc.end


def _register() -> str:
    import codecs

    try:
        codecs.lookup_error("relapse-replace")
    except LookupError:
        codecs.register_error("relapse-replace", _replace_and_count)
    return "relapse-replace"


def typed_text(raw: str) -> str:
    """An argument as text: surrogate-escaped bytes that are not UTF-8 become U+FFFD.

    Escaped bytes that do form UTF-8 together are decoded (a UTF-8 argument read under
    another locale); any other lone surrogate (only possible in-process) is replaced too.
    """
    if raw.isascii():
        return raw
    try:
        raw.encode("utf-8")
        return raw
    except UnicodeEncodeError:
        pass
    handler = _register()
    chars = []
    for ch in raw:
        if 0xD800 <= ord(ch) <= 0xDFFF and not 0xDC80 <= ord(ch) <= 0xDCFF:
            _replaced[0] += 1
            ch = REPLACEMENT
        chars.append(ch)
    return "".join(chars).encode("utf-8", "surrogateescape").decode("utf-8", handler)


def replaced_bytes() -> int:
    """How many undecodable bytes ``typed_text`` and the stdin reader replaced so far."""
    return _replaced[0]


def reset_replaced() -> None:
    _replaced[0] = 0


def stdin_errors() -> str:
    """The error handler to decode stdin with (replace, and count, like ``typed_text``)."""
    return _register()


def plain_digits(text: str) -> bool:
    """Only ASCII digits: ``str.isdigit()`` also says yes to '²', '١' and other digits that
    ``int()`` refuses (a ValueError where a number was checked), so every "is it a number
    N?" in the tool asks this instead (tests/test_no_unexpected.py)."""
    return text.isascii() and text.isdigit()


def plain_number(kind: type, raw: str) -> int | float:
    """``int``/``float`` of what a person typed, from plain ASCII digits only.

    Python's ``int`` also reads ``1_0`` as 10 and Arabic-Indic or full-width digits as
    numbers; a typo like ``1_0`` must not become a value, so both are refused (ValueError).
    Used by both parsers (fast path and Click) and by the prompts, so all agree.
    """
    text = raw if isinstance(raw, str) else str(raw)
    if not text.isascii() or "_" in text:
        raise ValueError(f"not a plain number: {raw!r}")
    return kind(text)


def say(text: str = "", stream: TextIO | None = None) -> None:
    """Write a message (a confirmation, a hint) and a newline, wrapped at word boundaries to
    the terminal's width: the one writer for every line a command prints outside Rich.

    On a terminal the lines are wrapped by ``wrap``'s rule (never inside a word, an id, a
    number or a command to type) to its width (``COLUMNS`` when set); through a pipe or into a
    file they stay whole, as a script reading them expects. Should wrapping fail, the text is
    written as it came: a message is never lost to its layout."""
    import sys

    out = stream if stream is not None else sys.stdout
    if _is_tty(out):  # only then the wrapping rules load: `relapse log` into a pipe pays nothing
        try:
            from relapse_cli.core.wrapping import terminal_width, wrap

            text = "\n".join(wrap(text, terminal_width(out)))
        except Exception:  # noqa: BLE001, S110 - the words matter more than their layout
            pass
    out.write(text + "\n")


def _is_tty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False

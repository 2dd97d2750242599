"""Making a person's own words safe to show.

Notes and names are private free text: they may hold terminal escape sequences (pasted or
hostile), bidi overrides that reorder a line, or Rich markup. Plain output goes through
``for_terminal``; Rich output additionally goes through ``rich.markup.escape`` at the render
layer. Stored text is never altered: this only changes what is printed.
"""

from __future__ import annotations

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

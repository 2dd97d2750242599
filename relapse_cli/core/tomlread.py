"""Reading TOML: the standard library's ``tomllib``, or ``tomli`` on Python 3.10 (same API).

Packaged clinical data (crisis lines, screeners, exercises, traps, red flags...) and the
person's own files (settings, the sos mirror, assignment files) are TOML. Import this module
lazily: the parser costs ~8 ms, which commands pay only when they read one of those files.
"""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

from relapse_cli.core.limits import TooDeep, check_depth  # noqa: E402

TOMLDecodeError = tomllib.TOMLDecodeError
# What a person's TOML file can fail with: not TOML, or nested too deep to walk (limits.py).
ERRORS = (TOMLDecodeError, TooDeep)
_packaged: dict[str, dict] = {}


def loads(text: str) -> dict:
    """Parse TOML; a document nested too deep raises TooDeep (never a RecursionError)."""
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise TooDeep() from None
    check_depth(data)
    return data


def load_path(path: str) -> dict:
    with open(path, "rb") as fh:
        return loads(fh.read().decode("utf-8"))


def packaged(path: str) -> dict:
    """A data file shipped in the package, parsed once per process (it never changes)."""
    if path not in _packaged:
        _packaged[path] = load_path(path)
    return _packaged[path]

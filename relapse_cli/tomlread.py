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

TOMLDecodeError = tomllib.TOMLDecodeError
_packaged: dict[str, dict] = {}


def loads(text: str) -> dict:
    return tomllib.loads(text)


def load_path(path: str) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def packaged(path: str) -> dict:
    """A data file shipped in the package, parsed once per process (it never changes)."""
    if path not in _packaged:
        _packaged[path] = load_path(path)
    return _packaged[path]

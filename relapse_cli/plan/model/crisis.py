"""Crisis lines by country, from packaged data (``relapse_cli/data/crisis_lines.toml``).

Pure lookup over a data file that ships inside the package, so the lines are there even when
the journal cannot be opened. Kept light (no dataclasses, no typing): ``relapse sos`` imports
it on its fast path. Sources are named per line in the data file; CLINICAL.md section 9.
"""

from __future__ import annotations

import os

from relapse_cli.core.paths import DATA_DIR

DATA_FILE = os.path.join(DATA_DIR, "crisis_lines.toml")

_cache: dict | None = None


class CrisisLine:
    """One line: who they are, the number as dialled, hours, other ways in, and the source."""

    __slots__ = ("name", "number", "about", "hours", "text", "source", "checked")

    def __init__(
        self,
        name: str,
        number: str,
        about: str = "",
        hours: str = "",
        text: str = "",
        source: str = "",
        checked: str = "",
    ) -> None:
        self.name = name
        self.number = number
        self.about = about
        self.hours = hours
        self.text = text
        self.source = source
        self.checked = checked

    def as_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in self.__slots__}


class CrisisInfo:
    """What ``lines_for`` returns: the country (or None), its emergency number and lines."""

    __slots__ = ("country", "country_name", "emergency", "sentence", "lines", "known")

    def __init__(
        self,
        country: str | None,
        country_name: str | None,
        emergency: str | None,
        sentence: str,
        lines: tuple[CrisisLine, ...],
        known: bool,
    ) -> None:
        self.country = country
        self.country_name = country_name
        self.emergency = emergency
        self.sentence = sentence
        self.lines = lines
        self.known = known  # False: unknown country, only the international sentence

    def as_dict(self) -> dict[str, object]:
        return {
            "country": self.country,
            "country_name": self.country_name,
            "emergency": self.emergency,
            "sentence": self.sentence,
            "known": self.known,
            "lines": [line.as_dict() for line in self.lines],
        }


def load_data() -> dict:
    """The packaged crisis data (parsed once per process)."""
    global _cache
    if _cache is None:
        from relapse_cli.core.tomlread import load_path

        _cache = load_path(DATA_FILE)
    return _cache


def countries() -> dict[str, str]:
    """Country code -> name, for every country with its own lines."""
    return {code: c["name"] for code, c in load_data()["countries"].items()}


def normalise(country: str | None) -> str | None:
    """'gb', ' GB ' -> 'GB'; 'UK' is accepted for the United Kingdom; junk -> None."""
    if not country:
        return None
    code = country.strip().upper()
    if code == "UK":
        code = "GB"
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return None
    return code


def lines_for(country: str | None) -> CrisisInfo:
    """The crisis lines and emergency sentence for a country, or the international fallback."""
    data = load_data()
    code = normalise(country)
    entry = data["countries"].get(code) if code else None
    if entry is not None:
        lines = tuple(CrisisLine(**line) for line in entry.get("lines", ()))
        emergency = entry["emergency"]
        return CrisisInfo(
            code, entry["name"], emergency, _sentence(emergency, entry["name"]), lines, True
        )
    for region in data.get("regions", {}).values():
        if code in region["countries"]:
            emergency = region["emergency"]
            return CrisisInfo(code, None, emergency, _sentence(emergency, None), (), True)
    return CrisisInfo(code, None, None, data["international"]["sentence"], (), False)


def fallback() -> list[tuple[str, str, str, str]]:
    """(country name, its first crisis line's name, that line's number, emergency number) for
    every shipped country: the international fallback when no country is known (issue 19)."""
    out = []
    for entry in load_data()["countries"].values():
        lines = entry.get("lines") or ()
        if lines:
            out.append((entry["name"], lines[0]["name"], lines[0]["number"], entry["emergency"]))
    return out


def _sentence(emergency: str, where: str | None) -> str:
    if where and where.startswith("United"):
        where = "the " + where
    place = f" in {where}" if where else ""
    return f"If you are in danger now, call your local emergency number ({emergency}{place})."


def country_from_locale(environ: dict[str, str] | None = None) -> str | None:
    """A guess from LC_ALL / LC_MESSAGES / LANG (``en_GB.UTF-8`` -> GB); None when unsure."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if not value:
            continue
        base = value.split(".")[0].split("@")[0]
        if "_" in base:
            return normalise(base.split("_", 1)[1])
        return None  # set but without a country (C, POSIX): do not guess further
    return None

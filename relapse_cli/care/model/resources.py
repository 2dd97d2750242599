"""The packaged guide to kinds of support (data/resources.toml). Pure lookup over data."""

from __future__ import annotations

import os

from relapse_cli.core.paths import DATA_DIR

DATA_FILE = os.path.join(DATA_DIR, "resources.toml")
NOT_THE_CARE_TEAM = (
    "These are kinds of support to look for; they do not replace your care "
    "team. Ask them what is near you."
)


def load_data() -> dict:
    from relapse_cli.core.tomlread import packaged

    return packaged(DATA_FILE)


def sections() -> list[dict]:
    """[{key, title, groups: [...]}] in the data file's order."""
    data = load_data()
    out: list[dict] = []
    for key, title in data["sections"].items():
        groups = [g for g in data["groups"] if g["section"] == key]
        if groups:
            out.append({"key": key, "title": title, "groups": groups})
    return out


def substance_lines(country: str | None) -> list[dict]:
    """National drug and alcohol helplines kept here for countries whose crisis lines have
    none (GB, IE); [] for any other country."""
    lines = load_data().get("substance_lines", {})
    return [dict(line) for line in lines.get((country or "").upper(), [])]

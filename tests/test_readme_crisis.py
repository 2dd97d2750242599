"""The README's crisis box agrees with the shipped crisis data (issue 15 item 8)."""

from __future__ import annotations

from pathlib import Path

from relapse_cli.plan.model.crisis import load_data

README = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
BOX = " ".join(line[2:] for line in README.splitlines()[:20] if line.startswith("> ")).replace(
    "**", ""
)


def _sentence_about(country: str) -> str:
    start = BOX.index(country)
    return BOX[start : BOX.index(".", start)]


def test_every_shipped_country_line_is_in_the_box_under_its_own_name():
    for entry in load_data()["countries"].values():
        first = entry["lines"][0]
        name = entry["name"]
        assert name in BOX, name
        assert first["number"] in BOX, (name, first["number"])


def test_canada_and_the_us_988_names_are_their_own():
    canada = _sentence_about("Canada:")
    assert "9-8-8: Suicide Crisis Helpline" in canada and "Lifeline" not in canada
    us = _sentence_about("United States:")
    assert "988 Suicide & Crisis Lifeline" in us
    names = {line["name"] for c in load_data()["countries"].values() for line in c["lines"]}
    assert "9-8-8: Suicide Crisis Helpline" in names


def test_samhsa_is_said_to_be_us_only():
    assert "SAMHSA National Helpline 1-800-662-4357 (US only" in BOX
    assert BOX.index("SAMHSA") < BOX.index("Canada:")

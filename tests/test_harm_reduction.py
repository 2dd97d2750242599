"""Harm reduction after a lapse (issue 15 item 7): opioids (tolerance, never alone, naloxone,
overdose is an emergency) and alcohol/benzodiazepine withdrawal danger, in the lapse reframe
and in `relapse resources`, from data with sources."""

from __future__ import annotations

import pytest

from relapse_cli.log.model import lapse

DATA = lapse.harm_reduction_data()
OPIOIDS = DATA["opioids"]["names"]
WITHDRAWAL = DATA["withdrawal_danger"]["names"]
TOLERANCE = "tolerance drops"
NALOXONE = "naloxone"
SEIZURES = "stopping suddenly can be dangerous (seizures)"


@pytest.mark.parametrize("name", [*OPIOIDS, "Street Heroin", "buprenorphine misuse", "FENTANYL"])
def test_every_opioid_name_gets_the_opioid_note(name):
    text = " ".join(lapse.harm_reduction_lines(name))
    assert TOLERANCE in text and NALOXONE in text and "not to use alone" in text
    assert "call your emergency number" in text


@pytest.mark.parametrize("name", [*WITHDRAWAL, "red wine", "Xanax bars"])
def test_alcohol_and_benzodiazepines_get_the_withdrawal_line(name):
    lines = lapse.harm_reduction_lines(name)
    assert any(SEIZURES in line for line in lines) and not any(NALOXONE in x for x in lines)


@pytest.mark.parametrize("name", ["cannabis", "gambling", "nicotine", "cocaine", "", None, 7])
def test_other_substances_get_no_note(name):
    assert lapse.harm_reduction_lines(name) == []


def test_words_stay_non_stigmatizing_and_sources_are_named():
    for group in DATA.values():
        text = " ".join(group["lines"]).lower()
        assert not any(w in text for w in ("addict", "clean", "failure", "abuse"))
        assert "SAMHSA" in group["sources"] or "NHS" in group["sources"]
    assert "WHO" in DATA["opioids"]["sources"] and "NHS" in DATA["opioids"]["sources"]


def test_log_use_with_an_opioid_adds_the_note_after_the_reframe(cli):
    res = cli("log", "use", "-s", "fentanyl")
    assert res.code == 0, res.err
    assert res.out.index(lapse.REFRAME[0]) < res.out.index(TOLERANCE)
    assert NALOXONE in res.out and SEIZURES not in res.out
    res = cli("log", "craving", "8", "-s", "heroin", "-o", "used")
    assert TOLERANCE in res.out


def test_log_use_with_alcohol_adds_the_withdrawal_line(cli):
    res = cli("log", "use", "-s", "alcohol", "--amount", "6", "--unit", "drinks")
    assert SEIZURES in res.out and TOLERANCE not in res.out
    assert SEIZURES not in cli("log", "use", "-s", "cannabis").out


def test_resources_has_the_same_notes(cli):
    out = " ".join(cli("resources").out.split())
    assert "Staying safer after a lapse" in out
    for line in (*DATA["opioids"]["lines"], *DATA["withdrawal_danger"]["lines"]):
        assert " ".join(line.split()) in out
    data = cli("resources", "--json").json()
    assert [g["key"] for g in data["safer"]] == ["opioids", "withdrawal_danger"]

"""Crisis lines (exact numbers per country) and the safety / urgent-help screens."""

from __future__ import annotations

import io
import os
import sys

import pytest

from relapse_cli.cli.context import AppContext
from relapse_cli.core.prompter import ScriptedPrompter
from relapse_cli.plan.model import crisis
from relapse_cli.plan.safety import show_safety_screen, show_urgent_help

# Worked out by hand from CLINICAL.md section 9 (and the sources named in the data file).
EXPECTED = {
    "US": ("911", ["988", "1-800-662-4357", "741741"]),
    "CA": ("911", ["988"]),
    "GB": ("999", ["116 123", "111"]),
    "IE": ("112 or 999", ["116 123"]),
    "AU": ("000", ["13 11 14", "1800 250 015"]),
    "NZ": ("111", ["1737", "0800 787 797"]),
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_exact_numbers_per_country(code):
    info = crisis.lines_for(code)
    emergency, numbers = EXPECTED[code]
    assert info.emergency == emergency
    assert [line.number for line in info.lines] == numbers
    assert info.sentence == (
        f"If you are in danger now, call your local emergency number ({emergency} in "
        f"{'the ' if code in ('US', 'GB') else ''}{info.country_name})."
    )
    for line in info.lines:
        assert line.source.startswith("https://"), line.name
        assert line.hours and line.about and line.checked


def test_every_country_in_the_data_is_tested():
    assert set(crisis.countries()) == set(EXPECTED)


def test_us_details_from_the_clinical_reference():
    lines = {line.name: line for line in crisis.lines_for("us").lines}
    assert "838255" in lines["988 Suicide & Crisis Lifeline"].text
    assert "1-800-487-4889" in lines["SAMHSA National Helpline"].text
    assert "English and Spanish" in lines["SAMHSA National Helpline"].about
    assert "HOME to 741741" in lines["Crisis Text Line"].text


@pytest.mark.parametrize("code", ["FR", "DE", "es", "SE"])
def test_eu_countries_get_112(code):
    info = crisis.lines_for(code)
    assert info.emergency == "112" and info.lines == () and info.known
    assert info.sentence == "If you are in danger now, call your local emergency number (112)."


@pytest.mark.parametrize("code", [None, "", "ZZ", "JP", "123", "GBR"])
def test_unknown_country_gets_the_plain_sentence(code):
    info = crisis.lines_for(code)
    assert info.emergency is None and info.lines == () and not info.known
    assert info.sentence == "If you are in danger now, call your local emergency number."


def test_uk_is_an_alias_for_gb():
    assert crisis.lines_for("uk").country == "GB"


@pytest.mark.parametrize(
    ("env", "expected"),
    [({"LANG": "en_GB.UTF-8"}, "GB"), ({"LC_ALL": "en_US.UTF-8", "LANG": "en_GB"}, "US"),
     ({"LANG": "C.UTF-8"}, None), ({}, None), ({"LANG": "de_DE@euro"}, "DE")],
)  # fmt: skip
def test_country_from_locale(env, expected):
    assert crisis.country_from_locale(env) == expected


def _capture(fn, app, **kw) -> str:
    out = io.StringIO()
    saved = sys.stdout
    sys.stdout = out
    try:
        fn(app, **kw)
    finally:
        sys.stdout = saved
    return out.getvalue()


def _settings(journal: str, text: str) -> None:
    with open(os.path.join(os.path.dirname(journal), "settings.toml"), "w") as fh:
        fh.write(text)


def test_safety_screen_without_any_journal_shows_steps_and_lines(journal):
    _settings(journal, 'country = "AU"\n')
    out = _capture(show_safety_screen, AppContext(journal=journal), reason="phq9_item9")
    assert "Your safety plan" in out
    assert "1. Notice the signs" in out and "6. Make my space safer" in out
    assert "Lifeline: 13 11 14 (24/7)" in out
    assert "(000 in Australia)" in out
    assert "better off dead" in out  # the phq9_item9 reason sentence
    assert not os.path.exists(journal)  # looking never creates a journal


def test_safety_screen_with_a_corrupt_journal_and_broken_settings(journal):
    with open(journal, "wb") as fh:
        fh.write(os.urandom(4096))
    _settings(journal, "country = [not toml\n")
    out = _capture(show_safety_screen, AppContext(journal=journal), reason="thoughts of harm")
    assert "thoughts of harm" in out
    assert "If you are in danger now, call your local emergency number." in out


def test_urgent_help_names_the_emergency_number(journal):
    _settings(journal, 'country = "GB"\n')
    out = _capture(show_urgent_help, AppContext(journal=journal), reason="withdrawal")
    assert out.splitlines()[0] == "Get urgent medical help now."
    assert "Call 999 now, or go to the nearest emergency department." in out
    assert "Samaritans: 116 123" in out


def test_urgent_help_unknown_country(journal, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    out = _capture(show_urgent_help, AppContext(journal=journal), reason="seizure")
    assert "Call your local emergency number now" in out
    assert "relapse config country" in out


# --- safety lines after `relapse log` -------------------------------------------------------

SOS_LINE = "Right now, one screen with your plan and people to call: relapse sos"
THINK = "A thought record can help you learn from it, when you are ready: relapse think --craving "
EMERGENCY = "If you are in danger now, call your local emergency number."


def _lines(out: str) -> list[str]:
    return out.splitlines()[1:]  # after the "Saved ..." confirmation


@pytest.mark.parametrize("intensity", ["9", "10"])
def test_strong_craving_shows_plan_steps_and_sos(cli, intensity):
    cli("plan", "add", "coping", "walk round the block")
    cli("plan", "add", "coping", "call Sam")
    res = cli("log", "craving", intensity)
    assert res.code == 0
    assert _lines(res.out) == [
        "That is a strong urge. Urges rise, peak and pass, even when it doesn't feel like it.",
        "Try one thing that has helped before: move, breathe slowly, call someone, change place.",
        "From your plan, what helps: walk round the block; call Sam.",
        SOS_LINE,
        EMERGENCY,
    ]


@pytest.mark.parametrize("intensity", ["0", "5", "8"])
def test_ordinary_craving_shows_no_safety_lines(cli, intensity):
    cli("plan", "add", "coping", "walk")
    res = cli("log", "craving", intensity)
    assert res.code == 0 and len(res.out.splitlines()) == 1
    assert "relapse sos" not in res.out


@pytest.mark.parametrize(("pull", "shown"), [("9", True), ("10", True), ("5", False), ("8", False)])
def test_a_trigger_with_a_strong_pull_is_a_strong_urge_too(cli, pull, shown):
    cli("plan", "add", "coping", "walk round the block")
    res = cli("log", "trigger", "walked past the bar", "-i", pull)
    assert res.code == 0
    if shown:
        assert _lines(res.out) == [
            "That is a strong urge. Urges rise, peak and pass, even when it doesn't feel like it.",
            "Try one thing that has helped before: move, breathe slowly, call someone, change place.",
            "From your plan, what helps: walk round the block.",
            SOS_LINE,
            EMERGENCY,
        ]
    else:
        assert _lines(res.out) == []


def test_strong_craving_without_a_plan_points_to_building_one(cli):
    res = cli("log", "craving", "9")
    assert _lines(res.out)[-3:] == [
        "Write down what helps you, for next time: relapse plan build", SOS_LINE, EMERGENCY]  # fmt: skip


def test_every_use_shows_reframe_if_lapse_plan_and_sos(cli):
    cli("plan", "add", "coping", "walk")
    cli("plan", "add", "if_lapse", "tell my sponsor the same day")
    cli("plan", "add", "if_lapse", "pour away what is left")
    res = cli("log", "use", "-s", "alcohol", "--amount", "2")
    assert res.code == 0
    lines = _lines(res.out)
    assert lines[0].startswith("Thank you for logging this. A lapse is information")
    short = cli("history", "--json").json()[0]["uuid"][:8]
    from relapse_cli.log.model.lapse import harm_reduction_lines

    assert lines[3:] == [
        *harm_reduction_lines("alcohol"),  # issue 15: withdrawal danger after heavy daily use
        "From your plan, what helps: walk.",
        "Your plan for after a lapse: tell my sponsor the same day; pour away what is left.",
        f"{THINK}{short}",
        SOS_LINE,
        EMERGENCY,
    ]


def test_on_a_terminal_the_thought_record_is_asked_not_printed(cli):
    prompter = ScriptedPrompter(["n"])
    res = cli("log", "use", "-s", "alcohol", "--amount", "2", prompter=prompter)
    assert res.code == 0
    assert THINK not in res.out and SOS_LINE in res.out
    assert prompter.asked == ["Would you like to write a thought record about this now? It "
                              "helps catch the thought behind the urge"]  # fmt: skip


def test_use_without_a_plan_suggests_an_if_lapse_step(cli):
    lines = _lines(cli("log", "use", "-s", "cannabis").out)
    assert lines[3:] == [
        'Worth deciding what you will do after a lapse: relapse plan add if_lapse "call my '
        'sponsor"',
        f"{THINK}{cli('history', '--json').json()[0]['uuid'][:8]}",
        SOS_LINE,
        EMERGENCY,
    ]


def test_craving_that_ended_in_use_counts_as_a_use(cli):
    lines = _lines(cli("log", "craving", "4", "--outcome", "used").out)
    assert SOS_LINE in lines and "relapse plan add if_lapse" in "\n".join(lines)


@pytest.mark.slow
@pytest.mark.parametrize("args", [["log", "craving", "9"], ["log", "use", "-s", "alcohol"]])
def test_safety_lines_keep_the_log_path_light(tmp_path, args):
    from tests.test_startup import HEAVY, imported

    env = dict(os.environ, RELAPSE_JOURNAL=str(tmp_path / "j.db"), HOME=str(tmp_path))
    imported(["log", "mood", "5"], env)  # creates the journal
    code, modules = imported(args, env)
    assert code == 0
    assert sorted(m for m in modules if m.split(".")[0] in HEAVY) == []

"""`relapse log`: one-line logging, guided prompts, confirmations and follow-ups."""

from __future__ import annotations

import pytest

from relapse_cli.core.prompter import ScriptedPrompter


def history(cli) -> list[dict]:
    result = cli("history", "--json", "--limit", "100")
    assert result.code == 0, result.err
    return result.json()


def test_craving_one_line_with_everything(cli):
    result = cli(
        "log", "craving", "7", "-t", "stress", "-t", "payday", "-s", "alcohol",
        "--coped", "called Sam", "--outcome", "resisted", "--after", "3",
        "--note", "tough one", "--at", "yesterday 18:30", "-w", "home", "--with", "alone",
        "-m", "4", "--minutes", "20",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.startswith("Saved craving 7/10 · alcohol · triggers: stress, payday")
    assert "coped: called Sam · resisted (3/10 after) · Mon 23 Nov 18:30 · id " in result.out
    [entry] = history(cli)
    assert entry["kind"] == "craving"
    assert entry["intensity"] == 7 and entry["intensity_after"] == 3
    assert entry["triggers"] == ["stress", "payday"]
    assert entry["coping"] == ["called Sam"]
    assert entry["location"] == "home" and entry["company"] == "alone"
    assert entry["mood"] == 4 and entry["duration_min"] == 20
    # 18:30 in London in November is 18:30 UTC
    assert entry["occurred_at"] == "2026-11-23T18:30:00Z"
    assert entry["utc_offset_min"] == 0
    assert entry["note"] == "tough one"


def test_triggers_comma_separated_and_folded(cli):
    assert cli("log", "craving", "5", "-t", "Stress, payday", "-t", " stress ").code == 0
    assert cli("log", "craving", "4", "-t", "STRESS").code == 0
    listing = cli("triggers", "--json").json()
    counts = {t["name"]: t["count"] for t in listing}
    assert counts == {"Stress": 2, "payday": 1}


def test_mood_trigger_and_use(cli):
    assert cli("log", "mood", "4", "--anxiety", "7", "--sleep", "5.5", "--energy", "3").code == 0
    trig = cli("log", "trigger", "walked past the bar", "-i", "4")
    assert trig.code == 0
    assert "Saved trigger · pull 4/10 · walked past the bar" in trig.out
    use = cli(
        "log", "use", "-s", "Alcohol", "--amount", "3", "--unit", "drinks", "-t", "loneliness"
    )
    assert use.code == 0
    assert "Saved use 3 drinks · alcohol · triggers: loneliness" in use.out
    assert "A lapse is information, not a verdict" in use.out
    assert "If you are in danger now, call your local emergency number." in use.out
    kinds = [e["kind"] for e in history(cli)]
    assert sorted(kinds) == ["mood", "trigger", "use"]


def test_note_from_stdin(cli):
    result = cli("log", "craving", "6", "--note", "-", input="a private line\nand another\n")
    assert result.code == 0
    assert history(cli)[0]["note"] == "a private line\nand another\n"


@pytest.mark.parametrize(
    ("intensity", "shows_strong_urge_lines"),
    [("5", False), ("8", False), ("9", True), ("10", True)],
)
def test_strong_craving_follow_up(cli, intensity, shows_strong_urge_lines):
    result = cli("log", "craving", intensity)
    assert result.code == 0
    assert ("That is a strong urge" in result.out) is shows_strong_urge_lines
    assert ("emergency number" in result.out) is shows_strong_urge_lines


def test_missing_value_without_terminal_names_it(cli, journal):
    for args, flag in (
        (("log", "craving"), "INTENSITY"),
        (("log", "mood"), "MOOD"),
        (("log", "trigger"), "TRIGGER"),
        (("log", "use"), "--substance"),
    ):
        result = cli(*args)
        assert result.code == 2
        assert flag in result.err
        assert result.err.count("\n") == 1
    assert cli("history", "--json").json() == []


def test_use_defaults_to_single_substance_in_focus(cli):
    assert cli("config", "substances", "cannabis").code == 0
    result = cli("log", "use")
    assert result.code == 0, result.err
    assert "cannabis" in result.out


def test_guided_craving(cli):
    prompter = ScriptedPrompter(
        ["11", "8", "alcohol", "stress, payday", "lt", "", "", "3", "called Sam", "r", "2",
         "went ok", "n"]  # "n": no thought record now (offered after a craving of 6+)
    )  # fmt: skip
    result = cli("log", "craving", prompter=prompter)
    assert result.code == 0, result.err
    assert prompter.answers == []
    assert any("0 to 10" in s or "0-10" in s for s in prompter.said)  # 11 re-asked
    [entry] = history(cli)
    assert entry["intensity"] == 8
    assert entry["triggers"] == ["stress", "payday", "lonely", "tired"]
    assert entry["coping"] == ["called Sam"]
    assert entry["outcome"] == "resisted" and entry["intensity_after"] == 2
    assert entry["mood"] == 3 and entry["note"] == "went ok"


def test_ctrl_c_after_intensity_keeps_what_was_typed(cli):
    prompter = ScriptedPrompter(["7", "alcohol", KeyboardInterrupt])
    result = cli("log", "craving", prompter=prompter)
    assert result.code == 0
    assert "saved what you typed so far" in result.out
    [entry] = history(cli)
    assert entry["intensity"] == 7 and entry["substance"] == "alcohol"


def test_ctrl_c_before_the_required_answer_saves_nothing(cli):
    result = cli("log", "mood", prompter=ScriptedPrompter([KeyboardInterrupt]))
    assert result.code == 130
    assert history(cli) == []


def test_guided_use_and_mood(cli):
    use = ScriptedPrompter(["alcohol", "2", "drinks", "party", "friend's place", "", "", "n"])
    assert cli("log", "use", prompter=use).code == 0
    mood = ScriptedPrompter(["6", "", "7.5", "", ""])
    assert cli("log", "mood", prompter=mood).code == 0
    entries = {e["kind"]: e for e in history(cli)}
    assert entries["use"]["amount"] == 2 and entries["use"]["unit"] == "drinks"
    assert entries["use"]["triggers"] == ["party"]
    assert entries["mood"]["mood"] == 6 and entries["mood"]["sleep_hours"] == 7.5


def test_python_dash_m_and_version(cli):
    from relapse_cli import __version__

    result = cli("--version")
    assert result.code == 0 and __version__ in result.out


def test_markup_and_escapes_are_shown_not_executed(cli):
    note = "[red]alarm[/red] \x1b[2J \x1b]8;;http://x\x07link\x1b]8;;\x07 \u202eevil"
    assert cli("log", "craving", "5", "--note", note, "-t", "[bold]x").code == 0
    shown = cli("history")
    assert "[red]alarm[/red]" in shown.out
    assert "\x1b" not in shown.out and "\u202e" not in shown.out
    assert "\\x1b[2J" in shown.out
    one = cli("show", history(cli)[0]["uuid"][:8])
    assert "\x1b" not in one.out and "[bold]x" in one.out


def test_bare_note_asks_at_a_prompt(cli):
    prompter = ScriptedPrompter(["private words", "n"])  # "n": no thought record now
    result = cli("log", "craving", "6", "--note", "-t", "stress", prompter=prompter)
    assert result.code == 0, result.err
    entry = history(cli)[0]
    assert entry["note"] == "private words" and entry["triggers"] == ["stress"]
    assert "shell history" in prompter.asked[0]


def test_bare_note_without_terminal_says_how(cli):
    result = cli("log", "craving", "6", "--note")
    assert result.code == 2 and "--note -" in result.err
    assert history(cli) == []


def test_edit_note_from_stdin(cli):
    assert cli("log", "mood", "5").code == 0
    uuid = history(cli)[0]["uuid"]
    assert cli("edit", uuid[:8], "--note", "-", input="from stdin").code == 0
    assert history(cli)[0]["note"] == "from stdin"


@pytest.mark.parametrize(
    ("at", "shown"),
    [
        ("23:00", "Mon 23 Nov 23:00 (yesterday: that time has not come yet today)"),
        ("at 11pm", "Mon 23 Nov 23:00 (yesterday: that time has not come yet today)"),
        ("07:30", "Tue 24 Nov 07:30"),
        ("last night", "Mon 23 Nov 22:00"),
        ("yesterday at 6pm", "Mon 23 Nov 18:00"),
        ("last tuesday", "Tue 17 Nov 08:00"),
        ("2 days ago 18:00", "Sun 22 Nov 18:00"),
        ("1 year ago", "Mon 24 Nov 2025 08:00"),  # another year: the year is shown
        ("2025-12-31 20:00", "Wed 31 Dec 2025 20:00"),
        ("noon", "Mon 23 Nov 12:00 (yesterday: that time has not come yet today)"),
    ],
)
def test_time_words_in_the_confirmation(cli, at, shown):
    from datetime import datetime

    from conftest import LONDON

    from relapse_cli.core.clock import FakeClock

    morning = FakeClock(datetime(2026, 11, 24, 8, 0), tz=LONDON)
    result = cli("log", "craving", "5", "--at", at, use_clock=morning)
    assert result.code == 0, result.err
    assert f"· {shown} · id " in result.out


@pytest.mark.parametrize(
    ("at", "says"),
    [
        ("tomorrow", "'tomorrow' is in the future"),
        ("yesterday 25:00", "'25:00' is not a time of day"),
        ("2026-11-31", "2026-11-31 is not a date: November 2026 has 30 days"),
    ],
)
def test_time_words_refused_say_what_is_wrong(cli, journal, at, says):
    result = cli("log", "craving", "5", "--at", at)
    assert result.code == 2 and says in result.err and result.err.count("\n") == 1
    assert "Traceback" not in result.err


def test_since_last_week(cli):
    assert cli("log", "craving", "5", "--at", "2026-11-16 10:00").code == 0
    assert cli("log", "craving", "6", "--at", "2026-11-17 10:00").code == 0
    got = cli("history", "--since", "last week", "--json").json()
    assert [e["intensity"] for e in got] == [6]  # from the start of Tue 17 Nov

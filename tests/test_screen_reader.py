"""Screen-reader mode (issue 20): no box drawing, no glyph charts, every figure in words.

On with RELAPSE_SCREEN_READER=1, with TERM=dumb, or with `relapse config screen_reader on`.
The dashboard, sos, history, a screener and a breathing session are run in the mode and in
the normal view: the mode's output holds no box-drawing or block character, and every figure
the normal view shows is in the mode's words too (a heatmap's grid of digits is said as one
sentence, tested in test_describe.py; its hour axis is not a figure). The other glyph charts
(withdrawal, check-in and screener history sparklines, homework progress bars) are one
sentence each; the guided flows (screeners, check-in, plan build, homework new, the thought
record) say "N of M". Urge surfing and SOBER breathing started from `relapse sos` are one line
per phase, their sentences never broken at the width, after the crisis lines.
"""

from __future__ import annotations

import io
import re

import pytest

from relapse_cli.core.prompter import ScriptedPrompter
from relapse_cli.render.speech import BOX_OR_BLOCK

WEEKDAY_ROW = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)( [·\d░▒▓█]){24}$")
HOURS_AXIS = re.compile(r"^0 +3 +6 +9 +12 +15 +18 +21$")


@pytest.fixture
def demo(cli, tmp_path) -> str:
    path = str(tmp_path / "demo.db")
    assert cli("demo", "--out", path).code == 0
    return path


def figures(text: str) -> set[str]:
    """The numbers a view shows, less the heatmap's drawn grid and hour axis."""
    kept = []
    for line in text.splitlines():
        bare = " ".join(BOX_OR_BLOCK.sub(" ", line).split())
        if not (WEEKDAY_ROW.match(bare) or HOURS_AXIS.match(bare)):
            kept.append(bare)
    return set(re.findall(r"\d+(?:\.\d+)?", "\n".join(kept)))


def both(cli, monkeypatch, *args: str, **kw: object) -> tuple[str, str]:
    """(normal view, screen-reader view) of one command."""
    monkeypatch.delenv("RELAPSE_SCREEN_READER", raising=False)
    normal = cli(*args, **kw)
    monkeypatch.setenv("RELAPSE_SCREEN_READER", "1")
    spoken = cli(*args, **kw)
    assert normal.code == spoken.code == 0, (normal.err, spoken.err)
    assert not BOX_OR_BLOCK.search(spoken.out), spoken.out
    return normal.out, spoken.out


def test_dashboard_says_every_figure_without_boxes_or_glyph_charts(cli, demo, monkeypatch):
    normal, spoken = both(cli, monkeypatch, "--journal", demo, "summary")
    assert BOX_OR_BLOCK.search(normal)  # the normal view is drawn with boxes and bars
    assert figures(normal) <= figures(spoken), figures(normal) - figures(spoken)
    lines = spoken.splitlines()
    assert lines[0].startswith("Summary: the last 30 days")
    assert "Days since last use: 12 (last use 12 Nov 2026)" in lines  # a "label: value" line
    assert any(x.startswith("Per day: cravings per day over 30 days: mostly ") for x in lines)
    assert any(x.startswith("Mood: mood over 30 days (0 to 10): mostly ") for x in lines)
    assert any(" cravings by weekday and hour; busiest hours: " in x for x in lines)


def test_sos_and_history(cli, demo, monkeypatch):
    normal, spoken = both(cli, monkeypatch, "--journal", demo, "sos")
    assert figures(normal) <= figures(spoken)
    assert "call your local emergency number" in spoken
    normal, spoken = both(cli, monkeypatch, "--journal", demo, "history")
    assert normal.splitlines()[0].split()[:4] == ["id", "when", "kind", "what"]  # columns
    assert figures(normal) <= figures(spoken)
    first = spoken.splitlines()[0]
    assert re.match(r"id: \w{8}; when: \w{3} \d+ \w{3} \d\d:\d\d; kind: \w+; what: ", first), first


def test_a_screener_says_where_it_is_and_its_results_have_no_boxes(cli, monkeypatch):
    answers = ["1", "1", "2", "1", "0", "1", "1", "0", "0", "1"]
    monkeypatch.setenv("RELAPSE_SCREEN_READER", "1")
    prompter = ScriptedPrompter(list(answers))
    result = cli("checkin", "phq9", prompter=prompter)
    assert result.code == 0, result.err
    said = prompter.said
    assert [s for s in said if s.startswith("Question ")] == [
        f"Question {n} of 9." for n in range(1, 10)
    ]
    assert not BOX_OR_BLOCK.search(result.out + "\n".join(said))
    assert "7 of 27" in result.out + " ".join(said)
    normal, spoken = both(cli, monkeypatch, "checkin", "history")
    assert figures(normal) <= figures(spoken)


def test_breathing_is_one_line_per_phase_even_on_a_terminal(cli, monkeypatch):
    from relapse_cli.breathing.commands import _plain_wanted

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    normal, spoken = both(cli, monkeypatch, "breathe", "sigh", "--cycles", "2", "--quiet")
    assert figures(normal) <= figures(spoken)
    assert "Breathe in (2 s), cycle 1 of 2" in spoken.splitlines()
    monkeypatch.setattr("sys.stdout", Tty())
    monkeypatch.setenv("TERM", "xterm-256color")
    assert _plain_wanted(False) is True  # no live-redrawn frame for a screen reader
    monkeypatch.setenv("RELAPSE_SCREEN_READER", "0")
    assert _plain_wanted(False) is False


@pytest.mark.parametrize(
    ("env", "term", "setting", "on"),
    [("1", "xterm", None, True), ("on", "xterm", None, True), ("", "dumb", None, True),
     ("0", "dumb", None, False), ("", "xterm", "on", True), ("", "xterm", "off", False),
     ("off", "xterm", "on", False), ("", "xterm", None, False)],
)  # fmt: skip
def test_the_mode_comes_from_the_variable_a_dumb_terminal_or_the_setting(
    cli, monkeypatch, tmp_path, env, term, setting, on
):
    from relapse_cli.render.access import screen_reader

    journal = str(tmp_path / "other.db")
    if setting:
        assert cli("--journal", journal, "config", "screen_reader", setting).code == 0
    monkeypatch.setenv("RELAPSE_SCREEN_READER", env)
    monkeypatch.setenv("TERM", term)
    result = cli("--journal", journal, "history")
    assert result.code == 0, result.err
    assert screen_reader() is on
    assert bool(BOX_OR_BLOCK.search(cli("--journal", journal, "summary").out)) is not on


def test_a_broken_settings_file_never_stops_sos(cli, monkeypatch, tmp_path):
    from relapse_cli.core.paths import settings_path

    journal = str(tmp_path / "broken.db")
    path = settings_path(journal)
    import os

    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("screen_reader = [[[")
    result = cli("--journal", journal, "sos")
    assert "call your local emergency number" in result.out


def test_the_daily_check_in_says_where_it_is(cli, monkeypatch):
    monkeypatch.setenv("RELAPSE_SCREEN_READER", "1")
    prompter = ScriptedPrompter(["6", "3", "7", "", "lt", "na", "meeting"])
    result = cli("checkin", prompter=prompter)
    assert result.code == 0, result.err
    assert [s for s in prompter.said if s.startswith("Question ")] == [
        f"Question {n} of 7." for n in range(1, 8)
    ]
    assert not BOX_OR_BLOCK.search(result.out)
    monkeypatch.setenv("RELAPSE_SCREEN_READER", "0")
    prompter = ScriptedPrompter(["6", "3", "7", "", "lt", "na", "meeting"])
    assert cli("checkin", prompter=prompter).code == 0
    assert not [s for s in prompter.said if s.startswith("Question ")]


def test_the_plan_builder_says_which_section(cli, monkeypatch):
    from relapse_cli.plan.model import plan as P

    monkeypatch.setenv("RELAPSE_SCREEN_READER", "1")
    prompter = ScriptedPrompter([""] * 40)
    result = cli("plan", "build", prompter=prompter)
    assert result.code == 0, result.err
    n = len(P.SECTIONS)
    assert [s for s in prompter.said if s.startswith("Section ")] == [
        f"Section {k} of {n}." for k in range(1, n + 1)
    ]
    steps = [s for s in prompter.said if s.startswith("Safety plan step ")]
    assert steps == [f"Safety plan step {k} of 6." for k in range(1, 7)]
    assert len(P.SAFETY_STEPS) == 6
    monkeypatch.setenv("RELAPSE_SCREEN_READER", "0")
    prompter = ScriptedPrompter([""] * 40)
    assert cli("plan", "build", prompter=prompter).code == 0
    assert not [s for s in prompter.said if s.startswith(("Section ", "Safety plan step "))]


# One task of each kind with every question answered (Enter where it may be skipped).
TASK_ANSWERS = {
    "thought_records": ["2"],
    "breathing": ["box", "5", "3"],
    "screener": ["phq9", "2"],
    "plan": ["coping", "3"],
    "reflection": ["What helped this week?"],
    "tracker": ["pain", "0", "10", "points", "0=none, 10=worst"],
}


def test_homework_new_says_which_question_and_which_task(cli, monkeypatch, tmp_path):
    from relapse_cli.homework.commands.new import TASK_QUESTIONS

    assert set(TASK_QUESTIONS) | {"cravings", "checkin"} >= set(TASK_ANSWERS)
    head = ["Week 1", "", "", "Alex Rivera", "Riverside", "", ""]  # 7 questions, 2 defaults
    tasks = [a for kind, answers in TASK_ANSWERS.items() for a in (kind, *answers)]
    answers = [*head, "cravings", *tasks, ""]
    monkeypatch.setenv("RELAPSE_SCREEN_READER", "1")
    prompter = ScriptedPrompter(list(answers))
    out = tmp_path / "w.toml"
    result = cli("homework", "new", "-o", str(out), prompter=prompter)
    assert result.code == 0, result.err
    assert prompter.answers == []
    said = prompter.said
    assert [s for s in said if s.startswith("Question ")] == [
        f"Question {n} of 7." for n in range(1, 8)
    ]
    for number, kind in enumerate(TASK_ANSWERS, start=2):  # task 1 is cravings: no questions
        of = TASK_QUESTIONS[kind]
        assert of == len(TASK_ANSWERS[kind])
        assert [s for s in said if s.startswith(f"Task {number}, question ")] == [
            f"Task {number}, question {k} of {of}." for k in range(1, of + 1)
        ], kind
    assert [s for s in said if re.fullmatch(r"Task \d+(; Enter when done)?\.", s)] == [
        "Task 1.",
        *(f"Task {n}; Enter when done." for n in range(2, len(TASK_ANSWERS) + 3)),
    ]
    assert not BOX_OR_BLOCK.search(result.out + "\n".join(said))
    assert cli("homework", "check", str(out)).code == 0
    # Flags that answer some questions: the count is of those still asked.
    prompter = ScriptedPrompter(["", "", "Alex", "", "", "", "cravings", ""])
    result = cli("homework", "new", "-o", str(tmp_path / "v.toml"), "--title", "Week 2",
                 prompter=prompter)  # fmt: skip
    assert result.code == 0, result.err
    assert [s for s in prompter.said if s.startswith("Question ")] == [
        f"Question {n} of 6." for n in range(1, 7)
    ]
    monkeypatch.setenv("RELAPSE_SCREEN_READER", "0")
    prompter = ScriptedPrompter(list(answers))
    assert cli("homework", "new", "-o", str(tmp_path / "x.toml"), prompter=prompter).code == 0
    assert not [s for s in prompter.said if s.startswith(("Question ", "Task "))]


def test_withdrawal_sparkline_is_one_sentence(cli, monkeypatch):
    for args in (["--tremor", "3", "--sweating", "2", "--at", "2026-11-20 08:00"],
                 ["--tremor", "2", "--anxiety", "3", "--at", "2026-11-20 20:00"],
                 ["--tremor", "1", "--at", "2026-11-22 09:00"]):  # fmt: skip  # 21st: no check
        assert cli("log", "withdrawal", *args).code == 0
    normal, spoken = both(cli, monkeypatch, "withdrawal")
    assert re.search("[▁▂▃▄▅▆▇█]", normal)  # the normal view draws the sparkline
    assert figures(normal) <= figures(spoken), figures(normal) - figures(spoken)
    said = [x for x in spoken.splitlines() if x.startswith("Highest withdrawal total per day")]
    assert said == [
        "Highest withdrawal total per day over 3 days (0 to 30): mostly 1 to 5, highest 5 on "
        "Fri 20 Nov, mean 3; 1 day with no entry."
    ], spoken


def test_screener_and_daily_check_in_history_sparklines_are_sentences(cli, monkeypatch):
    for answers in (["1", "1", "2", "1", "0", "1", "1", "0", "0", "1"], ["3"] * 9 + ["1"]):
        assert cli("checkin", "phq9", prompter=ScriptedPrompter(list(answers))).code == 0
    from datetime import datetime

    from conftest import LONDON

    from relapse_cli.core.clock import FakeClock

    for day, answers in ((22, ["6", "3", "7", "", "lt", "na", "meeting"]),
                         (23, ["4", "8", "5", "", "", "", ""])):  # fmt: skip  # one a day
        at = FakeClock(datetime(2026, 11, day, 20, 0), tz=LONDON)
        result = cli("checkin", prompter=ScriptedPrompter(list(answers)), use_clock=at)
        assert result.code == 0, result.err
    normal, spoken = both(cli, monkeypatch, "checkin", "history")
    assert re.search("[▁▂▃▄▅▆▇█]", normal)
    assert figures(normal) <= figures(spoken), figures(normal) - figures(spoken)
    lines = spoken.splitlines()
    assert any(re.match(r"PHQ-9 scores over 2 results \(0 to 27\): mostly 7 to 27, highest 27 on "
                        r"\w{3} \d+ \w{3}, mean 17\.$", x) for x in lines), lines  # fmt: skip
    daily = next(x for x in lines if x.startswith("Daily check-ins: 2, newest first. "))
    assert re.search(
        r"Mood over 2 check-ins \(0 to 10\): mostly 4 to 6, highest 6 on Sun 22 Nov", daily
    )
    assert re.search(
        r"Anxiety over 2 check-ins \(0 to 10\): mostly 3 to 8, highest 8 on Mon 23 Nov", daily
    )


def test_homework_progress_bars_are_words(cli, monkeypatch, tmp_path):
    from importlib import resources

    from relapse_cli.render import describe

    week = tmp_path / "week.toml"
    example = resources.files("relapse_cli.data").joinpath("homework_example.toml")
    week.write_text(example.read_text("utf-8").replace("List three", "[red]List[/red] three"))
    assert cli("homework", "load", str(week), "--yes").code == 0
    assert cli("log", "craving", "4").code == 0
    normal, spoken = both(cli, monkeypatch, "homework")
    assert "█" in normal or "░" in normal  # the normal view draws a bar per task
    assert figures(normal) <= figures(spoken), figures(normal) - figures(spoken)
    shown = re.findall(r"(\d+)/(\d+)", normal)
    assert shown
    for done, total in shown:  # each bar's figure is said in words on its task's line
        assert describe.progress(int(done), int(total)) in spoken
    assert not re.search(r"\d+/\d+", spoken)  # the figures are words, not "3/7"
    assert "[red]List[/red] three situations" in spoken  # counselor's words shown, not markup


@pytest.mark.parametrize(("done", "total", "said"), [
    (0, 7, "0 of 7 done (0 %)"), (3, 7, "3 of 7 done (43 %)"), (7, 7, "7 of 7 done (100 %)"),
    (9, 7, "9 of 7 done (100 %)"), (2, 0, "2 done")])  # fmt: skip
def test_a_progress_bar_in_words(done, total, said):
    from relapse_cli.render import describe

    assert describe.progress(done, total) == said


# --- the guided thought record, and the exercises sos offers -------------------------------

EMERGENCY = (
    "If you are in danger now, call your local emergency number (999 in the United Kingdom)."
)
CRISIS_GB = ["Crisis lines (United Kingdom):", "  - Samaritans: 116 123 (24/7)",
             "  - NHS 111: 111 (24/7)", EMERGENCY]  # fmt: skip


def test_the_guided_thought_record_says_which_step_without_boxes(cli, monkeypatch):
    from tests.test_think import ANSWERS

    monkeypatch.setenv("RELAPSE_SCREEN_READER", "1")
    prompter = ScriptedPrompter(list(ANSWERS))
    result = cli("think", prompter=prompter)
    assert result.code == 0, result.err
    assert prompter.answers == []
    said = prompter.said
    steps = [s.split(" · ")[0] for s in said if s.startswith("Step ")]
    assert steps == [f"Step {n} of 9" for n in range(1, 10)]
    assert not BOX_OR_BLOCK.search(result.out + "\n".join(said) + "\n".join(prompter.asked))
    lines = result.out.splitlines()
    assert lines[0].startswith("Thought record · Tue 24 Nov 2026 21:00 · id ")  # the panel's title
    assert "1 Situation: alone after a tense call, wine in the kitchen" in lines  # label: value
    assert "2 Moods: anxious 80, ashamed 60" in lines
    assert "Mood change: anxious 80 → 40, ashamed 60 → 50 (eased by 25 points on average)" in lines
    # A draft resumed in the mode says where it picks up, in the same words.
    cut = ANSWERS.index("Thursday I ran instead")
    prompter = ScriptedPrompter([*ANSWERS[:cut], KeyboardInterrupt])
    assert cli("think", prompter=prompter).code == 130
    prompter = ScriptedPrompter(list(ANSWERS[cut:]))
    result = cli("think", "--resume", prompter=prompter)
    assert result.code == 0, result.err
    assert any("at step 6 of 9, evidence against the hot thought" in s for s in prompter.said)
    assert [s.split(" · ")[0] for s in prompter.said if s.startswith("Step ")] == [
        f"Step {n} of 9" for n in range(6, 10)
    ]
    assert not BOX_OR_BLOCK.search(result.out + "\n".join(prompter.said))


def _sos(cli, answers: list[str], spoken: bool = True) -> tuple[list[str], ScriptedPrompter]:
    prompter = ScriptedPrompter(list(answers))
    result = cli("sos", prompter=prompter)
    assert result.code == 0, result.err
    assert prompter.answers == [], prompter.asked
    assert bool(BOX_OR_BLOCK.search(result.out)) is not spoken, result.out
    lines = result.out.splitlines()
    at = lines.index(CRISIS_GB[0])  # the crisis lines come first, whole, before any offer
    assert [x for x in lines[at:] if x in CRISIS_GB] == CRISIS_GB
    assert lines.index(EMERGENCY) < lines.index(
        "[u] urge surfing   [b] SOBER breathing   [l] log this craving   [Enter] close"
    )
    return lines, prompter


URGE_ANSWERS = ["u", "8", "5", "8", "6", "2", "1", "2", "6"]  # key, before, 5 ratings, after


def test_urge_surfing_from_sos_is_one_line_per_phase_with_the_wave_in_words(
    cli, clock, monkeypatch
):
    from relapse_cli.breathing.model import exercises

    assert cli("config", "country", "GB").code == 0
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("RELAPSE_SCREEN_READER", "0")
    normal, _ = _sos(cli, URGE_ANSWERS, spoken=False)
    monkeypatch.setenv("RELAPSE_SCREEN_READER", "1")
    lines, prompter = _sos(cli, URGE_ANSWERS)
    assert prompter.asked.count("Urge now") == 5
    assert f"{clock.now():%H:%M}" == "21:10"  # two sessions of 5 min on the fake clock, no sleep
    phases = [x for x in lines if x.startswith("Notice the wave")]
    assert phases == ["Notice the wave (60 s), then rate your urge"] * 5
    for sentence in exercises()["urge"].cautions:  # said whole, not broken at 120 columns
        assert sentence in lines, lines
        assert sentence not in normal
    assert "Your urge wave: 8 → 2, highest 8." in lines  # the chart as words
    assert [x for x in lines if re.fullmatch(r"  (before|\d:\d\d): urge \d+", x)] == [
        "  before: urge 8", "  1:00: urge 8", "  2:00: urge 6", "  3:00: urge 2",
        "  4:00: urge 1", "  5:00: urge 2"]  # fmt: skip
    assert any(re.search("[▁▂▃▄▅▆▇█]", x) for x in normal)  # the normal view draws it
    assert figures("\n".join(normal)) <= figures("\n".join(lines))
    assert lines[-1] == "Saved: Urge surfing, 5 min, 5 ratings, urge 8 → 2."


def test_sober_breathing_from_sos_with_the_setting_on(cli, clock, monkeypatch):
    from relapse_cli.breathing.model import exercises

    assert cli("config", "country", "GB").code == 0
    assert cli("config", "screen_reader", "on").code == 0
    monkeypatch.delenv("RELAPSE_SCREEN_READER", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    lines, prompter = _sos(cli, ["b", "7", "5", "3", "6"])
    assert prompter.asked[1:] == ["Urge right now (0 none, 10 strongest)",
                                  "Mood right now (0 very low, 10 very good)"] * 2  # fmt: skip
    phases = [x for x in lines if re.fullmatch(r"\w+ \(\d+ s\), step \d of 5", x)]
    assert phases == ["Stop (30 s), step 1 of 5", "Observe (45 s), step 2 of 5",
                      "Breathe (45 s), step 3 of 5", "Expand (30 s), step 4 of 5",
                      "Respond (30 s), step 5 of 5"]  # fmt: skip
    for sentence in exercises()["sober"].cautions:
        assert sentence in lines, lines
    assert f"{clock.now():%H:%M}" == "21:03"  # 3 min on the fake clock
    assert lines[-1] == "Saved: SOBER breathing space, 3 min, 5 steps, urge 7 → 3."

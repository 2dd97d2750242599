"""``relapse breathe``: whole sessions on a fake clock with scripted ratings (no real sleeping),
urge surfing, Ctrl-C, history and the mean urge drop, the summary and report sections,
export/import/purge of the sessions, bad input, and the live guide's frames."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest

from relapse_cli.cli.context import AppContext
from relapse_cli.core.clock import FakeClock
from relapse_cli.core.prompter import ScriptedPrompter
from tests.conftest import LONDON, NOW, records


class StopAt(FakeClock):
    """Ctrl-C arrives ``after`` seconds after the first sleep begins (inside a sleep)."""

    def __init__(self, after: float) -> None:
        super().__init__(NOW, tz=LONDON)
        self.after = after
        self.stop: float | None = None

    def sleep(self, seconds: float) -> None:
        if self.stop is None:
            self.stop = self.monotonic() + self.after
        if self.monotonic() + seconds > self.stop:
            self.advance(self.stop - self.monotonic())
            raise KeyboardInterrupt
        super().sleep(seconds)


def sessions(path: str) -> list[dict]:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        rows = con.execute("SELECT * FROM exercise_sessions ORDER BY id").fetchall()
        return [dict(r) for r in rows]
    finally:
        con.close()


def after_cautions(out: str, key: str) -> list[str]:
    """The output lines after the exercise's cautions, which come first (issue 15 item 9)."""
    from relapse_cli.breathing.model import exercises

    lines = out.splitlines()
    words = " ".join(exercises()[key].cautions).split()  # wrapped to the width: compare words
    for n in range(len(lines) + 1):
        if " ".join(lines[:n]).split() == words:
            return lines[n:]
    raise AssertionError(f"the {key} cautions do not come first: {lines[:4]}")


def asked(*answers: object) -> ScriptedPrompter:
    return ScriptedPrompter(list(answers))  # type: ignore[arg-type]


# --- listing ------------------------------------------------------------------------------


def test_bare_breathe_lists_the_exercises(cli):
    result = cli("breathe")
    assert result.code == 0, result.err
    for key in ("box", "478", "paced", "sigh", "sober", "urge", "body"):
        assert f"\n{key} " in "\n" + result.out
    for length in ("4 min (15 cycles)", "1 min 16 s (4 cycles)", "54 s (6 cycles)",
                   "3 min (5 steps)", "6 min (15 steps)", "at your pace"):  # fmt: skip
        assert length in result.out
    items = cli("breathe", "--json").json()
    box = next(i for i in items if i["key"] == "box")
    assert box["pattern"] == "in 4, hold 4, out 4, hold 4" and box["default_minutes"] == 4
    assert [p["seconds"] for p in box["phases"]] == [4, 4, 4, 4] and "Balban" in box["source"]


# --- whole sessions -----------------------------------------------------------------------


def test_five_minute_box_session_is_guided_and_saved(cli, clock, journal):
    prompter = asked("7", "5", "3", "6")
    result = cli("breathe", "box", "--minutes", "5", prompter=prompter)
    assert result.code == 0, result.err
    assert prompter.asked == [
        "Urge right now (0 none, 10 strongest)", "Mood right now (0 very low, 10 very good)",
        "Urge right now (0 none, 10 strongest)", "Mood right now (0 very low, 10 very good)",
    ]  # fmt: skip
    lines = after_cautions(result.out, "box")
    assert lines[0].startswith("Sit comfortably.")
    phase_lines = lines[1:-2]
    assert len(phase_lines) == 75  # plain: one line per phase (stdout is not a terminal)
    assert phase_lines[:4] == ["Breathe in (4 s), cycle 1 of 19", "Hold (4 s)",
                               "Breathe out (4 s)", "Hold (4 s)"]  # fmt: skip
    assert phase_lines[-3:] == ["Breathe in (4 s), cycle 19 of 19", "Hold (4 s)",
                                "Breathe out (4 s)"]  # fmt: skip
    assert lines[-2] == "Let your breathing return to its own pace."
    assert lines[-1] == "Saved: Box breathing, 5 min, 18 cycles, urge 7 → 3."
    assert f"{clock.now():%H:%M:%S}" == "21:05:00"  # 300 s of simulated time, no real sleep
    (row,) = sessions(journal)
    assert {k: row[k] for k in ("exercise", "started_at", "utc_offset_min", "planned_s",
                                "actual_s", "cycles", "completed", "end_reason", "pattern",
                                "urge_before", "urge_after", "mood_before", "mood_after",
                                "ratings")} == {
        "exercise": "box", "started_at": "2026-11-24T21:00:00Z", "utc_offset_min": 0,
        "planned_s": 300.0, "actual_s": 300.0, "cycles": 18, "completed": 1,
        "end_reason": "finished", "pattern": "in 4, hold 4, out 4, hold 4", "urge_before": 7,
        "urge_after": 3, "mood_before": 5, "mood_after": 6, "ratings": None,
    }  # fmt: skip
    assert len(row["uuid"]) == 36


def test_enter_skips_and_out_of_range_asks_again(cli, journal):
    prompter = asked("", "11", "6", "", "")
    result = cli("breathe", "sigh", "--cycles", "2", prompter=prompter)
    assert result.code == 0, result.err
    assert "Please type a number from 0 to 10." in prompter.said
    (row,) = sessions(journal)
    assert (row["urge_before"], row["mood_before"], row["urge_after"], row["mood_after"]) == (
        None, 6, None, None)  # fmt: skip
    assert (row["planned_s"], row["actual_s"], row["cycles"]) == (18.0, 18.0, 2)
    assert result.out.splitlines()[-1] == "Saved: Physiological sigh, 18 s, 2 cycles."


def test_ctrl_c_mid_session_saves_a_partial_session(cli, journal):
    prompter = asked("7", "5", "4", "")
    result = cli("breathe", "box", prompter=prompter, use_clock=StopAt(37.0))
    assert result.code == 130
    assert result.out.splitlines()[-1] == (
        "Stopped early; saved as a partial session (Box breathing, 37 s, 2 cycles, "
        "urge 7 → 4). Every bit of practice counts."
    )
    (row,) = sessions(journal)
    assert (row["planned_s"], row["actual_s"], row["cycles"], row["completed"],
            row["end_reason"]) == (240.0, 37.0, 2, 0, "stopped")  # fmt: skip
    assert (row["urge_after"], row["mood_after"]) == (4, None)
    assert "Let your breathing return" not in result.out


def test_ctrl_c_again_at_the_after_questions_still_saves(cli, journal):
    prompter = asked("7", "5", KeyboardInterrupt)
    result = cli("breathe", "box", prompter=prompter, use_clock=StopAt(10.0))
    assert result.code == 130
    (row,) = sessions(journal)
    assert (row["urge_before"], row["urge_after"], row["completed"]) == (7, None, 0)


def test_ctrl_c_after_a_finished_session_keeps_it_finished(cli, journal):
    result = cli("breathe", "sigh", "--cycles", "1", prompter=asked("7", "", "3",
                                                                    KeyboardInterrupt))  # fmt: skip
    assert result.code == 0
    (row,) = sessions(journal)
    assert (row["completed"], row["urge_after"], row["mood_after"]) == (1, 3, None)


def test_ctrl_c_before_starting_saves_nothing(cli, journal):
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    result = cli("breathe", "box", prompter=asked("7", KeyboardInterrupt))
    assert result.code == 130 and "nothing was saved" in result.err
    assert records(journal) == before


def test_paced_overrides_are_used_and_stored(cli, journal):
    result = cli("breathe", "paced", "--in", "4", "--out", "6", "--minutes", "1", "--quiet",
                 prompter=asked())  # fmt: skip
    assert result.code == 0, result.err
    assert after_cautions(result.out, "paced")[1:4] == ["Breathe in (4 s), cycle 1 of 6",
                                            "Breathe out (6 s)",
                                            "Breathe in (4 s), cycle 2 of 6"]  # fmt: skip
    (row,) = sessions(journal)
    assert (row["pattern"], row["planned_s"], row["cycles"]) == ("in 4, out 6", 60.0, 6)
    assert row["urge_before"] is None and row["mood_before"] is None


def test_sober_steps_are_spoken_with_their_pauses(cli, clock, journal):
    result = cli("breathe", "sober", "--quiet", "--bell", prompter=asked())
    assert result.code == 0, result.err
    lines = after_cautions(result.out.replace("\a", ""), "sober")
    assert lines[1:4] == ["Stop (30 s), step 1 of 5",
                          "  Stop where you are. You don't have to do anything right now.",
                          "  Let yourself arrive in this moment."]  # fmt: skip
    assert "Respond (30 s), step 5 of 5" in lines
    assert result.out.count("\a") == 5  # --bell: one per step
    assert f"{clock.now():%H:%M}" == "21:03"
    (row,) = sessions(journal)
    assert (row["cycles"], row["planned_s"], row["completed"]) == (5, 180.0, 1)


def test_quiet_runs_without_a_terminal(cli, journal):
    result = cli("breathe", "478", "--quiet", interactive=False)
    assert result.code == 0, result.err
    (row,) = sessions(journal)
    assert (row["exercise"], row["cycles"], row["planned_s"]) == ("478", 4, 76.0)


# --- urge surfing -------------------------------------------------------------------------


def test_urge_surfing_ends_when_the_wave_settles_and_draws_it(cli, journal):
    prompter = asked("8", "5", "8", "6", "2", "1", "2", "6")
    result = cli("breathe", "urge", prompter=prompter)
    assert result.code == 0, result.err
    assert prompter.asked[2:7] == ["Urge now"] * 5
    assert prompter.asked[7] == "Mood right now (0 very low, 10 very good)"  # urge: last rating
    out = result.out
    assert "Notice where you feel the urge in your body." in out
    assert "the wave has passed for now" in out
    chart = out[out.index("Your urge wave") :].splitlines()[:7]
    assert chart == [
        "Your urge wave: ▇▇▅▂▂▂  (8 → 2, highest 8)",
        "  before  ████████·· 8",
        "    1:00  ████████·· 8",
        "    2:00  ██████···· 6",
        "    3:00  ██········ 2",
        "    4:00  █········· 1",
        "    5:00  ██········ 2",
    ]
    (row,) = sessions(journal)
    assert json.loads(row["ratings"]) == [[60, 8], [120, 6], [180, 2], [240, 1], [300, 2]]
    assert (row["urge_before"], row["urge_after"], row["mood_before"], row["mood_after"]) == (
        8, 2, 5, 6)  # fmt: skip
    assert (row["planned_s"], row["actual_s"], row["cycles"], row["completed"],
            row["end_reason"], row["pattern"]) == (None, 300.0, 5, 1, "settled",
                                                   "rating every 1 min")  # fmt: skip


def test_urge_surfing_ends_when_the_person_says_so(cli, journal):
    prompter = asked("7", "", "7", "", "x", "5", "done", "")
    result = cli("breathe", "urge", "--every", "2", prompter=prompter)
    assert result.code == 0, result.err
    assert "Please type a number from 0 to 10, or q when you are done." in prompter.said
    (row,) = sessions(journal)
    # ratings at 2, 4 (skipped with Enter), 6 ("x" re-asked without waiting, then 5) minutes
    assert json.loads(row["ratings"]) == [[120, 7], [360, 5]]
    assert (row["end_reason"], row["completed"], row["cycles"], row["actual_s"]) == (
        "done", 1, 2, 480.0)  # fmt: skip


def test_urge_surfing_stopped_with_ctrl_c_is_saved_and_drawn(cli, journal):
    prompter = asked("9", "", "9", "7", KeyboardInterrupt, "")
    result = cli("breathe", "urge", prompter=prompter)
    assert result.code == 130
    assert "Your urge wave: ▇▇▆  (9 → 7, highest 9)" in result.out
    (row,) = sessions(journal)
    assert (row["end_reason"], row["completed"], row["urge_after"]) == ("stopped", 0, 7)


def test_urge_surfing_stops_at_its_time_limit(cli, journal):
    result = cli("breathe", "urge", "--minutes", "3", "--quiet", prompter=asked("8", "8", "7"))
    assert result.code == 0
    (row,) = sessions(journal)
    assert (row["end_reason"], row["cycles"], row["actual_s"]) == ("time_limit", 3, 180.0)


def test_urge_surfing_needs_a_terminal(cli, journal):
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    result = cli("breathe", "urge", "--quiet", interactive=False)
    assert result.code == 2 and "needs a terminal" in result.err
    assert records(journal) == before


# --- history, summary, report -------------------------------------------------------------


@pytest.fixture
def four(cli):
    """Box 7 -> 3, box 6 -> 4, sigh 5 -> 5, and a box without ratings."""
    for args, answers in ((("box", "-c", "1"), ("7", "", "3", "")),
                          (("box", "-c", "2"), ("6", "", "4", "")),
                          (("sigh", "-c", "1"), ("5", "", "5", "")),
                          (("box", "-c", "1", "--quiet"), ())):  # fmt: skip
        assert cli("breathe", *args, prompter=asked(*answers)).code == 0


def test_history_shows_sessions_and_mean_urge_drop(cli, four):
    data = cli("breathe", "--history", "--json").json()
    assert [s["exercise"] for s in data["sessions"]] == ["box", "sigh", "box", "box"]
    by = {r["exercise"]: r for r in data["by_exercise"]}
    assert [r["exercise"] for r in data["by_exercise"]] == ["box", "sigh"]
    assert (by["box"]["times"], by["box"]["rated"], by["box"]["completed"]) == (3, 2, 3)
    assert (by["box"]["urge_before"], by["box"]["urge_after"], by["box"]["drop_mean"]) == (
        6.5, 3.5, 3.0)  # fmt: skip
    assert by["sigh"]["drop_mean"] == 0.0
    out = cli("breathe", "--history").out
    assert "Mean urge drop by exercise" in out and "down 3.0" in out and "no change" in out
    assert "7 → 3" in out and "32 s of 32 s" in out
    only = cli("breathe", "sigh", "--history", "--json").json()
    assert [s["exercise"] for s in only["sessions"]] == ["sigh"]


def test_history_when_empty(cli):
    assert "No exercise sessions yet" in cli("breathe", "--history").out


def test_summary_section_by_mean_urge_drop_only_with_data(cli, four):
    assert cli("log", "craving", "5").code == 0
    more = cli("summary", "--json").json()["more"]
    section = more["exercises"]
    assert section["title"] == "Exercises by mean urge drop"
    assert section["lines"][0] == ["Box breathing",
                                   "3 sessions (2 rated); urge 6.5 → 3.5 (down 3.0)"]  # fmt: skip
    assert section["lines"][1][0] == "Physiological sigh"
    text = cli("summary").out
    assert "Exercises by mean urge drop" in text


def test_no_summary_section_without_sessions(cli):
    assert cli("log", "craving", "5").code == 0
    assert "exercises" not in cli("summary", "--json").json()["more"]


def test_report_sections_show_exercises(cli, four):
    assert cli("log", "craving", "5").code == 0
    md = cli("export", "-f", "md").out
    assert "## Exercises" in md and "Box breathing" in md and "6.5 → 3.5" in md
    narrowed = cli("export", "-f", "md", "--kinds", "craving").out
    assert "## Exercises" not in narrowed


def test_export_import_and_purge_cover_sessions(cli, four, journal, tmp_path):
    out = tmp_path / "x.json"
    assert cli("export", "-f", "json", "-o", str(out)).code == 0
    other = str(tmp_path / "other.db")
    result = cli("--journal", other, "import", str(out))
    assert result.code == 0, result.err

    def strip(rows: list[dict]) -> list[dict]:
        return [{k: v for k, v in r.items() if k != "id"} for r in rows]

    assert len(sessions(journal)) == 4 and strip(sessions(other)) == strip(sessions(journal))
    assert cli("purge", "--all", "--yes").code == 0
    assert sessions(journal) == []


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("box", "--minutes", "0"), "--minutes must be from 1 to 60 (got 0)"),
        (("box", "--minutes", "600"), "--minutes must be from 1 to 60 (got 600)"),
        (("paced", "--in", "-1"), "--in must be from 4 to 7 (got -1)"),
        (("yoga",), "unknown exercise 'yoga'"),
        (("box", "--cycles", "2", "--minutes", "3"), "choose --minutes or --cycles"),
        (("478", "--cycles", "9"), "at most 8 cycles"),
        (("box",), "add --quiet to run without questions"),
        (("--since", "7d ago"), "--since/--until go with --history"),
        (("box", "--quiet", "--json"), "--json goes with the list or --history"),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_saved(cli, journal, args, message):
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    result = cli("breathe", *args, interactive=False)
    assert result.code == 2 and message in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert records(journal) == before


# --- for relapse sos, and the live guide ------------------------------------------------


def test_start_exercise_runs_defaults_and_saves(clock, journal, capsys):
    from relapse_cli.breathing.commands import start_exercise

    app = AppContext(clock=clock, prompter=asked("6", "4", "3", "5"))
    try:
        assert start_exercise(app, "sigh") == 0
    finally:
        app.close()
    (row,) = sessions(journal)
    assert (row["exercise"], row["planned_s"], row["cycles"], row["urge_after"]) == (
        "sigh", 54.0, 6, 3)  # fmt: skip
    assert "Saved: Physiological sigh, 54 s, 6 cycles, urge 6 → 3." in capsys.readouterr().out


def test_live_guide_redraws_in_place_and_leaves_no_scrollback(clock):
    from rich.console import Console

    from relapse_cli.breathing.commands import LiveView
    from relapse_cli.breathing.model import find, make_plan, run

    buf = io.StringIO()
    view = LiveView(bell=True, title="Physiological sigh",
                    console=Console(file=buf, force_terminal=True, width=80))  # fmt: skip
    plan = make_plan(find("sigh"), cycles=1)
    view.begin(plan)
    result = run(plan.steps, clock, on_phase=view.phase, on_tick=view.tick, tick=view.tick_s)
    view.end()
    out = buf.getvalue()
    assert result.finished and result.elapsed == pytest.approx(9.0)
    # 90 ticks of 0.1 s + 3 phase changes + the redraw Live makes as it stops
    assert out.count("╭─ Physiological sigh") == 94
    assert out.count("\a") == 3 and "Long breath out" in out
    assert out.startswith("\x1b[?25l") and "\x1b[?25h" in out  # cursor hidden, then restored
    tail = out[out.rindex("╯") :]
    assert tail.count("\x1b[2K") == 6  # transient: the last frame (6 lines) is erased


def test_a_frame_shows_phase_bar_and_time_left():
    from rich.console import Console

    from relapse_cli.breathing.model import breath_level, find, make_plan
    from relapse_cli.breathing.view import frame

    plan = make_plan(find("box"), minutes=5)
    step = plan.steps[0]
    console = Console(file=io.StringIO(), width=80, record=True)
    console.print(frame("Box breathing", "Breathe in", breath_level(step, 2, 0.0), 2, 298,
                        where="cycle 1 of 19"))  # fmt: skip
    text = console.export_text()
    assert "Breathe in" in text and "█" * 16 + "░" * 16 in text
    assert "2 s left · 4:58 left in the session · cycle 1 of 19" in text


def test_urge_surfing_on_a_terminal_redraws_each_wait(cli, journal, monkeypatch):
    from rich.console import Console

    from relapse_cli.breathing import commands as breathe
    from relapse_cli.render import console as console_module

    buf = io.StringIO()
    monkeypatch.setattr(breathe, "_plain_wanted", lambda plain: False)
    monkeypatch.setattr(console_module, "console",
                        lambda stderr=False: Console(file=buf, force_terminal=True, width=80))  # fmt: skip
    result = cli("breathe", "urge", "--every", "0.5", prompter=asked("6", "", "2", "1", "0", ""))
    assert result.code == 0, result.err
    out = buf.getvalue()
    # three waits of 30 s, a frame every 0.1 s (+1 at the phase, +1 as Live stops)
    assert out.count("╭─ Urge surfing") == 3 * 302
    assert "Notice the wave" in out and "then rate your urge" in out
    assert "Your urge wave: ▅▂▂▁  (6 → 0, highest 6)" in out
    (row,) = sessions(journal)
    assert json.loads(row["ratings"]) == [[30, 2], [60, 1], [90, 0]]
    assert row["end_reason"] == "settled"


def test_plain_is_chosen_for_pipes_and_dumb_terminals(monkeypatch):
    from relapse_cli.breathing.commands import _plain_wanted

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdout", Tty())
    monkeypatch.setenv("TERM", "xterm-256color")
    assert _plain_wanted(False) is False and _plain_wanted(True) is True
    monkeypatch.setenv("TERM", "dumb")
    assert _plain_wanted(False) is True
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setattr("sys.stdout", io.StringIO())  # a pipe or a file
    assert _plain_wanted(False) is True


def test_history_fits_80_columns_without_cutting_words(cli, monkeypatch):
    assert cli("breathe", "sigh", "-c", "1", prompter=asked("7", "4", "3", "6")).code == 0
    monkeypatch.setenv("COLUMNS", "80")
    lines = cli("breathe", "--history").out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0].split() == ["when", "exercise", "length", "cycles", "urge", "mood", "how",
                                "it", "ended"]  # fmt: skip
    assert lines[1].split() == ["24", "Nov", "2026", "21:00", "Physiological", "9", "s", "of",
                                "9", "s", "1", "7", "→", "3", "4", "→", "6", "finished"]  # fmt: skip
    assert lines[2].split() == ["sigh"]
    assert "…" not in "\n".join(lines[:3])


def test_the_session_is_stored_before_the_after_questions(cli, journal):
    """Closing the window at the after questions (the process ends there) keeps the practice;
    the after ratings are added to the same row once given."""
    with pytest.raises(SystemExit):  # the process ends at the urge-after question
        cli("breathe", "sigh", "-c", "1", prompter=asked("7", "4", SystemExit))
    (row,) = sessions(journal)
    assert (row["exercise"], row["completed"], row["actual_s"], row["urge_before"],
            row["urge_after"], row["mood_after"]) == ("sigh", 1, 9.0, 7, None, None)  # fmt: skip
    assert cli("breathe", "sigh", "-c", "1", prompter=asked("6", "", "2", "8")).code == 0
    row = sessions(journal)[1]
    assert (row["urge_before"], row["mood_before"], row["urge_after"], row["mood_after"]) == (
        6, None, 2, 8)  # fmt: skip

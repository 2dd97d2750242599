"""relapse homework end to end: load (accept, decline, Ctrl-C, scripts), progress from records
made through the real commands, answers, list/archive, trackers on the log fast lane,
the guided `new`, the summary and report, export/import and purge."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime
from importlib import resources

import pytest
from conftest import LONDON, records

from relapse_cli.core.clock import FakeClock
from relapse_cli.core.prompter import ScriptedPrompter

EXAMPLE = resources.files("relapse_cli.data").joinpath("homework_example.toml").read_text("utf-8")
MONDAY = FakeClock(datetime(2026, 11, 23, 8, 0), tz=LONDON)
HOMEWORK_TABLES = ("homework", "tracker_values", "reflection_answers")


@pytest.fixture
def week(tmp_path):
    path = tmp_path / "week.toml"
    path.write_text(EXAMPLE)
    return str(path)


def count(journal: str, table: str) -> int:
    con = sqlite3.connect(journal)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
    finally:
        con.close()


# ------------------------------------------------------------- loading


def test_load_shows_the_tasks_and_asks_to_accept(cli, journal, week):
    prompter = ScriptedPrompter(["y"])
    result = cli("homework", "load", week, prompter=prompter, use_clock=MONDAY)
    assert result.code == 0, result.err
    assert prompter.asked == ["Accept this homework?"]
    for text in ("Weeks 3-4: noticing the pull", "From: Alex Rivera · Riverside Recovery",
                 "2 thought records a week", "relapse log pain VALUE", "0 = no pain"):  # fmt: skip
        assert text in result.out
    assert "Counting starts Mon 23 Nov" in result.out
    assert count(journal, "homework") == 1


@pytest.mark.parametrize("answer", ["n", "", KeyboardInterrupt])
def test_declining_or_stopping_loads_nothing(cli, journal, week, answer):
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    result = cli("homework", "load", week, prompter=ScriptedPrompter([answer]))
    assert result.code == (130 if answer is KeyboardInterrupt else 0)
    assert records(journal) == before


def test_without_a_terminal_load_needs_yes(cli, journal, week):
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    result = cli("homework", "load", week)
    assert result.code == 2
    assert result.err.splitlines()[-1] == ("relapse: loading homework asks you to accept it first "
                                           "(add --yes to accept without being asked)")  # fmt: skip
    assert records(journal) == before


def test_the_same_file_twice_is_refused_but_several_assignments_are_fine(
    cli, journal, week, tmp_path
):
    assert cli("homework", "load", week, "--yes").code == 0
    again = cli("homework", "load", week, "--yes")
    assert again.code == 2 and "already loaded" in again.err
    other = tmp_path / "other.toml"
    other.write_text(EXAMPLE.replace("Weeks 3-4: noticing the pull", "Sleep routine"))
    result = cli("homework", "load", str(other), "--yes")
    assert result.code == 0
    assert "Tracker 'pain' is already in use" in result.out
    assert [a["title"] for a in cli("homework", "--json").json()] == [
        "Weeks 3-4: noticing the pull", "Sleep routine"]  # fmt: skip


# ------------------------------------------------------------- progress from the journal


def test_progress_is_computed_from_records_made_by_the_real_commands(cli, week):
    assert cli("homework", "load", week, "--yes", use_clock=MONDAY).code == 0
    assert cli("log", "craving", "3", "--at", "2026-11-23 10:00").code == 0
    assert cli("log", "craving", "0", "--at", "2026-11-24 09:00").code == 0
    assert cli("checkin", "--mood", "6", "--anxiety", "3").code == 0
    assert cli("think", "--situation", "office party", "--mood", "anxious=80", "--thought",
               "I need a drink", "--hot", "1", "--for", "tense", "--against", "left before",
               "--balanced", "I can leave early", "--belief", "70",
               "--mood-after", "anxious=40").code == 0  # fmt: skip
    assert cli("breathe", "box", "-m", "4", "-q", "--plain").code == 0  # counts (4 minutes)
    assert cli("breathe", "box", "-m", "1", "-q", "--plain").code == 0  # too short
    assert cli("breathe", "paced", "-m", "5", "-q", "--plain").code == 0  # another exercise
    assert cli("checkin", "phq9", "--answers", "0,0,0,0,0,0,0,0,0").code == 0
    assert cli("plan", "add", "coping", "Call Sam").code == 0
    assert cli("plan", "add", "coping", "Walk round the block").code == 0
    assert cli("homework", "answer", "pull", "--text", "Payday; the bar on the way home").code == 0
    assert cli("log", "pain", "3").code == 0
    assert cli("log", "pain", "4").code == 0  # the same day again

    (item,) = cli("homework", "--json").json()
    got = {t["id"]: (t["done"], t["expected_so_far"], t["expected_total"], t["status"])
           for t in item["tasks"]}  # fmt: skip
    assert got == {
        "cravings": (2, 2, 14, "on_track"),
        "checkin": (1, 2, 14, "behind"),  # Monday had none
        "thoughts": (1, 1, 4, "on_track"),
        "breathing": (1, 1, 10, "on_track"),
        "phq9": (1, 1, 1, "done"),
        "coping-plan": (2, 0, 3, "on_track"),
        "pull": (1, 1, 1, "done"),
        "pain": (1, 2, 14, "behind"),  # daily: Monday had none
    }
    by_id = {t["id"]: t for t in item["tasks"]}
    assert by_id["checkin"]["sentence"] == ("1 of 2 so far (1 day missed); 12 days left. "
                                            "Today is a fresh start.")  # fmt: skip
    assert by_id["pull"]["answer"] == "Payday; the bar on the way home"
    assert item["days_left"] == 12 and item["finished"] is False

    shown = cli("homework")
    assert shown.code == 0
    assert "Weeks 3-4: noticing the pull (until Sun 6 Dec 2026, 12 days left)" in shown.out
    assert "1 of 2 so far (1 day missed)" in shown.out

    summary = cli("summary", "--json").json()["more"]["homework"]
    assert dict(summary["lines"])["checkin"].startswith("█░░░░░░░░░ 1/14 1 of 2 so far")

    report = cli("export", "-f", "md", "-o", "-")
    assert report.code == 0
    assert ("Weeks 3-4: noticing the pull (Alex Rivera), 23 Nov to 6 Dec. Counted from the "
            "journal; only reflections are marked by hand.") in report.out  # fmt: skip
    part = report.out.split("\n## Homework\n", 1)[1]
    rows = [line for line in part.splitlines() if line.endswith(" % |")]
    assert rows[:8] == [
        "| Log your cravings every day (none today? relapse log craving 0) | 2026-12-06 | "
        "on track, 2 of 2 so far | 14 % |",
        "| A daily check-in | 2026-12-06 | 1 of 2 so far | 7 % |",
        "| 2 thought records a week | 2026-12-06 | on track, 1 of 1 so far | 25 % |",
        "| Box breathing, 4 minutes, 5 times a week | 2026-12-06 | on track, 1 of 1 so far | 10 % |",
        "| The PHQ-9 check-in by Mon 30 Nov | 2026-11-30 | done | 100 % |",
        "| Your plan's coping strategies: at least 3 items | 2026-12-06 | 2 of 3 so far | 67 % |",
        "| Reflect: List three situations this week where you felt the pull to drink. "
        "Answer: Payday; the bar on the way home | 2026-12-06 | done | 100 % |",
        "| Track pain (0-10) every day | 2026-12-06 | 1 of 2 so far | 7 % |",
    ]


SIGH_TASK = """title = "Sighs"
start = 2026-11-23
due = 2026-11-29
[assigned_by]
name = "Alex"
[[tasks]]
id = "sigh"
kind = "breathing"
exercise = "sigh"
minutes = 4
"""


def test_a_finished_session_within_one_breath_of_the_minutes_counts(cli, tmp_path, journal):
    path = tmp_path / "sigh.toml"
    path.write_text(SIGH_TASK)
    assert cli("homework", "load", str(path), "--yes", use_clock=MONDAY).code == 0
    assert cli("breathe", "sigh", "-m", "4", "-q", "--plain").code == 0  # 26 sighs: 3 min 54 s
    assert cli("breathe", "sigh", "-m", "3", "-q", "--plain",
               use_clock=FakeClock(datetime(2026, 11, 23, 9, 0), tz=LONDON)).code == 0  # fmt: skip
    con = sqlite3.connect(journal)
    sessions = con.execute("SELECT actual_s, completed FROM exercise_sessions "
                           "ORDER BY started_at").fetchall()  # fmt: skip
    con.close()
    assert sessions == [(180.0, 1), (234.0, 1)]
    (item,) = cli("homework", "--json").json()
    (task,) = item["tasks"]
    # Monday held only a 3-minute session
    assert (task["done"], task["expected_so_far"], task["expected_total"]) == (1, 2, 7)
    assert task["current"] == {"first": "2026-11-24", "last": "2026-11-24", "done": 1,
                               "expected": 1}  # fmt: skip


def test_nothing_loaded(cli):
    result = cli("homework")
    assert result.code == 0 and "No homework running" in result.out
    assert cli("homework", "--json").json() == []


# ------------------------------------------------------------- answers, list, archive


def test_answer_asks_line_by_line_and_replaces(cli, journal, week):
    assert cli("homework", "load", week, "--yes").code == 0
    prompter = ScriptedPrompter(["Payday.", "Walking past the bar.", ""])
    result = cli("homework", "answer", "pull", prompter=prompter)
    assert result.code == 0 and "(5 words)" in result.out
    assert prompter.said[0] == "List three situations this week where you felt the pull to drink."
    assert cli("homework", "answer", "pull", "--text", "-", input="Friday nights\n").code == 0
    assert count(journal, "reflection_answers") == 1
    (item,) = cli("homework", "--json").json()
    assert next(t for t in item["tasks"] if t["id"] == "pull")["answer"] == "Friday nights"


def test_answer_refuses_what_is_counted_from_the_journal(cli, journal, week):
    assert cli("homework", "load", week, "--yes").code == 0
    before = records(journal)
    result = cli("homework", "answer", "cravings", "--text", "done!")
    assert result.code == 2
    assert result.err == ("relapse: 'cravings' is not a reflection prompt; it is counted from "
                          "your journal (do it with: relapse log craving N)\n")  # fmt: skip
    result = cli("homework", "answer", "nope", "--text", "x")
    assert result.code == 2 and "(reflection tasks: pull)" in result.err
    result = cli("homework", "answer", "pull")
    assert result.code == 2 and "--text" in result.err
    assert records(journal) == before


def test_list_and_archive(cli, week):
    assert cli("homework", "load", week, "--yes").code == 0
    listed = cli("homework", "list")
    assert listed.code == 0
    assert "  1  " in listed.out and "active" in listed.out and "(from Alex Rivera)" in listed.out
    assert cli("homework", "archive", "1").out == "Archived: 'Weeks 3-4: noticing the pull'.\n"
    assert cli("homework", "--json").json() == []
    assert "archived" in cli("homework", "list").out
    result = cli("log", "pain", "3")  # an archived assignment's tracker is not offered
    assert result.code == 2 and "no homework trackers loaded" in result.err
    assert cli("homework", "archive", "1", "--undo").code == 0
    assert cli("log", "pain", "3").code == 0
    assert cli("homework", "archive", "9").code == 2


def test_finished_assignments_stay_in_history(cli, week):
    assert cli("homework", "load", week, "--yes", use_clock=MONDAY).code == 0
    later = FakeClock(datetime(2026, 12, 10, 12, 0), tz=LONDON)
    (item,) = cli("homework", "list", "--json", use_clock=later).json()
    assert item["finished"] is True and item["archived"] is False
    cravings = item["tasks"][0]
    assert cravings["status"] == "ended"
    assert cravings["sentence"] == ("Ended Sun 6 Dec with 0 of 14; every one of those counts. "
                                    "Worth talking over together.")  # fmt: skip


# ------------------------------------------------------------- trackers on `relapse log`


def test_tracker_values_are_range_checked_and_labelled(cli, journal, week):
    assert cli("homework", "load", week, "--yes").code == 0
    ok = cli("log", "pain", "10", "--note", "back")
    assert ok.code == 0
    assert ok.out.startswith("Saved pain 10/10 (worst imaginable) · Tue 24 Nov 21:00 · id ")
    before = records(journal)
    for value, message in (("11", "pain: 11 is out of range: from 0 to 10"),
                           ("2.5", "pain: whole numbers only, from 0 to 10"),
                           ("nan", "pain: a number is needed")):  # fmt: skip
        result = cli("log", "pain", value)
        assert result.code == 2 and result.err.startswith(f"relapse: {message} (the scale is 0-10")
        assert result.err.count("\n") == 1
    result = cli("log", "pain")
    assert result.code == 2 and result.err.startswith("relapse: missing VALUE for pain")
    assert records(journal) == before


def test_tracker_asks_on_a_terminal(cli, journal, week):
    assert cli("homework", "load", week, "--yes").code == 0
    prompter = ScriptedPrompter(["12", "5"])
    result = cli("log", "pain", prompter=prompter)
    assert result.code == 0 and "pain 5/10 (moderate)" in result.out
    assert prompter.said[0] == "pain: 0 = no pain, 5 = moderate, 10 = worst imaginable"


def test_unknown_name_lists_kinds_and_trackers(cli, journal, week):
    result = cli("log", "feelings", "3")
    assert result.code == 2 and "no homework trackers loaded" in result.err
    assert cli("homework", "load", week, "--yes").code == 0
    before = records(journal)
    result = cli("log", "pian", "3")
    assert result.code == 2
    assert result.err.startswith("relapse: nothing to log called 'pian': log one of craving, "
                                 "mood, trigger, use")  # fmt: skip
    assert "; your trackers: pain (did you mean: relapse log pain?)\n" in result.err
    assert records(journal) == before


TRACKER_LINES = [["pain", "4"], ["pain", "4", "--note", "back", "--at", "yesterday 20:00"],
                 ["pain", "--", "7"], ["pain", "-n", "-", "3"]]  # fmt: skip


@pytest.mark.parametrize("argv", TRACKER_LINES, ids=[" ".join(a) for a in TRACKER_LINES])
def test_tracker_fast_lane_agrees_with_typer(argv, monkeypatch):
    from test_fastpath import normal, typer_values

    from relapse_cli.cli import fastpath
    from relapse_cli.log.commands.spec import TRACKER

    fast = fastpath.parse(TRACKER, argv[1:])
    assert fast is not None
    assert normal(fast) == normal(typer_values(argv[0], argv[1:], monkeypatch))


def test_the_fast_lane_takes_tracker_names():
    from relapse_cli.entry import _fast_lane

    (journal, debug), kind, values = _fast_lane(["--journal", "/x.db", "log", "pain", "4"])
    assert (journal, kind, values["value"]) == ("/x.db", "pain", 4.0)
    assert _fast_lane(["log", "--help"]) is None
    assert _fast_lane(["log", "pain", "--help"]) is None


NEGATIVE = """title = "Energy"
start = 2026-11-23
due = 2026-12-06
[assigned_by]
name = "Alex"
[[tasks]]
id = "energy"
kind = "tracker"
name = "energy"
min = -5
max = 5
"""


def test_a_tracker_below_zero_takes_negative_values(cli, journal, tmp_path, monkeypatch):
    from relapse_cli.entry import _fast_lane, negative_log_value

    path = tmp_path / "energy.toml"
    path.write_text(NEGATIVE)
    assert cli("homework", "load", str(path), "--yes").code == 0
    logged = cli("log", "energy", "-3", "--note", "flat")
    assert logged.code == 0, logged.err
    assert logged.out.startswith("Saved energy -3 · Tue 24 Nov 21:00")
    argv = negative_log_value(["--journal", journal, "log", "energy", "-2", "-n", "x"])
    assert argv == ["--journal", journal, "log", "energy", "-n", "x", "--", "-2"]
    assert _fast_lane(argv)[2]["value"] == -2.0  # the fast lane takes it; so does Typer:
    monkeypatch.setattr("relapse_cli.entry._fast_lane", lambda _args: None)
    assert cli("log", "energy", "-2.0").code == 0
    before = records(journal)
    low = cli("log", "energy", "-6")
    assert low.code == 2
    assert low.err == ("relapse: energy: -6 is out of range: from -5 to 5 (the scale is -5 to 5)"
                       "\n")  # fmt: skip
    assert records(journal) == before
    assert negative_log_value(["log", "energy", "-n", "x"]) == ["log", "energy", "-n", "x"]
    # a built-in kind's number moves too, so it meets the range check (issue 19 item 19)
    assert negative_log_value(["log", "craving", "-1"]) == ["log", "craving", "--", "-1"]
    assert negative_log_value(["log", "trigger", "-1"]) == ["log", "trigger", "-1"]
    assert cli("homework", "--json").json()[0]["tasks"][0]["description"] == (
        "Track energy (-5 to 5) every day"
    )


@pytest.mark.slow
def test_logging_a_tracker_imports_nothing_heavy(cli, week, tmp_path):
    from test_startup import HEAVY, imported

    assert cli("homework", "load", week, "--yes").code == 0
    env = dict(os.environ)
    code, modules = imported(["log", "pain", "4"], env)
    assert code == 0
    assert sorted(m for m in modules if m.split(".")[0] in HEAVY) == []


# ------------------------------------------------------------- homework new


NEW_ANSWERS = ["Week 1", "", "", "Alex Rivera", "Riverside", "", "", "cravings", "tracker",
               "pain", "0", "10", "", "0=none, 10=worst", "reflection", "What helped?", ""]  # fmt: skip


def test_new_guided(cli, tmp_path):
    out = tmp_path / "w1.toml"
    prompter = ScriptedPrompter(list(NEW_ANSWERS))
    result = cli("homework", "new", "-o", str(out), prompter=prompter)
    assert result.code == 0, result.err
    assert prompter.answers == []
    text = out.read_text()
    assert 'title = "Week 1"\nstart = 2026-11-24\ndue = 2026-12-07' in text
    assert 'labels = { "0" = "none", "10" = "worst" }' in text
    assert oct(os.stat(out).st_mode & 0o777) == "0o600"
    assert cli("homework", "check", str(out)).code == 0


@pytest.mark.parametrize("stop_at", range(len(NEW_ANSWERS) - 1))
def test_new_ctrl_c_at_any_step_writes_nothing(cli, tmp_path, stop_at):
    out = tmp_path / "w1.toml"
    answers = [*NEW_ANSWERS[:stop_at], KeyboardInterrupt]
    result = cli("homework", "new", "-o", str(out), prompter=ScriptedPrompter(answers))
    assert result.code == 130
    assert not out.exists()


def test_new_with_flags_and_from_a_template(cli, tmp_path, week):
    out = tmp_path / "flags.toml"
    result = cli("homework", "new", "--title", "Week 2", "--name", "Alex", "--start",
                 "2026-11-30", "--due", "2026-12-06", "--task", "thought_records:per_week=3",
                 "--task", "breathing:exercise=urge,per_day=1", "--task",
                 "reflection:prompt=What, if anything, surprised you?", "-o", str(out))  # fmt: skip
    assert result.code == 0, result.err
    assert 'prompt = "What, if anything, surprised you?"' in out.read_text()
    template = cli("homework", "new", "--from", week, "--start", "2026-12-07")
    assert template.code == 0
    assert "start = 2026-12-07\ndue = 2026-12-20" in template.out
    assert "by = 2026-12-14" in template.out  # the screener date moves with the dates
    bad = cli(
        "homework", "new", "--title", "x", "--name", "y", "--task", "tracker:name=p,min=5,max=1"
    )
    assert bad.code == 2 and "the range 5 to 1 is backwards" in bad.err
    missing = cli("homework", "new", "--title", "x")
    assert missing.code == 2 and "give --name, --task" in missing.err
    again = cli(
        "homework", "new", "--title", "x", "--name", "y", "--task", "checkin", "-o", str(out)
    )
    assert again.code == 2 and "already exists" in again.err


def test_new_flags_keep_names_as_text_and_take_the_given_id(cli):
    result = cli("homework", "new", "--title", "Week 5", "--name", "Alex", "--start",
                 "2026-11-30", "--task", "cravings:id=urges",
                 "--task", "breathing:exercise=478,minutes=2,per_week=3",
                 "--task", "tracker:name=steps,min=0,max=30000,unit=steps", "-o", "-")  # fmt: skip
    assert result.code == 0, result.err
    tasks = result.out.split("[[tasks]]")[1:]
    assert 'id = "urges"\nkind = "cravings"\n' in tasks[0]
    assert 'exercise = "478"\nminutes = 2\nper_week = 3\n' in tasks[1]
    assert 'id = "steps"' in tasks[2] and 'unit = "steps"' in tasks[2]
    twice = cli("homework", "new", "--title", "W", "--name", "A", "--task", "cravings:id=a",
                "--task", "checkin:id=a", "-o", "-")  # fmt: skip
    assert twice.code == 2 and "task id 'a' is used twice" in twice.err


# ------------------------------------------------------------- export, import, purge


def test_export_import_and_purge_cover_homework(cli, journal, week, tmp_path):
    assert cli("homework", "load", week, "--yes", use_clock=MONDAY).code == 0
    assert cli("log", "pain", "6").code == 0
    assert cli("homework", "answer", "pull", "--text", "Payday").code == 0
    before = cli("homework", "--json").json()
    dump = tmp_path / "all.json"
    assert cli("export", "-f", "json", "-o", str(dump)).code == 0
    exported = json.loads(dump.read_text())
    text = json.dumps(exported)
    for table in HOMEWORK_TABLES:
        assert table in text
    assert cli("purge", "--all", "--yes").code == 0
    assert [count(journal, t) for t in HOMEWORK_TABLES] == [0, 0, 0]
    assert cli("import", str(dump)).code == 0
    assert [count(journal, t) for t in HOMEWORK_TABLES] == [1, 1, 1]
    assert cli("homework", "--json").json() == before
    assert cli("import", str(dump)).code == 0  # again: nothing duplicated
    assert [count(journal, t) for t in HOMEWORK_TABLES] == [1, 1, 1]


def test_tracker_names_cannot_shadow_a_log_kind():
    from relapse_cli.homework.model.homework import KINDS, RESERVED_NAMES, reserved_name
    from relapse_cli.log.commands.spec import LOG_COMMANDS

    assert set(LOG_COMMANDS) <= RESERVED_NAMES
    # every built-in kind, its plural and its other spellings collide; ordinary words do not
    for kind in sorted(RESERVED_NAMES | set(LOG_COMMANDS)):
        for name in (kind, kind + "s", kind.upper(), kind.replace("_", "-")):
            assert reserved_name(name) is not None, name
    for kind in KINDS:  # the homework task kinds (cravings, thought_records, ...) as well
        assert reserved_name(kind) is not None, kind
    for name in ("pain", "steps", "sleep", "energy", "usefulness"):
        assert reserved_name(name) is None, name


@pytest.mark.parametrize("name", ["cravings", "moods", "uses", "withdrawals", "checkins",
                                  "thought_records", "lapses"])  # fmt: skip
def test_new_and_check_refuse_a_tracker_named_like_a_built_in_kind(cli, tmp_path, name):
    flags = cli("homework", "new", "--title", "W", "--name", "A",
                "--task", f"tracker:name={name},min=0,max=10", "-o", "-")  # fmt: skip
    assert flags.code == 2 and f"tracker name {name!r} collides with the built-in kind" in flags.err
    path = tmp_path / "w.toml"
    good = cli("homework", "new", "--title", "W", "--name", "A",
               "--task", "tracker:name=pain,min=0,max=10", "-o", "-")  # fmt: skip
    path.write_text(good.out.replace('name = "pain"', f'name = "{name}"'))
    checked = cli("homework", "check", str(path))
    assert checked.code == 2 and "collides with the built-in kind" in checked.err
    # guided: the name is refused with the reason, and asked again
    answers = ["W", "", "", "A", "", "", "", "tracker", name, "Pain", "pain", "0", "10", "",
               "", ""]  # fmt: skip
    prompter = ScriptedPrompter(answers)
    guided = cli("homework", "new", "-o", str(tmp_path / "g.toml"), prompter=prompter)
    assert guided.code == 0, guided.err
    assert any("collides with the built-in kind" in s for s in prompter.said)
    assert any("'Pain' is not one" in s for s in prompter.said)  # not silently lower-cased
    assert 'name = "pain"' in (tmp_path / "g.toml").read_text()


def test_an_assignment_that_ended_long_ago_leaves_the_progress_screen(cli, week):
    assert cli("homework", "load", week, "--yes", use_clock=MONDAY).code == 0
    week_after = FakeClock(datetime(2026, 12, 13, 12, 0), tz=LONDON)  # due + 7 days
    assert len(cli("homework", "--json", use_clock=week_after).json()) == 1
    later = FakeClock(datetime(2026, 12, 14, 12, 0), tz=LONDON)
    assert cli("homework", "--json", use_clock=later).json() == []
    shown = cli("homework", use_clock=later)
    assert "(1 finished: relapse homework list)" in shown.out
    assert len(cli("homework", "list", "--json", use_clock=later).json()) == 1


def test_loading_from_stdin_needs_yes(cli, journal):
    result = cli("homework", "load", "-", input=EXAMPLE, prompter=ScriptedPrompter([]))
    assert result.code == 2 and "--yes" in result.err
    assert cli("homework", "load", "-", "--yes", input=EXAMPLE).code == 0
    assert count(journal, "homework") == 1


def test_counselor_text_is_shown_not_executed(cli, tmp_path):
    text = (EXAMPLE.replace("Weeks 3-4: noticing the pull", "[red]Week[/red] <script>alert(1)</script>")
            .replace("List three situations", "\\u001b[2J List three situations"))  # fmt: skip
    path = tmp_path / "odd.toml"
    path.write_text(text)
    loaded = cli("homework", "load", str(path), "--yes")
    assert loaded.code == 0
    assert "[red]Week[/red] <script>alert(1)</script>" in loaded.out
    assert "\x1b" not in loaded.out
    shown = cli("homework")
    assert "[red]Week[/red]" in shown.out and "\x1b" not in shown.out
    html = tmp_path / "report.html"
    assert cli("export", "-f", "html", "-o", str(html)).code == 0
    page = html.read_text()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_tracker_values_in_the_summary_and_the_report(cli, week):
    assert cli("homework", "load", week, "--yes", use_clock=MONDAY).code == 0
    assert cli("log", "pain", "2", "--at", "2026-11-23 20:00").code == 0
    assert cli("log", "pain", "6", "--at", "2026-11-24 08:00").code == 0
    assert cli("log", "pain", "4").code == 0  # Tue 21:00, the last
    lines = dict(cli("summary", "--json").json()["more"]["homework"]["lines"])
    assert lines["pain (tracker)"] == "3 values on 2 days, mean 4.0, 2-6"
    report = cli("export", "-f", "md", "-o", "-").out
    assert "| pain | 3 | 2 | 4.0 | 2-6 | 4 |" in report
    # A week that holds only Monday's value.
    week_only = cli("export", "-f", "md", "-o", "-", "--since", "2026-11-20", "--until",
                    "2026-11-23").out  # fmt: skip
    assert "| pain | 1 | 1 | 2.0 | 2-2 | 2 |" in week_only
    monday = cli("summary", "--json", "--since", "2026-11-20", "--until", "2026-11-23").json()
    assert dict(monday["more"]["homework"]["lines"])["pain (tracker)"] == (
        "1 value on 1 day, mean 2.0, 2-2"
    )


@pytest.mark.slow
def test_real_terminal_load_then_tracker_prompt(tmp_path, week):
    """A pseudo-terminal: the preview, the question, then `relapse log pain` asking for the
    value with the scale's labels (a wrong value is asked again)."""
    import sys

    pexpect = pytest.importorskip("pexpect")
    relapse = os.path.join(os.path.dirname(sys.executable), "relapse")
    env = dict(os.environ, RELAPSE_JOURNAL=str(tmp_path / "pty.db"), NO_COLOR="1", COLUMNS="100")
    child = pexpect.spawn(relapse, ["homework", "load", week], env=env, encoding="utf-8",
                          timeout=20)  # fmt: skip
    try:
        child.expect("Weeks 3-4: noticing the pull")
        child.expect(r"Accept this homework\? \[y/N\]: ")
        child.sendline("y")
        child.expect("Loaded 'Weeks 3-4: noticing the pull'")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        child = pexpect.spawn(relapse, ["log", "pain"], env=env, encoding="utf-8", timeout=20)
        child.expect("pain: 0 = no pain, 5 = moderate, 10 = worst imaginable")
        child.expect(r"pain \[0-10\]: ")
        child.sendline("12")
        child.expect("Please type a number from 0 to 10.")
        child.sendline("5")
        child.expect(r"Saved pain 5/10 \(moderate\)")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
    finally:
        child.close(force=True)


def test_new_wording_hints_help_and_list_header(cli, tmp_path, week):
    hints: list[tuple[str, str]] = []

    class Recording(ScriptedPrompter):
        def ask(self, question: str, *, hint: str = "") -> str:
            hints.append((question, hint))
            return super().ask(question, hint=hint)

    answers = ["W", "", "", "A", "", "", "", "breathing", "box", "", "", "tracker", "mood-ish",
               "-5", "5", "", "", ""]  # fmt: skip
    result = cli("homework", "new", "-o", str(tmp_path / "w.toml"), prompter=Recording(answers))
    assert result.code == 0, result.err
    shown = dict(hints)
    assert shown["How many times a week (Enter: every day)"] == "1-49"  # no "Enter to skip"
    assert shown["Lowest value"] == "-1000 to 100000"
    helptext = " ".join(cli("homework", "new", "--help").out.split())
    for flag, words in (("--title", "title"), ("--service", "clinic"), ("--contact", "reaches"),
                        ("--message", "message shown")):  # fmt: skip
        assert flag in helptext and words in helptext, flag
    assert cli("homework", "load", week, "--yes").code == 0
    header = cli("homework", "list").out.splitlines()[0].split()
    assert header == ["no", "id", "state", "dates", "done", "title"]


def test_check_suggests_a_by_date_inside_the_assignment(cli, tmp_path):
    text = cli("homework", "new", "--title", "W", "--name", "A", "--start", "2027-03-01",
               "--due", "2027-03-14", "--task", "screener:instrument=phq9,every_weeks=2",
               "-o", "-").out  # fmt: skip
    path = tmp_path / "w.toml"
    path.write_text(text.replace("every_weeks = 2\n", ""))
    checked = cli("homework", "check", str(path))
    assert checked.code == 2 and "add by = 2027-03-14, or every_weeks = 2" in checked.err
    path.write_text(text.replace("every_weeks = 2", "by = 2027-04-30"))
    outside = cli("homework", "check", str(path))
    assert "e.g. by = 2027-03-14" in outside.err and "2026-11-30" not in outside.err

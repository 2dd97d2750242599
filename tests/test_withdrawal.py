"""`relapse log withdrawal` (symptoms 0-3, red flags first) and `relapse withdrawal` (course)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from conftest import records

from relapse_cli.care.model import withdrawal as domain
from relapse_cli.cli import fastpath
from relapse_cli.core.prompter import ScriptedPrompter
from relapse_cli.log.commands.spec import LOG_COMMANDS

FLAG_OPTION = {f: "--" + f.replace("_", "-") for f in domain.RED_FLAGS}


def checks(journal: str) -> list[dict]:
    con = sqlite3.connect(journal)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM withdrawal_checks ORDER BY id")]
    finally:
        con.close()


def urgent_first(out: str) -> None:
    """The urgent-help screen is the first thing printed, before the saved line."""
    low = out.lower()
    assert "urgent medical help" in low
    assert low.index("urgent medical help") < low.index("saved withdrawal check")
    assert out.splitlines()[0].strip() != "" and "saved" not in out.splitlines()[0].lower()


# ---------------------------------------------------------------------------- data


def test_data_file_matches_columns_and_flags():
    data = domain.load_data()
    assert tuple(s["id"] for s in data["symptoms"]) == domain.SYMPTOMS
    assert tuple(f["id"] for f in data["red_flags"]) == domain.RED_FLAGS
    assert all(f["source"].strip() for f in data["red_flags"])  # every red flag names a source
    spec = LOG_COMMANDS["withdrawal"]
    names = [p.name for p in spec.params]
    assert [n for n in names if n in domain.SYMPTOMS] == list(domain.SYMPTOMS)
    assert [n for n in names if n in domain.RED_FLAGS] == list(domain.RED_FLAGS)
    assert domain.MAX_TOTAL == 30


# ------------------------------------------------------------------------ red flags


@pytest.mark.parametrize("flag", domain.RED_FLAGS)
def test_each_red_flag_shows_urgent_help_first_then_saves(cli, journal, flag):
    r = cli("log", "withdrawal", FLAG_OPTION[flag], "--tremor", "1")
    assert r.code == 0, r.err
    urgent_first(r.out)
    assert domain.red_flag_label(flag) in r.out
    [row] = checks(journal)
    assert json.loads(row["red_flags"]) == [flag]
    assert row["tremor"] == 1 and row["total"] == 1 and row["answered"] == 1


def test_no_red_flag_no_urgent_screen(cli, journal):
    r = cli("log", "withdrawal", "--tremor", "2", "--sweating", "1", "--anxiety", "2")
    assert r.code == 0
    assert "urgent" not in r.out.lower()
    assert r.out.startswith("Saved withdrawal check · total 5 of 30 (3 of 10 symptoms rated) · "
                            "anxiety 2, tremor 2, sweating 1 · Tue 24 Nov 21:00 · id ")  # fmt: skip
    assert "not a score of how serious withdrawal is" in r.out
    [row] = checks(journal)
    assert json.loads(row["red_flags"]) == []
    assert (row["anxiety"], row["tremor"], row["sweating"], row["nausea"]) == (2, 2, 1, None)
    assert row["occurred_at"] == "2026-11-24T21:00:00Z" and row["utc_offset_min"] == 0


def test_two_red_flags_one_screen_both_named(cli, journal):
    r = cli("log", "withdrawal", "--fever", "--confusion")
    assert r.code == 0
    urgent_first(r.out)
    assert json.loads(checks(journal)[0]["red_flags"]) == ["confusion", "fever"]
    assert r.out.lower().count("get urgent medical help") == 1


def test_red_flag_with_bad_rating_still_shows_help_but_saves_nothing(cli, journal):
    cli("log", "mood", "5")
    before = records(journal)
    r = cli("log", "withdrawal", "--seizure", "--tremor", "4")
    assert r.code == 2
    assert "urgent medical help" in r.out.lower()  # help is never held back by a typo
    assert records(journal) == before


def test_guided_form_red_flag_answers_at_once(cli, journal):
    # no, no, YES (confusion), then the other red flags (issue 15 item 4): urgent help once
    # every red flag is answered, symptom questions never asked
    p = ScriptedPrompter(["n", "", "y", "n", "n", "n", ""])
    r = cli("log", "withdrawal", prompter=p)
    assert r.code == 0
    urgent_first(r.out)
    assert len(p.asked) == len(domain.RED_FLAGS) and not p.answers
    [row] = checks(journal)
    assert json.loads(row["red_flags"]) == ["confusion"] and row["answered"] == 0
    assert "Your safety plan" not in r.out


def test_guided_form_asks_every_red_flag_before_help(cli, journal):
    # seizure yes no longer ends the form: self-harm is still asked, and its yes shows the
    # suicide-safety content as well as urgent medical help
    answers = ["y" if f in ("seizure", "self_harm") else "n" for f in domain.RED_FLAGS]
    p = ScriptedPrompter(answers)
    r = cli("log", "withdrawal", prompter=p)
    assert r.code == 0, r.err
    assert [q for q in p.asked if "harming yourself" in q]
    urgent_first(r.out)
    assert "a seizure (fit)" in r.out and "thoughts of harming yourself" in r.out
    assert "Your safety plan" in r.out and "ending your life" in r.out
    assert "If you are in danger now, call your local emergency number" in r.out
    assert json.loads(checks(journal)[0]["red_flags"]) == ["seizure", "self_harm"]


def test_ctrl_c_after_a_red_flag_yes_still_shows_help(cli, journal):
    p = ScriptedPrompter(["y", KeyboardInterrupt])
    r = cli("log", "withdrawal", prompter=p)
    urgent_first(r.out)
    assert json.loads(checks(journal)[0]["red_flags"]) == ["seizure"]


def test_self_harm_also_points_to_crisis_support(cli, journal):
    r = cli("log", "withdrawal", "--self-harm")
    assert r.code == 0
    urgent_first(r.out)
    assert json.loads(checks(journal)[0]["red_flags"]) == ["self_harm"]


# ---------------------------------------------------------------------- guided form


def test_guided_form_no_red_flags_rates_each_symptom(cli, journal):
    answers = ["n"] * 7 + ["2", "1", "0", "3", "", "1", "0", "0", "2", "1"]
    p = ScriptedPrompter(answers)
    r = cli("log", "withdrawal", prompter=p)
    assert r.code == 0, r.err
    assert "urgent" not in r.out.lower()
    [row] = checks(journal)
    assert [row[s] for s in domain.SYMPTOMS] == [2, 1, 0, 3, None, 1, 0, 0, 2, 1]
    assert (row["total"], row["answered"]) == (10, 9)
    assert "total 10 of 30 (9 of 10 symptoms rated)" in r.out


def test_guided_form_asks_again_on_a_bad_answer(cli, journal):
    p = ScriptedPrompter(["maybe", "n"] + ["n"] * 6 + ["4", "2"] + [""] * 9)
    r = cli("log", "withdrawal", prompter=p)
    assert r.code == 0
    assert "Please answer y or n." in p.said
    assert checks(journal)[0]["anxiety"] == 2


@pytest.mark.parametrize("step", range(7))
def test_ctrl_c_during_red_flags_saves_nothing(cli, journal, step):
    cli("log", "mood", "5")
    before = records(journal)
    p = ScriptedPrompter(["n"] * step + [KeyboardInterrupt])
    r = cli("log", "withdrawal", prompter=p)
    assert r.code == 130
    assert records(journal) == before


@pytest.mark.parametrize("step", range(1, 10))
def test_ctrl_c_during_symptoms_keeps_what_was_rated(cli, journal, step):
    p = ScriptedPrompter(["n"] * 7 + ["1"] * step + [KeyboardInterrupt])
    r = cli("log", "withdrawal", prompter=p)
    assert r.code == 0
    assert "Stopped early" in r.out
    [row] = checks(journal)
    assert (row["answered"], row["total"]) == (step, step)


def test_ctrl_c_at_first_symptom_saves_nothing(cli, journal):
    cli("log", "mood", "5")
    p = ScriptedPrompter(["n"] * 7 + [KeyboardInterrupt])
    r = cli("log", "withdrawal", prompter=p)
    assert r.code == 130
    assert checks(journal) == []


# ------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tremor", "4"], "--tremor must be 0 (none) to 3 (severe), not 4"),
        (["--craving", "-1"], "--craving must be 0 (none) to 3 (severe), not -1"),
        (["--anxiety", "2", "--runny-nose", "9"], "--runny-nose must be 0"),
        ([], "nothing to log: rate symptoms 0-3 or name red flags"),
        (["--tremor", "2", "--at", "tomorrow 9am"], "relapse:"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_saved(cli, journal, args, message):
    cli("log", "mood", "5")
    before = records(journal)
    r = cli("log", "withdrawal", *args)
    assert r.code == 2
    assert message in r.err
    assert len(r.err.strip().splitlines()) == 1
    assert records(journal) == before


# --------------------------------------------------------------------- fast lane


@pytest.mark.parametrize(
    "args",
    [["--tremor", "2", "--sweating", "1"], ["--seizure", "--nausea", "3", "-s", "alcohol"],
     ["--diarrhea", "2", "--at", "yesterday 18:30"], ["--runny-nose=1", "--self-harm"]],
)  # fmt: skip
def test_fast_lane_agrees_with_typer(args, monkeypatch):
    fast = fastpath.parse(LOG_COMMANDS["withdrawal"], args)
    assert fast is not None
    seen: dict = {}

    def capture(app, kind, values):
        seen.update(values)
        return 0

    monkeypatch.setattr("relapse_cli.log.commands.log.run_log", capture)
    from relapse_cli.cli.context import AppContext
    from relapse_cli.entry import _typer_lane

    assert _typer_lane(["log", "withdrawal", *args], AppContext()) == 0
    assert {k: v for k, v in fast.items() if v not in (None, False)} == {
        k: v for k, v in seen.items() if v not in (None, False)
    }


@pytest.mark.slow
def test_log_withdrawal_imports_nothing_heavy(tmp_path):
    from test_startup import HEAVY, imported

    env = dict(os.environ, RELAPSE_JOURNAL=str(tmp_path / "j.db"), HOME=str(tmp_path))
    imported(["log", "mood", "5"], env)  # creates and migrates the journal
    code, modules = imported(["log", "withdrawal", "--tremor", "2", "--craving", "1"], env)
    assert code == 0
    assert sorted(m for m in modules if m.split(".")[0] in HEAVY) == []


# ---------------------------------------------------------------- course over days


def test_course_by_day_with_sparkline(cli):
    cli("log", "withdrawal", "--tremor", "3", "--sweating", "2", "--at", "2026-11-20 08:00")
    cli("log", "withdrawal", "--tremor", "2", "--anxiety", "3", "--at", "2026-11-20 20:00")
    cli("log", "withdrawal", "--tremor", "1", "--at", "2026-11-22 09:00")  # 21st: no check
    cli("log", "withdrawal", "--tremor", "0", "--craving", "1", "--at", "2026-11-24 09:00")
    r = cli("withdrawal", "--json")
    assert r.code == 0
    data = r.json()
    days = data["days"]
    assert [d["date"] for d in days] == ["2026-11-20", "2026-11-22", "2026-11-24"]
    assert [d["checks"] for d in days] == [2, 1, 1]
    assert [d["max_total"] for d in days] == [5, 1, 1]  # 3+2=5 beats 2+3=5; then 1; 0+1
    assert (days[0]["tremor"], days[0]["sweating"], days[0]["anxiety"]) == (3, 2, 3)
    # 5 days, 0..30 on 8 steps: 5 -> round(5*7/30)=1; gap; 1 -> 0; gap; 1 -> 0
    assert data["sparkline"] == "▂ ▁ ▁"
    table = cli("withdrawal")
    assert table.code == 0
    assert "Fri 20 Nov" in table.out and "anxiety 3, tremor 3, sweating 2" in table.out
    assert "Highest total per day (0-30): ▂ ▁ ▁" in table.out


def test_course_uses_the_offset_lived_in(cli, journal):
    """A check at 23:30 in New York is that evening's, not the next day's (UTC)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from relapse_cli.core.clock import FakeClock

    ny = FakeClock(datetime(2026, 11, 22, 23, 30), tz=ZoneInfo("America/New_York"))
    cli("log", "withdrawal", "--aches", "2", use_clock=ny)
    assert checks(journal)[0]["occurred_at"] == "2026-11-23T04:30:00Z"
    days = cli("withdrawal", "--json").json()["days"]
    assert [d["date"] for d in days] == ["2026-11-22"]


def test_course_period_and_empty(cli):
    assert "No withdrawal checks yet" in cli("withdrawal").out
    cli("log", "withdrawal", "--tremor", "1", "--at", "2026-11-10 08:00")
    cli("log", "withdrawal", "--tremor", "2", "--at", "2026-11-23 08:00")
    data = cli("withdrawal", "--since", "2026-11-20", "--json").json()
    assert [d["date"] for d in data["days"]] == ["2026-11-23"]
    r = cli("withdrawal", "--since", "2026-11-25")
    assert r.code == 2


def test_course_since_last_appointment(cli, journal):
    cli("log", "withdrawal", "--tremor", "3", "--at", "2026-11-17 08:00")
    cli("log", "withdrawal", "--tremor", "2", "--at", "2026-11-20 09:00")  # before it began
    cli("log", "withdrawal", "--tremor", "1", "--sweating", "1", "--at", "2026-11-22 08:00")
    assert cli("appointments", "add", "doctor", "2026-11-20 10:30", "--with", "Dr Shah").code == 0
    assert cli("appointments", "add", "mat", "2026-11-23 09:00").code == 0
    assert cli("appointments", "missed").code == 0  # a missed one does not start the period
    data = cli("withdrawal", "--since-last-appointment", "--json").json()
    assert data["since"] == "2026-11-20"
    assert [(d["date"], d["max_total"]) for d in data["days"]] == [("2026-11-22", 2)]
    shown = cli("withdrawal", "--since-last-appointment")
    assert shown.out.startswith("Since your last appointment, Fri 20 Nov 10:30:\n")
    before = records(journal)
    clash = cli("withdrawal", "--since-last-appointment", "--since", "mon")
    assert clash.code == 2 and "use one start" in clash.err
    assert records(journal) == before


def test_course_since_last_appointment_needs_one(cli):
    r = cli("withdrawal", "--since-last-appointment")
    assert r.code == 2
    assert r.err.strip() == ('relapse: no appointment has taken place yet (add one: relapse '
                             'appointments add therapy "2026-11-20 14:00")')  # fmt: skip


def test_hostile_note_is_inert(cli):
    r = cli("log", "withdrawal", "--tremor", "1", "-s", "[red]x\x1b[2J")
    assert r.code == 0
    assert "\x1b" not in r.out


def test_subprocess_red_flag_exit_zero(tmp_path):
    env = dict(os.environ, RELAPSE_JOURNAL=str(tmp_path / "j.db"), HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "relapse_cli", "log", "withdrawal", "--fever"],
                          env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 0
    assert "urgent medical help" in proc.stdout.lower()


def test_purge_all_removes_checks(cli, journal):
    cli("log", "withdrawal", "--tremor", "1", "--note", "private words")
    assert cli("purge", "--all", "--yes").code == 0
    assert checks(journal) == []


RELAPSE = os.path.join(os.path.dirname(sys.executable), "relapse")


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(RELAPSE), reason="console script not installed")
def test_guided_form_in_a_pseudo_terminal(tmp_path):
    """A person at a terminal: no red flags, then the ten symptoms; then one with a red flag,
    where help comes before the symptom questions."""
    pexpect = pytest.importorskip("pexpect")
    journal = str(tmp_path / "pty.db")
    env = dict(os.environ, RELAPSE_JOURNAL=journal, NO_COLOR="1", COLUMNS="100")
    child = pexpect.spawn(RELAPSE, ["log", "withdrawal"], env=env, encoding="utf-8", timeout=20)
    try:
        child.expect("signs that need urgent help")
        for _ in domain.RED_FLAGS:
            child.expect(r"\[y/N\]")
            child.sendline("")
        for answer in ("2", "1", "1", "3", "0", "0", "2", "", "3", "2"):
            child.expect(r"\[0-3, Enter to skip\]")
            child.sendline(answer)
        child.expect(r"Saved withdrawal check · total 14 of 30 \(9 of 10 symptoms rated\)")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        child = pexpect.spawn(RELAPSE, ["log", "withdrawal"], env=env, encoding="utf-8",
                              timeout=20)  # fmt: skip
        child.expect("seizure")
        child.sendline("n")
        child.expect("seeing, hearing")
        child.sendline("y")
        for _ in domain.RED_FLAGS[2:]:  # every red flag is asked before the help screen
            child.expect(r"\[y/N\]")
            child.sendline("")
        child.expect("(?i)urgent medical help")
        child.expect("Saved withdrawal check")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        assert [json.loads(c["red_flags"]) for c in checks(journal)] == [[], ["hallucinations"]]
    finally:
        child.close(force=True)


def test_bad_at_is_refused_before_the_form(cli, journal):
    cli("log", "mood", "5")
    before = records(journal)
    p = ScriptedPrompter([])
    r = cli("log", "withdrawal", "--at", "tomorrow 9am", prompter=p)
    assert r.code == 2 and p.asked == []
    assert records(journal) == before


def test_urgent_screen_names_the_emergency_number_and_care_team(cli, journal):
    cli("config", "country", "GB")
    cli("plan", "add", "professionals", "Dr Lee", "--phone", "020 7946 0001", "--role", "GP")
    r = cli("log", "withdrawal", "--chest-pain")
    assert r.code == 0
    urgent_first(r.out)
    saved = r.out.index("Saved withdrawal check")
    assert -1 < r.out.find("999") < saved
    assert -1 < r.out.find("Dr Lee") < saved and r.out.find("020 7946 0001") < saved


def test_one_scale_and_one_wording_in_every_view(cli, tmp_path):
    """A partial check (4 of 10 rated, total 8): every view says '8 of 30'; the check itself
    adds how many symptoms were rated, never a shrunken scale like '8 of 12'."""
    import re

    logged = cli("log", "withdrawal", "--tremor", "3", "--sweating", "2", "--anxiety", "2",
                 "--aches", "1", "--at", "2026-11-24 08:00")  # fmt: skip
    assert "total 8 of 30 (4 of 10 symptoms rated)" in logged.out
    md = tmp_path / "r.md"
    assert cli("export", "-o", str(md), "--since", "2026-11-20").code == 0
    views = {
        "log": logged.out,
        "withdrawal": cli("withdrawal").out,
        "summary": cli("summary").out,
        "report": md.read_text(),
    }
    for name, text in views.items():
        totals = re.findall(r"\b(\d+) of (\d+)\b(?! symptoms rated)", text)
        assert ("8", "30") in totals, (name, text)
        assert ("8", "12") not in totals and "8/30" not in text, name

"""``relapse checkin``: the daily check-in, the screeners as whole flows, history, summary,
reports and the journal round trip. The clock is Tue 24 Nov 2026 21:00 in London (UTC+0)."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from datetime import datetime

import pytest

from relapse_cli.core.clock import FakeClock
from relapse_cli.core.prompter import ScriptedPrompter
from tests.conftest import LONDON, records

STOP = KeyboardInterrupt
SAFETY = "If you are in danger now, call your local emergency number."


def rows(journal: str, table: str) -> list[dict]:
    con = sqlite3.connect(journal)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(f"SELECT * FROM {table} ORDER BY id")]  # noqa: S608
    finally:
        con.close()


def at(day: int, hour: int = 21, month: int = 11) -> FakeClock:
    return FakeClock(datetime(2026, month, day, hour, 0), tz=LONDON)


DAILY_FIELDS = ("mood", "anxiety", "sleep_hours", "sleep_quality", "hungry", "angry", "lonely",
                "tired", "medication", "support")  # fmt: skip
# The guided answers, one per question, and what each stores.
GUIDED = ["6", "3", "7.5", "8", "lt", "yes", "meeting, peer"]
STORED = {"mood": 6, "anxiety": 3, "sleep_hours": 7.5, "sleep_quality": 8, "hungry": 0,
          "angry": 0, "lonely": 1, "tired": 1, "medication": "yes", "support": "meeting,peer"}  # fmt: skip
# Fields each question fills (the HALT question fills four).
FILLS = [["mood"], ["anxiety"], ["sleep_hours"], ["sleep_quality"],
         ["hungry", "angry", "lonely", "tired"], ["medication"], ["support"]]  # fmt: skip


def daily(row: dict) -> dict:
    return {k: row[k] for k in DAILY_FIELDS}


# ---- daily check-in -------------------------------------------------------------------------


def test_daily_with_flags(cli, journal):
    result = cli("checkin", "--mood", "6", "--anxiety", "3", "--sleep-hours", "7.5",
                 "--sleep-quality", "8", "--halt", "lt", "--medication", "yes",
                 "--support", "meeting,peer", "--note", "slept well")  # fmt: skip
    assert result.code == 0, result.err
    (row,) = rows(journal, "checkins")
    assert daily(row) == STORED and row["note"] == "slept well"
    assert (row["local_date"], row["occurred_at"], row["utc_offset_min"]) == (
        "2026-11-24",
        "2026-11-24T21:00:00Z",
        0,
    )
    assert result.out.startswith(
        "Checked in for Tue 24 Nov: mood 6, anxiety 3, slept 7.5 h, sleep quality 8, HALT: "
        "lonely, tired, medication: yes, support: meeting, peer support (id "
    )


def test_daily_some_flags_leave_the_rest_unanswered(cli, journal):
    assert cli("checkin", "--mood", "4", "--halt", "none", "--medication", "na").code == 0
    (row,) = rows(journal, "checkins")
    assert daily(row) == {"mood": 4, "anxiety": None, "sleep_hours": None, "sleep_quality": None,
                          "hungry": 0, "angry": 0, "lonely": 0, "tired": 0, "medication": "na",
                          "support": None}  # fmt: skip


def test_daily_guided_flow(cli, journal):
    p = ScriptedPrompter(list(GUIDED))
    result = cli("checkin", prompter=p)
    assert result.code == 0, result.err
    assert daily(rows(journal, "checkins")[0]) == STORED
    assert len(p.asked) == 7 and p.asked[0].startswith("Mood today")


def test_daily_guided_reasks_bad_answers_and_skips_with_enter(cli, journal):
    p = ScriptedPrompter(["11", "x", "", "", "25", "", "", "q", "", "maybe", "", "gym", "none"])
    assert cli("checkin", prompter=p).code == 0
    assert daily(rows(journal, "checkins")[0]) == dict.fromkeys(DAILY_FIELDS) | {"support": "none"}
    assert "Please type a number from 0 to 10." in p.said
    assert any("HALT takes the letters h, a, l, t" in s for s in p.said)
    assert any("medication takes yes, no or na" in s for s in p.said)


def test_every_question_skipped_saves_nothing(cli, journal):
    result = cli("checkin", prompter=ScriptedPrompter([""] * 7))
    assert result.code == 0 and "nothing saved" in result.out
    assert rows(journal, "checkins") == []


@pytest.mark.parametrize("step", range(8))
def test_ctrl_c_at_each_step_keeps_the_answers_given(cli, journal, step):
    answers = [*GUIDED[:step], STOP] if step < 7 else [*GUIDED]
    result = cli("checkin", prompter=ScriptedPrompter(answers))
    saved = rows(journal, "checkins")
    if step == 0:
        assert result.code == 130 and saved == [] and "nothing saved" in result.err
        return
    if step == 7:  # not interrupted
        assert result.code == 0 and daily(saved[0]) == STORED
        return
    assert result.code == 130
    filled = [f for fields in FILLS[:step] for f in fields]
    assert daily(saved[0]) == {f: (STORED[f] if f in filled else None) for f in DAILY_FIELDS}
    assert "Stopped early: saved the answers you gave (" in result.out


def test_second_checkin_without_a_terminal_names_the_flags(cli, journal):
    assert cli("checkin", "--mood", "6").code == 0
    before = records(journal)
    result = cli("checkin", "--mood", "3")
    assert result.code == 2 and result.out == ""
    assert result.err.strip().count("\n") == 0
    assert "--replace" in result.err and "--add" in result.err and "at 21:00" in result.err
    assert records(journal) == before


def test_replace_keeps_one_checkin_with_the_same_id(cli, journal):
    assert cli("checkin", "--mood", "6", "--anxiety", "2").code == 0
    (first,) = rows(journal, "checkins")
    result = cli("checkin", "--mood", "3", "--replace", use_clock=at(24, 22))
    assert result.code == 0 and result.out.startswith(
        "Replaced the check-in for Tue 24 Nov: mood 3"
    )
    (row,) = rows(journal, "checkins")
    assert row["uuid"] == first["uuid"] and row["mood"] == 3 and row["anxiety"] is None
    assert row["occurred_at"] == "2026-11-24T22:00:00Z" and row["created_at"] == first["created_at"]


def test_add_keeps_both(cli, journal):
    assert cli("checkin", "--mood", "6").code == 0
    result = cli("checkin", "--mood", "3", "--add")
    assert result.code == 0 and result.out.startswith("Added another check-in")
    assert [r["mood"] for r in rows(journal, "checkins")] == [6, 3]


def test_replace_or_add_on_another_day_is_just_a_checkin(cli, journal):
    assert cli("checkin", "--mood", "6", use_clock=at(23)).code == 0
    assert cli("checkin", "--mood", "5", "--replace").code == 0
    assert [r["local_date"] for r in rows(journal, "checkins")] == ["2026-11-23", "2026-11-24"]


def test_second_checkin_on_a_terminal_asks(cli, journal):
    assert cli("checkin", "--mood", "6", "--anxiety", "2").code == 0
    p = ScriptedPrompter(["x", "a", *GUIDED])
    assert cli("checkin", prompter=p).code == 0
    assert "You already checked in on Tue 24 Nov at 21:00 (mood 6, anxiety 2)" in p.asked[0]
    assert len(rows(journal, "checkins")) == 2
    p = ScriptedPrompter([""])  # Enter: stop
    result = cli("checkin", prompter=p)
    assert result.code == 0 and "Nothing saved." in result.out
    assert len(rows(journal, "checkins")) == 2


def test_replace_cut_short_keeps_the_earlier_answers_not_asked_again(cli, journal):
    assert cli("checkin", "--mood", "6", "--anxiety", "2", "--medication", "yes").code == 0
    (first,) = rows(journal, "checkins")
    result = cli("checkin", prompter=ScriptedPrompter(["r", "4", STOP]))
    assert result.code == 130 and "the rest stay as they were" in result.out
    (row,) = rows(journal, "checkins")
    assert row["uuid"] == first["uuid"]
    assert (row["mood"], row["anxiety"], row["medication"]) == (4, 2, "yes")


def test_ctrl_c_at_the_replace_question_changes_nothing(cli, journal):
    assert cli("checkin", "--mood", "6").code == 0
    before = records(journal)
    assert cli("checkin", prompter=ScriptedPrompter([STOP])).code == 130
    assert records(journal) == before


@pytest.mark.parametrize(("args", "message"), [
    (("--mood", "11"), "mood takes 0 to 10, not 11"),
    (("--mood", "6.5"), "mood takes a whole number"),
    (("--anxiety", "-1"), "anxiety takes 0 to 10"),
    (("--sleep-hours", "25"), "sleep hours takes 0 to 24"),
    (("--halt", "xyz"), "HALT takes the letters h, a, l, t"),
    (("--medication", "sometimes"), "medication takes yes, no or na"),
    (("--support", "gym"), "support takes meeting, therapy, peer"),
    (("--support", "none,meeting"), "'none' cannot go with"),
    (("--mood", "5", "--replace", "--add"), "--replace or --add, not both"),
    (("--mood", "five"), "--mood must be a number in plain digits, not 'five'"),
    ((), "--mood 6 --anxiety 3"),  # no terminal, no answers: names the flags
])  # fmt: skip
def test_daily_bad_input_is_one_line_and_saves_nothing(cli, journal, args, message):
    assert cli("checkin", "--mood", "6", use_clock=at(20)).code == 0
    before = records(journal)
    result = cli("checkin", *args)
    assert result.code == 2, result.err
    assert message in result.err and result.err.strip().count("\n") == 0
    assert records(journal) == before


# ---- screeners ----------------------------------------------------------------------------


def test_phq9_with_answers(cli, journal):
    result = cli("checkin", "phq9", "--answers", "1,0,2,1,0,3,0,1,0,1")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "PHQ-9: 8 of 27, mild.",
        "This is a screening score, not a diagnosis; talk it over with your clinician.",
        "Your first PHQ-9 here: the next one will show the change.",
        "How difficult these problems made things: Somewhat difficult.",
    ]
    (row,) = rows(journal, "screenings")
    assert (row["instrument"], json.loads(row["answers"]), row["total"], row["band"],
            row["item9"], row["difficulty"], row["substance"]) == (
        "phq9", [1, 0, 2, 1, 0, 3, 0, 1, 0], 8, "mild", 0, 1, None)  # fmt: skip
    assert SAFETY not in result.out


def test_change_since_the_previous_one_of_the_same_instrument(cli, journal):
    assert cli("checkin", "phq9", "-a", "2,2,2,2,2,1,0,0,0", use_clock=at(10)).code == 0
    assert cli("checkin", "gad7", "-a", "3,3,3,3,3,3,3", use_clock=at(12)).code == 0
    result = cli("checkin", "phq9", "-a", "1,1,1,1,1,1,1,0,0")
    assert "Down 4 points since Tue 10 Nov (11, moderate)." in result.out
    result = cli("checkin", "gad7", "-a", "3,3,3,3,3,3,3")
    assert "The same as last time (21, severe, Thu 12 Nov)." in result.out


def test_gad7_and_pacs_with_answers(cli, journal, tmp_path):
    out = cli("checkin", "gad7", "--answers", "0,1,1,1,1,1,0").out
    assert out.startswith("GAD-7: 5 of 21, mild.\nThis is a screening score, not a diagnosis")
    out = cli("checkin", "pacs", "--answers", "3,3,3,3,3").out
    assert out.startswith("PACS: 15 of 30, 15 or more.\n")
    assert "a figure to discuss, not a verdict" in out
    out = cli("checkin", "pacs", "--answers", "1,1,1,1,1", "--substance", "Cannabis").out
    assert out.startswith("PACS (about cannabis): 5 of 30, no validated threshold for cannabis.")
    # compared only with a PACS about the same substance, never the alcohol one before it
    assert "Your first PACS here" in out and "Down 10 points" not in out
    assert [r["substance"] for r in rows(journal, "screenings")] == [None, None, "cannabis"]
    out = cli("checkin", "pacs", "--answers", "2,1,1,1,1", "-s", "cannabis").out
    assert "Up 1 point since Tue 24 Nov (5, no validated threshold for cannabis)." in out
    out = cli("checkin", "pacs", "--answers", "3,3,3,3,4").out  # alcohol again
    assert "Up 1 point since Tue 24 Nov (15, 15 or more)." in out
    table = cli("checkin", "history", "pacs").out
    changes = [line.split("│")[3].strip() for line in table.splitlines() if "│" in line]
    assert changes == ["+1", "+1", "", ""]  # newest first: alcohol, cannabis, cannabis, alcohol


def test_pacs_takes_its_substance_from_settings(cli, journal):
    assert cli("config", "substances", "opioids, alcohol").code == 0
    p = ScriptedPrompter(["1", "2", "0", "3", "1"])
    assert cli("checkin", "pacs", prompter=p).code == 0
    assert "thought about using opioids" in p.said[2] or "using opioids" in " ".join(p.said)
    assert rows(journal, "screenings")[0]["substance"] == "opioids"


def test_item9_shows_the_safety_screen_before_the_score_whatever_the_total(cli, journal):
    result = cli("checkin", "phq9", "--answers", "0,0,0,0,0,0,0,0,1")
    assert result.code == 0, result.err
    assert SAFETY in result.out and "Your safety plan" in result.out
    assert result.out.index(SAFETY) < result.out.index("PHQ-9: 1 of 27, minimal.")
    assert "please tell someone you trust or your clinician today" in result.out
    assert rows(journal, "screenings")[0]["item9"] == 1


def test_item9_zero_shows_no_safety_screen_even_when_severe(cli):
    result = cli("checkin", "phq9", "--answers", "3,3,3,3,3,3,3,3,0")
    assert "PHQ-9: 24 of 27, severe." in result.out and SAFETY not in result.out


PHQ9 = ["1", "0", "2", "1", "0", "3", "0", "1", "2"]


def test_phq9_guided_safety_screen_comes_at_item9_before_the_tenth_question(cli, journal):
    seen = {}

    class Watch(ScriptedPrompter):
        def ask(self, question, *, hint=""):
            import sys

            if question.startswith("Your answer to 10"):
                seen["out_at_q10"] = sys.stdout.getvalue()
            return super().ask(question, hint=hint)

    p = Watch([*PHQ9, "2"])
    result = cli("checkin", "phq9", prompter=p)
    assert result.code == 0, result.err
    assert SAFETY in seen["out_at_q10"] and "PHQ-9" not in seen["out_at_q10"]
    assert result.out.index(SAFETY) < result.out.index("PHQ-9: 10 of 27, moderate.")
    assert "How difficult these problems made things: Very difficult." in result.out
    (row,) = rows(journal, "screenings")
    assert (row["total"], row["item9"], row["difficulty"]) == (10, 2, 2)
    assert p.asked[0] == "1. Little interest or pleasure in doing things"
    assert any("0 Not at all   1 Several days" in s for s in p.said)


def test_screener_guided_reasks_until_a_valid_key(cli, journal):
    p = ScriptedPrompter(["4", "x", "", "1", "0", "0", "0", "0", "0", "0", ""])  # "": difficulty
    assert cli("checkin", "gad7", prompter=p).code == 0
    assert rows(journal, "screenings")[0]["total"] == 1
    assert p.asked.count("1. Feeling nervous, anxious or on edge") == 4
    assert any("Every question counts towards the score" in s for s in p.said)


def test_phq9_all_zero_skips_the_tenth_question(cli, journal):
    p = ScriptedPrompter(["0"] * 9)
    assert cli("checkin", "phq9", prompter=p).code == 0
    assert rows(journal, "screenings")[0]["difficulty"] is None and len(p.asked) == 9


def test_tenth_question_may_be_skipped(cli, journal):
    assert cli("checkin", "phq9", prompter=ScriptedPrompter(["1"] + ["0"] * 8 + [""])).code == 0
    assert rows(journal, "screenings")[0]["difficulty"] is None


@pytest.mark.parametrize(("key", "answers"), [
    ("phq9", PHQ9), ("gad7", ["1"] * 7), ("pacs", ["2"] * 5)])  # fmt: skip
def test_ctrl_c_anywhere_in_a_screener_saves_nothing(cli, journal, key, answers):
    assert cli("checkin", "--mood", "5").code == 0
    before = records(journal)
    for step in range(len(answers)):
        result = cli("checkin", key, prompter=ScriptedPrompter([*answers[:step], STOP]))
        assert result.code == 130, (key, step)
        assert "nothing saved" in result.err
        assert records(journal) == before, (key, step)


def test_a_complete_screener_the_journal_cannot_take_still_shows_the_result(cli, journal):
    with open(journal, "wb") as fh:
        fh.write(os.urandom(4096))
    answers = ["1", "2", "0", "0", "1", "0", "3", "0", "1", "2"]  # item 9 above 0, then the tenth
    result = cli("checkin", "phq9", prompter=ScriptedPrompter(answers))
    assert result.code == 1
    out = result.out
    assert out.index(SAFETY) < out.index("PHQ-9: 8 of 27, mild.")  # the safety screen first
    assert "This is a screening score, not a diagnosis; talk it over with your clinician." in out
    assert "Your first PHQ-9 here" not in out  # unknown: the journal could not be read
    assert result.err.startswith("relapse: this PHQ-9 result could not be saved (")
    assert result.err.endswith(
        "save it later with: relapse checkin phq9 --answers 1,2,0,0,1,0,3,0,1,2\n"
    )
    assert len(result.err.splitlines()) == 1
    pacs = cli("checkin", "pacs", "-s", "magic mushrooms", "--answers", "2,3,1,4,2")
    assert pacs.code == 1 and "PACS (about magic mushrooms): 12 of 30," in pacs.out
    assert pacs.err.endswith("--answers 2,3,1,4,2 -s 'magic mushrooms'\n")


@pytest.mark.parametrize(("args", "message"), [
    (("phq9", "--answers", "1,0,2,4,0,3,0,1,0"), "item 4 takes a number from 0 to 3, not '4'"),
    (("phq9", "--answers", "1,0,2,1,0,3,0,1"), "needs 9 (or 10 with the unscored"),
    (("gad7", "--answers", "1,0,2,1,0,3,0,1,1"), "GAD-7 needs 7 (or 8 with the unscored"),
    (("gad7", "--answers", "a,b,c,d,e,f,g"), "item 1 takes a number from 0 to 3, not 'a'"),
    (("pacs", "--answers", "2,3,1,7,2"), "item 4 takes a number from 0 to 6, not '7'"),
    (("pacs", "--answers", "2,3"), "PACS needs 5 answers, got 2"),
    (("phq9",), "give every answer with --answers"),  # no terminal
    (("pacs", "-a", "1,1,1,1,1", "--substance", "a\x1b[31m"), "substance"),
])  # fmt: skip
def test_screener_bad_input_is_one_line_and_saves_nothing(cli, journal, args, message):
    assert cli("checkin", "--mood", "5").code == 0
    before = records(journal)
    result = cli("checkin", *args)
    assert result.code == 2, result.err
    assert message in result.err and result.err.strip().count("\n") == 0
    assert records(journal) == before and SAFETY not in result.out


# ---- history ----------------------------------------------------------------------------


def fill(cli):
    for day, answers in (
        (3, "2,2,2,2,2,2,2,2,0"),
        (10, "1,1,1,1,1,1,1,1,1"),
        (20, "0,0,1,0,0,0,0,0,0"),
    ):
        assert cli("checkin", "phq9", "-a", answers, use_clock=at(day)).code == 0
    assert cli("checkin", "gad7", "-a", "1,1,1,1,1,1,1", use_clock=at(20)).code == 0
    for day, mood, med, sup in ((22, 4, "yes", "meeting"), (23, 6, "no", "none"),
                                (24, 7, "yes", "therapy,peer")):  # fmt: skip
        assert cli("checkin", "--mood", str(mood), "--medication", med, "--support", sup,
                   use_clock=at(day)).code == 0  # fmt: skip


def test_history_json(cli, journal):
    fill(cli)
    data = cli("checkin", "history", "--json").json()
    assert list(data) == ["phq9", "gad7", "pacs", "daily"]
    assert [r["total"] for r in data["phq9"]] == [1, 9, 16]  # newest first
    assert [r["band"] for r in data["phq9"]] == ["minimal", "mild", "moderately severe"]
    assert data["phq9"][0]["taken_at"] == "2026-11-20T21:00:00+00:00"
    assert data["phq9"][1]["item9"] == 1 and data["phq9"][0]["max_total"] == 27
    assert data["pacs"] == [] and [r["mood"] for r in data["daily"]] == [7, 6, 4]
    only = cli("checkin", "history", "phq9", "--json", "--since", "2026-11-05").json()
    assert list(only) == ["phq9"] and len(only["phq9"]) == 2


def test_history_table_has_sparkline_and_bands(cli):
    fill(cli)
    out = cli("checkin", "history", "phq9").out
    assert "PHQ-9: 3 results, oldest to newest  ▅▃▁  (0-27)" in out
    assert "moderately severe" in out and "-8" in out and "-7" in out
    assert (
        "Bands: 0-4 minimal  5-9 mild  10-14 moderate  15-19 moderately severe  20-27 severe" in out
    )
    out = cli("checkin", "history", "daily").out
    assert "mood ▄▅▆" in out and "therapy, peer support" in out
    assert cli("checkin", "history", "pacs").out.startswith("Nothing yet for that view")
    bad = cli("checkin", "history", "audit")
    assert bad.code == 2 and "use phq9, gad7, pacs or daily" in bad.err


def test_daily_history_keeps_whole_words_on_an_80_column_terminal(cli, monkeypatch):
    assert cli("checkin", "--mood", "6", "--anxiety", "3", "--sleep-hours", "10.5",
               "--sleep-quality", "10", "--halt", "hlt", "--medication", "na",
               "--support", "meeting,therapy,peer").code == 0  # fmt: skip
    uuid = cli("checkin", "history", "daily", "--json").json()["daily"][0]["uuid"]
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("checkin", "history", "daily").out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80 and "…" not in out
    header = lines[1].split("┃")
    assert [h.strip() for h in header] == ["when", "mood", "anxiety", "sleep", "HALT", "meds",
                                           "support", "id"]  # fmt: skip
    first = lines[3].split("│")
    assert [c.strip() for c in first] == ["24 Nov 21:00", "6", "3", "10.5 h", "hungry,", "n/a",
                                          "meeting,", uuid[:8]]  # fmt: skip
    column = [line.split("│")[4].strip() for line in lines[3:7]]
    assert column == ["hungry,", "lonely,", "tired", ""]
    monkeypatch.setenv("COLUMNS", "120")
    wide = cli("checkin", "history", "daily").out
    assert "Tue 24 Nov 21:00" in wide and "not applicable" in wide


# ---- summary ------------------------------------------------------------------------------


def section(cli, *args):
    result = cli("summary", "--json", *args)
    assert result.code == 0, result.err
    return result.json()["more"].get("checkins")


def test_summary_counts_and_latest_scores(cli):
    assert cli("log", "mood", "5").code == 0
    fill(cli)
    s = section(cli)
    assert s["days_checked_in"] == 3
    assert s["medication"] == {"yes": 2, "no": 1, "na": 0}
    assert s["support"] == {"meeting": 1, "therapy": 1, "peer": 1, "days_with_any": 2,
                            "days_answered": 3}  # fmt: skip
    assert s["latest"]["phq9"] == {"total": 1, "max_total": 27, "band": "minimal",
                                   "local_date": "2026-11-20", "days_ago": 4,
                                   "item9_above_0": False}  # fmt: skip
    assert s["reminders"] == []
    lines = dict(s["lines"])
    assert lines["Medication as prescribed"] == "yes 2 days, no 1, not applicable 0"
    assert (
        lines["Meeting, therapy, peer support"] == "2 days (meeting 1, therapy 1, peer support 1)"
    )
    assert lines["PHQ-9"] == "1 of 27, minimal (Fri 20 Nov)"
    out = cli("summary").out
    assert "Check-ins" in out and "not a diagnosis" in out


def test_summary_reminds_when_phq9_or_gad7_is_over_14_days_old(cli):
    assert cli("checkin", "phq9", "-a", "1,1,1,1,1,1,1,1,0", use_clock=at(10)).code == 0  # 14 days
    assert cli("checkin", "gad7", "-a", "1,1,1,1,1,1,1", use_clock=at(9)).code == 0  # 15 days
    assert cli("checkin", "pacs", "-a", "1,1,1,1,1", use_clock=at(1)).code == 0  # weekly: none
    s = section(cli)
    assert s["reminders"] == ["your last GAD-7 was 15 days ago and it looks back two weeks: "
                              "relapse checkin gad7"]  # fmt: skip
    assert ("Reminder", s["reminders"][0]) in [tuple(x) for x in s["lines"]]


def test_summary_never_taken_gets_one_gentle_line_only_with_checkins(cli):
    assert cli("log", "mood", "5").code == 0
    assert section(cli) is None  # nothing of this kind: no section
    assert cli("checkin", "--mood", "5").code == 0
    s = section(cli)
    assert s["latest"] == {} and len(s["reminders"]) == 1
    assert "there if you want them" in s["reminders"][0]


# ---- reports, export/import, purge --------------------------------------------------------


def test_results_appear_in_html_markdown_and_fhir(cli, journal, tmp_path):
    # (the HTML report's default period starts at the first log entry: share/commands/share.py)
    assert cli("log", "mood", "5", use_clock=at(1)).code == 0
    fill(cli)
    out = tmp_path / "r.html"
    assert cli("export", "-f", "html", "-o", str(out)).code == 0
    html = out.read_text()
    assert "<h2>Screeners</h2>" in html and "16 of 27" in html and "moderately severe" in html
    assert "7 of 21" in html and "not a diagnosis" in html and "<h2>Daily check-ins</h2>" in html
    md = cli("export", "-f", "md", "-o", "-").out
    assert "## Screeners" in md and "| 9 of 27 |" in md and "item 9" in md
    assert "yes 2, no 1, not applicable 0" in md
    fhir = cli("export", "-f", "fhir", "-o", "-")
    assert fhir.code == 0, fhir.err
    from fhir.resources.bundle import Bundle

    bundle = Bundle.parse_obj(json.loads(fhir.out))
    res = [e.resource for e in bundle.entry]
    qrs = [r for r in res if r.resource_type == "QuestionnaireResponse"]
    assert sorted(q.questionnaire for q in qrs) == ["http://loinc.org/q/44249-1"] * 3 + [
        "http://loinc.org/q/69737-5"
    ]
    totals = {
        (o.code.coding[0].code, o.valueInteger)
        for o in res
        if o.resource_type == "Observation" and o.code.coding[0].system == "http://loinc.org"
    }
    assert totals == {("44261-6", 16), ("44261-6", 9), ("44261-6", 1), ("70274-6", 7)}


def test_fhir_carries_the_tenth_question(cli):
    assert cli("checkin", "phq9", "-a", "1,0,0,0,0,0,0,0,0,3").code == 0
    doc = json.loads(cli("export", "-f", "fhir", "-o", "-").out)
    (qr,) = [e["resource"] for e in doc["entry"]
             if e["resource"]["resourceType"] == "QuestionnaireResponse"]  # fmt: skip
    assert len(qr["item"]) == 10
    assert qr["item"][9]["linkId"] == "69722-7"
    assert qr["item"][9]["answer"][0]["valueCoding"]["code"] == "LA6574-3"


def test_kinds_narrow_the_report(cli):
    assert cli("log", "mood", "5").code == 0
    fill(cli)
    md = cli("export", "-f", "md", "-o", "-", "--kinds", "mood").out
    assert "## Screeners" not in md and "## Daily check-ins" not in md
    md = cli("export", "-f", "md", "-o", "-", "--kinds", "screenings").out
    assert "## Screeners" in md and "## Daily check-ins" not in md


def test_export_import_round_trip_and_purge(cli, journal, tmp_path):
    fill(cli)
    assert cli("checkin", "--mood", "2", "--note", "rough day", "--replace").code == 0
    dump = tmp_path / "all.json"
    assert cli("export", "-f", "json", "-o", str(dump)).code == 0
    other = str(tmp_path / "other.db")
    result = cli("--journal", other, "import", str(dump))
    assert result.code == 0, result.err

    def content(path, table):
        return sorted(tuple(v for k, v in r.items() if k != "id") for r in rows(path, table))

    for table in ("checkins", "screenings"):
        assert content(other, table) == content(journal, table) and content(journal, table)
    again = cli("--journal", other, "import", str(dump))
    assert again.code == 0
    assert len(rows(other, "screenings")) == 4 and len(rows(other, "checkins")) == 3
    assert cli("purge", "--all", "--yes").code == 0
    assert rows(journal, "checkins") == [] and rows(journal, "screenings") == []


def test_checkin_help_is_complete(cli):
    for args in (("checkin", "--help"), ("checkin", "phq9", "--help"), ("checkin", "pacs", "--help"),
                 ("checkin", "history", "--help")):  # fmt: skip
        result = cli(*args)
        assert result.code == 0 and "Usage: relapse checkin" in result.out
    assert "--substance" not in cli("checkin", "phq9", "--help").out
    assert "--substance" in cli("checkin", "pacs", "--help").out
    assert "--answers 1,0,2,1,0,3,0,1,0,1" in " ".join(cli("checkin", "phq9", "-h").out.split())


def test_daily_options_do_not_go_with_a_subcommand(cli, journal):
    result = cli("checkin", "--mood", "6", "phq9", "-a", "0,0,0,0,0,0,0,0,0")
    assert result.code == 2 and "not with phq9" in result.err
    assert not os.path.exists(journal)


RELAPSE = os.path.join(os.path.dirname(sys.executable), "relapse")


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(RELAPSE), reason="console script not installed")
def test_in_a_pseudo_terminal_like_a_person(tmp_path):
    """A real terminal: the daily questions, then a PHQ-9 stopped with Ctrl-C (nothing saved),
    then one finished with item 9 above 0 (the safety screen before the score)."""
    pexpect = pytest.importorskip("pexpect")
    db = str(tmp_path / "pty.db")
    env = dict(os.environ, RELAPSE_JOURNAL=db, NO_COLOR="1", COLUMNS="100")
    child = pexpect.spawn(RELAPSE, ["checkin"], env=env, encoding="utf-8", timeout=20)
    try:
        for prompt, answer in [("Mood today", "6"), ("Anxiety today", ""), ("Hours slept", "7"),
                               ("Sleep quality", "5"), ("HALT", "t"), ("Medication", "na")]:  # fmt: skip
            child.expect(prompt)
            child.sendline(answer)
        child.expect("Went to a meeting")
        time.sleep(0.3)  # a person's pace: readline is reading by now (a Ctrl-C in
        # the microsecond before it starts waits for the next key, a CPython race)
        child.sendintr()  # Ctrl-C: keep what was answered
        child.expect(r"Stopped early: saved the answers you gave \(mood, sleep hours")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130
        child = pexpect.spawn(RELAPSE, ["checkin", "phq9"], env=env, encoding="utf-8", timeout=20)
        for answer in ("1", "2", "0"):
            child.expect(r"\[0-3\]: ")
            child.sendline(answer)
        child.expect(r"\[0-3\]: ")
        time.sleep(0.3)  # a person's pace: readline is reading by now (a Ctrl-C in
        # the microsecond before it starts waits for the next key, a CPython race)
        child.sendintr()
        child.expect("nothing saved")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130
        child = pexpect.spawn(RELAPSE, ["checkin", "phq9"], env=env, encoding="utf-8", timeout=20)
        for answer in ("0", "0", "0", "0", "0", "0", "0", "0", "1"):
            child.expect(r"\[0-3\]: ")
            child.sendline(answer)
        child.expect("If you are in danger now, call your local emergency number.")
        child.expect("Your answer to 10")
        child.sendline("")
        child.expect(r"PHQ-9: 1 of 27, minimal\.")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
    finally:
        child.close(force=True)
    assert [daily(r) for r in rows(db, "checkins")] == [
        dict.fromkeys(DAILY_FIELDS) | {"mood": 6, "sleep_hours": 7.0, "sleep_quality": 5,
                                       "hungry": 0, "angry": 0, "lonely": 0, "tired": 1,
                                       "medication": "na"}]  # fmt: skip
    assert [(r["total"], r["item9"]) for r in rows(db, "screenings")] == [(1, 1)]


def test_delete_hides_and_restore_brings_back(cli, journal):
    assert cli("checkin", "phq9", "-a", "3,3,3,3,3,3,3,3,0", use_clock=at(20)).code == 0
    assert cli("checkin", "phq9", "-a", "1,0,0,0,0,0,0,0,0").code == 0
    assert cli("checkin", "--mood", "6").code == 0
    wrong = rows(journal, "screenings")[1]["uuid"]
    result = cli("checkin", "delete", wrong[:6])
    assert result.code == 0 and result.out.startswith("Hidden the PHQ-9 of Tue 24 Nov 21:00 (1)")
    assert [r["total"] for r in cli("checkin", "history", "phq9", "--json").json()["phq9"]] == [24]
    assert section(cli)["latest"]["phq9"]["total"] == 24
    again = cli("checkin", "delete", wrong[:6])
    assert again.code == 2 and "no check-in or screener result with id" in again.err
    assert cli("checkin", "restore", wrong[:6]).out.startswith("Restored the PHQ-9")
    assert rows(journal, "screenings")[1]["deleted_at"] is None
    daily_id = rows(journal, "checkins")[0]["uuid"]
    assert cli("checkin", "delete", daily_id).code == 0
    assert rows(journal, "checkins")[0]["deleted_at"] is not None
    # a hidden check-in no longer counts as today's: no replace/add question
    assert cli("checkin", "--mood", "4").code == 0
    for bad in ("zz", "xyz!", "abc"):
        assert cli("checkin", "delete", bad).code == 2


def test_a_note_with_control_characters_prints_inert(cli, journal):
    result = cli("checkin", "--mood", "5", "--note", "\x1b[2Jgone [red]x[/]")
    assert result.code == 0 and "\x1b" not in result.out
    assert "Note: \\x1b[2Jgone [red]x[/]" in result.out
    assert rows(journal, "checkins")[0]["note"] == "\x1b[2Jgone [red]x[/]"  # stored as typed


def test_ctrl_c_at_the_unscored_tenth_question_keeps_the_complete_phq9(cli, journal):
    """Items 1-9 make the result (item 9 included); only the optional tenth is left out."""
    answers = ["1", "1", "0", "0", "0", "0", "0", "0", "1"]
    prompter = ScriptedPrompter([*answers, STOP])
    result = cli("checkin", "phq9", prompter=prompter)
    assert result.code == 0, result.err
    saved = rows(journal, "screenings")
    assert len(saved) == 1 and saved[0]["total"] == 3 and saved[0]["item9"] == 1
    assert saved[0]["difficulty"] is None
    assert any("complete result" in line for line in prompter.said)
    assert "PHQ-9: 3 of 27" in result.out


# ---- a check-in cut short: replace keeps what was given, --finish asks the rest -------------


def test_guided_replace_after_a_partial_checkin_keeps_the_answers_given(cli, journal):
    assert cli("checkin", prompter=ScriptedPrompter(["6", "3", STOP])).code == 130
    p = ScriptedPrompter(["", "", "7.5", "8", "lt", "yes", "meeting, peer"])  # Enter, Enter
    result = cli("checkin", "--replace", prompter=p)
    assert result.code == 0, result.err
    (row,) = rows(journal, "checkins")
    assert daily(row) == STORED  # mood 6 and anxiety 3 were kept, not dropped


def test_guided_replace_shows_each_earlier_answer_and_enter_keeps_it(cli, journal):
    assert cli("checkin", *"--mood 6 --anxiety 3 --halt lt --medication yes".split()).code == 0
    hints: list[str] = []

    class Recording(ScriptedPrompter):
        def ask(self, question: str, *, hint: str = "") -> str:
            hints.append(hint)
            return super().ask(question, hint=hint)

    result = cli("checkin", "--replace", prompter=Recording(["4", "", "", "", "", "", ""]))
    assert result.code == 0
    assert hints == ["0-10, Enter keeps 6", "0-10, Enter keeps 3", "0-24, Enter to skip",
                     "0-10, Enter to skip", "Enter keeps lonely, tired", "Enter keeps yes",
                     "Enter to skip"]  # fmt: skip
    (row,) = rows(journal, "checkins")
    assert (row["mood"], row["anxiety"], row["tired"], row["medication"]) == (4, 3, 1, "yes")


@pytest.mark.parametrize("step", range(1, 7))
def test_finish_asks_only_the_questions_left_open(cli, journal, step):
    cut = cli("checkin", prompter=ScriptedPrompter([*GUIDED[:step], STOP]))
    assert cut.code == 130 and "To answer the rest later: relapse checkin --finish\n" in cut.out
    (first,) = rows(journal, "checkins")
    p = ScriptedPrompter(GUIDED[step:])
    result = cli("checkin", "--finish", use_clock=at(24, 23), prompter=p)
    assert result.code == 0, result.err
    assert len(p.asked) == 7 - step and p.answers == []
    assert result.out.startswith("Finished the check-in for Tue 24 Nov:")
    row = next(r for r in rows(journal, "checkins") if r["uuid"] == first["uuid"])
    assert daily(row) == STORED and row["occurred_at"] == first["occurred_at"]  # same time


def test_finish_with_flags_and_its_refusals(cli, journal):
    none = cli("checkin", "--finish", "--mood", "5")
    assert none.code == 2 and "there is no check-in on Tue 24 Nov to finish" in none.err
    assert cli("checkin", prompter=ScriptedPrompter(["6", "3", STOP])).code == 130
    before = records(journal)
    clash = cli("checkin", "--finish", "--mood", "5")
    assert clash.code == 2 and "already answers mood" in clash.err and "--replace" in clash.err
    assert records(journal) == before
    both = cli("checkin", "--finish", "--replace", "--mood", "5")
    assert both.code == 2 and "choose --replace or --finish, not both" in both.err
    done = cli("checkin", "--finish", "--sleep-hours", "7")
    assert done.code == 0 and "Still open: sleep quality, halt, medication, support" in done.out
    (row,) = rows(journal, "checkins")
    assert (row["mood"], row["anxiety"], row["sleep_hours"]) == (6, 3, 7)
    cli(
        "checkin",
        "--finish",
        *"--sleep-quality 5 --halt none --medication na --support none".split(),
    )
    complete = cli("checkin", "--finish", "--mood", "2")
    assert complete.code == 0 and "has every answer already" in complete.out


@pytest.mark.parametrize("key", ["phq9", "gad7"])
def test_screeners_take_at_for_a_paper_questionnaire(cli, journal, key):
    answers = {"phq9": "1,0,2,1,0,3,0,1,0", "gad7": "1,0,2,1,0,3,0"}[key]
    result = cli("checkin", key, "--answers", answers, "--at", "sun 20:00")
    assert result.code == 0, result.err
    assert "Saved as filled in on Sun 22 Nov 20:00." in result.out
    (row,) = rows(journal, "screenings")
    assert row["taken_at"] == "2026-11-22T20:00:00Z"
    before = records(journal)
    bad = cli("checkin", key, "--answers", answers, "--at", "tomorrow")
    assert bad.code == 2 and "in the future" in bad.err and records(journal) == before
    p = ScriptedPrompter([])  # guided: a bad --at is refused before the first question
    assert cli("checkin", key, "--at", "25:00", prompter=p).code == 2 and p.asked == []


def test_item9_screen_comes_first_even_with_a_bad_at(cli, journal):
    result = cli("checkin", "phq9", "--answers", "0,0,0,0,0,0,0,0,1", "--at", "tomorrow")
    assert SAFETY in result.out and result.code == 2


# ---- PHQ-9 item 9 on every view (issue 19, item 2) --------------------------------------------

FLAG = "item 9 above 0 (thoughts of death or self-harm) on Fri 20 Nov 2026"


def test_item9_above_0_is_flagged_with_its_day_on_every_view(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # table cells on one line, to read them back
    assert cli("log", "mood", "5", use_clock=at(18)).code == 0
    assert cli("checkin", "phq9", "--answers", "2,2,2,1,2,1,1,0,2", use_clock=at(20)).code == 0
    # A later result with item 9 at 0 is the latest; the earlier positive one still shows.
    assert cli("checkin", "phq9", "--answers", "1,1,1,1,1,1,1,1,0", use_clock=at(22)).code == 0
    views = {}
    views["summary"] = cli("summary").out
    summary = cli("summary", "--json").json()
    flagged = summary["more"]["checkins"]["item9_above_0"]
    assert [(f["local_date"], f["total"]) for f in flagged] == [("2026-11-20", 13)]
    assert summary["more"]["checkins"]["latest"]["phq9"]["item9_above_0"] is False
    views["history"] = cli("checkin", "history", "phq9").out
    html, exported = tmp_path / "r.html", tmp_path / "e.json"
    assert cli("export", "-f", "html", "-o", str(html)).code == 0
    views["html"] = html.read_text()
    views["md"] = cli("export", "-f", "md", "-o", "-").out
    assert cli("export", "-o", str(exported)).code == 0
    views["review"] = cli("review", str(exported)).out
    review = cli("review", str(exported), "--json").json()
    assert review["summary"]["more"]["checkins"]["item9_above_0"] == flagged
    for name, text in views.items():
        flat = " ".join(text.replace("│", " ").split())
        assert "item 9 above 0" in flat and "Fri 20 Nov 2026" in flat, name
    for name in ("summary", "review"):
        flat = " ".join(views[name].replace("│", " ").split())
        assert "above 0 (thoughts of death or self-harm) on Fri 20 Nov 2026" in flat, name
        assert "relapse sos" in flat, name
    assert FLAG in views["html"] and FLAG in views["md"]


def test_latest_phq9_positive_item9_is_on_its_own_line(cli):
    assert cli("checkin", "phq9", "--answers", "2,2,2,1,2,1,1,0,2", use_clock=at(20)).code == 0
    lines = cli("summary", use_clock=at(21)).out.splitlines()
    (line,) = [x for x in lines if "13 of 27" in x]
    assert "moderate (Fri 20 Nov); item 9 above 0" in line

"""Homework progress, worked out by hand: pure domain functions, then through real journals."""

from __future__ import annotations

from datetime import date, datetime

from conftest import LONDON

from relapse_cli.core.clock import FakeClock
from relapse_cli.homework.model import homework as hw

D = date.fromisoformat


def assignment(start: str, due: str, *tasks: hw.Task) -> hw.Assignment:
    return hw.Assignment("Week", D(start), D(due), tuple(tasks))


CRAVINGS = hw.Task("cravings", "cravings", {"id": "cravings", "kind": "cravings"})
THOUGHTS = hw.Task("thoughts", "thought_records", {"kind": "thought_records", "per_week": 2})


# ------------------------------------------------------------- a task due Sunday, 5 of 7 days
# Mon 16 - Sun 22 Nov 2026, loaded on the Monday; cravings logged Mon, Tue, Thu, Fri, Sun.
FIVE = [D("2026-11-16"), D("2026-11-17"), D("2026-11-19"), D("2026-11-20"), D("2026-11-22")]
WEEK = assignment("2026-11-16", "2026-11-22", CRAVINGS)


def test_due_sunday_five_of_seven_after_the_end():
    p = hw.progress(WEEK, CRAVINGS, loaded=D("2026-11-16"), today=D("2026-11-24"), days=FIVE)
    assert (p.done, p.expected_so_far, p.expected_total) == (5, 7, 7)
    assert p.status == "ended" and p.days_left == -2
    assert p.sentence == ("Ended Sun 22 Nov with 5 of 7; every one of those counts. "
                          "Worth talking over together.")  # fmt: skip
    assert round(p.share, 4) == 0.7143


def test_due_sunday_on_the_sunday_itself():
    # Sunday evening, Sunday already logged: 6 past days (4 done) + today (done) = 5 of 7.
    p = hw.progress(WEEK, CRAVINGS, loaded=D("2026-11-16"), today=D("2026-11-22"), days=FIVE)
    assert (p.done, p.expected_so_far, p.status, p.days_left) == (5, 7, "behind", 0)
    assert p.sentence == "5 of 7 so far (2 days missed); ends today. Today is a fresh start."
    # Sunday not logged yet: today is not counted as missed while it is still today.
    p = hw.progress(WEEK, CRAVINGS, loaded=D("2026-11-16"), today=D("2026-11-22"), days=FIVE[:4])
    assert (p.done, p.expected_so_far) == (4, 6)
    assert p.current == {"first": "2026-11-22", "last": "2026-11-22", "done": 0, "expected": 1}


def test_several_entries_on_one_day_count_as_one_day():
    days = [D("2026-11-16")] * 4
    p = hw.progress(WEEK, CRAVINGS, loaded=D("2026-11-16"), today=D("2026-11-17"), days=days)
    assert (p.done, p.expected_so_far, p.status) == (1, 1, "on_track")


def test_all_done_says_so():
    every = [D("2026-11-16") + (D("2026-11-17") - D("2026-11-16")) * i for i in range(7)]
    p = hw.progress(WEEK, CRAVINGS, loaded=D("2026-11-16"), today=D("2026-11-24"), days=every)
    assert (p.done, p.status, p.sentence) == (7, "done", "All done: 7 of 7. Well done.")


# ------------------------------------------------------------- loaded mid-week
# Mon 23 Nov - Sun 6 Dec, loaded Wed 25 Nov: counting starts Wednesday.
TWO_WEEKS = assignment("2026-11-23", "2026-12-06", CRAVINGS, THOUGHTS)


def test_loaded_mid_week_daily_task_counts_from_the_day_loaded():
    days = [D("2026-11-23"), D("2026-11-24"), D("2026-11-25"), D("2026-11-26")]  # Mon-Thu
    p = hw.progress(TWO_WEEKS, CRAVINGS, loaded=D("2026-11-25"), today=D("2026-11-27"), days=days)
    assert p.counting_from == D("2026-11-25")
    assert p.expected_total == 12  # Wed 25 Nov - Sun 6 Dec
    assert (p.done, p.expected_so_far, p.status) == (2, 2, "on_track")  # Wed, Thu; Fri open


def test_loaded_mid_week_weekly_task_blocks_from_the_day_loaded():
    # Blocks: Wed 25 Nov - Tue 1 Dec (7 days, 2), Wed 2 - Sun 6 Dec (5 days: ceil(2*5/7) = 2).
    assert hw.blocks(THOUGHTS, D("2026-11-25"), D("2026-12-06")) == [
        hw.Block(D("2026-11-25"), D("2026-12-01"), 2),
        hw.Block(D("2026-12-02"), D("2026-12-06"), 2),
    ]
    # A record on Mon 23 (before loading) does not count; one on Thu 26 does.
    days = [D("2026-11-23"), D("2026-11-26")]
    p = hw.progress(TWO_WEEKS, THOUGHTS, loaded=D("2026-11-25"), today=D("2026-11-27"), days=days)
    assert (p.done, p.expected_so_far, p.expected_total) == (1, 1, 4)
    assert p.current == {"first": "2026-11-25", "last": "2026-12-01", "done": 1, "expected": 2}
    # The next Thursday: the first block is over with 1 of 2; the second has just begun.
    p = hw.progress(TWO_WEEKS, THOUGHTS, loaded=D("2026-11-25"), today=D("2026-12-03"), days=days)
    assert (p.done, p.expected_so_far, p.status) == (1, 2, "behind")
    assert p.sentence == "1 of 2 so far (1 missed); 3 days left. Today is a fresh start."


def test_short_last_block_expects_its_share_rounded_up():
    three = hw.Task("t", "thought_records", {"per_week": 3})
    # 10 days: a full week (3) + 3 days (ceil(3*3/7) = 2).
    assert [b.expected for b in hw.blocks(three, D("2026-11-01"), D("2026-11-10"))] == [3, 2]
    every2 = hw.Task("s", "screener", {"instrument": "phq9", "every_weeks": 2})
    # 4 weeks every two weeks: 2 screeners; 3 weeks: 1 + ceil(7/14) = 2.
    assert [b.expected for b in hw.blocks(every2, D("2026-11-02"), D("2026-11-29"))] == [1, 1]
    assert [b.expected for b in hw.blocks(every2, D("2026-11-02"), D("2026-11-22"))] == [1, 1]


def test_not_started_yet():
    p = hw.progress(TWO_WEEKS, CRAVINGS, loaded=D("2026-11-20"), today=D("2026-11-21"), days=[])
    assert (p.status, p.sentence, p.done, p.expected_so_far) == (
        "not_started", "Starts Mon 23 Nov.", 0, 0)  # fmt: skip


# ------------------------------------------------------------- one-off tasks
BY = hw.Task("phq9", "screener", {"instrument": "phq9", "by": "2026-11-30"})
PLAN = hw.Task("coping", "plan", {"section": "coping", "min_items": 3})
REFLECT = hw.Task("pull", "reflection", {"prompt": "Three situations?"})
ONE_OFFS = assignment("2026-11-23", "2026-12-06", BY, PLAN, REFLECT)


def test_screener_by_a_date_counts_before_loading_and_late():
    done = hw.progress(ONE_OFFS, BY, loaded=D("2026-11-25"), today=D("2026-11-26"),
                       days=[D("2026-11-24")])  # fmt: skip
    assert (done.done, done.expected_total, done.status, done.sentence) == (1, 1, "done", "Done.")
    before_start = hw.progress(ONE_OFFS, BY, loaded=D("2026-11-25"), today=D("2026-11-26"),
                               days=[D("2026-11-20")])  # fmt: skip
    assert before_start.done == 0


def test_overdue_in_words_never_in_shame():
    p = hw.progress(ONE_OFFS, BY, loaded=D("2026-11-25"), today=D("2026-12-01"), days=[])
    assert p.status == "overdue" and p.days_left == -1
    assert p.sentence == "Was due Mon 30 Nov, 1 day ago; it is still worth doing when you can."
    for word in ("fail", "late!", "missed your", "should have"):
        assert word not in p.sentence.lower()


def test_plan_section_and_reflection():
    p = hw.progress(ONE_OFFS, PLAN, loaded=D("2026-11-25"), today=D("2026-11-26"), count=2)
    assert (p.done, p.expected_total, p.status) == (2, 3, "on_track")
    assert p.sentence == "Not yet; due Sun 6 Dec, in 10 days. 2 of 3 so far."
    p = hw.progress(ONE_OFFS, PLAN, loaded=D("2026-11-25"), today=D("2026-11-26"), count=5)
    assert (p.done, p.status) == (3, "done")
    p = hw.progress(ONE_OFFS, REFLECT, loaded=D("2026-11-25"), today=D("2026-12-06"), count=0)
    assert p.sentence == "Not yet; due today."


def test_describe_and_bar():
    assert hw.describe(THOUGHTS) == "2 thought records a week"
    breathe = hw.Task("b", "breathing", {"exercise": "box", "minutes": 4, "per_week": 5})
    assert hw.describe(breathe) == "Box breathing, 4 minutes, 5 times a week"
    assert hw.describe(BY) == "The PHQ-9 check-in by Mon 30 Nov"
    assert hw.bar(0.5, 10) == "█████░░░░░" and hw.bar(1.4, 4) == "████"
    assert hw.remind_days(THOUGHTS, D("2026-11-23")) == [0, 3]  # Mon, Thu
    three = hw.Task("x", "thought_records", {"per_week": 3})
    assert hw.remind_days(three, D("2026-11-25")) == [2, 4, 6]  # from a Wednesday: Wed, Fri, Sun


# ------------------------------------------------------------- through a real journal

DST_FILE = """title = "Across the clock change"
start = 2026-10-19
due = 2026-11-01
[assigned_by]
name = "Alex"
[[tasks]]
id = "cravings"
kind = "cravings"
[[tasks]]
id = "thoughts"
kind = "thought_records"
per_week = 1
"""


def test_task_spanning_the_october_clock_change(cli, tmp_path):
    """Europe/London goes from BST (UTC+1) to GMT at 02:00 on Sun 25 Oct 2026. Cravings at
    00:30 local in the BST week are stored as 23:30 UTC the day before: counted by the UTC
    day, Mon 19 would be lost (12 days). The stored offset keeps each one on its own local
    day: 13 of 14 days (Wed 28 left out)."""
    path = tmp_path / "dst.toml"
    path.write_text(DST_FILE)
    loading = FakeClock(datetime(2026, 10, 19, 8, 0), tz=LONDON)
    assert cli("homework", "load", str(path), "--yes", use_clock=loading).code == 0
    for day in range(19, 26):  # 00:30 BST (the 25th: 00:30 is before the change)
        assert cli("log", "craving", "2", "--at", f"2026-10-{day} 00:30").code == 0
    for day in (26, 27, 29, 30, 31):  # 23:30 GMT
        assert cli("log", "craving", "2", "--at", f"2026-10-{day} 23:30").code == 0
    assert cli("log", "craving", "2", "--at", "2026-11-01 23:30").code == 0
    assert cli("log", "craving", "2", "--at", "2026-10-19 00:45").code == 0  # same day again
    result = cli("homework", "list", "--json")  # ended over a week ago: in the list
    tasks = {t["id"]: t for t in result.json()[0]["tasks"]}
    cravings = tasks["cravings"]
    assert (cravings["done"], cravings["expected_total"], cravings["status"]) == (13, 14, "ended")
    # Two 7-day weeks whatever the 25-hour Sunday: one thought record expected in each.
    assert tasks["thoughts"]["expected_total"] == 2


def test_twice_a_day_counts_times_not_days():
    twice = hw.Task("b", "breathing", {"exercise": "any", "per_day": 2})
    a = assignment("2026-11-16", "2026-11-22", twice)
    days = [D("2026-11-16"), D("2026-11-16"), D("2026-11-16"), D("2026-11-17")]
    p = hw.progress(a, twice, loaded=D("2026-11-16"), today=D("2026-11-18"), days=days)
    assert (p.done, p.expected_so_far, p.expected_total) == (3, 4, 14)  # Mon 2 (of 3), Tue 1
    assert p.sentence == "3 of 4 so far (1 missed); 4 days left. Today is a fresh start."
    assert hw.describe(twice) == "Any breathing exercise, 2 times a day"

"""Calendar reminders: read back with icalendar (RRULE, VALARM), and checked again by an
independent RFC 5545 reader written here (line folding, CRLF, BEGIN/END nesting)."""

from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta
from importlib import resources

import icalendar
import pytest
from conftest import LONDON

from relapse_cli.core.clock import FakeClock
from relapse_cli.homework.model.reminders import top_windows
from relapse_cli.insights import model as insights

EXAMPLE = resources.files("relapse_cli.data").joinpath("homework_example.toml").read_text("utf-8")
MONDAY = FakeClock(datetime(2026, 11, 23, 8, 0), tz=LONDON)


# ------------------------------------------------------------- an independent RFC 5545 reader


def rfc5545_lines(data: bytes) -> list[str]:
    """Unfolded content lines, after checking the physical form: CRLF endings only, every
    line at most 75 octets (excluding CRLF), continuation lines begin with one space."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    for raw in physical:
        assert b"\n" not in raw and b"\r" not in raw, raw
        assert len(raw) <= 75, (len(raw), raw)
    logical: list[bytes] = []
    for raw in physical:
        if raw.startswith((b" ", b"\t")):
            assert logical, "a continuation line cannot come first"
            logical[-1] += raw[1:]
        else:
            assert raw, "empty content line"
            logical.append(raw)
    return [line.decode("utf-8") for line in logical]


def components(lines: list[str]) -> list[dict]:
    """Every component as {"name", "props": {NAME: value}, "children": [...]}, BEGIN/END
    checked for balance. Parameters (;TZID=...) are kept in the name part, not parsed."""
    root: dict = {"name": None, "props": {}, "children": []}
    stack = [root]
    for line in lines:
        name, _sep, value = line.partition(":")
        if name == "BEGIN":
            node = {"name": value, "props": {}, "children": []}
            stack[-1]["children"].append(node)
            stack.append(node)
        elif name == "END":
            assert stack[-1]["name"] == value, (stack[-1]["name"], value)
            stack.pop()
        else:
            stack[-1]["props"][name] = value
    assert len(stack) == 1
    return root["children"]


def test_the_validator_catches_bad_folding():
    with pytest.raises(AssertionError):
        rfc5545_lines(b"BEGIN:VCALENDAR\nEND:VCALENDAR\n")  # LF only
    with pytest.raises(AssertionError):
        rfc5545_lines(b"DESCRIPTION:" + b"x" * 70 + b"\r\n")  # 82 octets
    # Folding counts octets, not characters: 31 two-octet letters are 62 + 12 octets.
    assert rfc5545_lines(b"DESCRIPTION:" + "é".encode() * 31 + b"\r\n") == [
        "DESCRIPTION:" + "é" * 31]  # fmt: skip


def test_long_non_ascii_text_is_folded_by_octets():
    from relapse_cli.share.formats.ics import calendar

    text = "Rappelle-toi : respire, bois un verre d'eau, appelle Zoé — ça passe. " * 4 + "🌊" * 30
    event = {"uid": "x@relapse-cli", "summary": text, "description": text,
             "start": datetime(2026, 11, 27, 18, 0), "duration": timedelta(hours=3),
             "rrule": {"FREQ": "WEEKLY", "BYDAY": ["FR"]}, "alarm_before": timedelta(minutes=30),
             "alarm_text": text}  # fmt: skip
    data = calendar([event], now_utc=datetime(2026, 11, 24, 21, 0), name="t")
    (cal,) = components(rfc5545_lines(data))
    assert cal["children"][0]["props"]["SUMMARY"] == text.replace(",", "\\,")
    assert str(icalendar.Calendar.from_ical(data).walk("VEVENT")[0]["DESCRIPTION"]) == text


# ------------------------------------------------------------- homework reminders


@pytest.fixture
def loaded(cli, tmp_path):
    path = tmp_path / "week.toml"
    path.write_text(EXAMPLE)
    assert cli("homework", "load", str(path), "--yes", use_clock=MONDAY).code == 0
    return tmp_path


def test_homework_ics_has_a_recurring_event_and_alarm_per_recurring_task(cli, loaded):
    out = loaded / "reminders.ics"
    result = cli("homework", "remind", "-o", str(out))
    assert result.code == 0, result.err
    assert "Wrote 5 recurring reminders" in result.out
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    data = out.read_bytes()

    cal = icalendar.Calendar.from_ical(data)
    events = {str(e["UID"]).split("@")[0].split("-")[-1]: e for e in cal.walk("VEVENT")}
    assert sorted(events) == ["breathing", "checkin", "cravings", "pain", "thoughts"]
    for e in events.values():
        alarms = e.walk("VALARM")
        assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0]["TRIGGER"].dt == timedelta(0)
        assert e["DTSTART"].dt.tzinfo is None  # floating: 20:00 wherever the person is
    until = datetime(2026, 12, 6, 23, 59, 59)
    assert events["cravings"]["RRULE"] == {"FREQ": ["DAILY"], "UNTIL": [until]}
    # Today is Tue 24 Nov (the fake clock); the first reminder is today.
    assert events["cravings"]["DTSTART"].dt == datetime(2026, 11, 24, 20, 0)
    assert events["checkin"]["DTSTART"].dt == datetime(2026, 11, 24, 21, 0)  # remind_at
    assert events["breathing"]["RRULE"] == {"FREQ": ["WEEKLY"], "UNTIL": [until],
                                            "BYDAY": ["MO", "TU", "WE", "TH", "FR"]}  # fmt: skip
    # Two a week from Monday 23: Mondays and Thursdays; the next one is Thu 26.
    assert events["thoughts"]["RRULE"]["BYDAY"] == ["MO", "TH"]
    assert events["thoughts"]["DTSTART"].dt == datetime(2026, 11, 26, 20, 0)
    assert "relapse log pain VALUE" in str(events["pain"]["DESCRIPTION"])

    # The same file through the independent reader.
    cals = components(rfc5545_lines(data))
    assert [c["name"] for c in cals] == ["VCALENDAR"]
    assert cals[0]["props"]["VERSION"] == "2.0" and "PRODID" in cals[0]["props"]
    vevents = [c for c in cals[0]["children"] if c["name"] == "VEVENT"]
    assert len(vevents) == 5
    by_uid = {v["props"]["UID"]: v for v in vevents}
    breathing = next(v for uid, v in by_uid.items() if uid.endswith("-breathing@relapse-cli"))
    assert breathing["props"]["RRULE"] == "FREQ=WEEKLY;UNTIL=20261206T235959;BYDAY=MO,TU,WE,TH,FR"
    assert breathing["props"]["DTSTART"] == "20261124T200000"
    assert [c["name"] for c in breathing["children"]] == ["VALARM"]
    alarm = breathing["children"][0]["props"]
    assert alarm["ACTION"] == "DISPLAY" and alarm["TRIGGER"] in ("PT0S", "P0D")
    for v in vevents:
        assert {"UID", "DTSTAMP", "DTSTART", "DURATION", "SUMMARY", "RRULE"} <= set(v["props"])


def test_never_overwrites_without_force(cli, loaded):
    out = loaded / "reminders.ics"
    out.write_text("my own calendar")
    result = cli("homework", "remind", "-o", str(out))
    assert result.code == 2 and "already exists" in result.err and "--force" in result.err
    assert out.read_text() == "my own calendar"
    assert cli("homework", "remind", "-o", str(out), "--force").code == 0
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_discreet_reminders_say_nothing_about_recovery(cli, loaded):
    out = loaded / "quiet.ics"
    assert cli("homework", "remind", "-o", str(out), "--discreet").code == 0
    text = out.read_text()
    for word in ("craving", "homework", "relapse", "thought", "pain", "risk"):
        assert word not in text.lower()
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    assert {str(e["SUMMARY"]) for e in cal.walk("VEVENT")} == {"Reminder"}


def test_cron_line(cli, loaded, journal):
    result = cli("homework", "remind", "--cron")
    assert result.code == 0
    comment, line = result.out.strip().splitlines()
    assert comment.startswith("# relapse homework") and "crontab -e" in comment
    assert line.startswith("0 20 * * * ")  # the earliest reminder time (20:00; checkin 21:00)
    assert line.endswith(f"--journal {journal} homework today --notify")


def test_today_lists_what_is_open(cli, loaded):
    assert cli("log", "craving", "0").code == 0
    result = cli("homework", "today")
    assert result.code == 0
    assert result.out.startswith("Homework today: A daily check-in; 2 thought records a week "
                                 "(0 of 2 so far this week);")  # fmt: skip
    assert "Log your cravings" not in result.out  # done today


def test_nothing_to_remind(cli, tmp_path):
    result = cli("homework", "remind", "-o", str(tmp_path / "r.ics"))
    assert result.code == 2 and "no recurring homework" in result.err
    assert not (tmp_path / "r.ics").exists()


# ------------------------------------------------------------- risky windows


def grid_of(cells: dict[tuple[int, int], int]) -> list[list[int]]:
    grid = [[0] * 24 for _ in range(7)]
    for (day, hour), n in cells.items():
        grid[day][hour] = n
    return grid


def test_top_windows_do_not_overlap_and_the_first_is_the_dashboards():
    # Fri 18-20: 4+1; Sat 22 and Sun 00 (past midnight): 2+1; Wed 08: 2; Mon 12: 1.
    grid = grid_of({(4, 18): 4, (4, 20): 1, (5, 22): 2, (6, 0): 1, (2, 8): 2, (0, 12): 1})
    windows = top_windows(grid)
    assert [(w["weekday"], w["start_hour"], w["count"]) for w in windows] == [
        (4, 18, 5), (5, 22, 3), (2, 8, 2)]  # fmt: skip
    week = insights.riskiest_window(grid, 30)["week"]
    assert (week["weekday"], week["start_hour"]) == ("Friday", 18)


def test_top_windows_need_enough_data():
    assert top_windows(grid_of({(4, 18): 4})) == []  # 4 cravings in all: below 5
    # Five single cravings far apart: no window holds two.
    spread = grid_of({(0, 1): 1, (1, 5): 1, (2, 9): 1, (3, 13): 1, (4, 17): 1})
    assert top_windows(spread) == []
    # Week wraps: Sunday 23:00 and Monday 00:00 are one window.
    assert top_windows(grid_of({(6, 23): 3, (0, 0): 2, (3, 3): 1}))[0] == {
        "weekday": 6, "start_hour": 23, "hours": 3, "count": 5}  # fmt: skip


def test_risky_ics_warns_thirty_minutes_before_with_the_first_coping_step(cli, tmp_path):
    for day in ("2026-11-20", "2026-11-13", "2026-11-06", "2026-10-30"):  # Fridays 18:15
        assert cli("log", "craving", "6", "--at", f"{day} 18:15").code == 0
    for day in ("2026-11-21", "2026-11-14", "2026-11-07"):  # Saturdays 22:40
        assert cli("log", "craving", "5", "--at", f"{day} 22:40").code == 0
    for day in ("2026-11-18", "2026-11-11"):  # Wednesdays 08:05
        assert cli("log", "craving", "4", "--at", f"{day} 08:05").code == 0
    assert cli("plan", "add", "coping", "Call Sam and go for a walk").code == 0
    assert cli("plan", "add", "coping", "Urge surfing").code == 0
    out = tmp_path / "risky.ics"
    result = cli("remind", "--risky", "-o", str(out))
    assert result.code == 0, result.err
    assert "Friday 18:00–21:00 (4 cravings): alarm at 17:30" in result.out
    data = out.read_bytes()
    cal = icalendar.Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert [(e["DTSTART"].dt, e["RRULE"]["BYDAY"]) for e in events] == [
        (datetime(2026, 11, 27, 18, 0), ["FR"]),  # the next Friday after Tue 24 Nov
        (datetime(2026, 11, 28, 22, 0), ["SA"]),
        (datetime(2026, 11, 25, 8, 0), ["WE"]),
    ]  # fmt: skip
    for e in events:
        assert e["RRULE"]["FREQ"] == ["WEEKLY"]
        assert e["DURATION"].dt == timedelta(hours=3)
        (alarm,) = e.walk("VALARM")
        assert alarm["TRIGGER"].dt == timedelta(minutes=-30)
        assert "Your first coping step: Call Sam and go for a walk." in str(alarm["DESCRIPTION"])
    assert "(4 of 9 in the last 30 days)" in str(events[0]["DESCRIPTION"])
    props = components(rfc5545_lines(data))[0]["children"][0]
    assert props["props"]["RRULE"] == "FREQ=WEEKLY;BYDAY=FR"
    assert props["children"][0]["props"]["TRIGGER"] == "-PT30M"
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_risky_needs_enough_cravings(cli, tmp_path):
    assert cli("log", "craving", "6").code == 0
    result = cli("remind", "--risky", "-o", str(tmp_path / "r.ics"))
    assert result.code == 2
    assert result.err == ("relapse: 1 craving in the last 30 days: too few to name risky times "
                          "yet (log cravings for a few weeks, then try again)\n")  # fmt: skip
    assert not (tmp_path / "r.ics").exists()


def test_remind_needs_a_choice(cli):
    result = cli("remind", "-o", "x.ics")
    assert result.code == 2 and "choose --risky, or --homework and/or --meds" in result.err
    both = cli("remind", "--risky", "--meds", "-o", "x.ics")
    assert both.code == 2 and "choose --risky, or --homework and/or --meds" in both.err


def test_scheduled_doses_join_the_homework_reminders(cli, loaded):
    early = FakeClock(datetime(2026, 11, 20, 7, 0), tz=LONDON)
    assert cli("meds", "add", "Naltrexone", "--dose", "50 mg", "--times", "08:00,20:30",
               use_clock=early).code == 0  # fmt: skip
    out = loaded / "all.ics"
    result = cli("remind", "--homework", "--meds", "-o", str(out))
    assert result.code == 0, result.err
    assert "Wrote 7 recurring reminders (2 for medication)" in result.out
    data = out.read_bytes()
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["X-WR-CALNAME"]) == "Reminders"
    doses = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]).startswith("Medication")]
    assert sorted(e["DTSTART"].dt.time().isoformat() for e in doses) == ["08:00:00", "20:30:00"]
    assert all(e["RRULE"] == {"FREQ": ["DAILY"]} and e.walk("VALARM") for e in doses)
    vevents = [c for c in components(rfc5545_lines(data))[0]["children"] if c["name"] == "VEVENT"]
    assert len(vevents) == 7
    only = cli("homework", "remind", "--meds", "--discreet", "-o", "-")
    assert only.code == 0 and "Naltrexone" not in only.out
    assert only.out.count("BEGIN:VEVENT") == 7
    meds_only = cli("remind", "--meds", "-o", "-")
    assert meds_only.out.count("BEGIN:VEVENT") == 2
    assert "X-WR-CALNAME:Medication reminders" in meds_only.out
    cron = cli("homework", "remind", "--cron", "--meds")
    assert cron.code == 2 and "not the crontab line" in cron.err


def test_remind_meds_without_set_times(cli):
    assert cli("meds", "add", "Naltrexone", "--dose", "50 mg").code == 0
    result = cli("remind", "--meds", "-o", "x.ics")
    assert result.code == 2
    assert result.err == ("relapse: no medication in your list has set times (add times: relapse "
                          "meds change NAME --times 08:00)\n")  # fmt: skip


def test_risky_windows_need_cravings_on_different_days_as_the_summary_does(cli, tmp_path):
    """Two cravings logged this morning are one morning, not a pattern: neither the summary
    nor `remind --risky` names that time; the evenings that recur are named by both."""
    for day in ("2026-11-20", "2026-11-13", "2026-11-06"):  # three Friday evenings
        assert cli("log", "craving", "6", "--at", f"{day} 19:15").code == 0
    for day in ("2026-11-16", "2026-11-11"):  # single evenings on other days
        assert cli("log", "craving", "5", "--at", f"{day} 20:10").code == 0
    assert cli("log", "craving", "4", "--at", "2026-11-24 10:05").code == 0  # this morning
    assert cli("log", "craving", "5", "--at", "2026-11-24 10:50").code == 0  # (Tuesday)
    out = tmp_path / "risky.ics"
    result = cli("remind", "--risky", "-o", str(out))
    assert result.code == 0, result.err
    assert "Wrote 1 weekly alarm to" in result.out
    assert "Friday 19:00–22:00 (3 cravings): alarm at 18:30" in result.out
    assert "Tuesday" not in result.out
    week = cli("summary", "--json").json()["when"]["week"]
    assert (week["weekday"], week["start_hour"], week["count"]) == ("Friday", 19, 3)
    # the same journal without the Fridays: nothing recurs, so no alarm and no weekly time
    for entry in cli("history", "--json").json():
        if entry["occurred_at"].startswith(("2026-11-20", "2026-11-13")):
            assert cli("delete", entry["uuid"]).code == 0
    for n in range(2):
        assert cli("log", "craving", "3", "--at", f"2026-11-2{1 + n} 0{7 + 2 * n}:00").code == 0
    refused = cli("remind", "--risky", "-o", str(tmp_path / "r2.ics"))
    assert refused.code == 2
    assert "no time of the week has come back on different days yet" in refused.err
    summary = cli("summary", "--json").json()["when"]
    assert summary["week"] is None and "no time of the week stands out" in summary["sentence"]


def test_evidence_rule_table():
    from relapse_cli.insights.model import window_is_evidence

    assert [window_is_evidence(c, d) for c, d in
            [(1, 1), (2, 1), (2, 2), (5, 1), (5, 3), (2, None), (1, None)]] == [
        False, False, True, False, True, True, False]  # fmt: skip

"""`relapse meds`: the list, ticks and skips, and adherence over hand-worked fortnights."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import records

from relapse_cli.care.model import meds as domain
from relapse_cli.core.clock import FakeClock
from relapse_cli.core.errors import BadInput

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
FIRST, LAST = date(2026, 11, 11), date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 21, 0)  # local, naive (as the domain sees it)


def dt(day: int, hm: str) -> datetime:
    return datetime(2026, 11, day, int(hm[:2]), int(hm[3:]))


def taken(day: int, hm: str) -> dict:
    return {"kind": "taken", "at": dt(day, hm)}


def statuses(result: dict) -> dict[tuple[str, str], str]:
    return {(d["date"][-2:], s["time"]): s["status"] for d in result["days"] for s in d["slots"]}


# ------------------------------------------------------------------ pure adherence


def test_fortnight_with_a_skip_a_late_dose_and_a_miss():
    """08:00 and 20:00 from Wed 11 Nov 07:00: 28 slots. Every dose ticked 5 minutes after
    its time except: 13th 20:00 skipped (felt sick); 15th 08:00 taken at 11:30 (3 h 30 late);
    17th 08:00 not ticked (missed); 24th 20:00 not ticked yet at 21:00 (still due).
    On time 28 - 4 = 24; closed = 24 + 1 late + 1 skipped + 1 missed = 27;
    adherence = (24 + 1) / 27 = 92.6 % -> 93."""
    events = []
    for day in range(11, 25):
        for hm in ("08:00", "20:00"):
            if (day, hm) in ((13, "20:00"), (15, "08:00"), (17, "08:00"), (24, "20:00")):
                continue
            events.append(taken(day, hm[:3] + "05"))
    events.append({"kind": "skipped", "at": dt(13, "20:10"), "reason": "felt sick"})
    events.append(taken(15, "11:30"))
    result = domain.adherence([(dt(11, "07:00"), ["08:00", "20:00"])], events, FIRST, LAST, NOW)
    assert result["counts"] == {"taken": 24, "late": 1, "skipped": 1, "missed": 1, "due": 1,
                                "upcoming": 0, "extra": 0}  # fmt: skip
    assert result["closed"] == 27 and result["taken_total"] == 25
    assert result["percent"] == 93
    s = statuses(result)
    assert s[("13", "20:00")] == "skipped" and s[("15", "08:00")] == "late"
    assert s[("17", "08:00")] == "missed" and s[("24", "20:00")] == "due"
    assert result["skip_reasons"] == [{"date": "2026-11-13", "time": "20:00",
                                       "reason": "felt sick"}]  # fmt: skip
    marks = "".join(domain.day_mark(d) for d in result["days"])
    #            11 12 13 14 15 16 17 18 19 20 21 22 23 24
    assert marks == "✓✓s✓~✓✗✓✓✓✓✓✓·"


def test_exactly_two_hours_is_on_time_a_minute_more_is_late():
    events = [taken(23, "10:00"), taken(24, "10:01")]
    r = domain.adherence([(dt(22, "23:00"), ["08:00"])], events, date(2026, 11, 23), LAST, NOW)
    assert [s["status"] for d in r["days"] for s in d["slots"]] == ["taken", "late"]


def test_schedule_change_mid_period():
    """08:00 only from the 11th; on Wed 18th at 12:00 the prescriber adds 20:00.
    Slots: 11th-17th one a day (7); 18th 08:00 (old schedule) and 20:00 (new) (2);
    19th-24th two a day (12) = 21. Every slot ticked on time but the 24th 20:00 (due at
    21:00). No 20:00 slot before the change: the 17th evening is not a miss."""
    schedules = [(dt(11, "07:00"), ["08:00"]), (dt(18, "12:00"), ["08:00", "20:00"])]
    events = [taken(d, "08:02") for d in range(11, 25)]
    events += [taken(d, "20:02") for d in range(18, 24)]
    r = domain.adherence(schedules, events, FIRST, LAST, NOW)
    c = r["counts"]
    assert (c["taken"], c["late"], c["missed"], c["due"], c["extra"]) == (20, 0, 0, 1, 0)
    assert r["closed"] == 20 and r["percent"] == 100
    s = statuses(r)
    assert ("17", "20:00") not in s and s[("18", "20:00")] == "taken"


def test_schedule_change_at_noon_drops_the_evening_dose_the_same_day():
    """Twice a day, changed to once (08:00) on Fri 20th at 12:00: the 20th's 20:00 slot is
    gone, not missed. Slots: 11th-19th 9 x 2 = 18, 20th-24th 5 x 1 = 5, 23 in all, every
    one ticked: 23 of 23."""
    schedules = [(dt(11, "07:00"), ["08:00", "20:00"]), (dt(20, "12:00"), ["08:00"])]
    events = [taken(d, "08:00") for d in range(11, 25)] + [taken(d, "20:00") for d in range(11, 20)]
    r = domain.adherence(schedules, events, FIRST, LAST, NOW)
    assert r["counts"]["taken"] == 23 and r["closed"] == 23 and r["percent"] == 100
    assert ("20", "20:00") not in statuses(r)


def test_stopped_medication_has_no_slots_after_the_stop():
    schedules = [(dt(11, "07:00"), ["08:00"]), (dt(21, "10:00"), [])]
    events = [taken(d, "08:00") for d in range(11, 21)]
    r = domain.adherence(schedules, events, FIRST, LAST, NOW)
    # 11th-21st: 11 slots (the 21st 08:00 was before the 10:00 stop), 10 ticked, 21st missed
    assert (r["counts"]["taken"], r["counts"]["missed"], r["closed"]) == (10, 1, 11)
    assert r["percent"] == 91  # 10/11 = 90.9


def test_added_part_way_through_a_day_counts_from_then():
    r = domain.adherence([(dt(24, "14:00"), ["08:00", "20:00"])], [], FIRST, LAST, NOW)
    assert statuses(r) == {("24", "20:00"): "due"}
    assert r["percent"] is None


def test_tick_goes_to_the_latest_open_slot_and_extra_ticks_are_counted():
    # forgot the morning: 19:30 is the evening dose (on time), 21:00 the morning one (late)
    events = [taken(23, "19:30"), taken(23, "21:00"), taken(23, "21:30")]
    r = domain.adherence([(dt(22, "07:00"), ["08:00", "20:00"])], events, date(2026, 11, 23),
                         date(2026, 11, 23), NOW)  # fmt: skip
    s = statuses(r)
    assert s[("23", "20:00")] == "taken" and s[("23", "08:00")] == "late"
    assert r["counts"]["extra"] == 1


def test_as_needed_ticks_are_extra_not_adherence():
    r = domain.adherence([(dt(11, "07:00"), [])], [taken(20, "15:00")], FIRST, LAST, NOW)
    assert r["counts"]["extra"] == 1 and r["percent"] is None


def test_open_slot_status_windows():
    slot = dt(24, "20:00")
    assert domain.slot_status(slot, dt(24, "18:59")) == "upcoming"
    assert domain.slot_status(slot, dt(24, "19:00")) == "due"
    assert domain.slot_status(slot, dt(24, "22:00")) == "due"
    assert domain.slot_status(slot, dt(24, "22:01")) == "missed"


def test_parse_times():
    assert domain.parse_times(["20:00,8am", "morning"]) == ["08:00", "20:00"]
    assert domain.parse_times(["bedtime"]) == ["22:00"]
    assert domain.parse_times(None) == [] and domain.parse_times(["as needed"]) == []
    with pytest.raises(BadInput):
        domain.parse_times(["25:00"])


def test_closest_name():
    assert domain.closest("sertalin", ["Sertraline", "Naltrexone"]) == "Sertraline"
    assert domain.closest("xyz", ["Sertraline"]) is None


# ------------------------------------------------------------------- through the CLI


def clock_at(when: str, tz=LONDON) -> FakeClock:
    return FakeClock(datetime.fromisoformat(when), tz=tz)


def test_fortnight_across_a_time_zone_change(cli):
    """08:00 set in London on the 11th; on the 18th the person flies to New York and keeps
    taking it at 08:10 New York time (13:10 UTC). Each tick is on time in the time it was
    lived in: 14 of 14, none late (in UTC the New York ones would be 5 h late)."""
    london = clock_at("2026-11-11 07:00")
    assert cli("meds", "add", "Naltrexone", "--dose", "50 mg", "--times", "08:00",
               use_clock=london).code == 0  # fmt: skip
    for day in range(11, 25):
        tz = LONDON if day < 18 else NEW_YORK
        c = clock_at(f"2026-11-{day} 09:00", tz)
        assert cli("meds", "take", "naltrexone", "--at", "08:10", use_clock=c).code == 0
    data = cli("meds", "--json", use_clock=clock_at("2026-11-24 21:00", NEW_YORK)).json()
    [m] = data["medications"]
    assert m["counts"]["taken"] == 14 and m["counts"]["late"] == 0
    assert m["percent"] == 100 and m["marks"] == "✓" * 14


def test_add_list_take_skip_and_overview(cli, journal):
    early = clock_at("2026-11-20 07:00")
    r = cli("meds", "add", "Buprenorphine", "--dose", "8 mg", "--schedule", "twice a day",
            "--times", "08:00,20:00", "--prescriber", "Dr Lee", "--start", "2026-11-01",
            use_clock=early)  # fmt: skip
    assert r.code == 0 and "never checks doses or interactions" in r.out
    for day in (20, 21, 22, 23):
        for hm in ("08:05", "20:05"):
            assert cli("meds", "take", "buprenorphine", "--at", f"2026-11-{day} {hm}").code == 0
    assert cli("meds", "skip", "Buprenorphine", "--reason", "clinic closed",
               "--at", "2026-11-24 08:30").code == 0  # fmt: skip
    r = cli("meds", "take")  # 21:00: the 20:00 dose is due now
    assert r.code == 0 and r.out.startswith("Ticked as taken: Buprenorphine · Tue 24 Nov 21:00")
    data = cli("meds", "--json").json()
    [m] = data["medications"]
    assert m["counts"]["taken"] == 9 and m["counts"]["skipped"] == 1
    assert m["percent"] == 90  # 9 of 10
    assert m["marks"] == " " * 9 + "✓✓✓✓s"
    assert m["skip_reasons"] == [{"date": "2026-11-24", "time": "08:00",
                                  "reason": "clinic closed"}]  # fmt: skip
    view = cli("meds")
    assert "Buprenorphine 8 mg: 08:00 skipped · 20:00 taken 21:00" in view.out
    assert "clinic closed" in view.out and "gives no advice" in view.out
    listing = cli("meds", "list", "--json").json()
    assert listing["medications"][0]["prescriber"] == "Dr Lee"
    assert listing["medications"][0]["start_date"] == "2026-11-01"


def test_fourteen_day_marks_fit_an_80_column_terminal(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    early = clock_at("2026-11-01 07:00")
    assert cli("meds", "add", "Buprenorphine", "--dose", "8 mg", "--times", "08:00",
               use_clock=early).code == 0  # fmt: skip
    for day in range(11, 24):
        assert cli("meds", "take", "buprenorphine", "--at", f"2026-11-{day} 08:05").code == 0
    view = cli("meds").out.splitlines()
    (row,) = [line for line in view if line.startswith("Buprenorphine ")]
    assert row.rstrip().endswith(" 93 %  " + "✓" * 13 + "✗")  # 24 Nov 08:00: not ticked
    assert max(len(line) for line in view) <= 80


def test_take_with_nothing_due_and_late_tick_message(cli):
    cli("meds", "add", "Sertraline", "--times", "08:00", use_clock=clock_at("2026-11-23 07:00"))
    assert "Nothing is due right now" in cli("meds", "take").out
    r = cli("meds", "take", "Sertraline", "--at", "11:30")
    assert "counts for the 08:00 dose, taken late" in r.out


def test_change_and_remove(cli):
    cli("meds", "add", "Sertraline", "--times", "08:00", use_clock=clock_at("2026-11-20 07:00"))
    assert cli("meds", "change", "sertraline", "--times", "09:00",
               use_clock=clock_at("2026-11-22 07:00")).code == 0  # fmt: skip
    data = cli("meds", "--json").json()
    days = {d["date"]: [s["time"] for s in d["slots"]] for d in data["medications"][0]["days"]}
    assert days["2026-11-21"] == ["08:00"] and days["2026-11-22"] == ["09:00"]
    assert cli("meds", "remove", "Sertraline").code == 0
    assert cli("meds", "list", "--json").json()["medications"] == []
    meds = cli("meds", "--json").json()["medications"]
    assert meds[0]["active"] is False  # history still shown for the fortnight


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["take", "sertalin"], "did you mean 'Sertraline'?"),
        (
            ["skip", "SERTRALNE", "--reason", "x"],
            "did you mean 'Sertraline'? e.g. relapse meds skip 'Sertraline'",
        ),
        (["remove", "Sertralin"], "e.g. relapse meds remove 'Sertraline'"),
        (["take", "aspirin"], "your list: Sertraline"),
        (["add", "Naltrexone", "--start", "2026-02-30"], "not a date: '2026-02-30'"),
        (["add", "Naltrexone", "--times", "25:00"], "not a time of day: '25:00'"),
        (["add", "sertraline"], "already in your list"),
        (["take", "Sertraline", "--at", "tomorrow 9am"], "relapse:"),
        (["change", "Sertraline"], "nothing to change"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_saved(cli, journal, args, message):
    cli("meds", "add", "Sertraline", "--times", "08:00")
    before = records(journal)
    r = cli("meds", *args)
    assert r.code == 2
    assert message in r.err and len(r.err.strip().splitlines()) == 1
    assert records(journal) == before


def test_hostile_names_are_inert(cli):
    r = cli("meds", "add", "[red]X[/red]", "--dose", "[bold]5")
    assert r.code == 0
    view = cli("meds")
    assert "[red]X[/red]" in view.out and "[bold]5" in view.out


def test_purge_all_removes_medications(cli, journal):
    cli("meds", "add", "Sertraline", "--times", "08:00")
    cli("meds", "take", "Sertraline")
    assert cli("purge", "--all", "--yes").code == 0
    con = sqlite3.connect(journal)
    try:
        assert con.execute("SELECT count(*) FROM medications").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM medication_events").fetchone()[0] == 0
    finally:
        con.close()


def test_export_import_carries_medications(cli, tmp_path, journal):
    cli("meds", "add", "Sertraline", "--dose", "50 mg", "--times", "08:00",
        use_clock=clock_at("2026-11-20 07:00"))  # fmt: skip
    cli("meds", "take", "Sertraline", "--at", "2026-11-21 08:05")
    cli("meds", "skip", "Sertraline", "--reason", "sick", "--at", "2026-11-22 08:05")
    out = tmp_path / "all.json"
    assert cli("export", "-o", str(out)).code == 0
    other = tmp_path / "other.db"
    r = cli("--journal", str(other), "import", str(out))
    assert r.code == 0, r.err
    a = cli("meds", "--json").json()
    b = cli("--journal", str(other), "meds", "--json").json()
    assert a == b and a["medications"][0]["counts"]["skipped"] == 1


def test_calendar_reminders_for_scheduled_doses(cli, tmp_path):
    from icalendar import Calendar

    cli("meds", "add", "Buprenorphine", "--dose", "8 mg", "--times", "08:00,20:00")
    cli("meds", "add", "Ibuprofen")  # as needed: no reminder
    out = tmp_path / "meds.ics"
    r = cli("meds", "remind", "-o", str(out))
    assert r.code == 0 and "Wrote 2 daily reminders" in r.out
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    cal = Calendar.from_ical(out.read_bytes())
    events = cal.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Medication: Buprenorphine (8 mg)"] * 2
    assert [e.decoded("dtstart").strftime("%H:%M") for e in events] == ["08:00", "20:00"]
    assert all(e["rrule"]["FREQ"] == ["DAILY"] for e in events)
    quiet = cli("meds", "remind", "-o", "-", "--discreet").out
    assert "Buprenorphine" not in quiet and "relapse" not in quiet.lower()
    assert cli("meds", "remind", "-o", str(out)).code == 2  # never replaced silently


def test_calendar_reminders_need_set_times(cli):
    cli("meds", "add", "Ibuprofen")
    r = cli("meds", "remind", "-o", "-")
    assert r.code == 2 and "no medication in your list has set times" in r.err


@pytest.mark.parametrize(
    ("start", "name", "counted"),
    [
        ("2026-11-23", "Sertraline", "taken"),  # started today: the 08:10 dose counts
        ("2026-11-23", None, "taken"),  # no NAME: what was due at 08:10, not at 09:00
        (None, "Sertraline", None),  # no start date: counts from the moment it was added
        ("2026-11-01", "Sertraline", "taken"),  # long before: from the add day, not missed
    ],
)
def test_doses_count_from_the_start_date(cli, start, name, counted):
    added = clock_at("2026-11-23 09:00")
    args = ["meds", "add", "Sertraline", "--times", "08:00"] + (["--start", start] if start else [])
    assert cli(*args, use_clock=added).code == 0
    took = cli("meds", "take", *([name] if name else []), "--at", "2026-11-23 08:10",
               use_clock=added)  # fmt: skip
    assert took.code == 0
    data = cli("meds", "--json", use_clock=clock_at("2026-11-24 07:00")).json()
    (med,) = data["medications"]
    slots = {d["date"]: d["slots"] for d in med["days"]}
    assert not any(slots.get(d) for d in ("2026-11-21", "2026-11-22"))  # nothing before adding
    if counted:
        assert "an extra tick" not in took.out and "Nothing is due" not in took.out
        assert slots["2026-11-23"] == [{"time": "08:00", "status": "taken", "taken_at": "08:10"}]
        assert med["counts"]["extra"] == 0 and med["percent"] == 100
    else:
        assert "kept as an extra tick" in took.out
        assert slots["2026-11-23"] == [] and med["counts"]["extra"] == 1


def test_counting_from_table():
    nine = datetime(2026, 11, 23, 9, 0)
    assert domain.counting_from(nine, None) == nine
    assert domain.counting_from(nine, "2026-11-23") == datetime(2026, 11, 23, 0, 0)
    assert domain.counting_from(nine, "2026-10-01") == datetime(2026, 11, 23, 0, 0)
    assert domain.counting_from(nine, "2026-11-30") == datetime(2026, 11, 30, 0, 0)

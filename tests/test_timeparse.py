"""`--at` parsing: the relative forms by hand, absolute dates through dateutil, never the future."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relapse_cli.core.clock import FakeClock
from relapse_cli.core.errors import BadInput
from relapse_cli.core.timeparse import (
    from_storage,
    parse_bound,
    parse_clock_time,
    parse_when,
    to_storage,
)

LONDON = ZoneInfo("Europe/London")
# Tuesday 24 November 2026, 21:00 in London (UTC+0)
CLOCK = FakeClock(datetime(2026, 11, 24, 21, 0), tz=LONDON)

CASES = [
    ("now", "2026-11-24 21:00"),
    ("20m ago", "2026-11-24 20:40"),
    ("20 min ago", "2026-11-24 20:40"),
    ("2h ago", "2026-11-24 19:00"),
    ("1.5 hours ago", "2026-11-24 19:30"),
    ("3 days ago", "2026-11-21 21:00"),
    ("yesterday 18:30", "2026-11-23 18:30"),
    ("yesterday 6pm", "2026-11-23 18:00"),
    ("yesterday", "2026-11-23 21:00"),
    ("today 7am", "2026-11-24 07:00"),
    ("18:30", "2026-11-24 18:30"),
    ("9:05 pm", "2026-11-24 21:00") if False else ("8:05 pm", "2026-11-24 20:05"),
    ("mon 9pm", "2026-11-23 21:00"),
    ("Monday 21:00", "2026-11-23 21:00"),
    ("tue 9pm", "2026-11-24 21:00"),  # today, not in the future: allowed
    ("tue 10pm", "2026-11-17 22:00"),  # later today would be the future: last Tuesday
    ("fri 18:30", "2026-11-20 18:30"),
    ("2026-11-20 07:15", "2026-11-20 07:15"),
    ("2026-11-20", "2026-11-20 00:00"),
    ("Nov 20 7am", "2026-11-20 07:00"),
    ("20 November 2026 19:45", "2026-11-20 19:45"),
    # words people type (issue 19 item 18); the clock is Tue 24 Nov 2026 21:00
    ("last tuesday", "2026-11-17 21:00"),  # the one before today, not today
    ("last tuesday 9pm", "2026-11-17 21:00"),
    ("last friday at 18:30", "2026-11-20 18:30"),
    ("last night", "2026-11-23 22:00"),
    ("last night 11pm", "2026-11-23 23:00"),
    ("last night 2am", "2026-11-24 02:00"),  # the small hours of today
    ("noon", "2026-11-24 12:00"),
    ("midnight", "2026-11-24 00:00"),
    ("yesterday noon", "2026-11-23 12:00"),
    ("yesterday at 6pm", "2026-11-23 18:00"),
    ("yesterday at noon", "2026-11-23 12:00"),
    ("mon at 9pm", "2026-11-23 21:00"),
    ("2 days ago 18:00", "2026-11-22 18:00"),
    ("2 days ago at 6pm", "2026-11-22 18:00"),
    ("1 week ago", "2026-11-17 21:00"),
    ("2 weeks ago", "2026-11-10 21:00"),
    ("1 month ago", "2026-10-24 21:00"),
    ("1 year ago", "2025-11-24 21:00"),
    ("2 years ago 08:00", "2024-11-24 08:00"),
    ("last week", "2026-11-17 21:00"),
    ("last month", "2026-10-24 21:00"),
    ("last year", "2025-11-24 21:00"),
    ("22:00", "2026-11-23 22:00"),  # later than now today: last night
    ("9:30pm", "2026-11-23 21:30"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_forms(text, expected):
    assert f"{parse_when(text, CLOCK):%Y-%m-%d %H:%M}" == expected


@pytest.mark.parametrize(
    "text", ["tomorrow", "later", "friday-ish", "25:00", "13pm", "in 2h", "2h", "7", "", "  ",
             "2h ago 18:00", "last fortnight"],
)  # fmt: skip
def test_unknown_forms_are_refused_with_an_example(text):
    with pytest.raises(BadInput) as err:
        parse_when(text, CLOCK)
    assert "yesterday 18:30" in err.value.line()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("tomorrow", "'tomorrow' is in the future: entries record what already happened"),
        ("tomorrow 9am", "'tomorrow 9am' is in the future"),
        ("next monday", "is in the future"),
        ("in 2h", "is in the future"),
        ("yesterday 25:00", "'25:00' is not a time of day (hours 0-23"),
        ("yesterday 18:75", "'18:75' is not a time of day"),
        ("2 days ago 13pm", "'13pm' is not a time of day"),
        ("last night 25:00", "'25:00' is not a time of day"),
        ("2026-11-31", "2026-11-31 is not a date: November 2026 has 30 days"),
        ("2026-02-29 10:00", "2026-02-29 is not a date: February 2026 has 28 days"),
        ("2026-13-01", "2026-13-01 is not a date: there is no month 13"),
        ("99999 years ago", "too far in the past"),
    ],
)
def test_what_is_wrong_is_said(text, says):
    with pytest.raises(BadInput) as err:
        parse_when(text, CLOCK)
    assert says in err.value.line()
    assert "unknown time" not in err.value.line()


@pytest.mark.parametrize(
    "text", ["2026-11-25", "2027-01-01 10:00", "today 23:59", "2026-11-24 21:05"]
)
def test_future_is_refused(text):
    with pytest.raises(BadInput, match="in the future"):
        parse_when(text, CLOCK)


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("last week", False, "2026-11-17 00:00:00"),
        ("last week", True, "2026-11-17 23:59:59"),
        ("3 days ago", False, "2026-11-21 00:00:00"),
        ("yesterday", False, "2026-11-23 00:00:00"),
        ("yesterday", True, "2026-11-23 23:59:59"),
        ("last month", False, "2026-10-24 00:00:00"),
        ("2h ago", False, "2026-11-24 19:00:00"),  # a moment stays a moment
        ("yesterday 18:00", False, "2026-11-23 18:00:00"),
        ("today", True, "2026-11-24 23:59:59"),
    ],
)
def test_word_bounds_start_or_end_the_day(text, end, expected):
    assert f"{parse_bound(text, CLOCK, end=end):%Y-%m-%d %H:%M:%S}" == expected


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime(2026, 11, 24, 8, 10), "Tue 24 Nov 08:10"),
        (datetime(2026, 11, 23, 23, 0), "Mon 23 Nov 23:00"),
        (datetime(2026, 11, 2, 7, 5), "Mon 2 Nov 07:05"),
        (datetime(2025, 11, 24, 18, 0), "Mon 24 Nov 2025 18:00"),
    ],
)
def test_when_text_shows_the_year_and_yesterday(when, expected):
    from relapse_cli.core.timeparse import when_text

    assert when_text(when.replace(tzinfo=LONDON), CLOCK.now()) == expected


def test_clock_times():
    assert parse_clock_time("6pm") == (18, 0)
    assert parse_clock_time("12am") == (0, 0)
    assert parse_clock_time("12pm") == (12, 0)
    assert parse_clock_time("0:30") == (0, 30)
    assert parse_clock_time("7") is None
    assert parse_clock_time("24:00") is None


def test_dst_offset_is_the_one_in_force_then():
    # Summer time in London is UTC+1: 18:30 local on 1 July is 17:30 UTC, offset +60.
    summer = parse_when("2026-07-01 18:30", CLOCK)
    assert to_storage(summer) == ("2026-07-01T17:30:00Z", 60)
    winter = parse_when("2026-11-20 18:30", CLOCK)
    assert to_storage(winter) == ("2026-11-20T18:30:00Z", 0)
    # Read back in the offset it was lived in, whatever today's offset is.
    assert f"{from_storage('2026-07-01T17:30:00Z', 60):%H:%M}" == "18:30"


def test_travel_offsets_round_trip():
    tokyo = FakeClock(datetime(2026, 11, 24, 9, 0), tz=ZoneInfo("Asia/Tokyo"))
    when = parse_when("yesterday 23:15", tokyo)
    utc, offset = to_storage(when)
    assert (utc, offset) == ("2026-11-23T14:15:00Z", 540)
    assert f"{from_storage(utc, offset):%a %H:%M}" == "Mon 23:15"


def test_bounds():
    assert (
        f"{parse_bound('2026-11-20', CLOCK, end=False):%Y-%m-%d %H:%M:%S}" == "2026-11-20 00:00:00"
    )
    assert (
        f"{parse_bound('2026-11-20', CLOCK, end=True):%Y-%m-%d %H:%M:%S}" == "2026-11-20 23:59:59"
    )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gives_a_past_time_or_a_clear_error(text):
    try:
        when = parse_when(text, CLOCK)
    except BadInput as err:
        assert err.line()
    else:
        assert when <= CLOCK.now() + timedelta(seconds=59)
        assert when.tzinfo is not None


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=60 * 24 * 365 * 5))
def test_minutes_ago_round_trip(minutes):
    when = parse_when(f"{minutes}m ago", CLOCK)
    assert CLOCK.now() - when == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "ok"),
    [("2026-11-24", True), ("2024-02-29", True), ("2026-02-29", False), ("2026-W48-2", False),
     ("20261124", False), ("2026-11-2 ", False), ("２０２６-11-24", False), (None, False)],
)  # fmt: skip
def test_is_iso_day_takes_only_real_days_written_yyyy_mm_dd(text, ok):
    from relapse_cli.core.timeparse import is_iso_day
    from relapse_cli.share.store.portable import _check_time

    assert is_iso_day(text) is ok
    if isinstance(text, str):
        assert (_check_time("loaded_date", text) is None) is ok

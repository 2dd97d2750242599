"""`--at` parsing: the relative forms by hand, absolute dates through dateutil, never the future."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relapse_cli.clock import FakeClock
from relapse_cli.domain.timeparse import (
    from_storage,
    parse_bound,
    parse_clock_time,
    parse_when,
    to_storage,
)
from relapse_cli.errors import BadInput

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
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_forms(text, expected):
    assert f"{parse_when(text, CLOCK):%Y-%m-%d %H:%M}" == expected


@pytest.mark.parametrize(
    "text", ["tomorrow", "later", "friday-ish", "25:00", "13pm", "in 2h", "2h", "7", "", "  "]
)
def test_unknown_forms_are_refused_with_an_example(text):
    with pytest.raises(BadInput) as err:
        parse_when(text, CLOCK)
    assert "yesterday 18:30" in err.value.line()


@pytest.mark.parametrize("text", ["22:00", "2026-11-25", "2027-01-01 10:00", "today 23:59"])
def test_future_is_refused(text):
    with pytest.raises(BadInput, match="in the future"):
        parse_when(text, CLOCK)


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
    from relapse_cli.domain.timeparse import is_iso_day
    from relapse_cli.journal.portable import _check_time

    assert is_iso_day(text) is ok
    if isinstance(text, str):
        assert (_check_time("loaded_date", text) is None) is ok

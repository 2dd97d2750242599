"""Streaks, worked out by hand."""

from __future__ import annotations

from datetime import date

from relapse_cli.insights.streaks import streaks

D = date.fromisoformat


def test_no_uses_counts_from_the_start_day_inclusive():
    s = streaks([], D("2026-11-01"), D("2026-11-24"))
    assert s == {"current": 24, "longest": 24, "sober_days": 24, "use_days": 0, "days_counted": 24}


def test_uses_split_streaks():
    # start 1 Nov; uses on 5 Nov and 20 Nov; today 24 Nov.
    # sober runs: 1-4 Nov (4), 6-19 Nov (14), 21-24 Nov (4)
    s = streaks(
        [D("2026-11-20"), D("2026-11-05"), D("2026-11-05")], D("2026-11-01"), D("2026-11-24")
    )
    assert s == {"current": 4, "longest": 14, "sober_days": 22, "use_days": 2, "days_counted": 24}


def test_use_today_means_zero_days_since():
    s = streaks([D("2026-11-24")], D("2026-11-20"), D("2026-11-24"))
    assert s["current"] == 0 and s["longest"] == 4 and s["sober_days"] == 4


def test_uses_before_the_start_are_not_counted():
    s = streaks([D("2026-10-01")], D("2026-11-01"), D("2026-11-03"))
    assert s["use_days"] == 0 and s["current"] == 3


def test_nothing_to_count():
    assert streaks([], None, D("2026-11-24"))["current"] is None

"""The dashboard's pure figures, worked out by hand, and SQL properties checked by Hypothesis."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relapse_cli.core.errors import BadInput
from relapse_cli.insights import model as insights
from relapse_cli.insights import store as stats
from relapse_cli.insights.streaks import streaks
from relapse_cli.insights.view import buckets, sparkline

D = date.fromisoformat
TUESDAY = D("2026-11-24")


# --------------------------------------------------------------------------- periods


def test_default_period_is_the_last_30_days_with_the_30_before():
    p = insights.choose_period(TUESDAY)
    assert (p.first, p.last, p.days, p.label) == (D("2026-10-26"), TUESDAY, 30, "the last 30 days")
    before = p.previous()
    assert (before.first, before.last, before.days) == (D("2026-09-26"), D("2026-10-25"), 30)
    assert before.label == "the 30 days before"


def test_week_and_month_are_calendar_ones_cut_at_today():
    week = insights.choose_period(TUESDAY, week=True)
    assert (week.first, week.last, week.days) == (D("2026-11-23"), TUESDAY, 2)
    assert week.previous().first == D("2026-11-21")  # the same number of days just before
    old_week = insights.choose_period(TUESDAY, week=True, until=D("2026-11-04"))
    assert (old_week.first, old_week.last) == (D("2026-11-02"), D("2026-11-08"))
    month = insights.choose_period(TUESDAY, month=True)
    assert (month.first, month.last, month.label) == (
        D("2026-11-01"),
        TUESDAY,
        "November 2026 so far",
    )
    feb = insights.choose_period(TUESDAY, month=True, until=D("2026-02-10"))
    assert (feb.first, feb.last, feb.days) == (D("2026-02-01"), D("2026-02-28"), 28)


def test_all_and_ranges():
    p = insights.choose_period(TUESDAY, everything=True, first_entry=D("2025-01-03"))
    assert (p.first, p.kind, p.previous()) == (D("2025-01-03"), "all", None)
    assert insights.choose_period(TUESDAY, everything=True).first == TUESDAY  # empty journal
    r = insights.choose_period(TUESDAY, since=D("2026-11-01"), until=D("2026-11-10"))
    assert (r.days, r.label) == (10, "1 Nov 2026 to 10 Nov 2026")
    assert insights.choose_period(TUESDAY, until=D("2027-01-01")).last == TUESDAY


@pytest.mark.parametrize("kwargs", [
    {"week": True, "month": True}, {"everything": True, "since": TUESDAY},
    {"month": True, "since": TUESDAY}, {"since": D("2026-11-25"), "until": D("2026-11-24")},
])  # fmt: skip
def test_conflicting_period_options(kwargs):
    with pytest.raises(BadInput):
        insights.choose_period(TUESDAY, **kwargs)


# --------------------------------------------------------------------------- streaks


def test_a_start_after_the_day_counted_counts_nothing():
    # Found while building the dashboard: a summary of a time before the recovery start
    # used to give negative days.
    assert streaks([], D("2026-11-01"), D("2026-10-20"))["current"] is None


def test_recovery_counts_the_period_from_the_start_only():
    period = insights.Period(D("2026-11-01"), D("2026-11-30"), "November", "month")
    r = insights.recovery([D("2026-11-12")], D("2026-11-10"), True, D("2026-11-20"), period, [])
    # Counted: 10..20 Nov (11 days), one of them a use day; as of the 20th.
    assert (r["period_days_counted"], r["period_sober_days"], r["percent_days_abstinent"]) == (
        11, 10, 90.9)  # fmt: skip
    assert (r["current_streak"], r["longest_streak"], r["days_since_last_use"]) == (8, 8, 8)


# --------------------------------------------------------------------------- comparisons


@pytest.mark.parametrize("now, before, text", [
    (2, 0, "2 cravings now and 0 in the 30 days before: too few to compare"),
    (1, 4, "1 craving now and 4 in the 30 days before: too few to compare"),
    (0, 0, "no cravings logged now or in the 30 days before"),
    (6, 0, "none in the 30 days before"),
    (9, 11, "down 18 % from the 30 days before (11)"),
    (5, 5, "the same number as the 30 days before"),
])  # fmt: skip
def test_compare_is_honest_about_small_numbers(now, before, text):
    assert insights.compare(now, before, "the 30 days before")["text"] == text


def test_intensity_is_compared_only_with_three_on_each_side():
    day = {"cravings": 3, "intensity_sum": 21, "intensity_n": 3, "peak_intensity": 8,
           "resisted": 3, "craving_used": 0, "uses": 0, "mood": None, "anxiety": None}  # fmt: skip
    c = insights.cravings([day], {"cravings": 4, "mean_intensity": 5.5}, "the 1 day before")
    assert c["mean_intensity"] == 7.0
    assert c["previous"]["intensity_text"] == "stronger on average than the 1 day before (5.5)"
    c = insights.cravings([day], {"cravings": 2, "mean_intensity": 5.5}, "the 1 day before")
    assert c["previous"]["intensity_text"] is None


# --------------------------------------------------------------------------- when


def _grid(cells: dict[tuple[int, int], int]) -> list[list[int]]:
    grid = [[0] * 24 for _ in range(7)]
    for (d, h), n in cells.items():
        grid[d][h] = n
    return grid


def test_window_runs_past_midnight_into_the_next_day():
    # Saturday 23:00 (2), Sunday 00:00 (2), Sunday 01:00 (1); a stray Monday 09:00.
    w = insights.riskiest_window(_grid({(5, 23): 2, (6, 0): 2, (6, 1): 1, (0, 9): 1}), 30)
    assert w["week"] == {"weekday": "Saturday", "start_hour": 23, "end_hour": 2, "count": 5,
                         "tied": False}  # fmt: skip
    assert w["sentence"].startswith("Cravings came most often on Saturdays 23:00–02:00 (5 of 6)")


def test_window_ties_are_said_and_short_periods_say_one_day():
    w = insights.riskiest_window(_grid({(0, 8): 3, (3, 20): 3}), 7)
    assert w["week"]["weekday"] == "Monday" and w["week"]["tied"]
    assert w["sentence"].startswith("Cravings came most often on Monday 08:00–11:00 (3 of 6), "
                                    "one of several equally busy times.")  # fmt: skip


def test_spread_out_cravings_name_no_weekly_window():
    w = insights.riskiest_window(_grid({(d, 3 * d): 1 for d in range(6)}), 30)
    assert w["week"] is None  # named nowhere: no time passes the evidence rule
    assert w["sentence"].startswith(
        "Your 6 cravings were spread out; no time of the week stands out"
    )


def test_too_few_to_name_a_window():
    w = insights.riskiest_window(_grid({(4, 18): 4}), 30)
    assert w["week"] is None and "too few" in w["sentence"]


# --------------------------------------------------------------------------- what works


def test_coping_ranked_only_from_three_uses():
    rows = [
        {"name": "call Sam", "times": 4, "resisted": 4, "used": 0, "drop_n": 3, "mean_drop": 3.0},
        {"name": "walk", "times": 5, "resisted": 4, "used": 1, "drop_n": 4, "mean_drop": 4.25},
        {"name": "TV", "times": 2, "resisted": 2, "used": 0, "drop_n": 2, "mean_drop": 5.0},
        {"name": "game", "times": 3, "resisted": 1, "used": 0, "drop_n": 0, "mean_drop": None},
    ]
    w = insights.coping(rows)
    assert [i["name"] for i in w["by_success"]] == ["call Sam", "walk", "game"]
    assert [i["resisted_share"] for i in w["by_success"]] == [1.0, 0.8, 0.333]
    assert [i["name"] for i in w["by_drop"]] == ["walk", "call Sam"]  # game has no ratings
    assert [i["name"] for i in w["not_enough_data"]] == ["TV"]


# --------------------------------------------------------------------------- mood


def _day(mood, cravings, intensity_sum):
    return {"day": "x", "cravings": cravings, "intensity_sum": intensity_sum,
            "intensity_n": cravings, "peak_intensity": None, "resisted": 0, "craving_used": 0,
            "uses": 0, "mood": mood, "anxiety": None}  # fmt: skip


def test_mood_relation_by_hand_and_never_causal():
    days = [
        _day(2, 2, 16),
        _day(3, 1, 7),
        _day(4, 1, 9),  # low: 4 cravings, 32 -> 8.0
        _day(6, 1, 4),
        _day(8, 0, 0),
        _day(7, 1, 6),
        _day(None, 5, 25),
    ]  # other: 2, 10 -> 5.0
    m = insights.mood(days, None, None)
    rel = m["relation"]
    assert rel["low_mood_days"] == {"days": 3, "cravings": 4, "cravings_per_day": 1.3,
                                    "mean_intensity": 8.0}  # fmt: skip
    assert rel["other_days"] == {"days": 3, "cravings": 2, "cravings_per_day": 0.7,
                                 "mean_intensity": 5.0}  # fmt: skip
    assert rel["sentence"] == ("On low-mood days (mood 4 or lower, 3 days) you logged 1.3 "
                               "cravings a day, mean intensity 8.0; on other days (3) 0.7 a "
                               "day, mean intensity 5.0.")  # fmt: skip
    assert "does not show one causes the other" in rel["note"]
    assert m["mean_mood"] == 5.0


def test_tlfb_heavy_days_and_amount_per_use_day():
    rows = [
        {"day": "2026-11-01", "substance": "alcohol", "amount": 6.0, "uses": 2, "unit": "drinks"},
        {"day": "2026-11-02", "substance": "alcohol", "amount": 4.0, "uses": 1, "unit": "drinks"},
        {
            "day": "2026-11-03",
            "substance": "alcohol",
            "amount": None,
            "uses": 0,
            "craving_used": 1,
            "unit": None,
        },
        {"day": "2026-11-03", "substance": "cannabis", "amount": 1.0, "uses": 1, "unit": "g"},
    ]
    alcohol, cannabis = insights.tlfb(rows)
    assert alcohol == {"substance": "alcohol", "unit": "drinks", "use_days": 3, "lapses": 4,
                       "days_with_amount": 2, "amount_per_use_day": 5.0,
                       "heavy_days_4_plus": 2, "heavy_days_5_plus": 1}  # fmt: skip
    assert "heavy_days_4_plus" not in cannabis and cannabis["amount_per_use_day"] == 1.0


# --------------------------------------------------------------------------- drawing


def test_sparkline_shapes_not_colours():
    assert sparkline([0, 1, 2, 4]) == "▁▃▅█"
    assert sparkline([None, 5, 10], top=10) == "·▅█"
    assert sparkline([0, 0]) == "▁▁"
    assert buckets([1, 2, 3, None, 5], 2, mean=False) == [3, 3, 5]
    assert buckets([2, None, None, None], 2, mean=True) == [2, None]


@pytest.mark.parametrize(
    ("values", "top", "gap", "drawn"),
    [([0, 15, 30], 30, " ", "▁▅█"),  # withdrawal: a fixed 0..MAX_TOTAL scale, gaps blank
     ([4, None, 2, None], 30, " ", "▂ ▁ "),
     ([40], 30, " ", "█"),  # above the scale: a full bar, never an IndexError
     ([None, None], None, "·", "··"),  # no data at all
     ([3, 3], 0, "·", "▁▁")],  # a zero scale: the lowest bar
)  # fmt: skip
def test_one_sparkline_for_every_view(values, top, gap, drawn):
    """The one sparkline (render.summary) serves the summary, check-ins, breathing and the
    withdrawal course (which used to have its own)."""
    assert sparkline(values, top=top, gap=gap) == drawn


# --------------------------------------------------------------------------- properties


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """An empty, migrated journal to copy for each example (migrating each time is slow)."""
    from relapse_cli.storage.db import open_journal

    path = str(tmp_path_factory.mktemp("tpl") / "journal.db")
    open_journal(path).close()
    return path


def _fresh(template: str) -> sqlite3.Connection:
    src = sqlite3.connect(template)
    con = sqlite3.connect(":memory:", isolation_level=None)
    src.backup(con)
    src.close()
    con.row_factory = sqlite3.Row
    return con


FIRST, LAST = D("2026-10-26"), D("2026-11-24")
OFFSETS = [-600, -300, -240, 0, 60, 330, 540, 840]
moments = st.tuples(
    st.integers(-3, 33),  # days from FIRST (some fall outside the period)
    st.integers(0, 1439),  # local minute of the day
    st.sampled_from(OFFSETS),
    st.integers(0, 10),
)


def _craving(day: int, minute: int, offset: int, intensity: int) -> dict:
    tz = timezone(timedelta(minutes=offset))
    local = datetime.combine(FIRST + timedelta(days=day), datetime.min.time(), tz)
    return {"kind": "craving", "when": local + timedelta(minutes=minute),
            "intensity": intensity, "triggers": [], "coping": []}  # fmt: skip


def _counts(con: sqlite3.Connection) -> dict[str, int]:
    return {r["day"]: r["cravings"] for r in stats.per_day(con, FIRST, LAST)}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(moments, max_size=25), moments)
def test_adding_a_craving_never_lowers_its_day(template, existing, extra):
    from relapse_cli.log.store.bulk import insert_many

    con = _fresh(template)
    insert_many(con, [_craving(*m) for m in existing])
    before = _counts(con)
    insert_many(con, [_craving(*extra)])
    after = _counts(con)
    day = (FIRST + timedelta(days=extra[0])).isoformat()
    for d, n in before.items():
        assert after[d] >= n
    if FIRST.isoformat() <= day <= LAST.isoformat():
        assert after[day] == before.get(day, 0) + 1  # its own local day, whatever the offset
    else:
        assert after == before
    con.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(moments, max_size=40))
def test_heatmap_cells_sum_to_the_craving_count(template, items):
    from relapse_cli.log.store.bulk import insert_many

    con = _fresh(template)
    insert_many(con, [_craving(*m) for m in items])
    grid = stats.heatmap(con, FIRST, LAST)
    inside = [m for m in items if 0 <= m[0] <= (LAST - FIRST).days]
    assert sum(map(sum, grid)) == len(inside) == sum(_counts(con).values())
    for day, minute, _offset, _i in inside:  # each craving in its own local weekday and hour
        assert grid[(FIRST + timedelta(days=day)).weekday()][minute // 60] >= 1
    con.close()

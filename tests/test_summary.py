"""The insights dashboard: small hand-made journals whose figures are worked out by hand.

"Today" is the conftest clock: Tuesday 24 Nov 2026, 21:00 in London (GMT, offset 0). The
default period is therefore 26 Oct - 24 Nov 2026 (30 days) and the one before it
26 Sep - 25 Oct 2026. London left summer time (BST, +60) at 02:00 on Sunday 25 Oct 2026.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import LONDON, records

from relapse_cli.insights import store as stats
from relapse_cli.log.store.bulk import insert_many
from relapse_cli.storage.db import open_journal

NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def at(text: str, tz=LONDON) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def add(journal: str, *items: dict) -> None:
    con = open_journal(journal)
    try:
        insert_many(con, [{"triggers": [], "coping": [], **i} for i in items])
    finally:
        con.close()


def craving(when: datetime, intensity: int, **extra) -> dict:
    return {"kind": "craving", "when": when, "intensity": intensity, **extra}


def summary(cli, *args: str) -> dict:
    result = cli("summary", "--json", *args)
    assert result.code == 0, result.err
    return result.json()


# --------------------------------------------------------------------------- a whole month


@pytest.fixture
def month(journal):
    add(
        journal,
        # The period before (26 Sep - 25 Oct): two cravings.
        craving(at("2026-10-10 20:00"), 9, outcome="resisted"),
        craving(at("2026-10-10 21:00"), 7, outcome="resisted"),
        # This period.
        {"kind": "mood", "when": at("2026-11-02 09:00"), "mood": 7, "anxiety": 2},
        craving(at("2026-11-02 20:00"), 5, outcome="ongoing", coping=["watched TV"]),
        {"kind": "mood", "when": at("2026-11-20 09:00"), "mood": 3, "anxiety": 7},
        craving(
            at("2026-11-20 18:30"),
            8,
            outcome="resisted",
            intensity_after=3,
            triggers=["stress", "tired"],
            coping=["went for a walk"],
        ),  # fmt: skip
        craving(
            at("2026-11-20 19:15"),
            6,
            outcome="resisted",
            intensity_after=4,
            triggers=["stress"],
            coping=["went for a walk"],
        ),  # fmt: skip
        craving(
            at("2026-11-21 12:00"),
            4,
            outcome="used",
            substance="alcohol",
            triggers=["boredom"],
            coping=["went for a walk", "watched TV"],
        ),  # fmt: skip
        {
            "kind": "use",
            "when": at("2026-11-21 13:00"),
            "substance": "alcohol",
            "amount": 5.0,
            "unit": "drinks",
            "triggers": ["boredom"],
        },  # fmt: skip
    )
    return journal


def test_recovery_figures_by_hand(cli, month):
    data = summary(cli)
    assert data["period"] == {"first_day": "2026-10-26", "last_day": "2026-11-24", "days": 30,
                              "label": "the last 30 days", "kind": "days"}  # fmt: skip
    r = data["recovery"]
    # No recovery start set: counting starts at the first entry, 10 Oct. One lapse day, 21 Nov
    # (a craving that ended in use and a use). 10 Oct..20 Nov = 42 days, 22..24 Nov = 3 days.
    assert r["recovery_start"] == "2026-10-10" and not r["recovery_start_is_set"]
    assert r["last_use_day"] == "2026-11-21"
    assert r["days_since_last_use"] == 3 and r["current_streak"] == 3
    assert r["longest_streak"] == 42
    assert (r["days_counted_total"], r["sober_days_total"], r["use_days_total"]) == (46, 45, 1)
    # The period: 30 days, one of them a use day.
    assert (r["period_days_counted"], r["period_sober_days"], r["period_use_days"]) == (30, 29, 1)
    assert r["percent_days_abstinent"] == 96.7
    assert r["uses_logged"] == 1
    assert r["substances"] == [{"substance": "alcohol", "unit": "drinks", "use_days": 1, "lapses": 1,
                                "days_with_amount": 1, "amount_per_use_day": 5.0,
                                "heavy_days_4_plus": 1, "heavy_days_5_plus": 1}]  # fmt: skip
    # The headline figures the HTML report and `review` read stay at the top level.
    assert data["days_since_last_use"] == 3 and data["longest_streak"] == 42
    assert data["sober_days"] == 45 and data["days_counted"] == 46


def test_craving_figures_by_hand(cli, month):
    c = summary(cli)["cravings"]
    assert c["count"] == 4
    per_day = c["per_day"]
    assert len(per_day) == 30 and sum(per_day) == 4
    # 26 Oct is index 0: 2 Nov is 7, 20 Nov is 25, 21 Nov is 26.
    assert (per_day[7], per_day[25], per_day[26]) == (1, 2, 1)
    assert c["mean_intensity"] == 5.8  # (5 + 8 + 6 + 4) / 4 = 5.75
    assert c["peak_intensity"] == 8
    assert (c["resisted"], c["ended_in_use"], c["other_outcome"]) == (2, 1, 1)
    assert c["resisted_share"] == 0.5
    # 4 now against 2 before: 6 in all is enough to compare; (4 - 2) / 2 = +100 %.
    assert c["previous"]["change_percent"] == 100
    assert c["previous"]["text"] == "up 100 % from the 30 days before (2)"
    assert c["previous"]["intensity_text"] is None  # 2 before: too few to compare intensity


def test_triggers_halt_and_what_works_by_hand(cli, month):
    data = summary(cli)
    ranked = data["triggers"]["ranked"]
    assert [(t["name"], t["count"]) for t in ranked] == [("boredom", 2), ("stress", 2),
                                                         ("tired", 1)]  # fmt: skip
    boredom, stress, tired = ranked
    assert boredom["cravings"] == 1 and boredom["mean_intensity"] == 4.0
    assert boredom["ended_in_use"] == 2 and boredom["ended_in_use_share"] == 1.0
    assert stress["mean_intensity"] == 7.0 and stress["ended_in_use"] == 0
    assert data["triggers"]["halt"] == [{"name": "tired", "cravings": 1, "share_of_cravings": 0.25}]
    works = data["what_works"]
    (walk,) = works["by_success"]  # used 3 times; TV only twice
    assert (walk["name"], walk["times"], walk["resisted"], walk["ended_in_use"]) == (
        "went for a walk", 3, 2, 1)  # fmt: skip
    assert walk["resisted_share"] == 0.667
    assert (walk["drop_n"], walk["mean_drop"]) == (2, 3.5)  # (8-3 + 6-4) / 2
    assert works["by_drop"] == []  # only 2 intensities after: not enough to rank
    assert [(i["name"], i["times"]) for i in works["not_enough_data"]] == [("watched TV", 2)]


def test_mood_and_when_by_hand(cli, month):
    data = summary(cli)
    m = data["mood"]
    assert (m["days_with_mood"], m["mean_mood"], m["mean_anxiety"]) == (2, 5.0, 4.5)
    assert m["mood_per_day"][7] == 7 and m["mood_per_day"][25] == 3
    assert m["mean_mood_before"] is None
    assert "too few to compare" in m["relation"]["sentence"]
    w = data["when"]
    assert w["total"] == 4 and w["week"] is None
    assert w["sentence"] == "4 cravings in this period: too few to name a riskiest time yet."
    grid = w["heatmap"]
    assert (grid[4][18], grid[4][19], grid[5][12], grid[0][20]) == (1, 1, 1, 1)  # Fri, Sat, Mon


def test_dashboard_screen_says_it_in_words(cli, month):
    result = cli("summary")
    assert result.code == 0, result.err
    out = result.out
    assert "\x1b[" not in out  # NO_COLOR, not a terminal: plain text
    for words in ("Days since last use", "3 (last use 21 Nov 2026)", "Longest streak",
                  "42 days without use", "29 of 30 days in this period",
                  "up 100 % from the 30 days before (2)", "2 of 4 resisted (50 %)",
                  "went for a walk", "2 of 3 times resisted (67 %)", "Not enough data yet",
                  "watched TV (2)", "of 4 cravings: tired 1", "too few to name a riskiest time",
                  "heavy days: 1 with 4+ drinks"):  # fmt: skip
        assert words in out, words
    assert "addict" not in out.lower() and "clean" not in out.lower()


# --------------------------------------------------------------------------- time and places


def test_streaks_use_the_local_day_across_the_dst_change(cli, journal):
    assert cli("config", "recovery_start", "2026-10-20").code == 0
    # 00:30 BST on Sunday 25 Oct is 23:30 UTC on Saturday 24 Oct: the person lived it on the
    # 25th. 20..24 Oct is a 5-day streak; 26 Oct..24 Nov is 30 days.
    add(journal, {"kind": "use", "when": at("2026-10-25 00:30"), "substance": "alcohol"},
        craving(at("2026-10-26 00:30"), 6))  # fmt: skip
    con = open_journal(journal)
    assert stats.use_days(con) == [date(2026, 10, 25)]
    con.close()
    r = summary(cli)["recovery"]
    assert r["last_use_day"] == "2026-10-25"
    assert (r["days_since_last_use"], r["longest_streak"]) == (30, 30)
    assert (r["days_counted_total"], r["sober_days_total"]) == (36, 35)


def test_travel_keeps_the_hour_the_person_lived(cli, journal):
    add(
        journal,
        # Friday 13 Nov 22:30 in New York (-05:00) is Saturday 03:30 UTC.
        craving(at("2026-11-13 22:30", NEW_YORK), 7),
        # Monday 16 Nov 07:00 in Tokyo (+09:00) is Sunday 22:00 UTC.
        craving(at("2026-11-16 07:00", TOKYO), 5),
        # Period edges: 26 Oct 00:30 in Tokyo is 25 Oct 15:30 UTC (inside: the 26th there);
        # 25 Oct 23:30 in New York (-04:00) is 26 Oct 03:30 UTC (outside: the 25th there).
        craving(at("2026-10-26 00:30", TOKYO), 3),
        craving(at("2026-10-25 23:30", NEW_YORK), 9),
    )
    data = summary(cli)
    grid = data["when"]["heatmap"]
    assert grid[4][22] == 1 and grid[0][7] == 1 and grid[0][0] == 1
    assert sum(map(sum, grid)) == 3 == data["cravings"]["count"]
    per_day = data["cravings"]["per_day"]
    assert per_day[0] == 1 and per_day[18] == 1 and per_day[21] == 1  # 26 Oct, 13 Nov, 16 Nov
    assert data["cravings"]["previous"]["before"] == 1  # the New York one, on 25 Oct


def test_riskiest_window_sentence(cli, journal):
    fridays = [at(f"2026-11-{d} {h}:10") for d in ("06", "13", "20") for h in (17, 18)]
    add(journal, *[craving(w, 6) for w in fridays], craving(at("2026-11-03 09:00"), 4),
        craving(at("2026-11-04 18:00"), 4))  # fmt: skip
    when = summary(cli)["when"]
    # Six cravings on Fridays at 17:xx and 18:xx: 16-19 and 17-20 hold the same six; the
    # window starts where the cravings do. Across all days 17-20 adds Wednesday's 18:00.
    assert when["week"] == {"weekday": "Friday", "start_hour": 17, "end_hour": 20, "count": 6,
                            "tied": False}  # fmt: skip
    assert when["day"]["count"] == 7 and when["day"]["start_hour"] == 17
    assert when["sentence"] == (
        "Cravings came most often on Fridays 17:00–20:00 (6 of 8). "
        "Across all days, 17:00–20:00 was the busiest time (7 of 8)."
    )
    out = cli("summary").out
    assert "Fridays 17:00–20:00" in out


# --------------------------------------------------------------------------- edge periods


def test_empty_journal(cli):
    data = summary(cli)
    assert data["journal_is_empty"] and data["cravings"]["count"] == 0
    assert data["recovery"]["current_streak"] is None
    result = cli("summary")
    assert result.code == 0 and "Nothing logged yet" in result.out


def test_empty_period_still_shows_recovery(cli, journal):
    add(journal, {"kind": "use", "when": at("2026-06-01 21:00"), "substance": "alcohol"})
    data = summary(cli)
    assert data["cravings"]["count"] == 0 and data["when"]["total"] == 0
    assert data["cravings"]["previous"]["text"] == (
        "no cravings logged now or in the 30 days before"
    )
    # 1 Jun .. 24 Nov: the use day, then 2 Jun..24 Nov = 176 days without use.
    assert data["recovery"]["days_since_last_use"] == 176
    assert data["recovery"]["period_sober_days"] == 30
    out = cli("summary").out
    assert "none logged in this period" in out and "176 (last use 1 Jun 2026)" in out


def test_a_single_entry(cli, journal):
    add(journal, craving(at("2026-11-24 20:00"), 7, outcome="resisted"))
    data = summary(cli)
    assert data["cravings"]["count"] == 1 and data["cravings"]["mean_intensity"] == 7
    assert data["cravings"]["previous"]["text"] == (
        "1 craving now and 0 in the 30 days before: too few to compare"
    )
    # The first entry is today: a streak of one day, counted from today.
    assert data["recovery"]["current_streak"] == 1 and data["recovery"]["period_days_counted"] == 1
    assert "too few to compare" in cli("summary").out


def test_a_period_with_only_lapses(cli, journal):
    add(journal,
        {"kind": "use", "when": at("2026-11-22 20:00"), "substance": "alcohol", "amount": 3.0,
         "unit": "drinks"},
        {"kind": "use", "when": at("2026-11-22 23:00"), "substance": "alcohol", "amount": 2.0,
         "unit": "drinks"},
        {"kind": "use", "when": at("2026-11-23 21:00"), "substance": "alcohol", "amount": 2.0,
         "unit": "drinks"})  # fmt: skip
    data = summary(cli, "--week")  # Monday 23 - Tuesday 24 Nov
    assert data["period"]["first_day"] == "2026-11-23" and data["period"]["days"] == 2
    r = data["recovery"]
    # Counting starts at the first entry (22 Nov, a Sunday: before this week).
    assert (r["period_days_counted"], r["period_use_days"], r["period_sober_days"]) == (2, 1, 1)
    assert r["percent_days_abstinent"] == 50.0
    assert (r["longest_streak"], r["days_since_last_use"]) == (1, 1)
    data = summary(cli, "--since", "2026-11-22")
    (alcohol,) = data["recovery"]["substances"]
    # 22 Nov: 5 drinks, 23 Nov: 2 drinks -> 3.5 per use day; one day with 4+ and 5+.
    assert alcohol["amount_per_use_day"] == 3.5 and alcohol["heavy_days_5_plus"] == 1
    out = cli("summary", "--since", "2026-11-22").out
    assert "Sober days" in out and "none logged in this period" in out


# --------------------------------------------------------------------------- the options


def test_periods(cli, month):
    assert summary(cli, "--month")["period"]["first_day"] == "2026-11-01"
    oct_ = summary(cli, "--month", "--until", "2026-10-15")["period"]
    assert (oct_["first_day"], oct_["last_day"], oct_["label"]) == (
        "2026-10-01",
        "2026-10-31",
        "October 2026",
    )
    assert summary(cli, "--all")["period"]["first_day"] == "2026-10-10"
    assert summary(cli, "--all")["previous_period"] is None
    assert summary(cli, "--all")["cravings"]["count"] == 6
    custom = summary(cli, "--since", "2026-11-20", "--until", "2026-11-21")
    assert (
        custom["cravings"]["count"] == 3 and custom["previous_period"]["first_day"] == "2026-11-18"
    )
    # Figures as they stood at the end of an earlier period: no lapse yet then.
    old = summary(cli, "--until", "2026-11-01")
    assert (
        old["recovery"]["days_since_last_use"] is None and old["recovery"]["current_streak"] == 23
    )


@pytest.mark.parametrize("args", [
    ("--week", "--month"), ("--all", "--since", "2026-11-01"), ("--week", "--since", "mon"),
    ("--since", "2026-11-20", "--until", "2026-11-10"), ("--since", "someday"),
])  # fmt: skip
def test_bad_period_options(cli, month, args):
    before = records(month)
    result = cli("summary", *args)
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert records(month) == before


def test_trends_by_week_and_month(cli, month):
    result = cli("trends", "--json")
    assert result.code == 0, result.err
    data = result.json()
    # Starts at the first entry (Saturday 10 Oct), in calendar weeks from Monday.
    assert data["rows"][0]["label"] == "5 Oct 2026" and data["rows"][0]["days"] == 2
    week = next(r for r in data["rows"] if r["first_day"] == "2026-11-16")
    assert (week["cravings"], week["use_days"], week["days"]) == (3, 1, 7)
    assert week["percent_days_abstinent"] == 85.7  # 6 of 7
    assert week["mean_intensity"] == 6.0  # (8 + 6 + 4) / 3
    months = cli("trends", "--by", "month", "--json").json()["rows"]
    assert [(r["label"], r["cravings"]) for r in months] == [("Oct 2026", 2), ("Nov 2026", 4)]
    assert months[1]["mean_mood"] == 5.0
    text = cli("trends", "--by", "month").out
    assert "Nov 2026" in text and "\x1b[" not in text
    bad = cli("trends", "--by", "year")
    assert bad.code == 2 and "week or month" in bad.err


def test_summary_json_and_screen_agree(cli, month):
    data = summary(cli)
    out = cli("summary").out
    assert f"{data['cravings']['count']}, " in out
    assert data["cravings"]["previous"]["text"] in out
    assert re.search(rf"Longest streak\s+{data['recovery']['longest_streak']} days", out)


def test_demo_still_shows_the_dashboard(cli, tmp_path):
    result = cli("demo", "--out", str(tmp_path / "demo.db"))
    assert result.code == 0, result.err
    assert "Summary: the last 30 days" in result.out and "What works for you" in result.out


def test_lapse_days_come_from_the_small_index(journal):
    """Without ANALYZE statistics (a real journal) SQLite would walk every craving."""
    con = open_journal(journal)
    plans = []
    for sql in (f"SELECT DISTINCT {stats.LOCAL_DAY} FROM entries e INDEXED BY entries_lapses "
                f"WHERE e.deleted_at IS NULL AND {stats.LAPSE}",):  # fmt: skip
        plans.append(" ".join(str(r[3]) for r in con.execute(f"EXPLAIN QUERY PLAN {sql}")))
    stats.use_days(con)  # INDEXED BY would raise if the index could not serve the query
    stats.use_amounts(con, date(2026, 10, 1), date(2026, 11, 24))
    con.close()
    assert all("entries_lapses" in p for p in plans)


def test_other_record_kinds_add_sections_only_with_data(cli, month, monkeypatch):
    from relapse_cli.insights import summary as summary_cli

    def thought_records(con, first, last, now):
        return {"key": "thought_records", "title": "Thought records",
                "lines": [("Completed", "3 [bold]records[/]"), ("Mood", "down 20 points")]}  # fmt: skip

    monkeypatch.setattr(
        summary_cli, "MORE_SECTIONS", [thought_records, lambda con, first, last, now: None]
    )
    data = summary(cli)
    assert list(data["more"]) == ["thought_records"]
    out = cli("summary").out
    assert "Thought records" in out and "3 [bold]records[/]" in out  # shown, not interpreted


def test_records_other_than_log_entries_show_without_any_craving(cli):
    """Someone who only checks in and tracks medication still sees those sections."""
    assert (
        cli("checkin", "--mood", "5", "--medication", "yes", "--at", "2026-11-23 09:00").code == 0
    )
    result = cli("summary")
    assert result.code == 0, result.err
    assert "No cravings or moods yet" in result.out
    assert "Nothing logged yet" not in result.out
    assert "Check-ins" in result.out or "check-in" in result.out.lower()


# Every record kind besides log entries, made through the real commands.
OTHER_KINDS = [
    ("checkin", "--mood", "5", "--support", "meeting"),
    ("checkin", "phq9", "--answers", "1,1,0,0,1,0,0,0,0"),
    ("think", "--situation", "payday", "--mood", "restless=80", "--thought", "one won't hurt",
     "--hot", "1", "--trap", "permission", "--for", "hard week", "--against", "never one",
     "--balanced", "one never stays one", "--belief", "70", "--mood-after", "restless=40"),
    ("log", "withdrawal", "--anxiety", "2", "--tremor", "1"),
    ("appointments", "add", "therapy", "yesterday 14:00", "--with", "Alex"),
]  # fmt: skip
OTHER_TITLES = {"checkins": "Check-ins", "thought_records": "Thought records",
                "care": "Between appointments"}  # fmt: skip


def test_other_kinds_show_only_with_data_in_the_period_and_json_matches(cli):
    from relapse_cli.core.clock import FakeClock

    long_ago = FakeClock(at("2026-08-03 19:00"), tz=LONDON)
    for args in OTHER_KINDS:
        assert cli(*args, use_clock=long_ago).code == 0, args
    data = summary(cli)  # the last 30 days: nothing of theirs but the latest PHQ-9 score,
    # which stands until the next one (with a reminder that it is old): issue 7's rule
    assert list(data["more"]) == ["checkins"] and data["no_entries"]
    assert data["more"]["checkins"]["days_checked_in"] == 0
    assert data["more"]["checkins"]["latest"]["phq9"]["days_ago"] == 113
    out = cli("summary").out
    assert "Thought records" not in out and "Between appointments" not in out
    for args in OTHER_KINDS:  # now the same again inside the period
        assert cli(*args).code == 0, args
    data = summary(cli)
    assert set(data["more"]) == set(OTHER_TITLES)
    assert data["no_entries"] and not data["journal_is_empty"]  # sections, but no log entries
    out = cli("summary").out
    assert "No cravings or moods yet" in out
    for key, title in OTHER_TITLES.items():
        assert data["more"][key]["title"] == title and title in out
        for label, text in data["more"][key]["lines"]:  # --json carries what is printed
            flat = " ".join(out.replace("│", " ").split())
            assert " ".join(f"{label} {text}".split()) in flat, (label, text)
    assert data["more"]["thought_records"]["records"] == 1
    assert data["more"]["checkins"]["days_checked_in"] == 1


def test_trends_fit_80_columns_with_whole_headers(cli, month, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    for by in ("week", "month"):
        out = cli("trends", "--by", by).out
        assert "…" not in out, out
        assert max(len(line) for line in out.splitlines()) <= 80
        for word in ("Cravings", "A day", "Intensity", "Resisted", "Sober", "Mood", "Anxiety"):
            assert word in out, (by, word)


def test_halt_answers_of_check_ins_in_the_triggers_section(cli):
    """Hand-worked: Sun 22 hungry+tired, Mon 23 none of the four, Tue 24 no HALT answer;
    a check-in 40 days before is outside the 30 days."""
    steps = [("2026-11-22 09:00", ["--halt", "ht"]), ("2026-11-23 09:00", ["--halt", "none"]),
             ("2026-11-24 09:00", ["--mood", "5"]), ("2026-10-15 09:00", ["--halt", "hal"])]  # fmt: skip
    for when, args in steps:
        assert cli("checkin", *args, "--at", when).code == 0, (when, args)
    assert cli("log", "craving", "5", "-t", "stress").code == 0
    halt = summary(cli)["halt_checkins"]
    assert halt["days_answered"] == 2
    assert {w["name"]: (w["days"], w["share_of_days"]) for w in halt["words"]} == {
        "hungry": (1, 0.5), "angry": (0, 0.0), "lonely": (0, 0.0), "tired": (1, 0.5)}  # fmt: skip
    out = cli("summary").out
    assert "HALT in check-ins   hungry on 1 day, tired on 1 day (of 2 days answered)" in out
    assert summary(cli, "--since", "2026-10-15", "--until", "2026-10-15")["halt_checkins"][
        "words"][2] == {"name": "lonely", "days": 1, "share_of_days": 1.0}  # fmt: skip
    assert summary(cli, "--since", "2026-11-24")["halt_checkins"] is None  # no HALT answer


def test_craving_row_shows_days_before_the_first_entry_as_no_data(cli, journal):
    for day in ("2026-11-20", "2026-11-22", "2026-11-24"):
        add(journal, craving(at(f"{day} 10:00"), 5))
    data = summary(cli)
    assert data["first_entry_day"] == "2026-11-20" and data["period"]["first_day"] == "2026-10-26"
    (row,) = [line for line in cli("summary").out.splitlines() if "Per day" in line]
    bars = row.split("Per day", 1)[1].split()[0]
    assert bars.startswith("·" * 25) and "·" not in bars[25:] and len(bars) == 30
    assert "· before your first entry" in row


def test_trends_of_an_empty_journal_say_there_is_nothing_yet(cli):
    result = cli("trends")
    assert result.code == 0 and result.out.startswith("Nothing logged yet")
    assert "0" not in result.out.replace("relapse log craving 5", "")
    assert cli("trends", "--json").json()["rows"] == []
    assert cli("trends", "--by", "month").out.startswith("Nothing logged yet")

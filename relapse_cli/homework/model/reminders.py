"""Reminders as plain event descriptions (share/formats/ics.py writes them as iCalendar).

Times are *floating* local times (no time zone): "20:00" stays 20:00 wherever the person is
and across DST changes, which is what a personal reminder means (and how the journal keeps
"Friday 6 pm" Friday 6 pm).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta

from relapse_cli.homework.model import homework as hw
from relapse_cli.insights.model import (
    MIN_FOR_WINDOW,
    WEEKDAYS,
    WINDOW_HOURS,
    window_days,
    window_is_evidence,
)

RISKY_LEAD_MIN = 30  # the alarm rings this long before a risky window starts
TOP_WINDOWS = 3


def _uid(readable: str, discreet: bool) -> str:
    """Stable, so importing again updates rather than duplicates; opaque when discreet."""
    if not discreet:
        return readable
    return hashlib.sha256(readable.encode("utf-8")).hexdigest()[:32] + "@local"


def top_windows(
    grid: list[list[int]],
    n: int = TOP_WINDOWS,
    width: int = WINDOW_HOURS,
    dates: list[list[frozenset[int]]] | None = None,
) -> list[dict]:
    """The ``n`` busiest ``width``-hour windows of the week that do not overlap.

    The same ring of 168 hours and the same evidence rule as insights.riskiest_window (so
    the first window is the one the dashboard names): windows start on an hour with
    cravings, ties go to the earliest. Below MIN_FOR_WINDOW cravings in all none is named,
    nor a window that fails ``insights.window_is_evidence`` (``dates``: as there).
    """
    flat = [grid[h // 24][h % 24] for h in range(168)]
    if sum(flat) < MIN_FOR_WINDOW:
        return []
    taken: set[int] = set()
    out = []
    for _ in range(n):
        best, start = 0, None
        for h in range(168):
            hours = {(h + k) % 168 for k in range(width)}
            if not flat[h] or hours & taken:
                continue
            total = sum(flat[x] for x in hours)
            if total > best and window_is_evidence(total, window_days(dates, h, width)):
                best, start = total, h
        if start is None:
            break
        taken |= {(start + k) % 168 for k in range(width)}
        out.append(
            {"weekday": start // 24, "start_hour": start % 24, "hours": width, "count": best}
        )
    return out


def next_on(today: date, weekday: int, hour: int, minute: int = 0) -> datetime:
    """The first such weekday and time from today on (today counts)."""
    day = today + timedelta(days=(weekday - today.weekday()) % 7)
    return datetime.combine(day, time(hour, minute))


def risky_events(
    windows: list[dict],
    today: date,
    total: int,
    period_words: str,
    coping: str | None,
    *,
    discreet: bool,
) -> list[dict]:
    events = []
    for w in windows:
        start = next_on(today, w["weekday"], w["start_hour"])
        end_hour = (w["start_hour"] + w["hours"]) % 24
        span = f"{WEEKDAYS[w['weekday']]} {w['start_hour']:02d}:00–{end_hour:02d}:00"
        if discreet:
            summary, text = "Reminder", "A reminder you set for yourself."
        else:
            summary = f"Heads-up: {span} is often a harder time"
            text = (
                f"In {RISKY_LEAD_MIN} minutes: a time when cravings have often come "
                f"({w['count']} of {total} in {period_words})."
            )
            if coping:
                text += f" Your first coping step: {coping}."
            text += " In a hard moment: relapse sos."
        events.append(
            {
                "uid": _uid(f"risky-{w['weekday']}-{w['start_hour']:02d}@relapse-cli", discreet),
                "summary": summary,
                "description": text,
                "start": start,
                "duration": timedelta(hours=w["hours"]),
                "rrule": {"FREQ": "WEEKLY", "BYDAY": [hw.WEEKDAY_CODES[w["weekday"]]]},
                "alarm_before": timedelta(minutes=RISKY_LEAD_MIN),
                "alarm_text": text,
            }
        )
    return events


def homework_events(
    items: list[tuple[str, hw.Assignment, date]], today: date, *, discreet: bool
) -> list[dict]:
    """One recurring event (with an alarm at its start) per recurring task still running.

    items: (assignment uuid, assignment, day it was loaded)."""
    events = []
    for uuid, a, loaded in items:
        if today > a.due:
            continue
        first = max(hw.counting_start(a, loaded), today)
        until = datetime.combine(a.due, time(23, 59, 59))
        for task in a.tasks:
            if not task.recurring:
                continue
            hour, minute = hw.remind_at(task)
            if task.kind == "screener":
                rrule: dict = {"FREQ": "WEEKLY", "INTERVAL": int(task.spec["every_weeks"])}
                start_day = first
            else:
                unit, _n = hw.frequency(task)
                if unit == "day":
                    rrule, start_day = {"FREQ": "DAILY"}, first
                else:
                    days = hw.remind_days(task, hw.counting_start(a, loaded))
                    rrule = {"FREQ": "WEEKLY", "BYDAY": [hw.WEEKDAY_CODES[d] for d in days]}
                    start_day = min(first + timedelta(days=(d - first.weekday()) % 7) for d in days)
            rrule["UNTIL"] = until
            if start_day > a.due:
                continue
            what = hw.describe(task)
            how = hw.how_to(task)
            text = "A reminder you set for yourself." if discreet else f"{what}. {how}".strip()
            events.append(
                {
                    "uid": _uid(f"{uuid}-{task.id}@relapse-cli", discreet),
                    "summary": "Reminder" if discreet else f"Homework: {what}",
                    "description": text,
                    "start": datetime.combine(start_day, time(hour, minute)),
                    "duration": timedelta(minutes=15),
                    "rrule": rrule,
                    "alarm_before": timedelta(0),
                    "alarm_text": text,
                }
            )
    return events

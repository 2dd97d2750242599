"""Days since last use, streaks and sober days, from the local dates of uses.

A "use day" is a local calendar day with a logged use (or a craving that ended in use). A
streak counts whole days without use, today included; the first streak starts on the
recovery start date (or the journal's first day). Streaks are shown as time built, never as
something lost (CLINICAL.md §4).
"""

from __future__ import annotations

from datetime import date


def streaks(use_days: list[date], start: date | None, today: date) -> dict[str, int | None]:
    """Current streak, longest streak, sober days and use days since ``start``.

    ``start`` is the first day counted (recovery start, else the first entry); uses before it
    are ignored. With no start and no uses, or a start after ``today`` (a summary of a time
    before the recovery start), every figure is None (nothing to count yet).
    """
    days = sorted({d for d in use_days if d <= today and (start is None or d >= start)})
    if start is None:
        if not days:
            return _nothing()
        start = days[0]
    if start > today:
        return _nothing()
    gaps: list[int] = []
    previous = None
    for d in days:
        gaps.append((d - start).days if previous is None else (d - previous).days - 1)
        previous = d
    current = (today - previous).days if previous is not None else (today - start).days + 1
    counted = (today - start).days + 1
    return {
        "current": current,
        "longest": max([current, *gaps]),
        "sober_days": counted - len(days),
        "use_days": len(days),
        "days_counted": counted,
    }


def _nothing() -> dict[str, int | None]:
    return {
        "current": None,
        "longest": None,
        "sober_days": None,
        "use_days": 0,
        "days_counted": None,
    }

"""Charts in words: one sentence that says what a sparkline, a bar chart or a heatmap shows.

A chart drawn as glyphs or SVG shapes says nothing to a screen reader, and colour or height
alone says nothing to someone who cannot see it. These pure functions turn the same numbers
into one sentence each ("cravings per day over 30 days: mostly 0 to 2, highest 4 on Fri 27
Nov"), used as the SVG charts' text alternative in the HTML report and in place of the glyphs
in the terminal's screen-reader mode (issue 20). Plain data in, a plain string out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _num(value: float) -> str:
    return f"{int(value)}" if float(value).is_integer() else f"{value:.1f}"


def _day(text: str) -> str:
    """The project's one date form: weekday, day without a leading zero, month."""
    try:
        return f"{date.fromisoformat(text[:10]):%a %-d %b}"
    except ValueError:
        return text


def _nearest_rank(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile: a value that occurs, never an interpolation."""
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def series(
    name: str,
    days: Sequence[str],
    values: Sequence[float | None],
    *,
    scale: str = "",
    per: str = "day",
) -> str:
    """One sentence for a day-by-day series (``None`` is a day with no entry).

    "Mostly A to B" is the range that holds the middle 80 % of the days with a value (10th to
    90th nearest-rank percentile), so one unusual day does not hide the usual ones; the
    highest value and the latest day it came are said as well, and so is the mean. ``per``
    names one point when a point is not a day ("check-in", "result": ``days`` then holds
    each point's date).
    """
    n = len(values)
    known = [(d, v) for d, v in zip(days, values, strict=False) if v is not None]
    span = f"{name} over {n} {per}{'s' if n != 1 else ''}"
    if not known:
        return f"{span}: no entries."
    ordered = sorted(v for _d, v in known)
    low, high = _nearest_rank(ordered, 0.1), _nearest_rank(ordered, 0.9)
    top = ordered[-1]
    top_day = [d for d, v in known if v == top][-1]
    mean = sum(ordered) / len(ordered)
    usual = f"mostly {_num(low)}" + (f" to {_num(high)}" if high != low else "")
    text = (
        f"{span}{scale}: {usual}, highest {_num(top)} on {_day(top_day)}, "
        f"mean {_num(round(mean, 1))}"
    )
    missing = n - len(known)
    if missing:
        text += f"; {missing} {per}{'s' if missing != 1 else ''} with no entry"
    return text + "."


def progress(done: int, total: int) -> str:
    """A progress bar in words: "3 of 7 done (43 %)" (the bar's share, as a number)."""
    if total <= 0:
        return f"{done} done"
    return f"{done} of {total} done ({round(100 * min(done, total) / total)} %)"


def heatmap(grid: list[list[int]], *, what: str = "cravings") -> str:
    """One sentence for a weekday (rows, Monday first) by hour (24 columns) grid of counts."""
    total = sum(sum(row) for row in grid)
    if not total:
        return f"No {what} by weekday and hour."
    cells = sorted(
        ((n, d, h) for d, row in enumerate(grid) for h, n in enumerate(row) if n),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    busiest = ", ".join(f"{WEEKDAY_NAMES[d]} {h:02d}:00 ({n})" for n, d, h in cells[:3])
    by_day = [sum(row) for row in grid]
    by_hour = [sum(row[h] for row in grid) for h in range(24)]
    day = max(range(7), key=lambda d: (by_day[d], -d))
    hour = max(range(24), key=lambda h: (by_hour[h], -h))
    noun = what[:-1] if total == 1 and what.endswith("s") else what  # "1 craving"
    return (
        f"{total} {noun} by weekday and hour; busiest hours: {busiest}; the most on "
        f"{WEEKDAY_NAMES[day]}s ({by_day[day]}) and at {hour:02d}:00 to "
        f"{(hour + 1) % 24:02d}:00 across all days ({by_hour[hour]})."
    )

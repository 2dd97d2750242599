"""Drawing breathing sessions: the live guide frame, plain lines, the urge wave, history tables.

Plain data in (steps, levels, numbers, session dicts), renderables or strings out.
"""

from __future__ import annotations

import math

from rich.console import Group, JustifyMethod
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from relapse_cli.core.timeparse import from_storage
from relapse_cli.insights.view import sparkline  # 0 is the lowest bar: a rating of 0 still shows

BAR_WIDTH = 32


def clock_text(seconds: float) -> str:
    """'3:05' (minutes:seconds), rounded up so a countdown never shows 0:00 while running."""
    whole = max(math.ceil(seconds - 1e-6), 0)
    return f"{whole // 60}:{whole % 60:02d}"


def length_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    return f"{whole // 60} min {whole % 60} s" if whole % 60 else f"{whole // 60} min"


def bar(level: float, width: int = BAR_WIDTH) -> str:
    filled = round(min(max(level, 0.0), 1.0) * width)
    return "█" * filled + "░" * (width - filled)


def frame(
    title: str,
    phase: str,
    level: float,
    phase_left: float,
    session_left: float | None,
    *,
    lines: tuple[str, ...] = (),
    where: str = "",
) -> Panel:
    """One frame of the live guide (all text here is ours, not the person's)."""
    parts: list[Text] = [Text(phase, style="bold")]
    parts.extend(Text(line) for line in lines)
    parts.append(Text(bar(level), style="cyan"))
    status = f"{max(math.ceil(phase_left - 1e-6), 0)} s left"
    if session_left is not None:
        status += f" · {clock_text(session_left)} left in the session"
    if where:
        status += f" · {where}"
    parts.append(Text(status, style="dim"))
    parts.append(Text("Ctrl-C stops (the session is still saved)", style="dim"))
    return Panel(Group(*parts), title=title, title_align="left", expand=True, width=60)


def plain_line(phase: str, seconds: float, where: str = "") -> str:
    """One line per phase, for screen readers and dumb terminals."""
    line = f"{phase} ({seconds:g} s)" if seconds == int(seconds) else f"{phase} ({seconds:.1f} s)"
    return f"{line}, {where}" if where else line


def wave(ratings: list[list[float]], *, before: int | None = None) -> list[str]:
    """The urge ratings as a small chart: a sparkline, then one bar per rating.

    ``ratings``: [seconds from the start, urge 0-10], labelled m:ss; ``before`` (the rating
    before the exercise) is drawn first when there is one.
    """
    points: list[tuple[str, int]] = []
    if before is not None:
        points.append(("before", before))
    for at, urge in ratings:
        points.append((clock_text(at), int(urge)))
    if not points:
        return []
    values = [v for _, v in points]
    lines = [
        f"Your urge wave: {sparkline(values, top=10)}  ({values[0]} → {values[-1]}, highest "
        f"{max(values)})"
    ]
    from relapse_cli.render.access import screen_reader

    if screen_reader():  # each rating in words, no bars (issue 20)
        return [
            f"Your urge wave: {values[0]} → {values[-1]}, highest {max(values)}.",
            *(f"  {label}: urge {value}" for label, value in points),
        ]
    width = max(len(label) for label, _ in points)
    for label, value in points:
        lines.append(f"  {label:>{width}}  {'█' * value}{'·' * (10 - value)} {value}")
    return lines


def exercise_table(items: list[dict]) -> Table:
    """items: key, title, summary, length."""
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("exercise", no_wrap=True)
    table.add_column("what it is", overflow="fold")
    table.add_column("length", no_wrap=True)
    for i in items:
        table.add_row(i["key"], f"{i['title']}: {i['summary']}", i["length"])
    return table


def _when(s: dict, fmt: str = "%a %-d %b %Y %H:%M") -> str:
    return f"{from_storage(s['started_at'], s['utc_offset_min']):{fmt}}"


def _pair(a: object, b: object) -> str:
    if a is None and b is None:
        return ""
    return f"{'-' if a is None else a} → {'-' if b is None else b}"


STATUS = {
    "finished": "finished",
    "stopped": "stopped early",
    "settled": "urge settled",
    "done": "you finished it",
    "time_limit": "time limit",
}


def history_table(sessions: list[dict], titles: dict[str, str]) -> object:
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold")
    # Fits 80 columns: names and endings wrap onto a second line rather than end in "…".
    columns: tuple[tuple[str, JustifyMethod, bool], ...] = (
        ("when", "left", False), ("exercise", "left", True), ("length", "right", False),
        ("cycles", "right", False), ("urge", "left", False), ("mood", "left", False),
        ("how it ended", "left", True))  # fmt: skip
    for name, just, wrap in columns:
        table.add_column(name, justify=just, no_wrap=not wrap)
    for s in sessions:
        length = length_text(s["actual_s"])
        if s.get("planned_s"):
            length += f" of {length_text(s['planned_s'])}"
        table.add_row(
            _when(s, "%d %b %Y %H:%M"),
            titles.get(s["exercise"], s["exercise"]),
            length,
            str(s["cycles"]),
            _pair(s["urge_before"], s["urge_after"]),
            _pair(s["mood_before"], s["mood_after"]),
            STATUS.get(
                s.get("end_reason") or "", "finished" if s["completed"] else "stopped early"
            ),
        )
    from relapse_cli.render.console import Fitted

    return Fitted(table, drop=("mood", "cycles", "how it ended", "length"))


def drop_text(row: dict) -> str:
    """'3 sessions (2 rated); urge 6.5 → 3.5 (down 3.0)': the count says which the mean covers."""
    times = f"{row['times']} session{'s' * (row['times'] != 1)}"
    if not row["rated"]:
        return f"{times}; no before/after urge ratings yet"
    rated = "" if row["rated"] == row["times"] else f" ({row['rated']} rated)"
    return (
        f"{times}{rated}; urge {row['urge_before']:.1f} → {row['urge_after']:.1f} "
        f"({_signed_drop(row['drop_mean'])})"
    )


def drop_table(rows: list[dict], titles: dict[str, str]) -> object:
    table = Table(
        box=None,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        title="Mean urge drop by exercise",
        title_justify="left",
    )
    table.add_column("exercise")
    table.add_column("sessions", justify="right")
    table.add_column("finished", justify="right")
    table.add_column("urge before → after", no_wrap=True)
    table.add_column("mean drop", justify="right", no_wrap=True)
    for r in rows:
        effect = "" if not r["rated"] else f"{r['urge_before']:.1f} → {r['urge_after']:.1f}"
        drop = "" if not r["rated"] else _signed_drop(r["drop_mean"])
        table.add_row(
            titles.get(r["exercise"], r["exercise"]),
            str(r["times"]),
            str(r["completed"]),
            effect,
            drop,
        )
    from relapse_cli.render.console import Fitted

    return Fitted(table, drop=("finished", "sessions", "urge before → after"))


def _signed_drop(drop: float) -> str:
    """'down 3.5', 'up 1.0' or 'no change' (a mean of before minus after)."""
    if abs(drop) < 0.05:
        return "no change"
    return f"{'down' if drop > 0 else 'up'} {abs(drop):.1f}"

"""Small inline SVG charts for the HTML report: plain numbers in, SVG text out.

No script, no external reference, nothing interactive: the charts print as they show. Words
(titles, axis labels) carry the meaning; colour only decorates. Every label that could come
from a person's words is escaped by the caller's ``esc``.
"""

from __future__ import annotations

from html import escape

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

INK = "#1f2933"
# Text at least 4.5:1 on white (WCAG 2.1 AA, 1.4.3) and lines/shapes that carry data at least
# 3:1 (1.4.11), checked by tests/test_accessibility.py and by axe-core in Chromium.
MUTED = "#52606d"
BAR = "#3e6a8a"
SOFT = "#6a8caa"
ALT = "#b7791f"
GRID = "#e4e7eb"


def _svg(width: int, height: int, body: list[str], label: str, desc: str = "") -> str:
    """The chart as one image whose text alternative says what it shows: the title and the
    sentence from ``render/describe.py`` (a screen reader reads the aria-label; <desc> is for
    other tools)."""
    spoken = f"{label}. {desc}" if desc else label
    described = f"<desc>{escape(desc)}</desc>" if desc else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(spoken)}">'
        f"<title>{escape(label)}</title>{described}" + "".join(body) + "</svg>"
    )


def _axis(
    width: int, top: int, bottom: int, left: int, high: float, ticks: Sequence[float]
) -> list[str]:
    out = []
    for t in ticks:
        y = bottom - (bottom - top) * (t / high if high else 0)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 4}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.6"/>'
        )
        out.append(
            f'<text x="{left - 3}" y="{y + 3:.1f}" font-size="8" text-anchor="end" '
            f'fill="{MUTED}">{t:g}</text>'
        )
    return out


def _day_labels(days: list[str], x_of: Callable[[int], float], bottom: int) -> list[str]:
    out = []
    step = max(1, len(days) // 6)
    for i in range(0, len(days), step):
        label = days[i][5:].replace("-", "/")  # MM/DD
        out.append(
            f'<text x="{x_of(i):.1f}" y="{bottom + 10}" font-size="8" '
            f'text-anchor="middle" fill="{MUTED}">{label}</text>'
        )
    return out


def bars(
    days: list[str],
    values: list[float],
    label: str,
    *,
    width: int = 340,
    height: int = 120,
    desc: str = "",
) -> str:
    """One bar per day (e.g. cravings per day)."""
    left, top, bottom = 24, 6, height - 16
    high = max([*values, 1])
    ticks = sorted({0, high, round(high / 2)}) if high > 1 else [0, 1]
    n = max(len(values), 1)
    slot = (width - 4 - left) / n
    body = _axis(width, top, bottom, left, high, ticks)
    for i, v in enumerate(values):
        if not v:
            continue
        h = (bottom - top) * v / high
        body.append(
            f'<rect x="{left + i * slot + slot * 0.15:.1f}" y="{bottom - h:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{BAR}">'
            f"<title>{escape(days[i])}: {v:g}</title></rect>"
        )
    body += _day_labels(days, lambda i: left + (i + 0.5) * slot, bottom)
    return _svg(width, height, body, label, desc)


def lines(
    days: list[str],
    series: list[tuple[str, list[float | None], str, bool]],
    label: str,
    *,
    high: float = 10,
    width: int = 340,
    height: int = 120,
    desc: str = "",
) -> str:
    """Line charts on a 0..high scale; each series is (name, values, colour, dashed)."""
    left, top, bottom = 24, 6, height - 26
    n = max(len(days), 1)
    slot = (width - 4 - left) / n

    def x_of(i: int) -> float:
        return left + (i + 0.5) * slot

    body = _axis(width, top, bottom, left, high, [0, high / 2, high])
    for s, (name, values, colour, dashed) in enumerate(series):
        points = [
            (x_of(i), bottom - (bottom - top) * v / high)
            for i, v in enumerate(values)
            if v is not None
        ]
        dash = ' stroke-dasharray="3 2"' if dashed else ""
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="1.4"{dash}/>'
            )
        for x, y in points:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.6" fill="{colour}"/>')
        lx = left + s * 120
        body.append(
            f'<line x1="{lx}" y1="{height - 5}" x2="{lx + 14}" y2="{height - 5}" '
            f'stroke="{colour}" stroke-width="1.6"{dash}/>'
            f'<text x="{lx + 17}" y="{height - 2}" font-size="8" fill="{INK}">'
            f"{escape(name)}</text>"
        )
    body += _day_labels(days, x_of, bottom)
    return _svg(width, height, body, label, desc)


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


LEGEND_H = 11  # the heatmap's legend row under the hours


def _shade(n: int, high: int) -> float:
    return 0.08 + 0.92 * n / high if n else 0.0


def heatmap(
    grid: list[list[int]], label: str, *, width: int = 340, height: int = 120, desc: str = ""
) -> str:
    """Weekday (rows, Monday first) by hour of day (columns); darker means more. A legend
    row under the hours says what the shades count (issue 19, item 13), inside the same
    height, so the printed report keeps its length."""
    left, top = 26, 4
    cell_w = (width - left - 4) / 24
    cell_h = (height - top - 14 - LEGEND_H) / 7
    high = max([max(row) for row in grid] + [1])
    body = []
    for d, row in enumerate(grid):
        y = top + d * cell_h
        body.append(
            f'<text x="{left - 3}" y="{y + cell_h * 0.75:.1f}" font-size="8" '
            f'text-anchor="end" fill="{MUTED}">{WEEKDAYS[d]}</text>'
        )
        for h, n in enumerate(row):
            shade = _shade(n, high)
            fill = BAR if n else "#f5f7fa"
            opacity = f' fill-opacity="{shade:.2f}"' if n else ""
            body.append(
                f'<rect x="{left + h * cell_w:.1f}" y="{y:.1f}" width="{cell_w - 1:.1f}" '
                f'height="{cell_h - 1:.1f}" fill="{fill}"{opacity}>'
                f"<title>{WEEKDAYS[d]} {h:02d}:00: {n}</title></rect>"
            )
    hours_y = height - 3 - LEGEND_H
    for h in (0, 6, 12, 18, 23):
        body.append(
            f'<text x="{left + (h + 0.5) * cell_w:.1f}" y="{hours_y}" font-size="8" '
            f'text-anchor="middle" fill="{MUTED}">{h:02d}h</text>'
        )
    body += _heat_legend(left, height - 3, high)
    return _svg(width, height, body, label, desc)


def _heat_legend(x: float, y: float, high: int) -> list[str]:
    """Swatches: none, 1 and the busiest hour's count (darker means more cravings)."""
    steps = [(0, "none"), (1, "1")] + ([(high, str(high))] if high > 1 else [])
    out = [f'<text x="{x:.1f}" y="{y}" font-size="7.5" fill="{MUTED}">Cravings in an hour:</text>']
    x += 78
    for n, text in steps:
        fill = BAR if n else "#f5f7fa"
        opacity = f' fill-opacity="{_shade(n, high):.2f}"' if n else ""
        out.append(
            f'<rect x="{x:.1f}" y="{y - 7}" width="8" height="8" fill="{fill}"{opacity} '
            f'stroke="#cbd2d9" stroke-width="0.5"/>'
        )
        out.append(f'<text x="{x + 11:.1f}" y="{y}" font-size="7.5" fill="{MUTED}">{text}</text>')
        x += 14 + 5 * len(text) + 8
    if high > 1:
        out.append(
            f'<text x="{x:.1f}" y="{y}" font-size="7.5" fill="{MUTED}">(darker: more)</text>'
        )
    return out

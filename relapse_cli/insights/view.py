"""Drawing the insights dashboard and the trends table.

Words and shapes carry the meaning; colour only decorates, so NO_COLOR and pipes lose nothing:
sparklines are bar heights, the heatmap shows counts as digits (or shades with a legend when
counts pass 9), and every figure has a plain label. Small numbers are printed as they are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from relapse_cli.render.console import safe

if TYPE_CHECKING:
    from rich.console import RenderableType

BARS = "▁▂▃▄▅▆▇█"
NO_DATA = "·"
SPARK_WIDTH = 60
SHADES = "░▒▓█"


def _days(n: int | None) -> str:
    return "—" if n is None else f"{n} day{'s' if n != 1 else ''}"


def _date(text: str | None) -> str:
    if not text:
        return "—"
    d = date.fromisoformat(text)
    return f"{d.day} {d:%b %Y}"


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{round(100 * share)} %"


def _name(text: str) -> str:
    return safe(text, single_line=True)


def buckets(values: list, size: int, mean: bool) -> list:
    """Consecutive groups of ``size`` values: summed (counts) or averaged (moods)."""
    out = []
    for i in range(0, len(values), size):
        chunk = [v for v in values[i : i + size] if v is not None]
        if mean:
            out.append(sum(chunk) / len(chunk) if chunk else None)
        else:
            out.append(sum(chunk))
    return out


def sparkline(values: list, top: float | None = None, *, gap: str = NO_DATA) -> str:
    """Bar heights for values (None: no data, drawn as ``gap``). ``top``: the value drawn as a
    full bar (default the largest value; a fixed scale, e.g. withdrawal's 0 to MAX_TOTAL, lets
    days and views compare); zero is the lowest bar. The one sparkline of every view."""
    real = [v for v in values if v is not None]
    top = top if top is not None else (max(real) if real else 0)
    out = []
    for v in values:
        if v is None:
            out.append(gap)
        elif top <= 0:
            out.append(BARS[0])
        else:
            out.append(BARS[min(len(BARS) - 1, round(v * (len(BARS) - 1) / top))])
    return "".join(out)


def _step(days: int) -> int:
    return max(1, math.ceil(days / SPARK_WIDTH))


def _every(step: int) -> str:
    return "one mark a day" if step == 1 else f"one mark per {step} days"


def _heatmap(grid: list[list[int]]) -> Group:
    top = max(max(r) for r in grid)
    digits = top <= 9
    bands = [math.ceil(top * k / len(SHADES)) for k in range(1, len(SHADES) + 1)]
    lines = ["      " + "".join(f"{h:<6d}" for h in range(0, 24, 3))]
    for name, row in zip(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), grid, strict=True):
        cells = []
        for n in row:
            if n == 0:
                cells.append(NO_DATA)
            elif digits:
                cells.append(str(n))
            else:
                cells.append(SHADES[next(i for i, b in enumerate(bands) if n <= b)])
        lines.append(f"  {name} " + " ".join(cells))
    if digits:
        legend = "  each column is an hour of the day; digits are cravings, · none"
    else:
        lows = [1] + [b + 1 for b in bands[:-1]]
        legend = "  · none  " + "  ".join(
            f"{s} {lo}–{hi}" for s, lo, hi in zip(SHADES, lows, bands, strict=True) if lo <= hi
        )
    from relapse_cli.render.console import Wrapped

    return Group(Text("\n".join(lines)), Wrapped(legend))  # the legend wraps under its indent


LABEL_WIDTH = 20


def _spoken() -> bool:
    from relapse_cli.render.access import screen_reader

    return screen_reader()


def _said(name: str, data: dict, values: list, scale: str = "") -> str:
    """Screen-reader mode: the day-by-day series as one sentence (render/describe.py)."""
    from datetime import timedelta

    from relapse_cli.render import describe

    start = date.fromisoformat(data["period"]["first_day"])
    days = [(start + timedelta(days=i)).isoformat() for i in range(len(values))]
    return describe.series(name, days, values, scale=scale)


class _Board:
    """Sections of label/value rows and free lines, stacked into one Group."""

    def __init__(self) -> None:
        self.parts: list[RenderableType] = []
        self.grid: Table | None = None

    def section(self, title: str) -> None:
        self.grid = None
        self.parts.append(Text(title, style="bold underline"))

    def add_row(self, label: RenderableType, value: RenderableType = "") -> None:
        if self.grid is None:
            self.grid = Table.grid(padding=(0, 2))
            self.grid.add_column(no_wrap=True, min_width=LABEL_WIDTH)
            self.grid.add_column()
            self.parts.append(self.grid)
        if isinstance(value, (str, Text)) and value:  # "87.5 %" kept whole; indent kept
            from relapse_cli.render.console import Wrapped

            value = Wrapped(value)
        self.grid.add_row(label, value)

    def line(self, renderable: RenderableType) -> None:
        self.grid = None
        self.parts.append(renderable)


def _for(data: dict, person: str, clinician: str) -> str:
    """The renderer's own words for the person, or for their clinician (``review``)."""
    return clinician if data.get("audience") == "clinician" else person


def summary_panel(data: Mapping[str, Any], json_hint: str = "relapse summary --json") -> Panel:
    """The one-screen dashboard (data: insights.summary.build_summary, or an export's copy of
    it; ``audience`` "clinician"
    when ``review`` shows someone's export). ``json_hint``: the command listing every figure."""
    data = {**data, "json_hint": json_hint}
    p = data["period"]
    title = f"Summary: {p['label']} ({_date(p['first_day'])} – {_date(p['last_day'])})"
    grid = _Board()
    if data.get("no_entries", data["journal_is_empty"]):
        # Check-ins, medication or homework may exist without any craving or mood yet.
        grid.add_row(
            "Nothing logged yet" if not data.get("more") else "No cravings or moods yet",
            "Start with: relapse log craving 5 -t stress",
        )
    else:
        _recovery(grid, data)
        _cravings(grid, data)
        _when(grid, data)
        _triggers(grid, data)
        _works(grid, data)
        _mood(grid, data)
    for extra in data.get("more", {}).values():
        grid.section(str(extra["title"]))
        for label, text in extra["lines"]:  # plain text: never read as markup
            grid.add_row(Text(f"  {label}"), Text(str(text)))
    return Panel(Group(*grid.parts), title=title, title_align="left", expand=False)


def _recovery(grid: _Board, data: dict) -> None:
    r = data["recovery"]
    grid.section("Recovery")
    if r["current_streak"] is None:
        grid.add_row(
            "  Streak",
            _for(
                data,
                "nothing to count yet: set your start date with "
                "relapse config recovery_start 2026-09-01",
                "nothing to count: the export has no recovery start date and no entries",
            ),
        )
        return
    since = _date(r["recovery_start"]) + (
        ""
        if r["recovery_start_is_set"]
        else _for(data, " (your first entry)", " (their first entry)")
    )
    if r["days_since_last_use"] is not None:
        grid.add_row(
            "  Days since last use",
            f"{r['days_since_last_use']} (last use {_date(r['last_use_day'])})",
        )
    else:
        grid.add_row("  Days without use", f"{r['current_streak']}, every day since {since}")
    grid.add_row("  Longest streak", f"{_days(r['longest_streak'])} without use")
    if r["period_days_counted"]:
        grid.add_row(
            "  Sober days",
            f"{r['period_sober_days']} of {r['period_days_counted']} days in this period "
            f"({r['percent_days_abstinent']:g} % of days without use); "
            f"{_days(r['period_use_days']).replace('day', 'use day')}",
        )
    grid.add_row(
        _for(data, "  Since your start", "  Since their start"),
        f"{r['sober_days_total']} of {_days(r['days_counted_total'])} without use, since {since}",
    )
    if r["uses_logged"]:
        grid.add_row("  Uses logged", str(r["uses_logged"]))
    for s in r["substances"]:
        parts = [f"{_days(s['use_days']).replace('day', 'use day')}"]
        if s["amount_per_use_day"] is not None:
            unit = _name(s["unit"] or "")
            parts.append(f"{s['amount_per_use_day']:g} {unit} per use day".replace("  ", " "))
        if "heavy_days_4_plus" in s:
            parts.append(
                f"heavy days: {s['heavy_days_4_plus']} with 4+ drinks, "
                f"{s['heavy_days_5_plus']} with 5+ (NIAAA: 4+ women, 5+ men)"
            )
        grid.add_row(f"  {_name(s['substance'] or 'Use')}", "; ".join(parts))


def _cravings(grid: _Board, data: dict) -> None:
    c = data["cravings"]
    grid.section("Cravings")
    if not c["count"]:
        line = "none logged in this period"
        if c["previous"] and c["previous"]["before"]:
            line += f" ({c['previous']['before']} in {data['previous_period']['label']})"
        grid.add_row("  Count", line)
        return
    step = _step(data["period"]["days"])
    per = _before_first_entry(c["per_day"], data)  # no data there: "·" as in the mood row
    known = [v for v in per if v is not None]
    unknown = f"; {NO_DATA} before your first entry" if len(known) < len(per) else ""
    if _spoken():
        grid.add_row("  Per day", _said("cravings per day", data, per))
    elif step == 1:
        grid.add_row("  Per day", f"{sparkline(per)}  0 to {max(known)} a day{unknown}")
    else:  # each mark the mean of `step` days (a shorter last stretch stays comparable)
        per = buckets(per, step, mean=True)
        top = max(v for v in per if v is not None)
        grid.add_row(
            "  Over time",
            f"{sparkline(per)}  0 to {top:.1f} a day (each mark the mean of {step} days{unknown})",
        )
    line = f"{c['count']}, {c['mean_per_day']:g} a day"
    if c["previous"]:
        line += f"; {c['previous']['text']}"
    grid.add_row("  Count", line)
    line = f"mean {c['mean_intensity']:g} out of 10, strongest {c['peak_intensity']}"
    if c["mean_intensity"] is None:
        line = "no intensity given"
    if c["previous"] and c["previous"].get("intensity_text"):
        line += f"; {c['previous']['intensity_text']}"
    grid.add_row("  Intensity", line)
    grid.add_row(
        "  How they ended",
        f"{c['resisted']} of {c['count']} resisted ({_pct(c['resisted_share'])}), "
        f"{c['ended_in_use']} ended in use, {c['other_outcome']} ongoing or not said",
    )


def _when(grid: _Board, data: dict) -> None:
    w = data["when"]
    if not w["total"]:
        return
    grid.section(
        _for(data, "When cravings come (your local time)", "When cravings come (their local time)")
    )
    from relapse_cli.render.console import Wrapped

    if _spoken():
        from relapse_cli.render import describe

        grid.line(Padding(Wrapped(Text(describe.heatmap(w["heatmap"]))), (0, 0, 0, 2)))
    else:
        grid.line(_heatmap(w["heatmap"]))
    grid.line(Padding(Wrapped(Text(w["sentence"])), (0, 0, 0, 2)))


def _triggers(grid: _Board, data: dict) -> None:
    t = data["triggers"]
    halt = data.get("halt_checkins")
    if not t["ranked"] and not halt:
        return
    grid.section("Triggers")
    if halt:  # the daily check-ins' answers, besides what was named with cravings
        n = halt["days_answered"]
        said = ", ".join(f"{w['name']} on {_days(w['days'])}" for w in halt["words"] if w["days"])
        grid.add_row(
            "  HALT in check-ins", f"{said or 'none of the four'} (of {_days(n)} answered)"
        )
    for item in t["ranked"][:5]:
        parts = [f"named {item['count']} time{'s' if item['count'] != 1 else ''}"]
        if item["mean_intensity"] is not None:
            parts.append(f"cravings mean {item['mean_intensity']:g}")
        if item["ended_in_use"]:
            parts.append(f"{item['ended_in_use']} ended in use")
        grid.add_row(f"  {_name(item['name'])}", ", ".join(parts))
    rest = len(t["ranked"]) - 5
    if rest > 0:
        grid.add_row("", f"and {rest} more ({data['json_hint']} lists them all)")
    if t["halt"]:
        n = data["cravings"]["count"]
        grid.add_row(
            "  HALT check",
            f"of {n} cravings: " + ", ".join(f"{h['name']} {h['cravings']}" for h in t["halt"]),
        )


def _works(grid: _Board, data: dict) -> None:
    w = data["what_works"]
    if not (w["by_success"] or w["not_enough_data"]):
        return
    grid.section(_for(data, "What works for you", "What works for them"))
    for item in w["by_success"][:5]:
        line = (
            f"{item['resisted']} of {item['times']} times resisted ({_pct(item['resisted_share'])})"
        )
        if item["mean_drop"] is not None:
            line += (
                f", intensity down {item['mean_drop']:g} on average ({item['drop_n']} rated after)"
            )
        grid.add_row(f"  {_name(item['name'])}", line)
    if w["by_drop"] and len(w["by_drop"]) > 1:
        top = w["by_drop"][0]
        grid.add_row(
            "  Biggest drop",
            f"{_name(top['name'])}: down {top['mean_drop']:g} points "
            f"on average over {top['drop_n']} times",
        )
    if w["not_enough_data"]:
        names = ", ".join(f"{_name(i['name'])} ({i['times']})" for i in w["not_enough_data"][:6])
        more = len(w["not_enough_data"]) - 6
        grid.add_row(
            "  Not enough data yet",
            names
            + (f" and {more} more" if more > 0 else "")
            + f" (fewer than {w['min_uses']} times)",
        )


def _before_first_entry(per_day: list, data: dict) -> list:
    """The period's daily counts with the days before the journal's first entry as None: a
    zero there would claim a day without cravings that nobody logged."""
    from datetime import date, timedelta

    first = data.get("first_entry_day")
    if not first:
        return list(per_day)
    start = date.fromisoformat(data["period"]["first_day"])
    cut = date.fromisoformat(first)
    return [None if start + timedelta(days=i) < cut else v for i, v in enumerate(per_day)]


def _mood(grid: _Board, data: dict) -> None:
    m = data["mood"]
    if not m["days_with_mood"]:
        return
    grid.section("Mood")
    step = _step(data["period"]["days"])
    for key, label in (("mood", "Mood"), ("anxiety", "Anxiety")):
        mean = m[f"mean_{key}"]
        if mean is None:
            continue
        series = buckets(m[f"{key}_per_day"], step, mean=True)
        line = f"{sparkline(series, top=10)}  mean {mean:g} out of 10"
        if _spoken():
            said = _said(key, data, m[f"{key}_per_day"], " (0 to 10)").rstrip(".")
            line = f"{said}; the period's mean {mean:g} out of 10"
        before = m[f"mean_{key}_before"]
        if before is not None:
            line += f" ({before:g} before)"
        grid.add_row(f"  {label}", line)
    if not _spoken():
        grid.add_row("", f"(0 at the bottom, 10 at the top; {NO_DATA} no entry; {_every(step)})")
    rel = m["relation"]
    grid.add_row("  Mood and cravings", rel["sentence"])
    if rel["low_mood_days"]["days"] >= 3 and rel["other_days"]["days"] >= 3:
        grid.add_row("", rel["note"])


def trends_table(data: dict) -> object:
    """One row per week or month (data: cli.summary.build_trends)."""
    t = Table(
        title=f"Trends by {data['by']}, {_date(data['first_day'])} – {_date(data['last_day'])}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=0,
    )
    t.add_column("Week of" if data["by"] == "week" else "Month", no_wrap=True)
    # Whole words on two lines where a header is wider than its figures: fits 80 columns.
    heads = (
        "Days",
        "Cravings",
        "A day",
        "Intensity",
        "Resisted",
        "Use\ndays",
        "Sober\ndays",
        "Mood",
        "Anxiety",
    )
    for head in heads:
        t.add_column(head, justify="right", no_wrap=True)
    for r in data["rows"]:
        pda = r["percent_days_abstinent"]
        t.add_row(
            r["label"],
            str(r["days"]),
            str(r["cravings"]),
            _num(r["cravings_per_day"]),
            _num(r["mean_intensity"]),
            _pct(r["resisted_share"])
            if r["cravings"] >= 3
            else ("—" if not r["cravings"] else f"{r['resisted']} of {r['cravings']}"),
            str(r["use_days"]),
            "—" if pda is None else f"{pda:g} %",
            _num(r["mean_mood"]),
            _num(r["mean_anxiety"]),
        )
    t.caption = (
        "A day: cravings per day. Intensity, mood and anxiety: means out of 10. "
        "Sober days: share of days without use. — means nothing logged."
    )
    t.caption_justify = "left"
    from relapse_cli.render.console import Fitted

    # Narrow terminals: the week, its cravings, resisted share and use/sober days stay.
    return Fitted(t, drop=("Anxiety", "A day", "Days", "Intensity", "Mood"))


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"

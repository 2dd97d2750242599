"""``build_summary``: every figure of the dashboard as plain data, for ``relapse summary`` and
whoever else shows it (the HTML report and ``review`` through share, ``relapse demo``).

Other record kinds (thought records, exercises, check-ins...) add a dashboard section with
``add_section(build)``: ``build(con, first, last, now) -> {"key", "title", "lines":
[(label, text)], ...} | None``, ``now`` being the command's clock; a section shows (and
appears in --json under "more") only when it returns one.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable
    from datetime import datetime

    from relapse_cli.cli.context import AppContext
    from relapse_cli.insights.model import Period, Summary

    Section = Callable[[sqlite3.Connection, date, date, datetime], dict | None]

MORE_SECTIONS: list[Section] = []
SPLIT_ROWS = 4000  # periods with more entries split their queries over two connections


def add_section(build: Section) -> None:
    """Add a record kind's dashboard section, once (a module's register() may run again)."""
    if build not in MORE_SECTIONS:
        MORE_SECTIONS.append(build)


def start_of(app: AppContext, con: sqlite3.Connection) -> tuple[date | None, bool, date | None]:
    """(recovery start or first entry, whether it was set, first entry day)."""
    from relapse_cli.core.settings import load_settings
    from relapse_cli.insights import store as stats

    settings = load_settings(app.journal_path)
    first_entry = stats.first_day(con)
    text = settings.get("recovery_start")
    if text:
        return date.fromisoformat(str(text)), True, first_entry
    return first_entry, False, first_entry


def build_summary(app: AppContext, period: Period | None = None) -> Summary:
    """Every figure of the dashboard as plain data (what ``--json`` prints, what the renderer
    draws). ``period``: an insights.model.Period; default the last 30 days."""
    from relapse_cli.insights import model as insights
    from relapse_cli.insights import store as stats

    con = app.connect()
    today = app.clock.now().date()
    start, start_is_set, first_entry = start_of(app, con)
    if period is None:
        period = insights.choose_period(today, first_entry=first_entry)
    before = period.previous()
    # --all: open-ended queries (a plain scan beats an index walk over the whole table).
    lo, hi = (None, None) if period.kind == "all" else (period.first, period.last)
    calls: dict[str, tuple] = {  # the first half may run on a second connection: costs balanced
        "triggers": (stats.triggers, lo, hi),
        "heatmap": (stats.heatmap, lo, hi),
        "coping": (stats.coping, lo, hi),
        "per_day": (stats.per_day, lo, hi),
        "amounts": (stats.use_amounts, lo, hi),
        "heatmap_days": (stats.heatmap_days, lo, hi),
    }
    if before:
        calls["previous"] = (stats.totals, before.first, before.last)
    busy = period.kind == "all" or stats.rows_near(con, period.first, period.last) > SPLIT_ROWS
    got = stats.gather(con, calls, split=busy)
    days = insights.fill_days(period, got["per_day"])
    previous = got.get("previous")
    before_label = before.label if before else None
    recovery = insights.recovery(
        stats.use_days(con), start, start_is_set, period.last, period, got["amounts"]
    )
    craving = insights.cravings(days, previous, before_label)
    grid = got["heatmap"]
    when = insights.riskiest_window(grid, period.days, dates=got["heatmap_days"])
    when["heatmap"] = grid
    triggers = insights.triggers(got["triggers"], craving["count"])
    halt = insights.checkin_halt(stats.checkin_halt(con, period.first, period.last))
    what_works = insights.coping(got["coping"])
    mood = insights.mood(days, previous, before_label)
    now = app.clock.now()
    from relapse_cli.kinds import load_sections

    load_sections("dashboard")  # the kinds' dashboard sections, whether or not the app was built
    sections = (build(con, period.first, period.last, now) for build in MORE_SECTIONS)
    more = {m["key"]: m for m in sections if m}
    return {
        "as_of": period.last.isoformat(),
        "period": period.as_dict(),
        "previous_period": before.as_dict() if before else None,
        "journal_is_empty": first_entry is None and not more,
        "first_entry_day": first_entry.isoformat() if first_entry else None,
        "recovery_start": recovery["recovery_start"],
        "recovery_start_is_set": start_is_set,
        "days_since_last_use": recovery["days_since_last_use"],
        "longest_streak": recovery["longest_streak"],
        "sober_days": recovery["sober_days_total"],
        "days_counted": recovery["days_counted_total"],
        "use_days": recovery["use_days_total"],
        "recovery": recovery,
        "cravings": craving,
        "when": when,
        "triggers": triggers,
        "halt_checkins": halt,
        "what_works": what_works,
        "mood": mood,
        "more": more,
        "no_entries": first_entry is None,  # no craving, mood, trigger or use logged yet
    }

"""``relapse summary`` (the insights dashboard) and ``relapse trends`` (the same over time)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from relapse_cli.cli.options import JsonOpt, SinceOpt, UntilOpt
from relapse_cli.cli.typer_build import app_context
from relapse_cli.core.text import say

# The dashboard's service, where the other record kinds and share have always found it.
from relapse_cli.insights.summary import MORE_SECTIONS, add_section, build_summary

if TYPE_CHECKING:
    from datetime import date

    from relapse_cli.cli.context import AppContext
    from relapse_cli.insights.model import Period

__all__ = ["MORE_SECTIONS", "add_section", "build_summary", "register"]

WeekOpt = Annotated[
    bool,
    typer.Option("--week", help="The calendar week (Monday to Sunday) of --until, or this week."),
]
MonthOpt = Annotated[
    bool, typer.Option("--month", help="The calendar month of --until, or this month.")
]
AllOpt = Annotated[bool, typer.Option("--all", help="Everything since your first entry.")]


def _period(
    app: AppContext, since: str | None, until: str | None, week: bool, month: bool, everything: bool
) -> Period:
    from relapse_cli.core.timeparse import parse_bound
    from relapse_cli.insights import store as stats
    from relapse_cli.insights.model import choose_period

    clock = app.clock
    lo = parse_bound(since, clock, end=False).date() if since else None
    hi = parse_bound(until, clock, end=True).date() if until else None
    first_entry = stats.first_day(app.connect()) if everything else None
    return choose_period(
        clock.now().date(),
        since=lo,
        until=hi,
        week=week,
        month=month,
        everything=everything,
        first_entry=first_entry,
    )


def build_trends(
    app: AppContext, by: str, since: str | None, until: str | None, everything: bool
) -> dict:
    from datetime import timedelta

    from relapse_cli.core.errors import BadInput
    from relapse_cli.core.timeparse import parse_bound
    from relapse_cli.insights import model as insights
    from relapse_cli.insights import store as stats
    from relapse_cli.insights.summary import start_of

    if by not in ("week", "month"):
        raise BadInput(f"--by must be week or month, not {by!r}")
    if everything and since:
        raise BadInput("--all already starts at the first entry; leave out --since")
    con = app.connect()
    clock = app.clock
    today = clock.now().date()
    last = min(parse_bound(until, clock, end=True).date(), today) if until else today
    start, _set, first_entry = start_of(app, con)
    if since:
        first = parse_bound(since, clock, end=False).date()
    elif everything:
        first = min(first_entry or last, last)
    elif by == "week":
        first = last - timedelta(days=last.weekday()) - timedelta(weeks=11)
    else:
        first = (last.replace(day=1) - timedelta(days=335)).replace(day=1)
    if not since and first_entry is not None and first < first_entry <= last:
        first = first_entry  # no empty rows before the journal began
    if first > last:
        raise BadInput(f"--since ({first}) is after the end of the period ({last})")
    if first_entry is None:  # an empty journal: nothing to show, not 12 rows of zeros
        return {
            "by": by,
            "first_day": first.isoformat(),
            "last_day": last.isoformat(),
            "rows": [],
            "journal_is_empty": True,
        }
    from relapse_cli.insights.use_days import use_days

    lapses = {d.day for d in use_days(stats.use_amounts(con, first, last))}
    rows = insights.trends(stats.per_day(con, first, last), first, last, by, start, lapses)
    return {
        "by": by,
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "rows": rows,
        "journal_is_empty": False,
    }


def _say_set_aside(app: AppContext, first: date | None = None) -> None:
    """One line on stderr for entries the figures leave out (a value breaks a rule): those
    from the period's first day on (a day early, as the figures' own window; later ones too,
    since the streaks run to today), or of the whole journal for an open period."""
    from datetime import timedelta

    from relapse_cli.storage.checks import breaking_line, count_breaking

    con = app.connect(create=False)
    within = None
    if first is not None:
        within = ("occurred_at", (first - timedelta(days=1)).isoformat(), ":")  # ':' > digits
    n = count_breaking(con, "entries", within)
    line = breaking_line(n, "entry", "entries", "not counted")
    if line:
        sys.stderr.write(line + "\n")


def summary(
    ctx: typer.Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    week: WeekOpt = False,
    month: MonthOpt = False,
    everything: AllOpt = False,
    as_json: JsonOpt = False,
    since_last_appointment: Annotated[
        bool,
        typer.Option("--since-last-appointment", help="From the day of your last appointment."),
    ] = False,
) -> None:
    """Your patterns on one screen: recovery, cravings, when they come, triggers, what
    works, mood. The last 30 days unless you choose (--week, --month, --all, --since)."""
    a = app_context(ctx)
    if since_last_appointment:
        from relapse_cli.care.periods import since_last_appointment as last_appt

        clash = bool(since or week or month or everything)
        since = last_appt(a, a.connect(), clash=clash).date().isoformat()
    period = _period(a, since, until, week, month, everything)
    data = build_summary(a, period)
    _say_set_aside(a, None if period.kind == "all" else period.first)
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(data)
        return
    from relapse_cli.insights.view import summary_panel
    from relapse_cli.render.console import console

    console().print(summary_panel(data))


def trends(
    ctx: typer.Context,
    by: Annotated[
        str, typer.Option("--by", help="One row per week or per month.", metavar="week|month")
    ] = "week",
    since: SinceOpt = None,
    until: UntilOpt = None,
    everything: AllOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Key figures over time, one row per week (last 12) or month (last 12)."""
    data = build_trends(app_context(ctx), by.strip().lower(), since, until, everything)
    first = data.get("first_day")
    if isinstance(first, str):
        from datetime import date

        _say_set_aside(app_context(ctx), date.fromisoformat(first))
    else:
        _say_set_aside(app_context(ctx))
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(data)
        return
    from relapse_cli.insights.view import trends_table
    from relapse_cli.render.console import console

    if data["journal_is_empty"]:
        say(
            "Nothing logged yet, so there are no trends to show. Start with: "
            "relapse log craving 5 (or relapse checkin)"
        )
        return

    console().print(trends_table(data))


def register(app: typer.Typer) -> None:
    app.command("summary")(summary)
    app.command("trends")(trends)

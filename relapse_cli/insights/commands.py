"""``relapse summary`` (the insights dashboard) and ``relapse trends`` (the same over time)."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated

import typer

from relapse_cli.cli.options import JsonOpt, SinceOpt, UntilOpt
from relapse_cli.core.text import say

WeekOpt = Annotated[
    bool,
    typer.Option("--week", help="The calendar week (Monday to Sunday) of --until, or this week."),
]
MonthOpt = Annotated[
    bool, typer.Option("--month", help="The calendar month of --until, or this month.")
]
# Other record kinds (thought records, exercises, check-ins...) add a dashboard section with
# ``add_section(build)``: ``build(con, first, last, now) -> {"key", "title", "lines":
# [(label, text)], ...} | None``, ``now`` being the command's clock; a section shows (and
# appears in --json under "more") only when it returns one.
MORE_SECTIONS: list = []
SPLIT_ROWS = 4000  # periods with more entries split their queries over two connections
AllOpt = Annotated[bool, typer.Option("--all", help="Everything since your first entry.")]


def _start(app: object, con: object) -> tuple[date | None, bool, date | None]:
    """(recovery start or first entry, whether it was set, first entry day)."""
    from relapse_cli.core.settings import load_settings
    from relapse_cli.insights import store as stats

    settings = load_settings(app.journal_path)  # type: ignore[attr-defined]
    first_entry = stats.first_day(con)  # type: ignore[arg-type]
    text = settings.get("recovery_start")
    if text:
        return date.fromisoformat(str(text)), True, first_entry
    return first_entry, False, first_entry


def add_section(build: object) -> None:
    """Add a record kind's dashboard section, once (a module's register() may run again)."""
    if build not in MORE_SECTIONS:
        MORE_SECTIONS.append(build)


def build_summary(app: object, period: object | None = None) -> dict:
    """Every figure of the dashboard as plain data (what ``--json`` prints, what the renderer
    draws). ``period``: a domain.insights.Period; default the last 30 days."""
    from relapse_cli.insights import model as insights
    from relapse_cli.insights import store as stats

    con = app.connect()  # type: ignore[attr-defined]
    today = app.clock.now().date()  # type: ignore[attr-defined]
    start, start_is_set, first_entry = _start(app, con)
    if period is None:
        period = insights.choose_period(today, first_entry=first_entry)
    assert isinstance(period, insights.Period)
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
    days = insights.fill_days(period, got["per_day"])  # type: ignore[arg-type]
    previous = got.get("previous")
    before_label = before.label if before else None
    recovery = insights.recovery(stats.use_days(con), start, start_is_set, period.last, period,
                                 got["amounts"])  # type: ignore[arg-type]  # fmt: skip
    craving = insights.cravings(days, previous, before_label)  # type: ignore[arg-type]
    grid = got["heatmap"]
    when = insights.riskiest_window(grid, period.days, dates=got["heatmap_days"])  # type: ignore[arg-type]
    when["heatmap"] = grid
    data = {
        "as_of": period.last.isoformat(),
        "period": period.as_dict(),
        "previous_period": before.as_dict() if before else None,
        "journal_is_empty": first_entry is None,
        "first_entry_day": first_entry.isoformat() if first_entry else None,
        # The headline figures also at the top level (read by `review` and the HTML report).
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
        "triggers": insights.triggers(got["triggers"], craving["count"]),  # type: ignore[arg-type]
        "halt_checkins": insights.checkin_halt(stats.checkin_halt(con, period.first, period.last)),
        "what_works": insights.coping(got["coping"]),  # type: ignore[arg-type]
        "mood": insights.mood(days, previous, before_label),  # type: ignore[arg-type]
    }
    now = app.clock.now()  # type: ignore[attr-defined]
    from relapse_cli.kinds import load_sections

    load_sections()  # the kinds' dashboard sections, whether or not the app was built
    more = (build(con, period.first, period.last, now) for build in MORE_SECTIONS)
    data["more"] = {m["key"]: m for m in more if m}
    data["no_entries"] = first_entry is None  # no craving, mood, trigger or use logged yet
    data["journal_is_empty"] = first_entry is None and not data["more"]
    return data


def _period(app: object, since: str | None, until: str | None, week: bool, month: bool,
            everything: bool):  # noqa: ANN202  # fmt: skip
    from relapse_cli.core.timeparse import parse_bound
    from relapse_cli.insights import store as stats
    from relapse_cli.insights.model import choose_period

    clock = app.clock  # type: ignore[attr-defined]
    lo = parse_bound(since, clock, end=False).date() if since else None
    hi = parse_bound(until, clock, end=True).date() if until else None
    first_entry = stats.first_day(app.connect()) if everything else None  # type: ignore[attr-defined]
    return choose_period(clock.now().date(), since=lo, until=hi, week=week, month=month,
                         everything=everything, first_entry=first_entry)  # fmt: skip


def build_trends(app: object, by: str, since: str | None, until: str | None,
                 everything: bool) -> dict:  # fmt: skip
    from datetime import timedelta

    from relapse_cli.core.errors import BadInput
    from relapse_cli.core.timeparse import parse_bound
    from relapse_cli.insights import model as insights
    from relapse_cli.insights import store as stats

    if by not in ("week", "month"):
        raise BadInput(f"--by must be week or month, not {by!r}")
    if everything and since:
        raise BadInput("--all already starts at the first entry; leave out --since")
    con = app.connect()  # type: ignore[attr-defined]
    clock = app.clock  # type: ignore[attr-defined]
    today = clock.now().date()
    last = min(parse_bound(until, clock, end=True).date(), today) if until else today
    start, _set, first_entry = _start(app, con)
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
        return {"by": by, "first_day": first.isoformat(), "last_day": last.isoformat(),
                "rows": [], "journal_is_empty": True}  # fmt: skip
    from relapse_cli.insights.use_days import use_days

    lapses = {d.day for d in use_days(stats.use_amounts(con, first, last))}
    rows = insights.trends(stats.per_day(con, first, last), first, last, by, start, lapses)
    return {"by": by, "first_day": first.isoformat(), "last_day": last.isoformat(),
            "rows": rows, "journal_is_empty": False}  # fmt: skip


def _say_set_aside(app: object) -> None:
    """One line on stderr for entries the figures leave out (a value breaks a rule)."""
    from relapse_cli.storage.checks import breaking_line, count_breaking

    con = app.connect(create=False)  # type: ignore[attr-defined]
    line = breaking_line(count_breaking(con, "entries"), "entry", "entries", "not counted")
    if line:
        sys.stderr.write(line + "\n")


def register(app: typer.Typer) -> None:
    from relapse_cli.cli.typer_build import app_context

    @app.command("summary")
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
        ] = False,  # fmt: skip
    ) -> None:
        """Your patterns on one screen: recovery, cravings, when they come, triggers, what
        works, mood. The last 30 days unless you choose (--week, --month, --all, --since)."""
        a = app_context(ctx)
        if since_last_appointment:
            from relapse_cli.care.commands.appointments import since_last_appointment as last_appt

            clash = bool(since or week or month or everything)
            since = last_appt(a, a.connect(), clash=clash).date().isoformat()
        data = build_summary(a, _period(a, since, until, week, month, everything))
        _say_set_aside(a)
        if as_json:
            from relapse_cli.render.console import print_json

            print_json(data)
            return
        from relapse_cli.insights.view import summary_panel
        from relapse_cli.render.console import console

        console().print(summary_panel(data))

    @app.command("trends")
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
        if as_json:
            from relapse_cli.render.console import print_json

            print_json(data)
            return
        from relapse_cli.insights.view import trends_table
        from relapse_cli.render.console import console

        if data["journal_is_empty"]:
            say("Nothing logged yet, so there are no trends to show. Start with: "
                  "relapse log craving 5 (or relapse checkin)")  # fmt: skip
            return

        console().print(trends_table(data))

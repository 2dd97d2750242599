"""``relapse withdrawal``: the course of withdrawal over the days, to show the doctor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from relapse_cli.care.model import withdrawal as domain
from relapse_cli.cli.options import JsonOpt, SinceOpt, UntilOpt
from relapse_cli.cli.typer_build import app_context
from relapse_cli.core.errors import BadInput
from relapse_cli.core.text import say

if TYPE_CHECKING:
    from datetime import datetime

    from rich.console import Group

    from relapse_cli.cli.context import AppContext


def build_course(
    app: AppContext, since: str | None, until: str | None, start: datetime | None = None
) -> dict:
    """The course over the days as plain data (what --json prints and the table draws).
    ``start``: a datetime that opens the period (--since-last-appointment)."""
    from relapse_cli.care.store.withdrawal import list_checks
    from relapse_cli.core.timeparse import parse_bound, utc_text
    from relapse_cli.insights.view import sparkline

    clock = app.clock
    hi = parse_bound(until, clock, end=True) if until else clock.now()
    lo = parse_bound(since, clock, end=False) if since else start
    if lo is not None and lo > hi:
        raise BadInput("the period starts after it ends (check --since and --until)")
    checks = list_checks(
        app.connect(),
        utc_text(lo) if lo else None,
        utc_text(hi),
    )
    days = domain.course(checks)
    _dates, spark_values = every_day(days)
    return {
        "since": lo.date().isoformat() if lo else None,
        "until": hi.date().isoformat(),
        "max_total": domain.MAX_TOTAL,
        "days": days,
        "sparkline": sparkline(spark_values, top=domain.MAX_TOTAL, gap=" "),
        "checks": [
            {
                k: c[k]
                for k in (
                    "uuid",
                    "local_date",
                    "local_time",
                    *domain.SYMPTOMS,
                    "total",
                    "answered",
                    "red_flags",
                    "substance",
                )
            }
            for c in checks
        ],
        "note": domain.NOT_A_SCALE,
    }


def every_day(days: list[dict]) -> tuple[list[str], list[int | None]]:
    """Each day from the first check to the last, with its highest total (None: no check), as
    the sparkline draws them and the screen-reader sentence says them."""
    from datetime import date, timedelta

    if not days:
        return [], []
    first = date.fromisoformat(days[0]["date"])
    last = date.fromisoformat(days[-1]["date"])
    by_day = {d["date"]: d["max_total"] for d in days}
    dates = [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    return dates, [by_day.get(d) for d in dates]


def course_table(data: dict) -> Group:
    from datetime import date

    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Withdrawal over the days", title_justify="left")
    table.add_column("day", no_wrap=True)
    table.add_column("checks", justify="right")
    table.add_column("total", justify="right", no_wrap=True)
    table.add_column("symptoms (highest rating that day, 0-3)")
    table.add_column("red flags", min_width=9)  # the header stays whole when narrow
    for d in data["days"]:
        day = date.fromisoformat(d["date"])
        symptoms = domain.strongest(d) or "none"
        flags = ", ".join(domain.red_flag_label(f) for f in d["red_flags"])
        table.add_row(
            f"{day:%a %-d %b}",
            str(d["checks"]),
            domain.total_words(d["max_total"]),
            symptoms,
            flags,
        )
    spark = Text(f"Highest total per day (0-{data['max_total']}): {data['sparkline']}")
    from relapse_cli.render.access import screen_reader

    if screen_reader():  # issue 20: the sparkline as one sentence
        from relapse_cli.render import describe

        dates, values = every_day(data["days"])
        spark = Text(
            describe.series(
                "Highest withdrawal total per day",
                dates,
                values,
                scale=f" (0 to {data['max_total']})",
            )
        )
    from relapse_cli.render.console import Fitted

    # Red flags always stay: they are why the person shows this to a doctor.
    return Group(Fitted(table, drop=("checks", "total")), spark, Text(data["note"]))


def withdrawal_cmd(
    ctx: typer.Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    since_last_appointment: Annotated[
        bool,
        typer.Option("--since-last-appointment", help="From your last appointment."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """The course of withdrawal over the days (a table and a sparkline of the total), to
    show your doctor. Log a check with: relapse log withdrawal."""
    a = app_context(ctx)
    start = None
    if since_last_appointment:
        from relapse_cli.care.periods import since_last_appointment as last_appt

        start = last_appt(a, a.connect(), clash=bool(since))
    data = build_course(a, since, until, start)
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(data)
        return
    from relapse_cli.render.console import console

    if start is not None:
        say(f"Since your last appointment, {start:%a %-d %b %H:%M}:")
    if not data["days"]:
        say(
            "No withdrawal checks in this period. Log one with: relapse log withdrawal "
            "--tremor 1 ..."
            if since or until or start
            else "No withdrawal checks yet. Log one with: relapse log withdrawal --tremor 1 ..."
        )
        return
    console().print(course_table(data))


def register(app: typer.Typer) -> None:
    app.command("withdrawal")(withdrawal_cmd)

"""``relapse homework remind`` and ``relapse remind --risky``: calendar files and a crontab line."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from datetime import timezone

from relapse_cli.core.errors import BadInput
from relapse_cli.core.text import say

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from datetime import datetime

    from relapse_cli.cli.context import AppContext


def _now_utc(app: AppContext) -> datetime:
    return app.clock.now().astimezone(timezone.utc).replace(microsecond=0)


def _write(
    app: AppContext, output: str | None, data: bytes, *, force: bool, what: str, n: int
) -> int:
    from relapse_cli.core.files import write_private

    if output is None:
        raise BadInput("say where to write the calendar file", "add -o reminders.ics (or --cron)")
    if output == "-":
        sys.stdout.write(data.decode("utf-8"))
        return 0
    write_private(output, data.decode("utf-8"), force=force)
    say(
        f"Wrote {n} {what} to {output} (private: only you can read it). Open it with your "
        "calendar app to import."
    )
    return 0


def homework_reminders(
    app: AppContext,
    output: str | None,
    *,
    cron: bool,
    force: bool,
    discreet: bool,
    homework: bool = True,
    meds: bool = False,
) -> int:
    """Homework reminders; ``meds`` adds each scheduled dose (from ``relapse meds``) to the
    same file, and ``homework=False`` leaves the homework out."""
    from relapse_cli.homework.model import homework as hw
    from relapse_cli.homework.model.reminders import homework_events
    from relapse_cli.homework.store import homework as store

    con = app.connect()
    today = app.clock.now().date()
    items = [(i["uuid"], i["assignment"], i["loaded_date"]) for i in store.assignments(con)]
    events = homework_events(items, today, discreet=discreet) if homework else []
    doses = 0
    if meds and not cron:
        from relapse_cli.care.commands.meds import dose_events_for

        dose_list = dose_events_for(app, discreet=discreet)
        doses, events = len(dose_list), [*events, *dose_list]
    if cron:
        if output is not None:
            raise BadInput("--cron prints a line to add with crontab -e; leave out -o")
        times = sorted(
            {
                hw.remind_at(t)
                for _u, a, _l in items
                if today <= a.due
                for t in a.tasks
                if t.recurring
            }
        )
        hour, minute = times[0] if times else (20, 0)
        exe = shutil.which("relapse") or f"{sys.executable} -m relapse_cli"
        journal = os.path.abspath(app.journal_path)
        print(
            f"# relapse homework: what is still open today, at {hour:02d}:{minute:02d} "
            "(add with: crontab -e)"
        )
        print(
            f"{minute} {hour} * * * {exe} --journal {shlex.quote(journal)} homework today --notify"
        )
        return 0
    if not events:
        if meds and not homework:
            raise BadInput(
                "no medication in your list has set times",
                "add times: relapse meds change NAME --times 08:00",
            )
        raise BadInput(
            "no recurring homework is running, so there is nothing to remind you of",
            "load an assignment first: relapse homework load FILE",
        )
    from relapse_cli.share.formats.ics import calendar

    name = (
        "Reminders"
        if doses and len(events) > doses
        else "Medication reminders"
        if doses
        else "Homework reminders"
    )
    what = f"recurring reminder{'s' * (len(events) != 1)}" + (
        f" ({doses} for medication)" if doses and len(events) > doses else ""
    )
    data = calendar(events, now_utc=_now_utc(app), name=name, discreet=discreet)
    return _write(app, output, data, force=force, what=what, n=len(events))


def first_coping_step(con: sqlite3.Connection) -> str | None:
    from relapse_cli.plan.store.plan import list_items

    steps = (str(i.get("text") or "").strip() for i in list_items(con) if i["section"] == "coping")
    return next((s for s in steps if s), None)


def _before(hour: int) -> str:
    """When the alarm rings: RISKY_LEAD_MIN before the window's first hour."""
    from relapse_cli.homework.model.reminders import RISKY_LEAD_MIN

    at = (hour * 60 - RISKY_LEAD_MIN) % (24 * 60)
    return f"{at // 60:02d}:{at % 60:02d}"


def risky_reminders(app: AppContext, output: str | None, *, force: bool, discreet: bool) -> int:
    from relapse_cli.homework.model.reminders import risky_events, top_windows
    from relapse_cli.insights import model as insights
    from relapse_cli.insights import store as stats

    con = app.connect()
    today = app.clock.now().date()
    period = insights.choose_period(today, first_entry=stats.first_day(con))
    grid = stats.heatmap(con, period.first, period.last)
    windows = top_windows(grid, dates=stats.heatmap_days(con, period.first, period.last))
    total = sum(map(sum, grid))
    if not windows:
        why = (
            "too few to name risky times yet"
            if total < insights.MIN_FOR_WINDOW
            else "no time of the week has come back on different days yet"
        )
        raise BadInput(
            f"{insights.plural(total, 'craving')} in {period.label}: {why}",
            "log cravings for a few weeks, then try again",
        )
    from relapse_cli.share.formats.ics import calendar

    events = risky_events(
        windows, today, total, period.label, first_coping_step(con), discreet=discreet
    )
    data = calendar(events, now_utc=_now_utc(app), name="Riskier times", discreet=discreet)
    what = "weekly alarm" if len(events) == 1 else "weekly alarms"
    code = _write(app, output, data, force=force, what=what, n=len(events))
    if output != "-":
        for w in windows:
            end = (w["start_hour"] + w["hours"]) % 24
            say(
                f"  {insights.WEEKDAYS[w['weekday']]} {w['start_hour']:02d}:00–{end:02d}:00 "
                f"({insights.plural(w['count'], 'craving')}): alarm at {_before(w['start_hour'])}"
            )
    return code

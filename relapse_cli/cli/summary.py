"""``relapse summary``: days since last use, streaks, this week's cravings, top triggers."""

from __future__ import annotations

from datetime import date, timedelta

import typer

from relapse_cli.cli.options import JsonOpt


def build_summary(app: object) -> dict:
    """The figures as plain data (what ``--json`` prints and the renderer draws)."""
    from relapse_cli.domain.streaks import change, streaks
    from relapse_cli.domain.timeparse import utc_text
    from relapse_cli.journal import stats
    from relapse_cli.settings import load_settings

    con = app.connect()  # type: ignore[attr-defined]
    clock = app.clock  # type: ignore[attr-defined]
    now = clock.now()
    today = now.date()
    settings = load_settings(app.journal_path)  # type: ignore[attr-defined]
    start_text = settings.get("recovery_start")
    start = date.fromisoformat(str(start_text)) if start_text else stats.first_day(con)
    recovery = streaks(stats.use_days(con), start, today)
    week_ago, two_weeks_ago, month_ago = (now - timedelta(days=n) for n in (7, 14, 30))
    this_week = stats.cravings_between(
        con, utc_text(week_ago), utc_text(now + timedelta(seconds=1))
    )
    last_week = stats.cravings_between(con, utc_text(two_weeks_ago), utc_text(week_ago))
    return {
        "today": today.isoformat(),
        "recovery_start": start.isoformat() if start else None,
        "recovery_start_is_set": bool(start_text),
        "days_since_last_use": recovery["current"],
        "longest_streak": recovery["longest"],
        "sober_days": recovery["sober_days"],
        "days_counted": recovery["days_counted"],
        "use_days": recovery["use_days"],
        "cravings_this_week": this_week,
        "cravings_last_week": last_week,
        "craving_change": change(this_week["count"], last_week["count"]),
        "top_triggers_30_days": stats.top_triggers(
            con, utc_text(month_ago), utc_text(now + timedelta(seconds=1))
        ),
        "entries": stats.entry_count(con),
    }


def register(app: typer.Typer) -> None:
    from relapse_cli.cli.app import app_context

    @app.command("summary")
    def summary(ctx: typer.Context, as_json: JsonOpt = False) -> None:
        """Where you are: days since last use, streaks, this week's cravings, top triggers."""
        data = build_summary(app_context(ctx))
        if as_json:
            from relapse_cli.render.console import print_json

            print_json(data)
            return
        from relapse_cli.render.console import console
        from relapse_cli.render.summary import summary_panel

        console().print(summary_panel(data))

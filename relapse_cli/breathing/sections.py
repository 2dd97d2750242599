"""Exercises in the summary dashboard (MORE_SECTIONS) and the session report
(SECTION_BUILDERS, through ``share.formats.sections.exercises``).

Apart from breathing/commands.py so the dashboard and the codecs load no Typer options, and
registered in two halves (relapse_cli/kinds.py calls them): the summary loads only the
dashboard half, the codecs only the report half.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from datetime import date, datetime

    from relapse_cli.share.formats.job import ExportJob


def summary_section(con: sqlite3.Connection, first: date, last: date, now: datetime) -> dict | None:
    """``relapse summary``: exercises by mean urge drop over the period (only with data)."""
    from relapse_cli.breathing.store import by_exercise

    rows = by_exercise(
        con, first_day=str(first) if first else None, last_day=str(last) if last else None
    )
    if not rows:
        return None
    from relapse_cli.breathing.model import exercise_titles  # only with sessions to show
    from relapse_cli.breathing.view import drop_text

    titles = exercise_titles()
    lines = []
    for r in rows:
        lines.append((titles.get(r["exercise"], r["exercise"]), drop_text(r)))
    return {
        "key": "exercises",
        "title": "Exercises by mean urge drop",
        "lines": lines,
        "by_exercise": rows,
    }


def report_section(job: ExportJob) -> dict | None:
    """The HTML/Markdown report: exercises in the period, through sections.exercises()."""
    from relapse_cli.breathing.model import exercise_titles
    from relapse_cli.breathing.store import by_exercise
    from relapse_cli.core.timeparse import utc_text
    from relapse_cli.share.formats.sections import exercises as shape

    kinds = job.selection.kinds
    if kinds is not None and "exercise_sessions" not in kinds:
        return None
    since = utc_text(job.since) if job.since else None
    rows = by_exercise(job.con, since=since, until=utc_text(job.until))
    if not rows:
        return None
    titles = exercise_titles()
    items = [
        {
            "name": titles.get(r["exercise"], r["exercise"]),
            "times": r["times"],
            "completed": r["completed"],
            "urge_before": r["urge_before"],
            "urge_after": r["urge_after"],
        }
        for r in rows
    ]
    return shape(items)


def register_dashboard() -> None:
    """The dashboard's section (``relapse summary``, ``review``, the report's dashboard)."""
    from relapse_cli.insights.summary import add_section

    add_section(summary_section)


def register_report() -> None:
    """The HTML/Markdown report's section."""
    from relapse_cli.share.formats.sections import add_builders

    add_builders(report_section)

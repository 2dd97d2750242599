"""Thought records in the summary dashboard (MORE_SECTIONS) and the session report
(SECTION_BUILDERS, through ``share.formats.sections.thought_records``).

Apart from thoughts/commands.py so the dashboard and the codecs load no Typer options, and
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
    """The dashboard's thought-record lines (MORE_SECTIONS): records, traps, mood change."""
    from relapse_cli.thoughts import store

    rows = store.in_local_days(con, first.isoformat(), last.isoformat())
    if not rows:
        return None
    from relapse_cli.thoughts import model as domain  # only with records to show
    from relapse_cli.thoughts.view import change_words

    done = [r for r in rows if r["status"] == "complete"]
    drafts = len(rows) - len(done)
    lines = [
        (
            "Records",
            f"{len(done)} complete" + (f", {drafts} draft{'s' * (drafts != 1)}" if drafts else ""),
        )
    ]
    top = domain.trap_stats(done)[:3]
    if top:
        lines.append(
            ("Most frequent traps", ", ".join(f"{t['name']} ({t['records']})" for t in top))
        )
    drops = [d for d in map(domain.mood_drop, done) if d is not None]
    mean = round(sum(drops) / len(drops), 1) if drops else None
    if mean is not None:
        lines.append(("Mood change", f"{change_words(mean)} on average (0-100 ratings)"))
    return {
        "key": "thought_records",
        "title": "Thought records",
        "lines": lines,
        "records": len(done),
        "drafts": drafts,
        "mean_mood_drop": mean,
        "top_traps": [{"key": t["key"], "records": t["records"]} for t in top],
    }


def report_section(job: ExportJob) -> dict | None:
    """The HTML/Markdown report's thought records (SECTION_BUILDERS), oldest first."""
    from relapse_cli.share.formats import sections
    from relapse_cli.thoughts import model as domain
    from relapse_cli.thoughts import store

    kinds = job.selection.kinds
    if kinds is not None and "thought_records" not in kinds:
        return None
    # Every journal is migrated when opened (reviews load exports into a fresh one), so the
    # table is always there; an SQL error here is a bug to see, not a section to drop.
    rows = store.list_records(
        job.con, status="complete", since=job.selection.since, until=job.selection.until
    )
    items = []
    for r in reversed(rows):
        main = domain.main_mood(r)
        items.append(
            {
                "occurred_at": r["occurred_at"],
                "utc_offset_min": r["utc_offset_min"],
                "situation": r["situation"],
                "hot_thought": domain.hot_thought(r),
                "balanced_thought": r["balanced_thought"],
                "mood": main.mood if main else None,
                "mood_before": main.before if main else None,
                "mood_after": main.after if main else None,
            }
        )
    return sections.thought_records(items)


def register_dashboard() -> None:
    """The dashboard's section (``relapse summary``, ``review``, the report's dashboard)."""
    from relapse_cli.insights.summary import add_section

    add_section(summary_section)


def register_report() -> None:
    """The HTML/Markdown report's section."""
    from relapse_cli.share.formats.sections import add_builders

    add_builders(report_section)

"""Homework in the summary dashboard (MORE_SECTIONS) and the session report
(SECTION_BUILDERS, through the existing ``formats.sections.homework`` shaping function).

Both compute progress from the journal as of the end of their period, like ``relapse homework``.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from relapse_cli.domain.homework import bar


def _overlapping(items: list[dict], first: date | None, last: date) -> list[dict]:
    return [i for i in items if date.fromisoformat(i["start"]) <= last
            and (first is None or date.fromisoformat(i["due"]) >= first)]  # fmt: skip


def summary_section(con: sqlite3.Connection, first: date, last: date) -> dict | None:
    """Active assignments: one line per task with a bar, done/expected and plain words."""
    from relapse_cli.cli.homework_data import has_homework, status

    if not has_homework(con):
        return None
    items = _overlapping(status(con, last), first, last)
    if not items:
        return None
    lines = []
    for item in items:
        for t in item["tasks"]:
            label = t["id"] if len(items) == 1 else f"{item['title'][:20]}: {t['id']}"
            lines.append((label, f"{bar(t['share'], 10)} {t['done']}/{t['expected_total']} "
                                 f"{t['sentence']}"))  # fmt: skip
    return {"key": "homework", "title": "Homework", "lines": lines,
            "assignments": items}  # fmt: skip


def report_section(job) -> dict | None:  # noqa: ANN001 - formats.job.ExportJob
    from relapse_cli.cli.homework_data import has_homework, status
    from relapse_cli.formats.sections import homework

    kinds = job.selection.kinds
    if kinds is not None and "homework" not in kinds:
        return None
    if not has_homework(job.con):
        return None
    last = job.until.date()
    first = job.since.date() if job.since else None
    items = _overlapping(status(job.con, last, archived=None), first, last)
    rows = []
    for item in items:
        for t in item["tasks"]:
            rows.append({"title": f"{item['title']}: {t['description']}",
                         "due": t["deadline"], "done": t["status"] == "done",
                         "done_share": t["share"]})  # fmt: skip
    section = homework(rows)
    if items:
        section["intro"] = ("Computed from the journal as of the end of the period; "
                            "reflection answers are the only tasks marked by hand.")  # fmt: skip
    return section


def register() -> None:
    from relapse_cli.cli import summary
    from relapse_cli.formats import sections

    if summary_section not in summary.MORE_SECTIONS:
        summary.MORE_SECTIONS.append(summary_section)
    if report_section not in sections.SECTION_BUILDERS:
        sections.SECTION_BUILDERS.append(report_section)

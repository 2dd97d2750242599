"""Homework in the summary dashboard (MORE_SECTIONS) and the session report
(SECTION_BUILDERS, through the existing ``formats.sections.homework`` shaping function).

Both compute progress from the journal as of the end of their period, like ``relapse homework``.
"""

from __future__ import annotations

import sqlite3
from datetime import date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relapse_cli.homework.model.homework import AssignmentStatus, TaskStatus
    from relapse_cli.share.formats.job import ExportJob


def _overlapping(
    items: list[AssignmentStatus], first: date | None, last: date
) -> list[AssignmentStatus]:
    return [
        i
        for i in items
        if date.fromisoformat(i["start"]) <= last
        and (first is None or date.fromisoformat(i["due"]) >= first)
    ]


def _any_active(con: sqlite3.Connection) -> bool:
    """Whether ``status()`` has an assignment to list (a journal with the homework table and
    an active assignment in it): asked in SQL, so a dashboard without homework does not import
    the homework model (its dataclasses cost the summary's start-up a few ms)."""
    if con.execute("PRAGMA table_info([homework])").fetchone() is None:  # progress.has_homework
        return False
    row = con.execute("SELECT 1 FROM homework WHERE archived_at IS NULL LIMIT 1").fetchone()
    return row is not None


def summary_section(con: sqlite3.Connection, first: date, last: date, now: object) -> dict | None:
    """Active assignments: one line per task with a bar, done/expected and plain words."""
    if not _any_active(con):
        return None
    from relapse_cli.homework.model.homework import bar
    from relapse_cli.homework.progress import status

    items = _overlapping(status(con, last), first, last)
    if not items:
        return None
    lines = []
    for item in items:
        for t in item["tasks"]:
            label = t["id"] if len(items) == 1 else f"{item['title'][:20]}: {t['id']}"
            lines.append(
                (label, f"{bar(t['share'], 10)} {t['done']}/{t['expected_total']} {t['sentence']}")
            )
    from relapse_cli.homework.model.trackers import span

    for row in tracker_rows(con, first, last):
        n, days = row["values"], row["days"]
        lines.append(
            (
                f"{row['tracker']} (tracker)",
                f"{n} value{'s' * (n != 1)} on {days} "
                f"day{'s' * (days != 1)}, mean {row['mean']:.1f}, "
                f"{span(row['low'], row['high'])}",
            )
        )
    return {"key": "homework", "title": "Homework", "lines": lines, "assignments": items}


def report_section(job: ExportJob) -> dict | None:
    from relapse_cli.homework.progress import has_homework, status
    from relapse_cli.share.formats.sections import homework

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
        prefix = f"{item['title']}: " if len(items) > 1 else ""
        for t in item["tasks"]:
            rows.append(
                {
                    "title": prefix + t["description"],
                    "due": t["deadline"],
                    "done": t["status"] == "done",
                    "done_share": t["share"],
                }
            )
    section = homework(rows)
    for row, t in zip(section["rows"], (t for item in items for t in item["tasks"]), strict=True):
        row[2] = report_status(t)
        # The reflection's own words, not only "done": what the record is, so kept with
        # --no-notes too (README: a reflection answer stays; leave it out with --kinds).
        if t.get("answer"):
            row[0] = f"{row[0]} Answer: {t['answer']}"
    if items:
        head = ""
        if len(items) == 1:
            (item,) = items
            by = (item.get("assigned_by") or {}).get("name")
            head = (
                f"{item['title']}{f' ({by})' if by else ''}, "
                f"{_day(item['start'])} to {_day(item['due'])}. "
            )
        section["intro"] = head + "Counted from the journal; only reflections are marked by hand."
    return section


def _day(text: str) -> str:
    day = date.fromisoformat(text)
    return f"{day.day} {day:%b}"


def report_status(t: TaskStatus) -> str:
    """A task's state in a few plain words for the clinician (never a verdict on the person)."""
    done, so_far, total = t["done"], t["expected_so_far"], t["expected_total"]
    if t["status"] == "on_track" and not t.get("recurring"):
        return f"{done} of {total} so far" if done else "not yet"
    return {
        "done": "done",
        "on_track": f"on track, {done} of {so_far} so far" if so_far else "under way",
        "behind": f"{done} of {so_far} so far",
        "ended": f"ended with {done} of {total}",
        "overdue": "not done by its date",
        "not_started": "starts later",
    }.get(t["status"], "not yet")


_LOCAL_DAY = "date(occurred_at, utc_offset_min || ' minutes')"


def tracker_rows(con: sqlite3.Connection, first: date | None, last: date) -> list[dict]:
    """Per tracker, over local days first..last: values, days, mean, lowest, highest, last."""
    from relapse_cli.homework.store.homework import columns

    if "tracker" not in columns(con, "tracker_values"):
        return []
    where, args = f"{_LOCAL_DAY} <= ?", [last.isoformat()]
    if first:
        where += f" AND {_LOCAL_DAY} >= ?"
        args.append(first.isoformat())
    rows = con.execute(
        f"SELECT tracker, count(*), count(DISTINCT {_LOCAL_DAY}), avg(value), min(value), "  # noqa: S608
        f"max(value), (SELECT value FROM tracker_values l WHERE l.tracker = v.tracker AND "
        f"{where.replace('occurred_at', 'l.occurred_at').replace('utc_offset_min', 'l.utc_offset_min')} "
        f"ORDER BY l.occurred_at DESC LIMIT 1) FROM tracker_values v WHERE {where} "
        f"GROUP BY tracker ORDER BY tracker",
        [*args, *args],
    ).fetchall()
    return [
        {
            "tracker": r[0],
            "values": r[1],
            "days": r[2],
            "mean": r[3],
            "low": r[4],
            "high": r[5],
            "last": r[6],
        }
        for r in rows
    ]


def trackers_report(job: ExportJob) -> dict | None:
    """The counselor's trackers over the period (report section)."""
    from relapse_cli.homework.model.trackers import number, span

    kinds = job.selection.kinds
    if kinds is not None and "tracker_values" not in kinds and "homework" not in kinds:
        return None
    items = tracker_rows(job.con, job.since.date() if job.since else None, job.until.date())
    rows = [
        [
            i["tracker"],
            i["values"],
            i["days"],
            f"{i['mean']:.1f}",
            span(i["low"], i["high"]),
            number(i["last"]),
        ]
        for i in items
    ]
    return {
        "title": "Homework trackers",
        "head": ["tracker", "values", "days", "mean", "lowest-highest", "last"],
        "rows": rows,
        "numeric": [1, 2, 3, 5],
    }


def register_dashboard() -> None:
    """The dashboard's section (relapse_cli/kinds.py calls this, once)."""
    from relapse_cli.insights.summary import add_section

    add_section(summary_section)


def register_report() -> None:
    """The report's sections (relapse_cli/kinds.py calls this, once)."""
    from relapse_cli.share.formats.sections import add_builders

    add_builders(report_section, trackers_report)

"""Homework progress as plain data: journal reads in, domain progress out.

Glue shared by `relapse homework`, the summary dashboard (MORE_SECTIONS) and the reports
(SECTION_BUILDERS); no Typer, no Rich.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from relapse_cli.homework.model import homework as domain
from relapse_cli.homework.store import homework as store

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relapse_cli.homework.model.homework import AssignmentStatus, TaskStatus


def has_homework(con: sqlite3.Connection) -> bool:
    return bool(store.columns(con, "homework"))


def task_progress(
    con: sqlite3.Connection, item: dict, task: domain.Task, today: date, answers: dict[str, dict]
) -> domain.Progress:
    a: domain.Assignment = item["assignment"]
    if task.kind == "plan":
        return domain.progress(
            a,
            task,
            loaded=item["loaded_date"],
            today=today,
            count=store.plan_count(con, str(task.spec["section"])),
        )
    if task.kind == "reflection":
        answered = task.id in answers
        return domain.progress(
            a, task, loaded=item["loaded_date"], today=today, count=int(answered)
        )
    first = a.start if not task.recurring else domain.counting_start(a, item["loaded_date"])
    last = today if task.kind == "screener" and not task.recurring else min(today, a.due)
    days = store.counting_days(con, task, first, last) if last >= first else []
    return domain.progress(a, task, loaded=item["loaded_date"], today=today, days=days)


def status(
    con: sqlite3.Connection, today: date, *, archived: bool | None = False
) -> list[AssignmentStatus]:
    """Every assignment (active by default) with each task's progress, as plain data."""
    out: list[AssignmentStatus] = []
    for item in store.assignments(con, archived=archived):
        a: domain.Assignment = item["assignment"]
        answers = store.answers(con, item["uuid"])
        tasks: list[TaskStatus] = []
        for task in a.tasks:
            p = task_progress(con, item, task, today, answers)
            answer = answers.get(task.id)
            tasks.append(
                {
                    **p.as_dict(),
                    "id": task.id,
                    "description": domain.describe(task),
                    "how": domain.how_to(task),
                    "note": task.spec.get("note"),
                    "recurring": task.recurring,
                    "answer": answer["answer"] if answer else None,
                }
            )
        done = sum(t["done"] for t in tasks)
        expected = sum(t["expected_total"] for t in tasks)
        out.append(
            {
                "uuid": item["uuid"],
                "title": a.title,
                "assigned_by": a.assigned_by,
                "message": a.message,
                "start": a.start.isoformat(),
                "due": a.due.isoformat(),
                "loaded": item["loaded_date"].isoformat(),
                "archived": item["archived_at"] is not None,
                "finished": domain.is_finished(a, today),
                "days_left": (a.due - today).days,
                "tasks": tasks,
                "share": round(min(1.0, done / expected), 4) if expected else 0.0,
            }
        )
    return out

"""Homework on the terminal: an assignment preview, and progress with bars."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from relapse_cli.core.text import for_terminal
from relapse_cli.homework.model import homework as domain
from relapse_cli.render.console import safe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relapse_cli.homework.model.homework import AssignmentStatus


def _d(iso: str) -> str:
    from datetime import date

    day = date.fromisoformat(iso)
    return f"{day:%a} {day.day} {day:%b %Y}"


def _by(by: dict) -> str:
    parts = [by.get("name"), by.get("service"), by.get("contact")]
    return " · ".join(str(p) for p in parts if p)


def preview(a: domain.Assignment) -> Group:
    """What loading this file will ask of the person."""
    from relapse_cli.render.console import Fitted, Wrapped

    lines: list = [Text.from_markup(f"[bold]{safe(a.title)}[/bold]")]
    if a.assigned_by:
        lines.append(Wrapped(f"From: {safe(_by(a.assigned_by))}"))  # a phone number stays whole
    lines.append(
        Wrapped(
            Text(
                f"From {_d(a.start.isoformat())} to {_d(a.due.isoformat())} "
                f"({(a.due - a.start).days + 1} days)"
            )
        )
    )
    if a.message:
        lines.append(Wrapped(f"Message: {safe(a.message.strip())}"))
    table = Table(show_header=True, box=None, pad_edge=False)
    table.add_column("task")
    table.add_column("what it asks")
    table.add_column("how")
    for task in a.tasks:
        what = domain.describe(task)
        if task.kind == "tracker" and domain.scale_hint(task.spec):
            what += f" ({domain.scale_hint(task.spec)})"
        if task.spec.get("note"):
            what += f"\n{task.spec['note']}"
        table.add_row(safe(task.id), safe(what), safe(domain.how_to(task)))
    lines.append(Fitted(table, drop=("how",)))
    return Group(*lines)


def progress(items: list[AssignmentStatus]) -> Group:
    """Each active assignment: its tasks with a bar, done/expected, and plain words."""
    from relapse_cli.render import describe
    from relapse_cli.render.access import screen_reader

    spoken = screen_reader()  # issue 20: the bar as words, not glyphs
    parts: list = []
    for item in items:
        left = item["days_left"]
        if item["finished"]:
            when = f"ended {_d(item['due'])}"
        elif left == 0:
            when = "last day today"
        else:
            when = f"until {_d(item['due'])}, {left} day{'s' if left != 1 else ''} left"
        head = f"[bold]{safe(item['title'])}[/bold] ({when})"
        if item["assigned_by"].get("name"):
            head += f" · from {safe(item['assigned_by']['name'])}"
        parts.append(Text.from_markup(head))
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column()
        for t in item["tasks"]:
            words = Text(for_terminal(f"{t['id']}: {t['description']}"))  # counselor's words
            follow = t["sentence"]
            now = t.get("current")
            settled = now is not None and now["done"] >= now["expected"]
            if t["status"] not in ("done", "ended", "not_started") and t["how"] and not settled:
                follow += f" Next: {t['how']}"
            words.append("\n" + for_terminal(follow), style="dim")
            if spoken:  # "task: 3 of 7 done (43 %); what; how it goes", one line each
                what = f"{t['description'].rstrip('.')}. {follow}"  # counselor's words: Text
                table.add_row(
                    Text(for_terminal(t["id"])),
                    describe.progress(t["done"], t["expected_total"]),
                    Text(for_terminal(what)),
                )
                continue
            table.add_row(" " + domain.bar(t["share"]), f"{t['done']}/{t['expected_total']}", words)
        parts.append(table)
        parts.append(Text(""))
    return Group(*parts)

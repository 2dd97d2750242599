"""``relapse homework``: assignments a counselor writes once and a person follows.

Counselor: ``homework new`` (guided, or flags) writes a file; ``homework check FILE`` names
every problem with its line and a fix. Person: ``homework load FILE``, ``homework`` (progress
computed from the journal), ``homework answer TASK``, ``homework list``, ``homework archive``,
``homework remind`` (calendar file or crontab line), ``homework today`` (what is still open).
"""

from __future__ import annotations

import hashlib
import os
import sys
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from relapse_cli.cli.options import JsonOpt, YesOpt
from relapse_cli.cli.typer_build import app_context, make_typer
from relapse_cli.core.errors import BadInput, EnvironmentFault
from relapse_cli.core.text import say

if TYPE_CHECKING:
    import sqlite3
    from datetime import date

    from rich.console import Group

    from relapse_cli.cli.context import AppContext
    from relapse_cli.homework.model.file import Problem
    from relapse_cli.homework.model.homework import Assignment, AssignmentStatus, Task

MAX_FILE_BYTES = 256 * 1024
SHOW_FINISHED_DAYS = 7  # `relapse homework` keeps showing an ended assignment this long
FileArg = Annotated[
    str,
    typer.Argument(
        metavar="FILE", help="An assignment file (.toml); - reads stdin.", show_default=False
    ),
]
OutOpt = Annotated[
    str | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to this file (private, 0600)."),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")]
DiscreetOpt = Annotated[
    bool,
    typer.Option(
        "--discreet", help="Plain event titles ('Reminder') for calendars others can see."
    ),
]
MedsOpt = Annotated[
    bool,
    typer.Option("--meds", help="Add each scheduled dose from relapse meds (daily reminders)."),
]


def read_file(path: str) -> tuple[str, bytes]:
    """(name to show, raw bytes) of an assignment file, or stdin for '-'."""
    if path == "-":
        return "<stdin>", sys.stdin.buffer.read(MAX_FILE_BYTES + 1) if hasattr(
            sys.stdin, "buffer"
        ) else sys.stdin.read().encode("utf-8")
    if os.path.isdir(path):
        raise BadInput(f"{path} is a folder", "give the assignment file, e.g. week3.toml")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise BadInput(f"no such file: {path}", "check the name and folder") from None
    except OSError as exc:
        raise EnvironmentFault(f"cannot read {path}: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise BadInput(
            f"{path} is larger than {MAX_FILE_BYTES // 1024} KB; an assignment "
            "file is a few lines of text",
            "check you chose the right file",
        )
    return path, raw


def refuse(name: str, problems: list[Problem]) -> NoReturn:
    """Every problem to stderr with its line, then exit 2."""
    from relapse_cli.core.text import for_terminal

    for p in problems:
        sys.stderr.write(for_terminal(p.text(name), single_line=True) + "\n")
    n = len(problems)
    raise BadInput(f"{n} problem{'s' if n != 1 else ''} in {name}; nothing was loaded")


def checked(path: str) -> tuple[str, str, Assignment, dict]:
    """Read and check a file; any problem is refused (exit 2): (name, text, Assignment, data)."""
    from relapse_cli.homework.model.file import read

    name, raw = read_file(path)
    assignment, problems, data = read(raw)
    if problems:
        refuse(name, problems)
    assert assignment is not None  # read() gives an Assignment whenever there is no problem
    return name, raw.decode("utf-8-sig"), assignment, data


def _today(app: AppContext) -> date:
    return app.clock.now().date()


def show_progress(app: AppContext, as_json: bool) -> int:
    from relapse_cli.homework.progress import status

    today = _today(app)
    every = status(app.connect(), today)
    # Finished a week ago or more: kept in `homework list` (and reports), not on this screen.
    items = [i for i in every if i["days_left"] >= -SHOW_FINISHED_DAYS]
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(items)
        return 0
    from relapse_cli.render.console import console

    older = len(every) - len(items)
    if not items:
        say(
            "No homework running. When your counselor gives you a file: relapse homework load "
            "FILE" + (f" ({older} finished: relapse homework list)" if older else "")
        )
        return 0
    from relapse_cli.homework.view import progress

    console().print(progress(items))
    if older:
        say(f"{older} finished earlier: relapse homework list (or archive them)")
    return 0


def homework_cb(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Each task of your active homework: a bar, done/expected so far, days left."""
    if ctx.invoked_subcommand is None:
        raise typer.Exit(show_progress(app_context(ctx), as_json))


def check_cmd(ctx: typer.Context, path: FileArg, as_json: JsonOpt = False) -> int:
    """Check an assignment file: every problem with its line and a fix (exit 2 if any)."""
    from relapse_cli.homework.model.file import read

    name, raw = read_file(path)
    assignment, problems, _data = read(raw)
    if as_json:
        from relapse_cli.render.console import print_json

        print_json({"file": name, "ok": not problems, "problems": [p.as_dict() for p in problems]})
        return 2 if problems else 0
    if problems:
        refuse(name, problems)  # stdin cannot be read a second time
    assert assignment is not None
    n = len(assignment.tasks)
    say(
        f"{name}: a valid assignment, {n} task{'s' if n != 1 else ''}, "
        f"{assignment.start} to {assignment.due}."
    )
    return 0


def example_cmd() -> int:
    """Print an annotated example assignment (a start: relapse homework example > week.toml)."""
    from importlib import resources

    text = resources.files("relapse_cli.data").joinpath("homework_example.toml").read_text("utf-8")
    sys.stdout.write(text)
    return 0


def load_cmd(ctx: typer.Context, path: FileArg, yes: YesOpt = False) -> int:
    """Load an assignment file: shows what it will ask of you, then asks you to accept."""
    a = app_context(ctx)
    name, text, assignment, data = checked(path)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    con = a.connect()
    from relapse_cli.homework.store import homework as store
    from relapse_cli.homework.store import trackers

    same = store.find_loaded(con, sha)
    if same:
        raise BadInput(
            f"this assignment is already loaded ({same['title']!r})",
            "see it with: relapse homework",
        )
    from relapse_cli.render.console import console

    console().print(preview_of(assignment))
    taken = [t.tracker for t in assignment.tasks if t.tracker and trackers.tracker(con, t.tracker)]
    from relapse_cli.core.wrapping import fill

    for name_ in taken:
        say(
            fill(
                f"Tracker {name_!r} is already in use; this assignment's scale will be "
                "used from now on (earlier values are kept)."
            )
        )
    if not yes:
        if not a.interactive or path == "-":
            raise BadInput(
                "loading homework asks you to accept it first",
                "add --yes to accept without being asked",
            )
        try:
            answer = a.prompter.ask("Accept this homework?", hint="y/N")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            say("Not loaded. Nothing changed.")
            return 0
    from relapse_cli.core.timeparse import to_storage

    now = a.clock.now()
    at, offset = to_storage(now)
    uuid = store.insert(
        con,
        assignment,
        source=text,
        data=data,
        sha256=sha,
        loaded_at=at,
        offset_min=offset,
        loaded_date=now.date(),
    )
    first = max(assignment.start, now.date())
    say(
        fill(
            f"Loaded {assignment.title!r} · id {uuid[:8]}. Counting starts "
            f"{first:%a %-d %b}; see progress any time with: relapse homework"
        )
    )
    if any(t.recurring for t in assignment.tasks):
        say("Calendar reminders: relapse homework remind -o reminders.ics")
    return 0


def answer_cmd(
    ctx: typer.Context,
    task: Annotated[str, typer.Argument(metavar="TASK", help="The reflection task's id.")],
    text: Annotated[
        str | None,
        typer.Option(
            "--text",
            metavar="TEXT",
            help="Your answer ('-' reads stdin; otherwise you are asked).",
        ),
    ] = None,
    assignment: Annotated[
        str | None,
        typer.Option(
            "--assignment",
            "-a",
            metavar="N",
            help="Which assignment, when two have this task id.",
        ),
    ] = None,
) -> int:
    """Answer a reflection prompt in your own words (answering again replaces it)."""
    a = app_context(ctx)
    con = a.connect()
    item, task_obj = find_task(con, task, assignment)
    if task_obj.kind != "reflection":
        from relapse_cli.homework.model import homework as domain

        raise BadInput(
            f"{task!r} is not a reflection prompt; it is counted from your journal",
            f"do it with: {domain.how_to(task_obj)}",
        )
    if text == "-":
        answer = sys.stdin.read()
    elif text is not None:
        answer = text
    else:
        if not a.interactive:
            raise BadInput("no answer given", "add --text 'your answer' or --text - to read stdin")
        answer = ask_lines(a, str(task_obj.spec["prompt"]))
    answer = answer.strip()
    if not answer:
        raise BadInput(
            "the answer is empty; nothing saved", f"relapse homework answer {task} --text '...'"
        )
    from relapse_cli.core.timeparse import to_storage
    from relapse_cli.homework.store import homework as store

    at, offset = to_storage(a.clock.now())
    store.answer(con, item["uuid"], task_obj.id, answer, at, offset)
    say(f"Saved your answer to {task_obj.id!r} ({len(answer.split())} words).")
    return 0


def list_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> int:
    """Every assignment: active, finished and archived (numbers for archive)."""
    from relapse_cli.homework.progress import status

    a = app_context(ctx)
    items = status(a.connect(), _today(a), archived=None)
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(items)
        return 0
    if not items:
        say("No homework yet. Load a file with: relapse homework load FILE")
        return 0
    from rich.table import Table

    from relapse_cli.render.console import Fitted, console, safe

    # The columns the plain list always had; narrow, "no", "id" and "title" stay.
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="")
    for head, right, least in (
        ("no", True, 3),
        ("id", False, 8),
        ("state", False, 8),
        ("dates", False, 24),
        ("done", True, 5),
        ("title", False, 0),
    ):
        table.add_column(
            head,
            justify="right" if right else "left",
            min_width=least or None,
            no_wrap=head != "title",
        )
    for n, item in enumerate(items, start=1):
        state = "archived" if item["archived"] else "finished" if item["finished"] else "active"
        by = item["assigned_by"].get("name")
        title = item["title"] + (f" (from {by})" if by else "")
        table.add_row(
            str(n),
            item["uuid"][:8],
            state,
            f"{item['start']} to {item['due']}",
            f"{round(100 * item['share'])} %",
            safe(title, single_line=True),
        )
    console().print(Fitted(table, drop=("dates", "done", "state")))
    return 0


def archive_cmd(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="N|ID", help="Number or id from homework list.")],
    undo: Annotated[bool, typer.Option("--undo", help="Bring it back to the active list.")] = False,
) -> int:
    """Move an assignment out of the active list (it stays in history and exports)."""
    from relapse_cli.homework.store import homework as store

    a = app_context(ctx)
    con = a.connect()
    item = store.find(con, ref, archived=undo)
    store.archive(con, item["id"], undo=undo)
    title = item["assignment"].title
    say(f"{'Back in your active homework' if undo else 'Archived'}: {title!r}.")
    return 0


def today_cmd(
    ctx: typer.Context,
    notify: Annotated[
        bool,
        typer.Option(
            "--notify",
            help="Show a desktop notification (notify-send) if there is one; else print.",
        ),
    ] = False,
) -> int:
    """What is still open today (for a reminder: see homework remind --cron)."""
    from relapse_cli.homework.progress import status

    a = app_context(ctx)
    lines = open_today(status(a.connect(), _today(a)))
    text = ("Homework today: " + "; ".join(lines)) if lines else ""
    if not text:
        return 0
    if notify:
        import shutil
        import subprocess

        exe = shutil.which("notify-send")
        if exe:
            subprocess.run([exe, "relapse homework", text], check=False, timeout=10)
            return 0
    from relapse_cli.core.text import for_terminal

    say(for_terminal(text))
    return 0


def remind_cmd(
    ctx: typer.Context,
    output: OutOpt = None,
    cron: Annotated[bool, typer.Option("--cron", help="Print a crontab line instead.")] = False,
    force: ForceOpt = False,
    discreet: DiscreetOpt = False,
    meds: MedsOpt = False,
) -> int:
    """Calendar reminders (.ics, any calendar app) for each recurring task, or --cron."""
    from relapse_cli.homework.commands.reminders import homework_reminders

    if meds and cron:
        raise BadInput(
            "--meds goes into the calendar file, not the crontab line",
            "relapse homework remind --meds -o reminders.ics",
        )
    return homework_reminders(
        app_context(ctx), output, cron=cron, force=force, discreet=discreet, meds=meds
    )


def new_cmd(
    ctx: typer.Context,
    output: OutOpt = None,
    force: ForceOpt = False,
    template: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="FILE",
            help="Start from an existing assignment (e.g. last week's).",
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", metavar="TEXT", help='The assignment\'s title, e.g. "Week 1".'),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", metavar="DATE", help="First day (YYYY-MM-DD; default today)."),
    ] = None,
    due: Annotated[
        str | None,
        typer.Option(
            "--due", metavar="DATE", help="Last day (YYYY-MM-DD; default start + 13 days)."
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", metavar="TEXT", help="Your name.")] = None,
    service: Annotated[
        str | None,
        typer.Option("--service", metavar="TEXT", help="Your service or clinic (optional)."),
    ] = None,
    contact: Annotated[
        str | None,
        typer.Option(
            "--contact",
            metavar="TEXT",
            help="How the person reaches you, e.g. a phone number (optional).",
        ),
    ] = None,
    message: Annotated[
        str | None,
        typer.Option(
            "--message",
            metavar="TEXT",
            help="A short message shown to the person with the tasks (optional).",
        ),
    ] = None,
    tasks: Annotated[
        list[str] | None,
        typer.Option(
            "--task",
            metavar="KIND[:k=v,...]",
            help="A task (repeatable): cravings; thought_records:per_week=2; "
            "breathing:exercise=box,minutes=4,per_week=5; screener:instrument=phq9,"
            "every_weeks=2; plan:section=coping; reflection:prompt=...; "
            "tracker:name=pain,min=0,max=10.",
        ),
    ] = None,
) -> int:
    """Write an assignment file (counselors): a short guided flow, or flags."""
    from relapse_cli.homework.commands.new import new_assignment

    return new_assignment(
        app_context(ctx),
        output=output,
        force=force,
        template=template,
        fields={
            "title": title,
            "start": start,
            "due": due,
            "name": name,
            "service": service,
            "contact": contact,
            "message": message,
        },
        tasks=list(tasks or []),
    )


def remind_top(
    ctx: typer.Context,
    risky: Annotated[
        bool,
        typer.Option(
            "--risky",
            help="A weekly alarm 30 minutes before each of your three riskiest times of the week.",
        ),
    ] = False,
    homework_: Annotated[
        bool,
        typer.Option(
            "--homework", help="Reminders for your homework (same as relapse homework remind)."
        ),
    ] = False,
    meds: MedsOpt = False,
    output: OutOpt = None,
    force: ForceOpt = False,
    discreet: DiscreetOpt = False,
) -> int:
    """Calendar files (.ics) with reminders: --risky (your riskiest times), or --homework
    and/or --meds (your scheduled doses)."""
    from relapse_cli.homework.commands import reminders

    a = app_context(ctx)
    if risky == (homework_ or meds):
        raise BadInput(
            "choose --risky, or --homework and/or --meds", "relapse remind --risky -o risky.ics"
        )
    if risky:
        return reminders.risky_reminders(a, output, force=force, discreet=discreet)
    return reminders.homework_reminders(
        a, output, cron=False, force=force, discreet=discreet, homework=homework_, meds=meds
    )


def register(app: typer.Typer) -> None:
    """Attach the homework commands (``relapse homework ...``) and ``relapse remind``."""
    hw = make_typer(
        help="Homework from your counselor: load a file, see progress computed from "
        "your journal, answer reflections, set reminders."
    )

    hw.callback(invoke_without_command=True)(homework_cb)
    hw.command("check")(check_cmd)
    hw.command("example")(example_cmd)
    hw.command("load")(load_cmd)
    hw.command("answer")(answer_cmd)
    hw.command("list")(list_cmd)
    hw.command("archive")(archive_cmd)
    hw.command("today")(today_cmd)
    hw.command("remind")(remind_cmd)
    hw.command("new")(new_cmd)
    app.add_typer(hw, name="homework")  # its sections: relapse_cli/kinds.py
    app.command("remind")(remind_top)


def preview_of(assignment: Assignment) -> Group:
    from relapse_cli.homework.view import preview

    return preview(assignment)


def find_task(con: sqlite3.Connection, task: str, assignment: str | None) -> tuple[dict, Task]:
    """(assignment item, Task) for a task id among active assignments."""
    from relapse_cli.core.errors import NotFound
    from relapse_cli.homework.store import homework as store

    pool = [store.find(con, assignment, archived=False)] if assignment else store.assignments(con)
    found = [(item, t) for item in pool for t in item["assignment"].tasks if t.id == task.strip()]
    if not found:
        ids = sorted(
            {t.id for item in pool for t in item["assignment"].tasks if t.kind == "reflection"}
        )
        hint = ("reflection tasks: " + ", ".join(ids)) if ids else "no reflection task is active"
        raise NotFound(f"no active homework task {task!r}", hint)
    if len(found) > 1:
        raise BadInput(
            f"{len(found)} active assignments have a task {task!r}",
            "choose one with --assignment N (see relapse homework list)",
        )
    return found[0]


def ask_lines(app: AppContext, prompt: str) -> str:
    """Ask for a free-text answer, line by line, until an empty line."""
    app.prompter.say(prompt)
    app.prompter.say("Type your answer; press Enter on an empty line to finish.")
    lines: list[str] = []
    while True:
        try:
            line = app.prompter.ask(">")
        except EOFError:
            break
        if not line.strip():
            if lines:
                break
            continue
        lines.append(line)
    return "\n".join(lines)


def open_today(items: list[AssignmentStatus]) -> list[str]:
    """Recurring tasks whose current day (or week) is not yet done."""
    out = []
    for item in items:
        if item["finished"]:
            continue
        for t in item["tasks"]:
            if not t["recurring"] or t["status"] in ("done", "not_started"):
                continue
            now = t.get("current")
            if now is None or now["done"] >= now["expected"]:
                continue
            if now["first"] == now["last"]:
                out.append(t["description"])
            else:
                out.append(
                    f"{t['description']} ({now['done']} of {now['expected']} so far this week)"
                )
    return out

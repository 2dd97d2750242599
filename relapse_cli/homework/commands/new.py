"""``relapse homework new``: a counselor writes an assignment file (guided, or with flags).

The file is written as commented TOML and read back through the same checks as
``homework check`` before it is saved, so what this writes always loads.
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta

from relapse_cli.core.errors import BadInput
from relapse_cli.core.text import plain_digits, say
from relapse_cli.homework.model import homework as domain

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from relapse_cli.cli.context import AppContext

DEFAULT_DAYS = 14
TASK_EXAMPLE = "e.g. --task cravings --task thought_records:per_week=2"
_ASK_KINDS = ", ".join(domain.KINDS)
# How many questions the guided flow asks about one task of each kind (``_ask_task``), so a
# screen reader hears "task 2, question 1 of 3" (issue 20); tests/test_screen_reader.py runs
# every kind and checks the last question said is "N of N".
TASK_QUESTIONS = {
    "thought_records": 1,
    "breathing": 3,
    "screener": 2,
    "plan": 2,
    "reflection": 1,
    "tracker": 5,
}


def _no_where() -> None:
    """The normal view: the questions are on screen, so nothing says where the flow is."""


# --------------------------------------------------------------------------- writing TOML


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {_value(x)}" for k, x in v.items()) + " }"
    text = json.dumps(str(v), ensure_ascii=False)
    return text.replace("\x7f", "\\u007f")  # JSON leaves DEL raw; TOML does not allow it


_DATES = ("start", "due", "by")


def to_toml(data: dict) -> str:
    """An assignment as commented TOML, in the order a reader wants it."""
    out = [
        "# A homework assignment for relapse-cli. Check it with: relapse homework check FILE",
        "# Load it with: relapse homework load FILE",
        "format = 1",
    ]
    for key in ("title", "start", "due", "message"):
        if data.get(key) is not None:
            out.append(f"{key} = {data[key] if key in _DATES else _value(data[key])}")
    out += ["", "[assigned_by]"]
    for key, value in (data.get("assigned_by") or {}).items():
        if value:
            out.append(f"{key} = {_value(value)}")
    for task in data.get("tasks") or []:
        out += ["", f"[[tasks]]  # {domain.describe(domain.Task(task['id'], task['kind'], task))}"]
        for key, value in task.items():
            out.append(f"{key} = {value if key in _DATES else _value(value)}")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- flags


def _scalar(text: str) -> object:
    t = text.strip()
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    try:
        return int(t)
    except ValueError:
        pass
    try:
        return float(t)
    except ValueError:
        return t


TEXT_KEYS = ("id", "by", "exercise", "instrument", "section", "name", "unit", "remind_at")


def parse_task(text: str, taken: set[str]) -> dict:
    """'breathing:exercise=box,minutes=4,per_week=5' -> a task table (prompt= takes the rest)."""
    kind, _sep, rest = text.strip().partition(":")
    kind = kind.strip().lower()
    if kind not in domain.KINDS:
        raise BadInput(f"--task {text!r}: unknown kind {kind!r}", f"kinds: {_ASK_KINDS}")
    task: dict = {"id": "", "kind": kind}
    labels: dict[str, str] = {}
    while rest:
        key, eq, value = rest.partition("=")
        key = key.strip()
        if not eq or not key:
            raise BadInput(f"--task {text!r}: expected key=value after {kind}:", TASK_EXAMPLE)
        if key in ("prompt", "title", "note"):
            task[key], rest = value.strip(), ""
            continue
        value, _c, rest = value.partition(",")
        if key.startswith("label."):
            labels[key[6:]] = value.strip()
        elif key == "remind_days":
            task[key] = [d.strip().lower() for d in value.split("+") if d.strip()]
        elif key in TEXT_KEYS:  # exercise=478 is a name, not a number
            task[key] = value.strip()
        else:
            task[key] = _scalar(value)
    if labels:
        task["labels"] = labels
    task["id"] = str(task.get("id") or _new_id(kind, task, taken))
    taken.add(task["id"])
    return {"id": task.pop("id"), **task}


def tracker_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a tracker (one sentence for the counselor), or None.

    The same rules as the file check (lower case, one word, not a built-in kind or its plural):
    the guided flow says what is wrong instead of silently changing what was typed.
    """
    import re

    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,23}", name):
        return f"Use one lower-case word (letters, digits, - or _), e.g. pain; {name!r} is not one."
    kind = domain.reserved_name(name)
    if kind is not None:
        return (
            f"{name!r} collides with the built-in kind {kind!r} (relapse log {kind}); "
            "choose another name, e.g. pain."
        )
    return None


def _new_id(kind: str, task: dict, taken: set[str]) -> str:
    base = str(task.get("name") or task.get("instrument") or kind).replace("_", "-")
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(
            f"{what} {text!r} is not a date", f"write it as YYYY-MM-DD, e.g. {what} 2026-11-30"
        ) from None


# --------------------------------------------------------------------------- guided


def _ask(
    app: AppContext,
    question: str,
    *,
    hint: str = "",
    default: str | None = None,
    required: bool = False,
) -> str:
    while True:
        answer = app.prompter.ask(question, hint=hint or (default or "")).strip()
        if not answer and default is not None:
            return default
        if answer or not required:
            return answer
        app.prompter.say("This one is needed.")


def _ask_choice(
    app: AppContext, question: str, choices: list[str], default: str | None = None
) -> str:
    while True:
        answer = _ask(
            app,
            question,
            hint="/".join(choices) if len(choices) < 6 else (default or ""),
            default=default,
            required=True,
        ).lower()
        if answer in choices:
            return answer
        app.prompter.say("Please type one of: " + ", ".join(choices))


def _ask_date(app: AppContext, question: str, default: date) -> date:
    while True:
        answer = _ask(app, question, default=default.isoformat())
        try:
            return date.fromisoformat(answer)
        except ValueError:
            app.prompter.say("Please type a date as YYYY-MM-DD, e.g. 2026-11-30.")


def _ask_task(
    app: AppContext, kind: str, taken: set[str], where: Callable[[], None] = _no_where
) -> dict:
    """One task's questions; ``where()`` is called before each (screen-reader mode says it)."""
    from relapse_cli.core.prompter import ask_number

    task: dict = {"kind": kind}
    if kind == "thought_records":
        where()
        task["per_week"] = ask_number(app.prompter, "How many a week", 1, 21, required=True)
    elif kind == "breathing":
        where()
        task["exercise"] = _ask_choice(
            app,
            "Which exercise (" + ", ".join(domain.EXERCISES) + ")",
            list(domain.EXERCISES),
            "any",
        )
        where()
        minutes = ask_number(app.prompter, "At least how many minutes", 1, 60)
        if minutes is not None:
            task["minutes"] = minutes
        where()
        per_week = ask_number(
            app.prompter, "How many times a week (Enter: every day)", 1, 49, skip=""
        )
        if per_week is not None:
            task["per_week"] = per_week
    elif kind == "screener":
        where()
        task["instrument"] = _ask_choice(app, "Which screener", list(domain.INSTRUMENTS))
        where()
        while True:
            when = _ask(
                app, "By a date (YYYY-MM-DD), or every how many weeks (a number)", required=True
            )
            if plain_digits(when) and 1 <= int(when) <= 8:
                task["every_weeks"] = int(when)
                break
            try:
                task["by"] = date.fromisoformat(when).isoformat()
                break
            except ValueError:
                app.prompter.say("Type a date like 2026-11-30, or a number of weeks like 2.")
    elif kind == "plan":
        where()
        task["section"] = _ask_choice(
            app,
            "Which plan section (" + ", ".join(domain.PLAN_SECTIONS) + ")",
            list(domain.PLAN_SECTIONS),
        )
        where()
        task["min_items"] = ask_number(app.prompter, "At least how many items", 1, 50) or 1
    elif kind == "reflection":
        where()
        task["prompt"] = _ask(app, "The question to reflect on", required=True)
    elif kind == "tracker":
        where()
        while True:
            name = _ask(app, "Tracker name (one lower-case word, e.g. pain)", required=True)
            problem = tracker_name_problem(name)
            if problem is None:
                task["name"] = name
                break
            app.prompter.say(problem)
        where()
        task["min"] = ask_number(app.prompter, "Lowest value", -1000, 100000, required=True)
        where()
        while True:
            high = ask_number(app.prompter, "Highest value", -1000, 100000, required=True)
            if high is not None and high > task["min"]:
                task["max"] = high
                break
            app.prompter.say("The highest value must be above the lowest.")
        where()
        unit = _ask(app, "Unit (e.g. minutes; Enter to skip)")
        if unit:
            task["unit"] = unit
        where()
        labels = _ask(app, "Labels, e.g. 0=none, 10=worst (Enter to skip)")
        if labels:
            task["labels"] = {
                k.strip(): v.strip()
                for k, _e, v in (p.partition("=") for p in labels.split(","))
                if k.strip()
            }
    task = {"id": _new_id(kind, task, taken), **task}
    taken.add(task["id"])
    return task


def guided(app: AppContext, data: dict, today: date) -> dict:
    """Ask for whatever the flags and template left out."""
    from relapse_cli.render.access import screen_reader

    say = app.prompter.say
    spoken = screen_reader()  # issue 20: a screen reader hears where the flow is
    say(
        "A new homework assignment. Press Enter to accept the value in [brackets]; Ctrl-C stops "
        "without writing anything."
    )
    by = data.setdefault("assigned_by", {})
    # The questions about the assignment itself: only those the flags and template left out.
    asked = [not data.get("title"), not data.get("start"), not data.get("due")]
    if not by.get("name"):
        asked += [True, True, True, not data.get("message")]
    total, number = sum(asked), 0

    def where() -> None:
        nonlocal number
        number += 1
        if spoken:
            say(f"Question {number} of {total}.")

    if not data.get("title"):
        where()
        data["title"] = _ask(app, "Title", required=True)
    if data.get("start"):
        start = date.fromisoformat(data["start"])
    else:
        where()
        start = _ask_date(app, "Start", today)
    data["start"] = start.isoformat()
    if not data.get("due"):
        where()
        data["due"] = _ask_date(
            app, "Due (last day)", start + timedelta(days=DEFAULT_DAYS - 1)
        ).isoformat()
    if not by.get("name"):
        where()
        by["name"] = _ask(app, "Your name", required=True)
        for key in ("service", "contact"):
            where()
            value = _ask(app, f"Your {key} (Enter to skip)")
            if value:
                by[key] = value
        if not data.get("message"):
            where()
            message = _ask(app, "A message to the person (Enter to skip)")
            if message:
                data["message"] = message
    tasks = data.setdefault("tasks", [])
    taken = {t["id"] for t in tasks}
    say("Tasks: " + _ASK_KINDS + ".")
    while True:
        if spoken:  # tasks are open-ended: their number, then each one's questions "N of M"
            say(f"Task {len(tasks) + 1}" + ("; Enter when done." if tasks else "."))
        kind = _ask(
            app,
            "Add a task (a kind above; Enter when done)" if tasks else "Add a task (a kind above)",
            required=not tasks,
        ).lower()
        if not kind:
            return data
        if kind not in domain.KINDS:
            say("Please type one of: " + _ASK_KINDS)
            continue
        step = {"n": 0, "of": TASK_QUESTIONS.get(kind, 0), "task": len(tasks) + 1}

        def task_where(step: dict = step) -> None:
            step["n"] += 1
            if spoken:
                say(f"Task {step['task']}, question {step['n']} of {step['of']}.")

        tasks.append(_ask_task(app, kind, taken, task_where))


# --------------------------------------------------------------------------- the command


def new_assignment(
    app: AppContext,
    *,
    output: str | None,
    force: bool,
    template: str | None,
    fields: dict,
    tasks: list[str],
) -> int:
    from relapse_cli.core.files import write_private
    from relapse_cli.core.text import for_terminal
    from relapse_cli.homework.commands.homework import checked
    from relapse_cli.homework.model.file import read

    today = app.clock.now().date()
    data: dict = {}
    if template:
        _n, _t, old, data = checked(template)
        length = (old.due - old.start).days
        data.pop("format", None)
        start = _date(fields["start"], "--start") if fields.get("start") else today
        data["start"] = start.isoformat()
        data["due"] = (start + timedelta(days=length)).isoformat()
        shift = start - old.start
        for task in data.get("tasks", []):  # a screener "by" moves with the dates
            if task.get("by"):
                task["by"] = (date.fromisoformat(task["by"]) + shift).isoformat()
    for key in ("title", "message"):
        if fields.get(key):
            data[key] = fields[key]
    if fields.get("start"):
        data["start"] = _date(fields["start"], "--start").isoformat()
    if fields.get("due"):
        data["due"] = _date(fields["due"], "--due").isoformat()
    by = dict(data.get("assigned_by") or {})
    for key in ("name", "service", "contact"):
        if fields.get(key):
            by[key] = fields[key]
    data["assigned_by"] = by
    taken = {t["id"] for t in data.get("tasks", [])}
    if tasks:
        data["tasks"] = (
            [parse_task(t, taken) for t in tasks]
            if not template
            else [*data.get("tasks", []), *(parse_task(t, taken) for t in tasks)]
        )
    complete = data.get("title") and by.get("name") and data.get("tasks")
    if not complete:
        if not app.interactive:
            missing = [
                f
                for f, ok in (
                    ("--title", data.get("title")),
                    ("--name", by.get("name")),
                    ("--task", data.get("tasks")),
                )
                if not ok
            ]
            raise BadInput(
                f"without a terminal, give {', '.join(missing)}",
                'e.g. relapse homework new --title "Week 1" --name "Alex" '
                "--task cravings -o week1.toml",
            )
        try:
            data = guided(app, data, today)
        except EOFError:
            raise BadInput(
                "the input ended before the assignment was complete; nothing written",
                "run it again, or give --title, --name and --task",
            ) from None
    data.setdefault("start", today.isoformat())
    data.setdefault(
        "due", (date.fromisoformat(data["start"]) + timedelta(days=DEFAULT_DAYS - 1)).isoformat()
    )
    text = to_toml(
        {
            "title": data["title"],
            "start": data["start"],
            "due": data["due"],
            "message": data.get("message"),
            "assigned_by": data["assigned_by"],
            "tasks": data["tasks"],
        }
    )
    _a, problems, _d = read(text)
    if problems:
        for p in problems:
            sys.stderr.write(for_terminal(p.text("<new assignment>"), single_line=True) + "\n")
        raise BadInput(
            "the assignment has problems; nothing was written", "fix the flags named above"
        )
    if output is None or output == "-":
        sys.stdout.write(text)
        return 0
    write_private(output, text, force=force)
    n = len(data["tasks"])
    say(
        f"Wrote {output}: {n} task{'s' if n != 1 else ''}. Check it with: relapse homework "
        f"check {output}; the person loads it with: relapse homework load {output}"
    )
    return 0

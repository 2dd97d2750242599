"""Reading an assignment file: TOML text in, an Assignment or a list of problems out.

Every problem names its line and a fix, because the person reading it is a counselor with a
text editor, not a programmer. Two passes, both pure:

1. Structure: the packaged JSON Schema (``data/homework.schema.json``, Draft 2020-12), checked
   with ``jsonschema``; each error is turned into plain words by the kind of rule it broke.
2. Meaning: what a schema cannot say well (due before start, a range 10 to 0, duplicate ids,
   a screener both "by" a date and "every" N weeks, labels outside the range, ...).

``tomllib`` gives no positions, so ``key_lines`` finds them by scanning the text: table headers
(``[assigned_by]``, ``[[tasks]]``, ``[tasks.labels]``) and ``key = value`` lines, skipping
multi-line strings. That is enough for the small, flat format this is (``tomlkit`` keeps
positions only indirectly, through its own document objects, and would be one more runtime
dependency for the same answer).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources

from relapse_cli.core import tomlread
from relapse_cli.core.timeparse import is_iso_day
from relapse_cli.homework.model.homework import (
    EXERCISES,
    INSTRUMENTS,
    KINDS,
    PLAN_SECTIONS,
    Assignment,
    Task,
    reserved_name,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeGuard

MAX_DAYS = 366
EXAMPLE_LINE = "see the annotated example: relapse homework example"


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
    fix: str

    def text(self, name: str) -> str:
        return f"{name}:{self.line}: {self.message}. Fix: {self.fix}"

    def as_dict(self) -> dict:
        return {"line": self.line, "problem": self.message, "fix": self.fix}


def schema() -> dict:
    text = resources.files("relapse_cli.data").joinpath("homework.schema.json").read_text("utf-8")
    return json.loads(text)


# --------------------------------------------------------------------------- positions

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r'^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\'))*)\s*='
)


def _parts(dotted: str) -> tuple[str, ...]:
    out = []
    for piece in re.findall(r'"[^"]*"|\'[^\']*\'|[^.\s]+', dotted):
        out.append(piece[1:-1] if piece[:1] in "\"'" else piece)
    return tuple(out)


def key_lines(text: str) -> dict[tuple, int]:
    """Line number (1-based) of every table and key, by path: ('tasks', 2, 'max') -> 31."""
    lines: dict[tuple, int] = {}
    prefix: tuple = ()
    arrays: dict[tuple, int] = {}
    in_string: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if in_string:
            if raw.count(in_string) % 2 == 1:
                in_string = None
            continue
        header = _HEADER.match(raw)
        if header and not _KEY.match(raw):
            names = _parts(header.group(2))
            if header.group(1) == "[[":
                index = arrays.get(names, -1) + 1
                arrays[names] = index
                prefix = (*names, index)
            else:
                # [tasks.labels] belongs to the latest [[tasks]]
                resolved: tuple = ()
                for name in names:
                    resolved = (*resolved, name)
                    if resolved in arrays:
                        resolved = (*resolved, arrays[resolved])
                prefix = resolved
            lines.setdefault(prefix, number)
            continue
        key = _KEY.match(raw)
        if key:
            path = (*prefix, *_parts(key.group(1)))
            for end in range(len(prefix) + 1, len(path) + 1):
                lines.setdefault(path[:end], number)
            rest = raw[key.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_string = quote
    return lines


def line_of(lines: dict[tuple, int], path: tuple) -> int:
    """The line of the longest known prefix of ``path`` (1 when nothing matches)."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1


# --------------------------------------------------------------------------- reading


def _plain(value: object) -> object:
    """TOML values as JSON-like data: dates as ISO text (a date with a time stays visible)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_DATE_LIKE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*=\s*(\d{4}-\d{1,2}-\d{1,2}[^\s#]*)")


def _toml_problem(exc: Exception, text: str = "") -> Problem:
    message = str(exc)
    found = re.search(r"\(at line (\d+), column (\d+)\)", message)
    line = int(found.group(1)) if found else 1
    source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    dated = _DATE_LIKE.match(source)
    if dated and not is_iso_day(dated.group(2)):  # tomllib: "expected newline" for 2026-13-45
        key, value = dated.groups()
        return Problem(
            line,
            f"{key} is not a real date: {value}",
            f"write it as YYYY-MM-DD with a real day, e.g. {key} = 2026-11-30",
        )
    what = re.sub(r"\s*\(at line \d+, column \d+\)", "", message).rstrip(".")
    if what.lower().startswith("invalid date") or "date" in what.lower():
        fix = "write dates as YYYY-MM-DD with a real day, e.g. due = 2026-11-30"
    else:
        fix = (
            'each line is key = value, text in "double quotes", tables as [assigned_by] '
            "and [[tasks]]; " + EXAMPLE_LINE
        )
    return Problem(line, f"not valid TOML ({what[:1].lower()}{what[1:]})", fix)


def read(text: str | bytes) -> tuple[Assignment | None, list[Problem], dict]:
    """Parse and check an assignment file: (assignment or None, problems by line, data)."""
    if isinstance(text, bytes):
        if b"\x00" in text[:4096]:
            return (
                None,
                [
                    Problem(
                        1,
                        "this is not a text file (it holds binary data)",
                        "save the assignment as plain text (.toml); " + EXAMPLE_LINE,
                    )
                ],
                {},
            )
        encoded = text
        try:
            text = encoded.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = encoded[: exc.start].count(b"\n") + 1
            return (
                None,
                [Problem(line, "this is not UTF-8 text", "save the file as UTF-8 plain text")],
                {},
            )
    text = text.removeprefix("\ufeff")
    try:
        raw = tomlread.loads(text)
    except tomlread.TooDeep as exc:
        return (
            None,
            [
                Problem(
                    1,
                    f"this file is {exc}; an assignment file is a few tables",
                    "check you chose the right file; " + EXAMPLE_LINE,
                )
            ],
            {},
        )
    except tomlread.TOMLDecodeError as exc:
        return None, [_toml_problem(exc, text)], {}
    data = _plain(raw)
    assert isinstance(data, dict)
    lines = key_lines(text)
    problems = _structure(data, lines)
    problems = _dedupe(problems + _meaning(data, lines))
    if problems:
        return None, problems, data
    return build(data), [], data


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set = set()
    out = []
    for p in sorted(problems, key=lambda p: p.line):
        if (p.line, p.message) not in seen:
            seen.add((p.line, p.message))
            out.append(p)
    return out


def build(data: dict) -> Assignment:
    """An Assignment from checked data (as ``read`` returns it, or as stored)."""
    tasks = tuple(Task(str(t["id"]), str(t["kind"]), dict(t)) for t in data["tasks"])
    return Assignment(
        title=str(data["title"]),
        start=date.fromisoformat(data["start"]),
        due=date.fromisoformat(data["due"]),
        tasks=tasks,
        message=data.get("message"),
        assigned_by=dict(data.get("assigned_by") or {}),
    )


# --------------------------------------------------------------------------- structure

_TYPE_WORDS = {
    "string": 'text in "quotes"',
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a table",
    "array": "a list [ ... ]",
}
_MISSING_FIX = {
    "title": 'add a line near the top: title = "Week 3: noticing the pull"',
    "start": "add a line near the top: start = 2026-11-23",
    "due": "add a line near the top: due = 2026-12-06",
    "assigned_by": 'add a table: [assigned_by] with name = "Your name"',
    "tasks": "add at least one task: [[tasks]] with id and kind",
    "name": 'add: name = "..."',
    "id": 'give the task a short id: id = "cravings"',
    "kind": "say what the task is: kind = " + " | ".join(KINDS),
    "per_week": "say how many a week: per_week = 2",
    "exercise": "say which exercise: exercise = " + " | ".join(EXERCISES),
    "instrument": "say which screener: instrument = " + " | ".join(INSTRUMENTS),
    "section": "say which plan section: section = " + " | ".join(PLAN_SECTIONS),
    "prompt": 'write the question: prompt = "List three situations ..."',
    "min": "give the lowest value: min = 0",
    "max": "give the highest value: max = 10",
}
_PATTERN_FIX = {
    "id": 'use lower-case letters, digits, - or _ (at most 32), e.g. id = "breathing-1"',
    "name": 'use one lower-case word (letters, digits, - or _), e.g. name = "pain"',
    "remind_at": 'use 24-hour HH:MM, e.g. remind_at = "19:30"',
}


def _where(path: tuple) -> str:
    if len(path) >= 2 and path[0] == "tasks" and isinstance(path[1], int):
        rest = ".".join(str(p) for p in path[2:])
        return f"task {path[1] + 1}" + (f": {rest}" if rest else "")
    return ".".join(str(p) for p in path) or "the file"


def _structure(data: dict, lines: dict) -> list[Problem]:
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date")(is_iso_day)
    validator = jsonschema.Draft202012Validator(schema(), format_checker=checker)
    out = []
    for err in validator.iter_errors(data):
        out.extend(_explain(err, data, lines))
    return out


def _explain(err, data: dict, lines: dict) -> list[Problem]:  # noqa: ANN001 - jsonschema error
    path = tuple(err.absolute_path)
    name = str(path[-1]) if path else ""
    where = _where(path)
    v = err.validator
    if v == "required":
        present = err.instance if isinstance(err.instance, dict) else {}
        out = []
        for key in err.validator_value:
            if key not in present:
                kind = present.get("kind")
                what = f"a {kind} task" if kind else where
                out.append(
                    Problem(
                        line_of(lines, path),
                        f"{what} is missing `{key}`",
                        _MISSING_FIX.get(key, f"add {key} = ..."),
                    )
                )
        return out
    line = line_of(lines, path)
    if v == "additionalProperties":
        allowed = err.schema.get("properties", {})
        extra = [k for k in err.instance if k not in allowed]
        out = []
        for key in extra:
            kind = err.instance.get("kind") if isinstance(err.instance, dict) else None
            owner = f"a {kind} task" if kind else where
            out.append(
                Problem(
                    line_of(lines, (*path, key)),
                    f"`{key}` is not a key of {owner}",
                    "remove it or use one of: " + ", ".join(allowed),
                )
            )
        return out
    if v == "enum" and name == "kind":
        return [
            Problem(line, f"unknown task kind {err.instance!r}", "use one of: " + ", ".join(KINDS))
        ]
    if v == "enum":
        choices = ", ".join(str(c) for c in err.validator_value)
        return [
            Problem(
                line,
                f"{where} = {err.instance!r} is not one of the choices",
                f"use one of: {choices}",
            )
        ]
    if v == "format":
        if isinstance(err.instance, str) and "T" in err.instance:
            return [
                Problem(
                    line,
                    f"{where} has a time ({err.instance}); it should be a date",
                    f"{name} = {err.instance[:10]}",
                )
            ]
        return [
            Problem(
                line,
                f"{where} is not a real date: {err.instance!r}",
                f"write it as YYYY-MM-DD with a real day, e.g. {name} = 2026-11-30",
            )
        ]
    if v == "type":
        expected = err.validator_value
        words = _TYPE_WORDS.get(expected, str(expected)) if isinstance(expected, str) else expected
        if name in ("start", "due", "by"):
            return [Problem(line, f"{where} should be a date", f"{name} = 2026-11-30")]
        return [
            Problem(
                line, f"{where} should be {words}, not {err.instance!r}", f"write {name} as {words}"
            )
        ]
    if v == "pattern":
        return [
            Problem(
                line,
                f"{where} = {err.instance!r} is not allowed",
                _PATTERN_FIX.get(name, f"match {err.validator_value}"),
            )
        ]
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        low = err.schema.get("minimum", err.schema.get("exclusiveMinimum"))
        high = err.schema.get("maximum")
        rng = (
            f"from {low} to {high}"
            if low is not None and high is not None
            else f"{v} {err.validator_value}"
        )
        return [Problem(line, f"{where} = {err.instance!r} is out of range", f"use a number {rng}")]
    if v == "minItems" and name == "tasks":
        return [Problem(line, "the assignment has no tasks", _MISSING_FIX["tasks"])]
    if v == "minItems":
        return [Problem(line, f"{where} is empty", "list at least one")]
    if v == "maxItems":
        return [
            Problem(
                line,
                f"{where} has too many items (at most {err.validator_value})",
                "split it into two assignments",
            )
        ]
    if v == "minLength":
        return [Problem(line, f"{where} is empty", f'write some text: {name} = "..."')]
    if v == "maxLength":
        return [
            Problem(
                line,
                f"{where} is too long (at most {err.validator_value} characters)",
                "shorten it",
            )
        ]
    if v == "const":
        return [
            Problem(
                line,
                f"{where} = {err.instance!r}: this version reads format 1",
                "format = 1 (or leave the line out)",
            )
        ]
    if v == "uniqueItems":
        return [Problem(line, f"{where} lists a value twice", "list each once")]
    if v == "propertyNames":
        return [
            Problem(
                line,
                f"{where}: label key {err.instance!r} is not a number",
                'key labels by value: labels = { 0 = "none", 10 = "worst" }',
            )
        ]
    return [Problem(line, f"{where}: {err.message}", EXAMPLE_LINE)]


# --------------------------------------------------------------------------- meaning


def _num(x: object) -> TypeGuard[float]:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _meaning(data: dict, lines: dict) -> list[Problem]:
    out: list[Problem] = []
    start = data.get("start") if is_iso_day(data.get("start")) else None
    due = data.get("due") if is_iso_day(data.get("due")) else None
    if start and due:
        s, d = date.fromisoformat(start), date.fromisoformat(due)
        if d < s:
            out.append(
                Problem(
                    line_of(lines, ("due",)),
                    f"due ({due}) is before start ({start})",
                    "make due the same day as start or later",
                )
            )
        elif (d - s).days > MAX_DAYS:
            out.append(
                Problem(
                    line_of(lines, ("due",)),
                    f"the assignment runs {(d - s).days + 1} days (more than a year)",
                    "give a nearer due date; a new assignment can follow",
                )
            )
    tasks = data.get("tasks")
    if not isinstance(tasks, list):
        tasks = []
    seen_ids: dict[str, int] = {}
    seen_trackers: dict[str, int] = {}
    for i, task in enumerate(tasks):
        if not isinstance(task, dict):
            continue
        at = ("tasks", i)
        tid = task.get("id")
        if isinstance(tid, str):
            out += _once(
                seen_ids,
                tid,
                i,
                line_of(lines, (*at, "id")),
                f"task id {tid!r} is used twice",
                "give each task its own id",
            )
        if "per_day" in task and "per_week" in task:
            out.append(
                Problem(
                    line_of(lines, (*at, "per_week")),
                    "a task cannot be both per_day and per_week",
                    "keep one of the two lines",
                )
            )
        kind = task.get("kind")
        if kind == "screener":
            out += _screener(task, at, lines, start, due)
        elif kind == "tracker":
            out += _tracker(task, at, lines, seen_trackers, i)
        elif kind == "breathing":
            out += _breathing(task, at, lines)
    return out


def _once(seen: dict[str, int], key: str, i: int, line: int, what: str, fix: str) -> list[Problem]:
    """Task ``i`` takes ``key``; a key taken before is a problem naming the first task."""
    if key in seen:
        return [Problem(line, f"{what} (first by task {seen[key] + 1})", fix)]
    seen[key] = i
    return []


def _breathing(task: dict, at: tuple, lines: dict) -> list[Problem]:
    """Minutes the exercise can never last (4-7-8 keeps to 8 cycles) would never count."""
    from relapse_cli.breathing.model import exercises

    ex = exercises().get(str(task.get("exercise")))
    minutes = task.get("minutes")
    if ex is None or not _num(minutes):
        return []
    longest = ex.max_cycles * ex.cycle_s / 60 if ex.max_cycles else ex.max_minutes
    if minutes <= longest + 1e-9:
        return []
    most, secs = max(1, int(longest)), round(longest * 60)
    span = f"{secs // 60} min {secs % 60} s" if secs % 60 else f"{secs // 60} minutes"
    return [
        Problem(
            line_of(lines, (*at, "minutes")),
            f"{ex.title} lasts at most {span}, so {minutes:g} minutes could never be done",
            f"use minutes = {most} or less, or another exercise",
        )
    ]


def _screener(
    task: dict, at: tuple, lines: dict, start: str | None, due: str | None
) -> list[Problem]:
    by, every = task.get("by"), task.get("every_weeks")
    if by is not None and every is not None:
        return [
            Problem(
                line_of(lines, (*at, "every_weeks")),
                "a screener is either `by` a date or `every_weeks`, not both",
                "keep one of the two lines",
            )
        ]
    # An example `by` inside this assignment (its due date), never a date before its start.
    example = due if is_iso_day(due) and (not is_iso_day(start) or start <= due) else "YYYY-MM-DD"
    if by is None and every is None:
        return [
            Problem(
                line_of(lines, at),
                "a screener task needs a `by` date or `every_weeks`",
                f"add by = {example}, or every_weeks = 2 (every two weeks)",
            )
        ]
    if is_iso_day(by) and start and due and start <= due and not start <= by <= due:
        return [
            Problem(
                line_of(lines, (*at, "by")),
                f"by ({by}) is outside the assignment ({start} to {due})",
                f"choose a date between start and due, e.g. by = {example}",
            )
        ]
    return []


def _tracker(task: dict, at: tuple, lines: dict, seen: dict, i: int) -> list[Problem]:
    out = []
    name = task.get("name")
    if isinstance(name, str):
        if (kind := reserved_name(name)) is not None:
            out.append(
                Problem(
                    line_of(lines, (*at, "name")),
                    f"tracker name {name!r} collides with the built-in kind "
                    f"{kind!r} (relapse log {kind})",
                    'choose another name, e.g. name = "pain"',
                )
            )
        else:
            out += _once(
                seen,
                name,
                i,
                line_of(lines, (*at, "name")),
                f"tracker {name!r} is defined twice",
                "give each tracker its own name",
            )
    low, high = task.get("min"), task.get("max")
    whole = task.get("integer", True) is not False
    if _num(low) and _num(high):
        if low >= high:
            out.append(
                Problem(
                    line_of(lines, (*at, "max")),
                    f"the range {low:g} to {high:g} is backwards or empty",
                    f"min must be below max, e.g. min = {min(low, high):g}, "
                    f"max = {max(low, high):g}",
                )
            )
        if whole and (low != int(low) or high != int(high)):
            out.append(
                Problem(
                    line_of(lines, (*at, "min")),
                    "min and max must be whole numbers for a whole-number tracker",
                    "use whole numbers, or add integer = false",
                )
            )
    labels = task.get("labels")
    if isinstance(labels, dict) and _num(low) and _num(high):
        for key in labels:
            try:
                value = float(key)
            except ValueError:
                continue  # the schema names it
            if not low <= value <= high:
                out.append(
                    Problem(
                        line_of(lines, (*at, "labels", key)),
                        f"label {key} is outside the range {low:g} to {high:g}",
                        "label values within the range",
                    )
                )
            elif whole and value != int(value):
                out.append(
                    Problem(
                        line_of(lines, (*at, "labels", key)),
                        f"label {key} is not a whole number",
                        "label whole numbers, or add integer = false",
                    )
                )
    return out

"""Counselor homework: the assignment model, and progress computed from the journal.

Pure functions over plain values: the journal layer (homework/store/homework.py) hands over the local
days on which something that counts happened; this module decides what was expected, what is
done, and says it in plain, kind words. Nothing here is ticked by hand except the answer to a
reflection prompt.

Rules, in one place (the README's "Homework" section repeats them for people):
- *Counting starts* on the later of the assignment's start date and the day it was loaded:
  nobody is behind on homework they had not seen yet. One-off tasks (a screener by a date, a
  plan section, a reflection) count whenever they were done, from the start date on.
- *Daily* tasks expect ``per_day`` (default 1) each day; a day with more still counts as one
  day done. *Weekly* tasks expect ``per_week`` in each 7-day block from the day counting
  starts; a last, shorter block expects its share, rounded up (2 a week over 3 days: 1).
  A screener "every N weeks" is a block of N weeks expecting one.
- *So far*: blocks that are over, plus the current block only as far as it is done, so today
  (or this week) is never counted as missed while there is still time.
- Days are local days of the stored offset (a craving at 00:30 BST belongs to that day, not
  to the UTC day before), so a DST change neither adds nor loses a day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from relapse_cli.homework.model import trackers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypedDict

    class CurrentBlock(TypedDict):
        """The block (day, week) of a recurring task that holds today, as plain data."""

        first: str
        last: str
        done: int
        expected: int

    class ProgressData(TypedDict):
        """``Progress.as_dict()``: a task's progress as JSON-ready data."""

        task: str
        kind: str
        done: int
        expected_so_far: int
        expected_total: int
        share: float
        status: str
        days_left: int | None
        deadline: str
        counting_from: str
        sentence: str
        current: CurrentBlock | None

    class TaskStatus(ProgressData):
        """A task's progress with what the screens and reports show beside it."""

        id: str
        description: str
        how: str
        note: object  # the counselor's note from the file, if any
        recurring: bool
        answer: str | None

    class AssignmentStatus(TypedDict):
        """One assignment with each task's progress (``relapse homework --json``, the
        dashboard's homework section, the report and the caseload read these keys)."""

        uuid: str
        title: str
        assigned_by: dict
        message: str | None
        start: str
        due: str
        loaded: str
        archived: bool
        finished: bool
        days_left: int
        tasks: list[TaskStatus]
        share: float


# Task kinds, in the order a counselor reads them. The description is what `homework new`
# offers and what the JSON Schema documents.
KINDS: dict[str, str] = {
    "cravings": "log cravings every day (a day with no urge: relapse log craving 0)",
    "checkin": "a daily check-in",
    "thought_records": "N thought records a week",
    "breathing": "a breathing exercise (which one, how many minutes) per day or N a week",
    "screener": "a screener (PHQ-9, GAD-7, PACS) by a date or every N weeks",
    "plan": "complete a section of the relapse-prevention plan",
    "reflection": "answer a reflection prompt in your own words",
    "tracker": "a counselor-defined tracker (name, range, labels or unit)",
}
RECURRING = ("cravings", "checkin", "thought_records", "breathing", "tracker")
EXERCISES = {
    "any": "any breathing exercise",
    "box": "box breathing",
    "478": "4-7-8 breathing",
    "paced": "paced breathing",
    "sigh": "the physiological sigh",
    "sober": "the SOBER breathing space",
    "urge": "urge surfing",
    "body": "the body scan",
}
INSTRUMENTS = {"phq9": "PHQ-9", "gad7": "GAD-7", "pacs": "PACS"}
PLAN_SECTIONS = {
    "warning_signs": "warning signs",
    "high_risk": "high-risk situations",
    "coping": "coping strategies",
    "reasons": "reasons for recovery",
    "people": "people to call",
    "professionals": "professionals and services",
    "safe_places": "safe places",
    "if_lapse": "what to do after a lapse",
    "safety_steps": "safety steps",
    "matters_most": "what matters most",
}
# Names a tracker may not take: `relapse log NAME` would read as (or be mistaken for) a built-in
# kind. The `relapse log` kinds (tests check every LOG_COMMANDS name is here), the record kinds a
# person meets in other commands, and "help"; a plural of any of them collides as well.
RESERVED_NAMES = frozenset(
    {
        "craving",
        "mood",
        "trigger",
        "use",
        "withdrawal",
        "help",
        "lapse",
        "checkin",
        "check-in",
        "check_in",
        "thought",
        "thought_record",
        "thought-record",
        "breathing",
        "screener",
        "plan",
        "reflection",
        "tracker",
        "med",
        "meds",
        "dose",
        "appointment",
        "homework",
        "note",
    }
)


def reserved_name(name: str) -> str | None:
    """The built-in kind a tracker name collides with ("cravings" -> "craving"), else None.

    Compared case-blind and with "-"/"_" alike, and with an "s"/"es" plural taken off, because
    `relapse log Cravings 3` would read as the built-in kind to the person typing it.
    """
    key = name.strip().lower().replace("_", "-")
    reserved = {r.replace("_", "-"): r for r in RESERVED_NAMES}
    for candidate in (key, key.removesuffix("s"), key.removesuffix("es")):
        if candidate in reserved:
            return reserved[candidate]
    return None


DEFAULT_REMIND_AT = "20:00"


@dataclass(frozen=True)
class Task:
    id: str
    kind: str
    spec: dict  # the task's table from the file, as validated (dates as ISO text)

    @property
    def recurring(self) -> bool:
        if self.kind == "screener":
            return self.spec.get("every_weeks") is not None
        return self.kind in RECURRING

    @property
    def tracker(self) -> str | None:
        return str(self.spec["name"]) if self.kind == "tracker" else None


@dataclass(frozen=True)
class Assignment:
    title: str
    start: date
    due: date
    tasks: tuple[Task, ...]
    message: str | None = None
    assigned_by: dict = field(default_factory=dict)  # name, service, contact


@dataclass(frozen=True)
class Block:
    first: date
    last: date
    expected: int


@dataclass
class Progress:
    task_id: str
    kind: str
    done: int  # counted so far (capped per block)
    expected_so_far: int
    expected_total: int
    status: str  # done | on_track | behind | overdue | ended | not_started
    days_left: int | None  # days until the task's deadline (negative: past it)
    deadline: date
    counting_from: date
    sentence: str
    current: CurrentBlock | None = None  # recurring tasks: the block (day, week) holding today

    @property
    def share(self) -> float:
        return min(1.0, self.done / self.expected_total) if self.expected_total else 0.0

    def as_dict(self) -> ProgressData:
        return {
            "task": self.task_id,
            "kind": self.kind,
            "done": self.done,
            "expected_so_far": self.expected_so_far,
            "expected_total": self.expected_total,
            "share": round(self.share, 4),
            "status": self.status,
            "days_left": self.days_left,
            "deadline": self.deadline.isoformat(),
            "counting_from": self.counting_from.isoformat(),
            "sentence": self.sentence,
            "current": self.current,
        }


# --------------------------------------------------------------------------- describing


def _d(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def times(n: int, unit: str) -> str:
    if unit == "day":
        return "every day" if n == 1 else f"{n} times a day"
    return "once a week" if n == 1 else f"{n} times a week"


_number = trackers.number


def frequency(task: Task) -> tuple[str, int]:
    """('day', n) or ('week', n) for recurring tasks."""
    spec = task.spec
    if task.kind == "thought_records":
        return "week", int(spec["per_week"])
    if spec.get("per_week") is not None:
        return "week", int(spec["per_week"])
    return "day", int(spec.get("per_day") or 1)


def describe(task: Task) -> str:
    """One plain sentence saying what the task asks."""
    s = task.spec
    if s.get("title"):
        return str(s["title"])
    if task.kind == "cravings":
        return "Log your cravings every day (none today? relapse log craving 0)"
    if task.kind == "checkin":
        return "A daily check-in"
    if task.kind == "thought_records":
        n = int(s["per_week"])
        return f"{n} thought record{'s' if n != 1 else ''} a week"
    if task.kind == "breathing":
        what = EXERCISES.get(str(s["exercise"]), str(s["exercise"]))
        what = what[0].upper() + what[1:]
        if s.get("minutes") is not None:
            what += f", {_number(s['minutes'])} minutes"
        unit, n = frequency(task)
        return f"{what}, {times(n, unit)}"
    if task.kind == "screener":
        name = INSTRUMENTS.get(str(s["instrument"]), str(s["instrument"]))
        if s.get("every_weeks") is not None:
            w = int(s["every_weeks"])
            return f"The {name} check-in, every {w} weeks" if w != 1 else f"The {name}, weekly"
        return f"The {name} check-in by {_d(date.fromisoformat(str(s['by'])))}"
    if task.kind == "plan":
        section = PLAN_SECTIONS.get(str(s["section"]), str(s["section"]))
        n = int(s.get("min_items") or 1)
        return f"Your plan's {section}: at least {n} item{'s' if n != 1 else ''}"
    if task.kind == "reflection":
        return f"Reflect: {s['prompt']}"
    if task.kind == "tracker":
        unit, n = frequency(task)
        return f"Track {tracker_label(s)} {times(n, unit)}"
    return task.kind


def tracker_label(spec: dict) -> str:
    """'pain (0-10)' or 'exercise (0-300 minutes)'."""
    unit = f" {spec['unit']}" if spec.get("unit") else ""
    return f"{spec['name']} ({trackers.span(spec['min'], spec['max'])}{unit})"


def how_to(task: Task) -> str:
    """The command that does the task."""
    s = task.spec
    return {
        "cravings": "relapse log craving N",
        "checkin": "relapse checkin",
        "thought_records": "relapse think",
        "breathing": f"relapse breathe {s.get('exercise', '')}".replace(" any", "").rstrip(),
        "screener": f"relapse checkin {s.get('instrument', '')}".rstrip(),
        "plan": f'relapse plan add {s.get("section", "")} "..."',
        "reflection": f"relapse homework answer {task.id}",
        "tracker": f"relapse log {s.get('name', '')} VALUE",
    }.get(task.kind, "")


# --------------------------------------------------------------------------- tracker values

# Kept in the light homework/model/trackers.py (the `relapse log NAME VALUE` path); named here too.
check_tracker_value = trackers.check_value
label_for = trackers.label_for
scale_hint = trackers.scale_hint


# --------------------------------------------------------------------------- progress


def counting_start(assignment: Assignment, loaded: date) -> date:
    return max(assignment.start, loaded)


def blocks(task: Task, first: date, last: date) -> list[Block]:
    """What is expected, block by block, from ``first`` to ``last`` (both included)."""
    if last < first:
        return []
    if task.kind == "screener":
        length, per = 7 * int(task.spec["every_weeks"]), 1
    else:
        unit, per = frequency(task)
        length = 1 if unit == "day" else 7
    out = []
    day = first
    while day <= last:
        end = min(day + timedelta(days=length - 1), last)
        span = (end - day).days + 1
        out.append(Block(day, end, per if span == length else math.ceil(per * span / length)))
        day = end + timedelta(days=1)
    return out


def _count_in(days: list[date], first: date, last: date) -> int:
    return sum(1 for d in days if first <= d <= last)


def progress(
    assignment: Assignment,
    task: Task,
    *,
    loaded: date,
    today: date,
    days: list[date] | None = None,
    count: int | None = None,
) -> Progress:
    """A task's progress. ``days``: the local day of each record that counts (recurring tasks
    and screeners); ``count``: how many exist (plan items in the section, answers)."""
    days = sorted(days or [])
    if task.recurring:
        return _recurring(assignment, task, loaded, today, days)
    return _one_off(assignment, task, today, days, count)


def _recurring(a: Assignment, task: Task, loaded: date, today: date, days: list[date]) -> Progress:
    first = counting_start(a, loaded)
    plan = blocks(task, first, a.due)
    total = sum(b.expected for b in plan)
    done = so_far = 0
    current: CurrentBlock | None = None
    for b in plan:
        if b.first > today:
            break
        got = min(_count_in(days, b.first, b.last), b.expected)
        done += got
        if b.last < today:
            so_far += b.expected
        else:
            so_far += got
            current = {
                "first": b.first.isoformat(),
                "last": b.last.isoformat(),
                "done": got,
                "expected": b.expected,
            }
    unit, per = frequency(task) if task.kind != "screener" else ("period", 1)
    if unit == "day" and per > 1:
        unit = "times"  # 2 a day: what is missed is counted in times, not days
    days_left = (a.due - today).days
    p = Progress(task.id, task.kind, done, so_far, total, "", days_left, a.due, first, "", current)
    p.status, p.sentence = _recurring_words(p, unit, today, first)
    return p


def _what(unit: str, n: int) -> str:
    if unit == "day":
        return f"{n} day{'s' if n != 1 else ''}"
    return str(n)


def _recurring_words(p: Progress, unit: str, today: date, first: date) -> tuple[str, str]:
    left = p.days_left if p.days_left is not None else 0
    if today < first:
        return "not_started", f"Starts {_d(first)}."
    if left < 0:
        if p.done >= p.expected_total:
            return "done", f"All done: {p.done} of {p.expected_total}. Well done."
        return "ended", (
            f"Ended {_d(p.deadline)} with {p.done} of {p.expected_total}; "
            "every one of those counts. Worth talking over together."
        )
    if p.done >= p.expected_total:
        return "done", f"All done: {p.done} of {p.expected_total}."
    when = "ends today" if left == 0 else f"{left} day{'s' if left != 1 else ''} left"
    missed = p.expected_so_far - p.done
    if missed <= 0 and p.expected_so_far == 0:
        return "on_track", f"Under way; {when}."
    if missed <= 0:
        return "on_track", f"On track: {p.done} of {p.expected_so_far} so far; {when}."
    gap = _what(unit, missed) if unit == "day" else str(missed)
    return "behind", (
        f"{p.done} of {p.expected_so_far} so far ({gap} missed); {when}. Today is a fresh start."
    )


def _deadline(a: Assignment, task: Task) -> date:
    if task.kind == "screener" and task.spec.get("by"):
        return date.fromisoformat(str(task.spec["by"]))
    return a.due


def _one_off(
    a: Assignment, task: Task, today: date, days: list[date], count: int | None
) -> Progress:
    deadline = _deadline(a, task)
    if task.kind == "plan":
        expected = int(task.spec.get("min_items") or 1)
        done = min(int(count or 0), expected)
    elif task.kind == "screener":
        expected = 1
        done = min(1, sum(1 for d in days if d >= a.start))
    else:
        expected = 1
        done = min(int(count or 0), 1)
    left = (deadline - today).days
    p = Progress(task.id, task.kind, done, 0, expected, "", left, deadline, a.start, "")
    if done >= expected:
        p.status, p.sentence = "done", "Done."
        p.expected_so_far = expected
    elif left < 0:
        ago = -left
        p.status = "overdue"
        p.sentence = (
            f"Was due {_d(deadline)}, {ago} day{'s' if ago != 1 else ''} ago; "
            "it is still worth doing when you can."
        )
        p.expected_so_far = expected
    else:
        when = (
            "due today"
            if left == 0
            else f"due {_d(deadline)}, in {left} day{'s' if left != 1 else ''}"
        )
        p.status = "on_track"
        p.sentence = f"Not yet; {when}." + (
            f" {done} of {expected} so far." if expected > 1 else ""
        )
    return p


def bar(share: float, width: int = 12) -> str:
    """A plain-text bar (works without colour and in screen readers as a figure beside it)."""
    filled = round(max(0.0, min(1.0, share)) * width)
    return "█" * filled + "░" * (width - filled)


def is_finished(a: Assignment, today: date) -> bool:
    return today > a.due


# --------------------------------------------------------------------------- reminders


def remind_at(task: Task) -> tuple[int, int]:
    text = str(task.spec.get("remind_at") or DEFAULT_REMIND_AT)
    hour, minute = text.split(":")
    return int(hour), int(minute)


def remind_days(task: Task, first: date) -> list[int]:
    """Weekdays (Monday 0) for a weekly task's reminders: its own ``remind_days``, else N days
    spread over the week from the day counting starts (2 a week from a Monday: Mon, Thu)."""
    named = task.spec.get("remind_days")
    if named:
        return sorted({WEEKDAY_CODES.index(str(d)[:2].upper()) for d in named})
    _unit, n = frequency(task)
    n = max(1, min(n, 7))
    return sorted({(first.weekday() + (i * 7) // n) % 7 for i in range(n)})


WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

"""The rest of the demo story: a plan, thought records, breathing sessions, check-ins and
screeners, made by running the real commands on the demo journal at the moments they happen.

Going through the commands (not through SQL) keeps the demo honest: whatever a person can
type produces exactly these records, and a change to any command shows up here too.
"""

from __future__ import annotations

import contextlib
import io
from datetime import datetime, timedelta

from relapse_cli.core.clock import FakeClock

# (days before now, hour, command, scripted answers or None). The person from admin/model/demo.py:
# two months into recovery from alcohol use, a payday lapse, Sam on the phone.
PLAN = [
    ("reasons", "Being there for my kids in the mornings", ()),
    ("reasons", "Sleeping through the night again", ()),
    ("coping", "Call Sam", ()),
    ("coping", "Walk the long way home", ()),
    ("coping", "Urge surfing: relapse breathe urge", ()),
    ("warning_signs", "Skipping meals and telling myself I am fine", ("--category", "physical")),
    ("high_risk", "Payday Friday after work", ("--response", "Go straight to the gym with Sam")),
    ("people", "Sam", ("--phone", "07700 900123", "--when", "any time", "--role", "sponsor")),
    ("professionals", "Dr Patel", ("--phone", "020 7946 0000", "--role", "GP")),
    ("if_lapse", "Tell Sam the same day and book a session", ()),
]

THOUGHTS = [
    (40, 19, ["--situation", "Payday, colleagues heading to the pub", "--mood", "restless=80",
              "--mood", "lonely=60", "--thought", "One drink won't hurt after the week I've had",
              "--thought", "Everyone else gets to unwind", "--hot", "1", "--trap", "permission",
              "--trap", "relief", "--for", "It was a hard week",
              "--against", "One drink has never stayed one drink",
              "--balanced", "I can unwind without drinking: the gym with Sam, then food",
              "--belief", "70", "--mood-after", "restless=45", "--mood-after", "lonely=40"]),
    (24, 22, ["--situation", "Argument with my sister on the phone", "--mood", "angry=85",
              "--thought", "I always ruin everything", "--hot", "1", "--trap", "all-or-nothing",
              "--trap", "labeling", "--for", "I raised my voice",
              "--against", "We made up last time within a day; I apologised",
              "--balanced", "One argument is not everything; I can call her tomorrow",
              "--belief", "65", "--mood-after", "angry=40"]),
    (9, 21, ["--situation", "Alone on a Saturday night", "--mood", "bored=70",
             "--thought", "The evening will be unbearable without a drink", "--hot", "1",
             "--trap", "anticipatory", "--trap", "catastrophizing",
             "--for", "Saturdays used to be drinking nights",
             "--against", "Last Saturday I watched a film and it was fine",
             "--balanced", "The first hour is the hardest; I have a plan for it",
             "--belief", "75", "--mood-after", "bored=35"]),
]  # fmt: skip

BREATHING = [  # (days ago, hour, exercise, urge before, mood before, urge after, mood after)
    (50, 21, "box", "7", "4", "4", "5"),
    (38, 20, "urge", None, None, None, None),
    (30, 18, "box", "6", "5", "3", "6"),
    (21, 22, "sober", "8", "3", "5", "4"),
    (14, 19, "urge", None, None, None, None),
    (6, 21, "box", "5", "5", "2", "6"),
]
URGE_WAVE = ["8", "4", "6", "5", "3", "2", "2", "1", "3"]  # before, mood, ratings..., mood after

SCREENERS = [  # a mood screener a month apart, showing change
    (31, 10, "phq9", "2,1,2,1,1,1,1,0,0"),
    (3, 10, "phq9", "1,1,1,0,1,0,1,0,0"),
    (31, 10, "gad7", "2,2,1,1,1,1,1"),
    (3, 10, "gad7", "1,1,1,0,1,0,1"),
]


def _at(now: datetime, days: int, hour: int) -> FakeClock:
    moment = (now - timedelta(days=days)).replace(hour=hour, minute=5, second=0, microsecond=0)
    return FakeClock(moment, tz=now.tzinfo)


def _run(path: str, clock: FakeClock, args: list[str], answers: list[str] | None = None) -> None:
    from relapse_cli.core.prompter import ScriptedPrompter
    from relapse_cli.entry import main

    prompter = ScriptedPrompter(list(answers)) if answers is not None else None
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        code = main(
            ["--journal", path, *args],
            clock=clock,
            prompter=prompter,
            interactive=answers is not None,
        )
    if code != 0:
        raise RuntimeError(
            f"demo step failed ({code}): relapse {' '.join(args)}\n{sink.getvalue()}"
        )


def add_other_records(path: str, now: datetime) -> None:
    """Every record kind besides log entries, on the same 60-day story."""
    plan_clock = _at(now, 55, 20)
    for section, text, extra in PLAN:
        _run(path, plan_clock, ["plan", "add", section, text, *extra])
    for days, hour, args in THOUGHTS:
        _run(path, _at(now, days, hour), ["think", *args])
    for days, hour, name, *ratings in BREATHING:
        if name == "urge":
            _run(path, _at(now, days, hour), ["breathe", "urge", "--plain"], URGE_WAVE)
        else:
            rated = [r for r in ratings if r is not None]  # a timed exercise has all four
            _run(path, _at(now, days, hour), ["breathe", name, "--plain"], rated)
    for days in range(20, 0, -1):
        mood = str(4 + (20 - days) // 6 + (days % 3 == 0))
        args = [
            "checkin",
            "--mood",
            mood,
            "--anxiety",
            str(7 - (20 - days) // 5),
            "--sleep-hours",
            str(6 + (days % 4) / 2),
        ]
        if days % 7 in (1, 4):
            args += ["--support", "meeting" if days % 7 == 1 else "therapy"]
        _run(path, _at(now, days, 21), args)
    for days, hour, instrument, answers in SCREENERS:
        _run(path, _at(now, days, hour), ["checkin", instrument, "--answers", answers])

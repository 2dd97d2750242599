"""Appointments between which the person keeps going: kinds, statuses, and their times. Pure.

Appointment times may be in the future (unlike log entries), so they have their own small
parser: a date ("2026-12-01", "today", "tomorrow", a weekday = the next one) and a time of
day ("14:00", "2pm"). Impossible dates (2026-02-30) are refused with one line.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from relapse_cli.core.errors import BadInput
from relapse_cli.core.timeparse import parse_clock_time

# kind -> how it reads (CLINICAL.md section 7: meeting/therapy/peer support; issue 11)
KINDS = {
    "therapy": "therapy",
    "group": "group therapy",
    "family": "family therapy",
    "doctor": "doctor",
    "mat": "MAT clinic",
    "peer": "peer support",
    "other": "other",
}
ALIASES = {
    "family-therapy": "family",
    "family therapy": "family",
    "mat-clinic": "mat",
    "clinic": "mat",
    "mat clinic": "mat",
    "peer-support": "peer",
    "peer support": "peer",
    "counselling": "therapy",
    "counseling": "therapy",
    "gp": "doctor",
    "group-therapy": "group",
    "meeting": "group",
}
STATUSES = ("planned", "attended", "missed", "cancelled")
_WEEKDAYS = {d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
EXAMPLE = 'e.g. relapse appointments add therapy "2026-12-01 14:00" --with "Dr Lee"'


def parse_kind(raw: str) -> str:
    word = " ".join(raw.strip().lower().split())
    word = ALIASES.get(word, word)
    if word not in KINDS:
        raise BadInput(f"unknown kind of appointment {raw.strip()!r}", "kinds: " + ", ".join(KINDS))
    return word


def parse_day(word: str, today: date) -> date | None:
    w = word.strip().lower()
    if w == "today":
        return today
    if w == "tomorrow":
        return today + timedelta(days=1)
    if w == "yesterday":
        return today - timedelta(days=1)
    if w[:3] in _WEEKDAYS and w.isalpha() and len(w) >= 3:
        ahead = (_WEEKDAYS[w[:3]] - today.weekday()) % 7
        return today + timedelta(days=ahead)
    if len(w) == 10 and w[4] == "-" and w[7] == "-":
        try:
            return date.fromisoformat(w)
        except ValueError:
            raise BadInput(f"no such date: {word.strip()!r}", EXAMPLE) from None
    return None


def parse_time(text: str, today: date) -> datetime:
    """'2026-12-01 14:00', 'tomorrow 9am', 'thu 14:30' -> a naive local datetime."""
    cleaned = text.strip().replace("T", " ", 1) if "T" in text[:11] else text.strip()
    parts = cleaned.split(None, 1)
    if len(parts) != 2:
        day = parse_day(parts[0], today) if parts else None
        if day is not None:
            raise BadInput(f"give a time of day too: {text.strip()!r}", EXAMPLE)
        raise BadInput(f"not a date and time: {text.strip()!r}", EXAMPLE)
    day = parse_day(parts[0], today)
    hm = parse_clock_time(parts[1])
    if day is None or hm is None:
        raise BadInput(f"not a date and time: {text.strip()!r}", EXAMPLE)
    return datetime(day.year, day.month, day.day, hm[0], hm[1])


def label(kind: str) -> str:
    return KINDS.get(kind, kind)


def describe(r: dict) -> str:
    """'therapy with Dr Lee at Riverside · Thu 26 Nov 14:00' (plain text, escaped later)."""
    when = datetime.fromisoformat(r["local_time"])
    text = label(r["kind"])
    if r.get("title"):
        text += f" with {r['title']}"
    if r.get("place"):
        text += f" at {r['place']}"
    return f"{text} · {when:%a %-d %b %H:%M}"

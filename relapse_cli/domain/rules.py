"""The value rules of the journal's columns, in one place, as data.

Why one table: the packaged export JSON Schema (``share/formats/schema.py``), the importer
(``journal/portable.validate``), the journal's CHECK constraints (migration 0010) and
``relapse doctor`` all enforce the same rules, so a value one of them accepts is accepted by
all (tests/test_rules.py holds them to that). Each rule comes from the domain module that
owns the value (the command's own validation), never a second copy of the numbers.

A rule is ``(low, high)`` for a number, or a tuple of the allowed texts for an enum. NULL is
always allowed here: whether a column may be empty is the schema's NOT NULL, not a rule.
Time columns follow the naming rule: ``*_at`` is UTC text like ``2026-11-24T18:30:00Z``,
``*_date`` a calendar day, ``utc_offset_min`` a real offset in minutes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from relapse_cli.care.model import appointments, withdrawal
from relapse_cli.checkins import model as checkin
from relapse_cli.log.model import entries
from relapse_cli.plan.model import plan

if TYPE_CHECKING:
    from typing_extensions import TypeIs  # typing.TypeIs from Python 3.13

Rule = tuple[float, float] | tuple[str, ...]

OFFSET_MIN = (-16 * 60, 16 * 60)  # the widest offsets in use are -12:00 and +14:00
# What an SQLite column can hold at all (a 64-bit signed INTEGER; sqlite.org/datatype3.html):
# the bound for every number without a narrower rule, so no import ends in an OverflowError.
STORABLE = (-(2**63), 2**63 - 1)
UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# [0-9], not \d: Python's \d also matches other scripts' digits ("２０２６"), which SQLite's
# CHECK (strftime) refuses; the export schema reads the same pattern (ECMA \d is ASCII).
UTC_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"
DAY_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_UTC = re.compile(UTC_PATTERN)
# The form every journal writes (ASCII digits, capital T and Z): the common case, checked
# without strptime. Anything else (lower-case t/z, other digits, short fields) is left to
# strptime itself, so the accept set stays exactly strptime's.
_UTC_ASCII = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def _ranges(source: dict[str, tuple]) -> dict[str, Rule]:
    return {field: (spec[0], spec[1]) for field, spec in source.items()}


RULES: dict[str, dict[str, Rule]] = {
    "entries": {
        "kind": entries.KINDS,
        "outcome": entries.OUTCOMES,
        **_ranges(entries.RANGES),
    },
    "checkins": {
        **_ranges(checkin.RANGES),
        **dict.fromkeys(checkin.HALT_FIELDS, (0, 1)),  # yes 1 / no 0
        "medication": tuple(dict.fromkeys(checkin.MEDICATION.values())),
    },
    "withdrawal_checks": {
        **dict.fromkeys(withdrawal.SYMPTOMS, (withdrawal.LOW, withdrawal.HIGH)),
        "total": (0, withdrawal.MAX_TOTAL),
        "answered": (0, len(withdrawal.SYMPTOMS)),
    },
    "screenings": {"instrument": checkin.SCREENERS, "total": (0, 10_000)},
    "appointments": {"kind": tuple(appointments.KINDS), "status": appointments.STATUSES},
    "thought_records": {"status": ("draft", "complete"), "belief": (0, 100)},
    "exercise_sessions": {
        **dict.fromkeys(("urge_before", "urge_after", "mood_before", "mood_after"), (0, 10)),
        "completed": (0, 1),
    },
    "decisional_balance": {"importance": (0, 10), "confidence": (0, 10)},
    "plan_items": {"section": tuple(s.key for s in plan.SECTIONS)},
}


def is_enum(rule: Rule) -> TypeIs[tuple[str, ...]]:
    return all(isinstance(v, str) for v in rule)


# An export repeats its stamps (an entry's occurred_at is often its created_at and updated_at,
# and each is asked by the type, naming and kind rules): the answer is a pure function of the
# text, so the recent ones are remembered.
@lru_cache(maxsize=4096)
def parses_as_utc(value: str) -> bool:
    """``datetime.strptime(value, UTC_FORMAT)`` succeeds, without its cost for the stored
    form: an import checks tens of thousands of stamps, and strptime (locale look-ups, a
    regex per call) was most of its time. For text of the stored form, strptime's regex
    matches exactly when the fields are a real moment, which ``fromisoformat`` (C) decides
    the same way (tests/test_rules.py::test_fast_utc_is_strptime)."""
    if _UTC_ASCII.fullmatch(value):
        try:
            datetime.fromisoformat(value[:-1])
        except ValueError:
            return False
        return True
    try:
        datetime.strptime(value, UTC_FORMAT)
    except ValueError:
        return False
    return True


def is_utc(value: object) -> bool:
    """UTC text exactly as the journal stores it (a real moment, seconds, Z)."""
    return isinstance(value, str) and _is_utc_text(value)


@lru_cache(maxsize=4096)
def _is_utc_text(value: str) -> bool:
    return _UTC.fullmatch(value) is not None and parses_as_utc(value)


def check(table: str, column: str, value: object) -> str | None:
    """Why ``value`` breaks a rule of ``table.column`` (None when it keeps them all)."""
    return checker(table, column)(value)


_CHECKERS: dict[tuple[str, str], Callable[[object], str | None]] = {}


def checker(table: str, column: str) -> Callable[[object], str | None]:
    """``check`` for one column, with its rules looked up once (an import asks per value)."""
    found = _CHECKERS.get((table, column))
    if found is None:
        found = _CHECKERS[(table, column)] = _checker(table, column)
    return found


def _checker(table: str, column: str) -> Callable[[object], str | None]:
    steps: list[Callable[[object], str | None]] = []
    if column.endswith("_at"):
        steps.append(
            lambda v: (
                None
                if is_utc(v)
                else f"{column} must be UTC time like 2026-11-24T18:30:00Z, not {v!r}"
            )
        )
    if column.endswith("_date"):
        from relapse_cli.core.timeparse import is_iso_day

        steps.append(
            lambda v: (
                None if is_iso_day(v) else f"{column} must be a date like 2026-11-24, not {v!r}"
            )
        )
    if column == "utc_offset_min":
        steps.append(
            lambda v: (
                None
                if _in_range(v, OFFSET_MIN)
                else f"utc_offset_min must be {OFFSET_MIN[0]} to {OFFSET_MIN[1]}, not {v!r}"
            )
        )
    rule = RULES.get(table, {}).get(column)
    if rule is not None and is_enum(rule):
        words = ", ".join(rule)
        steps.append(lambda v: None if v in rule else f"{column} must be one of {words}, not {v!r}")
    elif rule is not None:
        steps.append(
            lambda v: (
                None
                if _in_range(v, rule)
                else f"{column} must be {rule[0]:g} to {rule[1]:g}, not {v!r}"
            )
        )

    def run(value: object) -> str | None:
        if value is None:
            return None
        for step in steps:
            why = step(value)
            if why:
                return why
        return None

    return run


def _in_range(value: object, rule: tuple[float, float]) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value == value and rule[0] <= value <= rule[1]  # value == value: not NaN

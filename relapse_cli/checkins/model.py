"""The daily check-in (CLINICAL.md §7): the questions, their ranges and what answers mean.

Pure: parsing and checking answers, and counting adherence and attendance over a period.
Every question may be skipped (stored as NULL, meaning "not answered", never "no").
"""

from __future__ import annotations

from relapse_cli.core.errors import BadInput
from relapse_cli.log.model.lapse import HALT

# field -> (low, high, integer)
RANGES: dict[str, tuple[float, float, bool]] = {
    "mood": (0, 10, True),
    "anxiety": (0, 10, True),
    "sleep_hours": (0, 24, False),
    "sleep_quality": (0, 10, True),
}
# The screeners' keys, in their listed order (checkins/screeners.py reads each one's packaged
# TOML): here, so the journal's value rules (domain/rules.py) name them without building the
# instruments' classes.
SCREENERS = ("phq9", "gad7", "pacs")
HALT_FIELDS = tuple(word for _letter, word, _cat in HALT)  # hungry, angry, lonely, tired
MEDICATION = {
    "yes": "yes",
    "y": "yes",
    "no": "no",
    "n": "no",
    "na": "na",
    "n/a": "na",
    "not applicable": "na",
    "none": "na",
}
MEDICATION_LABEL = {"yes": "yes", "no": "no", "na": "not applicable"}
SUPPORT_KINDS = ("meeting", "therapy", "peer")  # stored order
SUPPORT_LABEL = {"meeting": "meeting", "therapy": "therapy", "peer": "peer support", "none": "none"}
_SUPPORT_WORDS = {
    "meeting": "meeting",
    "meetings": "meeting",
    "m": "meeting",
    "group": "meeting",
    "therapy": "therapy",
    "therapist": "therapy",
    "counselling": "therapy",
    "counseling": "therapy",
    "t": "therapy",
    "peer": "peer",
    "peers": "peer",
    "peer support": "peer",
    "sponsor": "peer",
    "p": "peer",
    "none": "none",
    "no": "none",
    "n": "none",
    "0": "none",
}
ANSWER_FIELDS = (
    "mood",
    "anxiety",
    "sleep_hours",
    "sleep_quality",
    *HALT_FIELDS,
    "medication",
    "support",
    "note",
)


def check_number(field: str, value: float | None) -> float | int | None:
    if value is None:
        return None
    low, high, integer = RANGES[field]
    if integer and value != int(value):
        raise BadInput(f"{field.replace('_', ' ')} takes a whole number from {low:g} to {high:g}")
    if not low <= value <= high:
        raise BadInput(
            f"{field.replace('_', ' ')} takes {low:g} to {high:g}, not {value:g}",
            f"e.g. --{field.replace('_', '-')} {int(high) // 2}",
        )
    return int(value) if integer else float(value)


def parse_halt(text: str) -> dict[str, int] | None:
    """'lt' -> lonely and tired yes, the others no; 'none'/'0'/'-' -> all no; '' -> None."""
    raw = text.strip().lower().replace(",", "").replace(" ", "")
    if not raw:
        return None
    if raw in ("none", "no", "n", "0", "-"):
        return dict.fromkeys(HALT_FIELDS, 0)
    words = {w: w for w in HALT_FIELDS}
    if raw in words:
        return {f: int(f == raw) for f in HALT_FIELDS}
    letters = {letter: word for letter, word, _cat in HALT}
    if not set(raw) <= set(letters):
        raise BadInput(
            f"HALT takes the letters h, a, l, t (or none), not {text.strip()!r}",
            "e.g. --halt lt for lonely and tired",
        )
    return {word: int(letter in raw) for letter, word, _cat in HALT}


def parse_medication(text: str) -> str | None:
    raw = " ".join(text.strip().lower().split())
    if not raw:
        return None
    if raw not in MEDICATION:
        raise BadInput(
            f"medication takes yes, no or na (not applicable), not {text.strip()!r}",
            "e.g. --medication yes",
        )
    return MEDICATION[raw]


def parse_support(text: str) -> str | None:
    """'meeting, peer' -> 'meeting,peer'; 'none' -> 'none'; '' -> None."""
    raw = text.strip().lower()
    if not raw:
        return None
    found: set[str] = set()
    for part in raw.replace("+", ",").replace("/", ",").split(","):
        word = " ".join(part.split())
        if not word:
            continue
        kind = _SUPPORT_WORDS.get(word)
        if kind is None:
            raise BadInput(
                f"support takes meeting, therapy, peer (or none), not {part.strip()!r}",
                "e.g. --support meeting,peer",
            )
        found.add(kind)
    if "none" in found and len(found) > 1:
        raise BadInput("support: 'none' cannot go with meeting, therapy or peer")
    if found == {"none"}:
        return "none"
    return ",".join(k for k in SUPPORT_KINDS if k in found) or None


def halt_text(row: dict) -> str:
    if all(row.get(f) is None for f in HALT_FIELDS):
        return ""
    yes = [f for f in HALT_FIELDS if row.get(f)]
    return ", ".join(yes) if yes else "none"


def support_text(value: str | None) -> str:
    if not value:
        return ""
    return ", ".join(SUPPORT_LABEL.get(k, k) for k in value.split(","))


def answered(values: dict) -> list[str]:
    """The fields that hold an answer."""
    return [f for f in ANSWER_FIELDS if values.get(f) is not None]


def merge_partial(old: dict, new: dict) -> dict:
    """A guided replacement or a finished check-in: what was answered replaces, the rest
    (skipped with Enter, or not reached before Ctrl-C) stays as it was."""
    return {f: new[f] if new.get(f) is not None else old.get(f) for f in ANSWER_FIELDS}


def adherence(rows: list[dict]) -> dict[str, int]:
    """Medication answers over a period, in days: yes / no / na. ``rows`` oldest first; on a day
    with two check-ins the later answer counts; skipped questions are not counted."""
    by_day: dict[str, str] = {}
    for r in rows:
        if r.get("medication") in MEDICATION_LABEL:
            by_day[r["local_date"]] = r["medication"]
    counts = {"yes": 0, "no": 0, "na": 0}
    for value in by_day.values():
        counts[value] += 1
    return counts


def attendance(rows: list[dict]) -> dict[str, int]:
    """Support over a period, in days: days naming each kind, days with any kind, and days
    when the question was answered at all (two check-ins on one day count that day once)."""
    days: dict[str, set[str]] = {k: set() for k in SUPPORT_KINDS}
    answered_days: set[str] = set()
    for r in rows:
        value = r.get("support")
        if not value:
            continue
        answered_days.add(r["local_date"])
        for kind in value.split(","):
            if kind in days:
                days[kind].add(r["local_date"])
    any_day = set().union(*days.values())
    return {k: len(v) for k, v in days.items()} | {
        "days_with_any": len(any_day),
        "days_answered": len(answered_days),
    }

"""Withdrawal checks: symptoms 0-3 and red flags (data/withdrawal.toml), and their course.

Pure: validation, totals and the day-by-day course are computed here from plain values; the
list of symptoms and red flags (with sources) is packaged data. Kept light (no dataclasses, no
typing) because ``relapse log withdrawal`` runs on the fast lane. No severity band is given:
this is a log for the person and their care team, not a validated scale.
"""

from __future__ import annotations

import os

from relapse_cli.core.errors import BadInput
from relapse_cli.core.paths import DATA_DIR

DATA_FILE = os.path.join(DATA_DIR, "withdrawal.toml")
# The ids, in the order of the form (the same as the columns of withdrawal_checks and the
# flags of `relapse log withdrawal`; a test checks the data file agrees).
SYMPTOMS = (
    "anxiety",
    "restlessness",
    "sweating",
    "tremor",
    "nausea",
    "diarrhoea",
    "aches",
    "runny_nose",
    "sleep_trouble",
    "craving",
)
RED_FLAGS = (
    "seizure",
    "hallucinations",
    "confusion",
    "fever",
    "chest_pain",
    "no_fluids",
    "self_harm",
)
LOW, HIGH = 0, 3
MAX_TOTAL = HIGH * len(SYMPTOMS)
NOT_A_SCALE = (
    "A log for you and your care team, not a score of how serious withdrawal is. "
    "If symptoms worry you, call your doctor or clinic."
)


def load_data() -> dict:
    """The packaged symptom and red-flag list (parsed once per process)."""
    from relapse_cli.core.tomlread import packaged

    return packaged(DATA_FILE)


def symptom_items() -> list[dict]:
    return list(load_data()["symptoms"])


def red_flag_items() -> list[dict]:
    return list(load_data()["red_flags"])


def red_flag_label(flag_id: str) -> str:
    for item in red_flag_items():
        if item["id"] == flag_id:
            return str(item["label"])
    return flag_id.replace("_", " ")


def symptom_label(symptom_id: str) -> str:
    for item in symptom_items():
        if item["id"] == symptom_id:
            return str(item["label"])
    return symptom_id.replace("_", " ")


def flag_name(item_id: str) -> str:
    """The command-line flag for a symptom or red flag id: runny_nose -> --runny-nose."""
    return "--" + item_id.replace("_", "-")


def check_severity(symptom_id: str, value: object) -> int | None:
    """A symptom rating, 0-3 (None: not answered); anything else is one clear line."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not LOW <= value <= HIGH:
        raise BadInput(
            f"{flag_name(symptom_id)} must be {LOW} (none) to {HIGH} (severe), not {value}",
            f"e.g. relapse log withdrawal {flag_name(symptom_id)} 2",
        )
    return value


def build_check(values: dict[str, object]) -> dict[str, object]:
    """The withdrawal_checks row fields (without time and ids) from parsed values.

    ``values``: symptom ids -> 0-3 or None, red-flag ids -> bool, plus substance and note.
    Raises BadInput before anything is stored.
    """
    row: dict[str, object] = {}
    answered = 0
    total = 0
    for s in SYMPTOMS:
        rating = check_severity(s, values.get(s))
        row[s] = rating
        if rating is not None:
            answered += 1
            total += rating
    row["total"] = total
    row["answered"] = answered
    row["red_flags"] = [f for f in RED_FLAGS if values.get(f)]
    substance = values.get("substance")
    row["substance"] = str(substance).strip() or None if substance is not None else None
    row["note"] = values.get("note")
    return row


def total_words(total: object, answered: object = None) -> str:
    """'9 of 30', or '9 of 30 (4 of 10 symptoms rated)': THE wording of a withdrawal total.

    One scale everywhere (0 to MAX_TOTAL, the scale the sparkline draws on), so a check, the
    course, the dashboard and the report can be compared; a partial check says how many
    symptoms it rated rather than shrinking the scale to them.
    """
    text = f"{total} of {MAX_TOTAL}"
    if isinstance(answered, int) and answered < len(SYMPTOMS):
        text += f" ({answered} of {len(SYMPTOMS)} symptoms rated)"
    return text


def describe(row: dict) -> str:
    """'total 9 of 30 · tremor 2, sweating 1' (the symptoms above 0, strongest first)."""
    answered = row.get("answered") or 0
    if not answered:
        return "no symptoms rated"
    parts = ["total " + total_words(row["total"], answered)]
    shown = strongest(row)
    if shown:
        parts.append(shown)
    return " · ".join(parts)


def strongest(row: dict) -> str:
    """'tremor 2, sweating 1': the symptoms rated above 0, strongest first (ties in list order)."""
    shown = sorted(
        ((row[s], i, s) for i, s in enumerate(SYMPTOMS) if row.get(s)), key=lambda t: (-t[0], t[1])
    )
    return ", ".join(f"{symptom_label(s)} {v}" for v, _i, s in shown)


def course(checks: list[dict]) -> list[dict]:
    """One row per local day, oldest first: the day's checks, highest total, mean per symptom.

    ``checks``: dicts with ``local_date`` ('YYYY-MM-DD'), ``total``, ``answered``, the symptom
    ids and ``red_flags`` (a list). The highest total of the day is what the sparkline draws.
    """
    days: dict[str, list[dict]] = {}
    for c in checks:
        days.setdefault(str(c["local_date"]), []).append(c)
    out = []
    for day in sorted(days):
        items = days[day]
        row: dict[str, object] = {
            "date": day,
            "checks": len(items),
            "max_total": max(int(c["total"]) for c in items),
        }
        for s in SYMPTOMS:
            rated = [int(c[s]) for c in items if c.get(s) is not None]
            row[s] = max(rated) if rated else None
        flags: list[str] = []
        for c in items:
            flags += [f for f in c.get("red_flags") or [] if f not in flags]
        row["red_flags"] = flags
        out.append(row)
    return out

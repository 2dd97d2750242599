"""What a valid journal entry is: ranges, words and names, checked before anything is written.

Validation lives here (not in the CLI parser) so the fast ``log`` path, the Typer path, the
interactive prompts, ``edit`` and imports all give the same one-line answers.
Plain dicts on purpose: this module is on the hot path, where ``dataclasses`` (which imports
``inspect``) would cost more than the whole insert.
"""

from __future__ import annotations

from relapse_cli.core.errors import BadInput
from relapse_cli.core.text import has_control

KINDS = ("craving", "mood", "trigger", "use")
OUTCOMES = ("resisted", "used", "ongoing")
MAX_NOTE = 10_000  # characters; a page of writing, far beyond any note, far below a flood
MAX_NAME = 80

# field -> (low, high, label) for the numeric fields every path validates the same way
RANGES: dict[str, tuple[float, float, str]] = {
    "intensity": (0, 10, "craving intensity (0 none, 10 the strongest ever)"),
    "intensity_after": (0, 10, "intensity after coping"),
    "mood": (0, 10, "mood (0 very low, 10 very good)"),
    "anxiety": (0, 10, "anxiety (0 none, 10 extreme)"),
    "energy": (0, 10, "energy (0 none, 10 full)"),
    "sleep_hours": (0, 24, "sleep hours"),
    "duration_min": (0, 24 * 60, "duration in minutes"),
    "amount": (0, 1000, "amount"),
}
# Where one field means something else for a kind: a trigger's intensity is its pull.
KIND_LABELS = {("trigger", "intensity"): "the trigger's pull (0 none, 10 the strongest ever)"}
TEXT_FIELDS = ("substance", "location", "company", "unit", "context", "led_up_to", "note")
REQUIRED = {
    "craving": ("intensity",),
    "mood": ("mood",),
    "trigger": ("triggers",),
    "use": ("substance",),
}
# Every field a kind accepts, beyond occurred_at; edit and the Typer commands use the same lists.
FIELDS = {
    "craving": ("intensity", "substance", "location", "company", "mood", "outcome",
                "intensity_after", "duration_min", "note"),
    "mood": ("mood", "anxiety", "sleep_hours", "energy", "note"),
    "trigger": ("intensity", "location", "company", "note"),
    "use": ("substance", "amount", "unit", "context", "led_up_to", "note"),
}  # fmt: skip


_EXAMPLE = {
    "intensity": "e.g. relapse log craving 7",
    "mood": "e.g. relapse log mood 5",
    "substance": "e.g. -s alcohol",
}


def vocab_key(name: str) -> str:
    """Case- and spacing-insensitive key, so 'Stress', ' stress ' and 'STRESS' are one trigger."""
    return " ".join(name.split()).casefold()


_NAME_EXAMPLE = {
    "trigger": "-t stress",
    "coping strategy": '-c "called Sam"',
    "substance": "-s alcohol",
}


def _name_needed(what: str) -> BadInput:
    example = _NAME_EXAMPLE.get(what)
    hint = f"give the {what} a name" + (f", e.g. {example}" if example else "")
    return BadInput(f"empty {what} name", hint)


def clean_name(raw: str, what: str) -> str:
    """A vocabulary name as stored: spacing collapsed, checked for length and control chars."""
    name = " ".join(raw.split())
    if not name:
        raise _name_needed(what)
    if len(name) > MAX_NAME:
        raise BadInput(f"{what} name is too long ({len(name)} characters, at most {MAX_NAME})")
    if has_control(name):  # also bidi overrides: a name must read as it is stored
        raise BadInput(f"{what} name contains control characters")
    return name


def split_names(values: list[str] | tuple[str, ...] | None, what: str) -> list[str]:
    """Repeatable options that also accept commas: -t stress -t "payday, bills"."""
    names: list[str] = []
    seen: set[str] = set()
    for value in values or ():
        parts = value.split(",")
        if not any(p.strip() for p in parts):
            raise _name_needed(what)
        for part in parts:
            if not part.strip():
                continue
            name = clean_name(part, what)
            key = vocab_key(name)
            if key not in seen:
                seen.add(key)
                names.append(name)
    return names


def check_number(field: str, value: float | int | None, kind: str | None = None) -> None:
    """Refuse a number outside its clinical range, naming the range (in the kind's words)."""
    if value is None:
        return
    low, high, label = RANGES[field]
    label = KIND_LABELS.get((kind or "", field), label)
    if value != value or not low <= value <= high:  # NaN fails both comparisons
        shown = int(value) if value == value and float(value).is_integer() else value
        raise BadInput(f"{label} must be {_fmt(low)}–{_fmt(high)}, not {shown}")


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def check_text(field: str, value: str | None) -> str | None:
    """Free text: kept as typed (escaped only when shown), but bounded; blank means none."""
    if value is None:
        return None
    if "\x00" in value:
        raise BadInput(f"{field.replace('_', ' ')} contains a NUL character")
    limit = MAX_NOTE if field in ("note", "context", "led_up_to") else 200
    if len(value) > limit:
        raise BadInput(
            f"{field.replace('_', ' ')} is too long ({len(value):,} characters, at most {limit:,})"
        )
    return value if value.strip() else None


def check_outcome(value: str | None) -> str | None:
    if value is None:
        return None
    word = value.strip().lower()
    starts = [o for o in OUTCOMES if word and o.startswith(word)]  # r/u/o, as the prompt takes
    if len(starts) == 1:
        return starts[0]
    if word not in OUTCOMES:
        raise BadInput(f"unknown outcome {value!r}", "use resisted, used or ongoing")
    return word


def _number(value: object) -> float | None:
    """A numeric field as the parsers give it (int, float or None)."""
    if value is None or isinstance(value, (int, float)):
        return value
    raise TypeError(f"a number field holds {type(value).__name__}")


def _text(value: object) -> str | None:
    """A text field as the parsers give it (str or None)."""
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"a text field holds {type(value).__name__}")


def build_entry(kind: str, values: dict[str, object]) -> dict[str, object]:
    """Validate raw values for one kind and return the columns to store (no time, no id)."""
    if kind not in KINDS:
        raise BadInput(f"unknown entry kind {kind!r}", "use craving, mood, trigger or use")
    allowed = FIELDS[kind]
    row: dict[str, object] = {"kind": kind}
    for field in allowed:
        value = values.get(field)
        if field in RANGES:
            check_number(field, _number(value), kind)
        elif field == "outcome":
            value = check_outcome(_text(value))
        elif field in TEXT_FIELDS:
            value = check_text(field, _text(value))
            if value is not None and field in ("substance", "unit"):
                value = clean_name(value, field).lower()
        row[field] = value
    for field in REQUIRED[kind]:
        if field != "triggers" and row.get(field) is None:
            raise BadInput(f"a {kind} entry needs its {field.replace('_', ' ')}", _EXAMPLE[field])
    if row.get("intensity_after") is not None and row.get("intensity") is None:
        raise BadInput("intensity after coping needs the intensity before it")
    return row

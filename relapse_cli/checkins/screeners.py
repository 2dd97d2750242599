"""The validated screeners (PHQ-9, GAD-7, PACS): wording from packaged data, exact scoring.

Pure: the instruments are read once from ``relapse_cli/data/screener_*.toml`` (packaged data,
each with its sources); everything else here is arithmetic on answer lists. Nothing prints,
nothing touches the journal. A screener is scored only when every scored item has an answer:
a half-filled questionnaire is not a result.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache

from relapse_cli.checkins.model import SCREENERS
from relapse_cli.core.errors import BadInput
from relapse_cli.core.paths import DATA_DIR

KEYS = SCREENERS  # phq9, gad7, pacs (named in checkins/model.py, for the value rules)
NOT_A_DIAGNOSIS = (
    "This is a screening score, not a diagnosis; talk it over with your "
    "clinician."
)  # CLINICAL.md §1


@dataclass(frozen=True)
class Choice:
    value: int
    text: str
    loinc: str | None = None


@dataclass(frozen=True)
class Item:
    number: int  # 1-based, as printed on the form
    text: str
    loinc: str | None
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    name: str


@dataclass(frozen=True)
class Instrument:
    key: str  # phq9 | gad7 | pacs
    name: str  # PHQ-9
    title: str
    measures: str
    looks_back_days: int
    stem: str
    scoring: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    source: str
    loinc_panel: str | None = None
    loinc_total: str | None = None
    safety_item: int | None = None  # 1-based item whose answer above 0 needs the safety screen
    extra: Item | None = None  # the form's unscored difficulty question (PHQ-9, GAD-7)
    note: str | None = None
    substance: str | None = None  # PACS: the substance the wording is about (None: alcohol)
    forms: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def low(self) -> int:
        return min(c.value for c in self.items[0].choices)

    @property
    def high(self) -> int:
        return max(c.value for c in self.items[0].choices)

    @property
    def max_total(self) -> int:
        return sum(max(c.value for c in item.choices) for item in self.items)

    def as_fhir(self) -> dict:
        """The shape ``formats.fhir.screener_resources`` reads (scored items only)."""
        return {
            "name": self.name,
            "loinc_panel": self.loinc_panel,
            "loinc_total": self.loinc_total,
            "items": [{"loinc": i.loinc, "text": i.text} for i in self.items],
            "answers": [
                {"value": c.value, "loinc": c.loinc, "text": c.text} for c in self.items[0].choices
            ],
        }


def _toml(path: str) -> dict:
    from relapse_cli.core.tomlread import packaged

    return packaged(path)


def _choices(raw: list[dict]) -> tuple[Choice, ...]:
    return tuple(Choice(int(c["value"]), str(c["text"]), c.get("loinc")) for c in raw)


@cache
def _raw(key: str) -> dict:
    return _toml(os.path.join(DATA_DIR, f"screener_{key}.toml"))


@cache
def load(key: str) -> Instrument:
    """The instrument as published (PACS about alcohol)."""
    if key not in KEYS:
        raise BadInput(f"unknown screener {key!r}", "screeners: phq9, gad7, pacs")
    raw = _raw(key)
    shared = _choices(raw["answers"]) if "answers" in raw else ()
    items = tuple(
        Item(
            n, str(i["text"]), i.get("loinc"), _choices(i["answers"]) if "answers" in i else shared
        )
        for n, i in enumerate(raw["items"], 1)
    )
    extra = None
    if "extra" in raw:
        e = raw["extra"]
        extra = Item(len(items) + 1, str(e["text"]), e.get("loinc"), _choices(e["answers"]))
    return Instrument(
        key=key,
        name=str(raw["name"]),
        title=str(raw["title"]),
        measures=str(raw["measures"]),
        looks_back_days=int(raw["looks_back_days"]),
        stem=str(raw["stem"]),
        scoring=str(raw["scoring"]),
        items=items,
        bands=tuple(Band(int(b["low"]), int(b["high"]), str(b["name"])) for b in raw["bands"]),
        source=str(raw["source"]),
        loinc_panel=raw.get("loinc_panel"),
        loinc_total=raw.get("loinc_total"),
        safety_item=raw.get("safety_item"),
        extra=extra,
        note=raw.get("note"),
        forms=dict(raw.get("forms", {})),
    )


def about(key: str, substance: str | None = None) -> Instrument:
    """The instrument worded for ``substance`` (PACS only; other instruments ignore it).

    Alcohol (or no substance) keeps the published wording; another name fills the ``adapted``
    text of the packaged data (CLINICAL.md §7: "adaptable to other substances by name").
    """
    inst = load(key)
    name = (substance or "").strip().lower()
    if key != "pacs" or name in ("", "alcohol", "drinking", "drink"):
        return inst
    raw = _raw(key)
    form = {
        "use": f"using {name}",
        "verb": "use",
        "past": f"used {name}",
        "at_hand": f"{name} was in your house",
    } | dict(inst.forms.get(name, {}))
    form["name"] = name

    def fill(entry: dict) -> str:
        return str(entry.get("adapted", entry["text"])).format(**form)

    items = tuple(
        Item(
            n,
            fill(i),
            i.get("loinc"),
            tuple(Choice(int(c["value"]), fill(c), c.get("loinc")) for c in i["answers"]),
        )
        for n, i in enumerate(raw["items"], 1)
    )
    from dataclasses import replace

    # The 15-point threshold was validated for alcohol only: another substance gets one band
    # that says so, and a note in place of the threshold's.
    bands = (Band(0, inst.max_total, str(raw["adapted_band"]).format(name=name)),)
    note = str(raw["adapted_note"]).format(name=name)
    return replace(inst, items=items, substance=name, bands=bands, note=note)


def band_for(inst: Instrument, total: int) -> str:
    for band in inst.bands:
        if band.low <= total <= band.high:
            return band.name
    raise ValueError(f"{inst.name} total {total} is outside 0-{inst.max_total}")


@dataclass(frozen=True)
class Score:
    total: int
    band: str
    max_total: int
    needs_safety: bool  # PHQ-9 item 9 above 0


def score(inst: Instrument, answers: list[int]) -> Score:
    """Total and band of a COMPLETE set of scored answers (raises ValueError otherwise)."""
    check_complete(inst, answers)
    total = sum(answers)
    return Score(total, band_for(inst, total), inst.max_total, needs_safety(inst, answers))


def check_complete(inst: Instrument, answers: list) -> None:
    if len(answers) != len(inst.items):
        raise ValueError(f"{inst.name} needs {len(inst.items)} answers, got {len(answers)}")
    for item, value in zip(inst.items, answers, strict=True):
        if value is None or not any(c.value == value for c in item.choices):
            raise ValueError(f"{inst.name} item {item.number}: {value!r} is not an answer")


def needs_safety(inst: Instrument, answers: list) -> bool:
    """The PHQ-9 item-9 rule: any answer above 0 shows the safety screen, whatever the total."""
    if inst.safety_item is None or len(answers) < inst.safety_item:
        return False
    value = answers[inst.safety_item - 1]
    return value is not None and value > 0


SAFETY_FLAG = "item 9 above 0 (thoughts of death or self-harm)"
SAFETY_POINTER = "Crisis lines and the safety plan: relapse sos"


def item9_positive(row: dict) -> bool:
    """A stored result (a ``screenings`` row) whose PHQ-9 item 9 is above 0."""
    if row.get("instrument") not in (None, "phq9"):
        return False
    if row.get("item9"):
        return True
    answers = row.get("answers")
    if isinstance(answers, list) and row.get("instrument") == "phq9":
        return needs_safety(load("phq9"), answers)
    return False


def safety_flag(row: dict) -> str | None:
    """The words every view of a PHQ-9 result shows when item 9 is above 0, with the day it
    was answered (CLINICAL.md section 7: a positive item 9 is never shown as just a score).
    ``row``: a stored result with ``taken_at`` and ``utc_offset_min``."""
    if not item9_positive(row):
        return None

    return f"{SAFETY_FLAG} on {flag_day(row)}"


def flag_day(row: dict) -> str:
    from relapse_cli.core.timeparse import from_storage

    return f"{from_storage(row['taken_at'], int(row['utc_offset_min'])):%a %-d %b %Y}"


def parse_answer(item: Item, raw: str) -> int | None:
    """One typed answer: a number among the item's choices (None for blank)."""
    text = raw.strip()
    if not text:
        return None
    values = [c.value for c in item.choices]
    lo, hi = min(values), max(values)
    if not (text.isascii() and text.isdigit()) or int(text) not in values:
        raise BadInput(f"item {item.number} takes a number from {lo} to {hi}, not {text!r}")
    return int(text)


def split_answers(text: str) -> list[str]:
    """The answers by position: split on commas, keeping blank fields ("1,,0" is three
    answers, the second blank), so a blank never shifts a later answer into an earlier
    item. Without any comma, spaces separate ("1 0 2")."""
    if "," in text:
        return [p.strip() for p in text.split(",")]
    return text.split()


def safety_answer(inst: Instrument, text: str) -> bool:
    """True when the item-9 answer at its position can be read as a number above 0, whatever
    else is wrong with the line: that answer must reach the safety screen first."""
    if inst.safety_item is None:
        return False
    parts = split_answers(text)
    if len(parts) < inst.safety_item:
        return False
    raw = parts[inst.safety_item - 1]
    return raw.isascii() and raw.isdigit() and int(raw) > 0


def parse_answers(inst: Instrument, text: str) -> tuple[list[int], int | None]:
    """``--answers 0,1,2,...``: every scored item, in order (PHQ-9 and GAD-7 may add their
    unscored last answer). A blank or missing scored answer is an error naming the item.

    Returns (scored answers, extra answer or None). Raises BadInput with an example.
    """
    count = len(inst.items)
    example = ",".join(["1", "0", "2", "1", "0", "3", "0", "1", "0"][:count])
    if inst.key == "pacs":
        example = "2,3,1,4,2"
    parts = split_answers(text)
    if inst.extra is not None and len(parts) == count + 1 and not parts[count]:
        parts = parts[:count]  # a blank unscored last answer: not answered
    allowed = f"{count}" + (
        f" (or {count + 1} with the unscored last question)" if inst.extra else ""
    )
    blank = [n for n, part in enumerate(parts[:count], start=1) if not part]
    if blank:
        which = ", ".join(map(str, blank))
        raise BadInput(
            f"{inst.name} item{'s' if len(blank) > 1 else ''} {which} "
            f"{'are' if len(blank) > 1 else 'is'} blank: every scored item needs "
            "an answer",
            f"e.g. --answers {example}",
        )
    if len(parts) not in ((count, count + 1) if inst.extra else (count,)):
        missing = f"; item {len(parts) + 1} onwards missing" if len(parts) < count else ""
        raise BadInput(
            f"{inst.name} needs {allowed} answers, got {len(parts)}{missing}",
            f"e.g. --answers {example}",
        )
    scored = []
    for item, part in zip(inst.items, parts[:count], strict=True):
        try:
            value = parse_answer(item, part)
        except BadInput as exc:
            raise BadInput(f"{inst.name} {exc.message}", f"e.g. --answers {example}") from None
        assert value is not None  # never blank: checked above
        scored.append(value)
    extra = None
    if inst.extra is not None and len(parts) == count + 1:
        try:
            extra = parse_answer(inst.extra, parts[count])
        except BadInput:
            raise BadInput(
                f"{inst.name} question {count + 1} (how difficult) takes 0 to 3, "
                f"not {parts[count]!r}",
                f"e.g. --answers {example},1",
            ) from None
    return scored, extra


def change(total: int, previous: int | None) -> int | None:
    """Points up (positive) or down since the previous result of the same instrument."""
    return None if previous is None else total - previous


def change_text(inst: Instrument, total: int, previous: dict | None) -> str:
    """'First PHQ-9 recorded here.' or 'Down 4 points since Tue 10 Nov (12, moderate).'"""
    if previous is None:
        return f"Your first {inst.name} here: the next one will show the change."
    delta = total - int(previous["total"])
    when = previous.get("when", "last time")
    was = (
        f"{previous['total']}, {previous['band']}"
        if previous.get("band")
        else str(previous["total"])
    )
    if delta == 0:
        return f"The same as last time ({was}, {when})."
    word = "Up" if delta > 0 else "Down"
    points = "point" if abs(delta) == 1 else "points"
    return f"{word} {abs(delta)} {points} since {when} ({was})."

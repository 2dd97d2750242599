"""The relapse-prevention plan and the crisis safety plan, as data a clinician can review.

Sources: relapse-prevention plan after Marlatt & Gordon, *Relapse Prevention* (1985), with
warning signs in the emotional, mental and physical stages of Melemis (2015, "Relapse
Prevention and the Five Rules of Recovery", Yale J Biol Med 88:325-332), building on
Gorski's warning signs; the crisis safety plan follows the six
steps of Stanley & Brown's Safety Planning Intervention (Cognitive and Behavioral Practice
19(2):256-264, 2012), written here in this project's own words, not their branded form.
CLINICAL.md section 8.

Pure: plan items are plain dicts; this module validates them and turns them to and from the
TOML text used by ``relapse plan edit`` and by the ``sos.toml`` mirror. Light on purpose (no
dataclasses, no typing): ``relapse sos`` imports it on its fast path.
"""

from __future__ import annotations

from relapse_cli.core.text import plain_digits

TEXT_MAX = 500
SHORT_MAX = 80
WARNING_KINDS = ("emotional", "mental", "physical")
FIELDS = ("text", "category", "response", "name", "phone", "best_times", "step")


class Section:
    """One part of the plan: its key, title, the question the builder asks, and examples."""

    __slots__ = ("key", "title", "question", "examples", "fields", "required")

    def __init__(
        self,
        key: str,
        title: str,
        question: str,
        examples: tuple[str, ...],
        fields: tuple[str, ...] = ("text",),
        required: tuple[str, ...] = ("text",),
    ) -> None:
        self.key = key
        self.title = title
        self.question = question
        self.examples = examples
        self.fields = fields
        self.required = required


SECTIONS: tuple[Section, ...] = (
    Section(
        "warning_signs",
        "Warning signs",
        "What tells you that a lapse might be getting closer?",
        (
            "emotional: snapping at people, feeling flat",
            "mental: 'one won't hurt' thoughts, skipping meetings",
            "physical: poor sleep, not eating",
        ),
        fields=("text", "category"),
    ),
    Section(
        "high_risk",
        "High-risk situations",
        "Which situations make using more likely, and what will you do in each?",
        (
            "payday Friday -> go straight home and call Sam",
            "family dinner with drinks -> bring my own drinks, leave by 9",
        ),
        fields=("text", "response"),
        required=("text", "response"),
    ),
    Section(
        "coping",
        "Coping strategies that work",
        "What helps you get through an urge?",
        (
            "walk round the block",
            "call someone",
            "urge surfing for 10 minutes",
            "a cold drink and a shower",
        ),
    ),
    Section(
        "reasons",
        "Reasons for recovery",
        "Why does your recovery matter to you?",
        ("being present for my kids", "my health", "waking up without dread"),
    ),
    Section(
        "people",
        "People to call",
        "Who can you call? (name, then phone and best times)",
        ("Sam, 07700 900123, evenings", "my sponsor Alex, any time"),
        fields=("name", "phone", "best_times", "text"),
        required=("name",),
    ),
    Section(
        "professionals",
        "Professionals and services",
        "Which professionals and local services can you contact?",
        (
            "Dr Patel (GP), 020 7946 0000, weekdays 8-6",
            "community drug and alcohol service, 0300 123 4567",
        ),
        fields=("name", "phone", "best_times", "text"),
        required=("name",),
    ),
    Section(
        "safe_places",
        "Safe places",
        "Where can you go that feels safe and substance-free?",
        ("the library", "my sister's flat", "the Tuesday meeting"),
    ),
    Section(
        "if_lapse",
        "If I lapse, I will...",
        "If a lapse happens, what will you do next?",
        (
            "tell my sponsor the same day",
            "log it and look at what led up to it",
            "get rid of what is left",
            "go to a meeting tomorrow",
        ),
    ),
    Section(
        "safety_steps",
        "Safety plan for a crisis",
        "Your crisis safety plan, step by step.",
        (
            "1: not sleeping, thinking everyone is better off without me",
            "2: put on music and take a hot shower",
            "6: ask a friend to keep my pills",
        ),
        fields=("step", "text"),
        required=("step", "text"),
    ),
    Section(
        "matters_most",
        "What matters most to me",
        "What is the one thing most important to you, worth living for?",
        ("my daughter", "the garden I am building"),
    ),
)
BY_KEY = {s.key: s for s in SECTIONS}

# Warning-sign categories: the emotional, mental and physical stages of relapse as described
# by Melemis (2015), who builds on Gorski's warning signs; said wherever the categories are.
WARNING_STAGES_SOURCE = (
    "the stages of relapse: emotional, mental, physical (Melemis 2015, building on Gorski)"
)

# The two plans are kept apart everywhere (storage by section, `plan`, `plan build`, sos,
# the suicide-safety screen): the safety plan (Stanley & Brown 2012) is for a suicidal crisis
# and holds only its own six steps and what matters most; relapse-prevention items (warning
# signs of a lapse, urge coping) never fill its steps. Report writers: use PARTS too.
SAFETY_SECTIONS = ("safety_steps", "matters_most")
RELAPSE_SECTIONS = tuple(s.key for s in SECTIONS if s.key not in SAFETY_SECTIONS)
PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Relapse-prevention plan", RELAPSE_SECTIONS),
    ("Safety plan for a crisis", SAFETY_SECTIONS),
)
SAFETY_EMPTY = (
    "Your safety plan has no items yet. When you feel able, add them step by step: "
    'relapse plan build (or: relapse plan add safety_steps "call Sam" --step 4).'
)
ALIASES = {
    "warning": "warning_signs",
    "signs": "warning_signs",
    "risk": "high_risk",
    "situations": "high_risk",
    "strategies": "coping",
    "reason": "reasons",
    "contacts": "people",
    "services": "professionals",
    "care_team": "professionals",
    "places": "safe_places",
    "lapse": "if_lapse",
    "safety": "safety_steps",
    "steps": "safety_steps",
    "matters": "matters_most",
}

# The six crisis safety-plan steps, in this project's own words.
SAFETY_STEPS: tuple[tuple[int, str, str], ...] = (
    (1, "Notice the signs", "thoughts, feelings and situations that tell me a crisis may be "
                            "starting"),
    (2, "Calm myself", "things I can do on my own to get through it for now"),
    (3, "Be around others", "people and places that take my mind off things"),
    (4, "Ask for help", "people I can tell that I am struggling"),
    (5, "Reach professionals", "my care team, local services and crisis lines"),
    (6, "Make my space safer", "putting distance between me and anything I could use to hurt "
                               "myself or to use"),
)  # fmt: skip

GROUNDING = (
    "You reached for help, and that matters. Breathe out slowly. Feel your feet on the floor.",
    "This feeling will rise, peak and pass. You only need to get through the next few minutes.",
)


def section_key(raw: str) -> str:
    """'warning-signs', 'Warning Signs', 'signs' -> 'warning_signs'; unknown -> BadInput."""
    from relapse_cli.core.errors import BadInput

    key = raw.strip().lower().replace("-", "_").replace(" ", "_")
    key = ALIASES.get(key, key)
    if key not in BY_KEY:
        raise BadInput(
            f"unknown plan section {raw!r}", "sections: " + ", ".join(s.key for s in SECTIONS)
        )
    return key


def clean_item(section: str, fields: dict[str, object], where: str = "") -> dict[str, object]:
    """Check one item's fields; returns {section, text, ...} with only the fields it uses."""
    from relapse_cli.core.errors import BadInput
    from relapse_cli.core.text import has_control

    spec = BY_KEY[section]
    at = f"{where}: " if where else ""
    item: dict[str, object] = {"section": section}
    for name, value in fields.items():
        if value is None or value == "":
            continue
        if name not in spec.fields:
            raise BadInput(
                f"{at}{section} has no field {name!r}",
                f"{section} fields: " + ", ".join(spec.fields),
            )
        if name == "step":
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                raise BadInput(f"{at}step must be a number from 1 to 6")
            try:
                step = int(value)
            except ValueError:
                raise BadInput(f"{at}step must be a number from 1 to 6, not {value!r}") from None
            if not 1 <= step <= 6:
                raise BadInput(f"{at}step must be a number from 1 to 6, not {step}")
            item["step"] = step
            continue
        if not isinstance(value, str):
            raise BadInput(f"{at}{name} must be text in quotes", f'e.g. {name} = "..."')
        text = " ".join(value.split()) if not has_control(value.strip()) else None
        if text is None:
            raise BadInput(f"{at}{name} must be one line without control characters")
        limit = TEXT_MAX if name in ("text", "response") else SHORT_MAX
        if len(text) > limit:
            raise BadInput(f"{at}{name} is too long ({len(text)} characters; at most {limit})")
        if name == "category":
            text = text.lower()
            if text not in WARNING_KINDS:
                raise BadInput(
                    f"{at}category must be one of {', '.join(WARNING_KINDS)}, not {value!r}"
                )
        if name == "phone" and not any(ch.isdigit() for ch in text):
            raise BadInput(
                f"{at}phone should hold a number, not {value!r}", 'e.g. --phone "07700 900123"'
            )
        if text:
            item[name] = text
    for name in spec.required:
        if name not in item:
            hint = {
                "response": 'e.g. relapse plan add high_risk "payday" --response "go '
                'straight home"',
                "step": 'e.g. relapse plan add safety_steps "call Sam" --step 4',
                "name": 'e.g. relapse plan add people "Sam" --phone "07700 900123"',
            }
            raise BadInput(f"{at}{section} needs {name}", hint.get(name, ""))
    if "text" not in item:
        item["text"] = ""
    return item


def item_line(item: dict[str, object]) -> str:
    """One plain line for an item (the same words in every view)."""
    section = item["section"]
    if section in ("people", "professionals"):
        parts = [str(item.get("name") or "")]
        if item.get("text"):
            parts[0] += f" ({item['text']})"
        if item.get("phone"):
            parts.append(str(item["phone"]))
        if item.get("best_times"):
            parts.append(str(item["best_times"]))
        return ", ".join(parts)
    if section == "high_risk":
        return f"{item['text']} -> {item.get('response') or ''}"
    if section == "warning_signs" and item.get("category"):
        return f"{item['text']} ({item['category']})"
    if section == "safety_steps":
        return f"step {item.get('step')}: {item['text']}"
    return str(item["text"])


def grouped(items: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    """Items by section, in plan order (safety steps by step number), empty sections kept."""
    out: dict[str, list[dict[str, object]]] = {s.key: [] for s in SECTIONS}
    for item in items:
        out.setdefault(str(item["section"]), []).append(item)
    out["safety_steps"].sort(key=step_of)
    return out


def step_of(item: dict[str, object]) -> int:
    """The safety step 1-6 of an item; 0 for anything else (never raises: sos sorts by it)."""
    step = item.get("step")
    if isinstance(step, bool):
        return 0
    if isinstance(step, int):
        return step if 1 <= step <= 6 else 0
    if isinstance(step, str) and plain_digits(step.strip()):
        n = int(step.strip())
        return n if 1 <= n <= 6 else 0
    return 0


def valid_items(raw: object) -> tuple[list[dict[str, object]], int]:
    """(items that pass ``clean_item``, how many were skipped) from anything at all.

    The one place where plan items read back from a file or the journal become typed data:
    the crisis screens (sos, safety, urgent help) render only what this returns, so a wrong
    type, an out-of-range step or a nested table in the sos mirror skips that item instead
    of disabling the screen.
    """
    from relapse_cli.core.text import for_terminal

    items: list[dict[str, object]] = []
    skipped = 0
    if not isinstance(raw, list):
        return items, (0 if raw is None else 1)
    for entry in raw:
        try:
            if not isinstance(entry, dict):
                raise TypeError
            section = entry.get("section")
            if not isinstance(section, str) or section not in BY_KEY:
                raise TypeError
            # Control characters are shown escaped, not refused: the item still helps.
            fields = {
                k: (for_terminal(v, single_line=True) if isinstance(v, str) else v)
                for k, v in entry.items()
                if k in BY_KEY[section].fields
            }
            item = clean_item(section, fields)
            if not (item.get("text") or item.get("name")):
                raise ValueError
            if "uuid" in entry and isinstance(entry["uuid"], str):
                item["uuid"] = entry["uuid"]
        except Exception:  # noqa: BLE001 - one damaged item must not hide the rest
            skipped += 1
            continue
        items.append(item)
    return items, skipped


# --- TOML text: the `plan edit` rendering and the sos.toml mirror share one format ---------

EDIT_HEADER = """\
# Your relapse-prevention plan (relapse-cli). Edit, save and close the editor.
# It is checked before anything changes; a mistake changes nothing and names the line.
# Each item is a [[section]] block. Delete a block to remove it; copy one to add another.
# Text goes in double quotes: text = "call Sam".
"""
MIRROR_HEADER = """\
# A copy of your plan for `relapse sos`, kept beside the journal so it works even when the
# journal cannot be opened. Written by relapse-cli on every change: edit the plan with
# `relapse plan edit`, not here. Not encrypted. Turn it off: relapse plan mirror off
"""


def _toml_string(value: str) -> str:
    import json  # here, not at the top: `relapse sos` imports this module and needs no json

    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def to_toml(
    items: list[dict[str, object]],
    *,
    header: str = EDIT_HEADER,
    examples: bool = True,
    meta: dict[str, str] | None = None,
) -> str:
    """The plan as TOML text, sections in plan order, with a comment above each."""
    lines = [header.rstrip("\n"), "", "format = 1"]
    for key, text in (meta or {}).items():
        lines.append(f"{key} = {_toml_string(text)}")
    for key, section_items in grouped(items).items():
        spec = BY_KEY.get(key)
        if spec is None:
            continue
        lines += ["", f"# {spec.title}: {spec.question}"]
        if key == "warning_signs":
            lines.append(
                "# category (optional): emotional, mental or physical: " + WARNING_STAGES_SOURCE
            )
        if key == "safety_steps":
            lines += [f"#   step {n}: {title}: {about}" for n, title, about in SAFETY_STEPS]
        if not section_items and examples:
            lines.append(f"# [[{key}]]")
            lines += [f"# {f} = {_example_value(spec, f)}" for f in spec.required]
        for item in section_items:
            lines.append(f"[[{key}]]")
            for field in spec.fields:
                value = item.get(field)
                if value is None or (value == "" and field not in spec.required):
                    continue
                shown = str(value) if field == "step" else _toml_string(str(value))
                lines.append(f"{field} = {shown}")
    return "\n".join(lines) + "\n"


def _example_value(spec: Section, field: str) -> str:
    if field == "step":
        return "2"
    example = spec.examples[0] if spec.examples else ""
    if field == "response" and "->" in example:
        example = example.split("->", 1)[1].strip()
    elif "->" in example:
        example = example.split("->", 1)[0].strip()
    elif field == "text" and ":" in example and spec.key == "safety_steps":
        example = example.split(":", 1)[1].strip()
    elif field == "name":
        example = example.split(",", 1)[0].strip()
    return _toml_string(example)


def parse_toml(text: str, *, where: str = "plan") -> list[dict[str, object]]:
    """Read the TOML text back into validated items (BadInput names what is wrong)."""

    from relapse_cli.core.errors import BadInput
    from relapse_cli.core.tomlread import loads

    try:
        data = loads(text)
    except ValueError as exc:
        raise BadInput(f"{where} is not valid TOML: {exc}") from None
    items: list[dict[str, object]] = []
    for key, value in data.items():
        if key in ("format", "updated_at", "country", "mirror"):
            continue
        if key not in BY_KEY:
            raise BadInput(
                f"{where}: unknown section {key!r}",
                "sections: " + ", ".join(s.key for s in SECTIONS),
            )
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise BadInput(f"{where}: {key} must be [[{key}]] blocks")
        for n, fields in enumerate(value, start=1):
            items.append(clean_item(key, fields, where=f"{where}: [[{key}]] number {n}"))
    return items


def same_item(a: dict[str, object], b: dict[str, object]) -> bool:
    """Same section and same fields (what an edit leaves alone keeps its identity)."""
    return all((a.get(f) or None) == (b.get(f) or None) for f in ("section", *FIELDS))

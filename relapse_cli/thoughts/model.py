"""CBT thought records: the steps, the thinking traps, and the rules a record follows.

Pure: parsing "anxious=80" ratings, resolving trap names, validating and merging the fields
of a record, the mood change, and which step a draft resumes at. No SQL, no printing. The
clinical content (steps and traps, with their sources) is packaged data read once:
``relapse_cli/data/thought_record.toml`` and ``relapse_cli/data/traps.toml``.

A record is a plain dict (what ``thoughts/store.py`` stores)::

    situation: str | None          moods: {name: 0-100}      thoughts: [str]
    hot_index: int | None (1-based, as in --hot N)           traps: [key] | None (None: not
    asked yet; []: none fit)       evidence_for / evidence_against: [str]
    balanced_thought: str | None   belief: 0-100 | None      moods_after: {name: 0-100}
    next_step: str | None
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from relapse_cli.core.errors import BadInput
from relapse_cli.core.paths import DATA_DIR

MAX_MOOD_NAME = 40
MAX_MOOD_TEXT = 200  # a name (at most MAX_MOOD_NAME) and a rating; longer is refused unparsed
MAX_TEXT = 2000
MAX_DIGITS = 9  # a rating or a thought's number written with more digits is out of range


@dataclass(frozen=True)
class Trap:
    number: int  # 1-based, the order of the data file
    key: str
    name: str
    description: str
    example: str
    source: str
    group: str  # burns | addiction
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    number: int  # 1-based position in the guided flow
    key: str
    column: int  # 1-7 in the printed record, 0 for the extra steps (traps, next step)
    title: str
    prompt: str
    why: str
    example: str
    required: bool


def _load(name: str) -> dict:
    from relapse_cli.core.tomlread import packaged

    return packaged(os.path.join(DATA_DIR, name))


def traps() -> tuple[Trap, ...]:
    """The thinking traps, in the numbered order shown to the person."""
    return tuple(
        Trap(
            number=i,
            key=t["key"],
            name=t["name"],
            description=t["description"],
            example=t["example"],
            source=t["source"],
            group=t["group"],
            aliases=tuple(t.get("aliases", ())),
        )
        for i, t in enumerate(_load("traps.toml")["trap"], start=1)
    )


def trap_by_key() -> dict[str, Trap]:
    return {t.key: t for t in traps()}


def steps() -> tuple[Step, ...]:
    """The thought record's steps, in the order the guided flow asks them."""
    return tuple(
        Step(
            number=i,
            key=s["key"],
            column=s["column"],
            title=s["title"],
            prompt=s["prompt"],
            why=s["why"],
            example=s["example"],
            required=bool(s["required"]),
        )
        for i, s in enumerate(_load("thought_record.toml")["step"], start=1)
    )


# ------------------------------------------------------------------------------ parsing

_MOOD = re.compile(r"^(?P<name>.*?)\s*(?:[=:]\s*|\s+)(?P<num>[+-]?\d+(?:[.,]\d+)?)\s*%?$")
_RATING_EXAMPLE = "e.g. anxious=80"


def shown(value: object) -> str:
    """A value from a file as a one-line message shows it: a short scalar as written, a
    list or a table by its kind (never its whole contents)."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return "a very large number"
    if isinstance(value, (str, int, float)):
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    return f"a {type(value).__name__}"  # a TOML date, time or datetime


def _is(value: object, kinds: tuple[type, ...]) -> bool:
    """isinstance, except that true/false is not a number (bool is an int to Python)."""
    return isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool))


def parse_rating(raw: object, what: str) -> int:
    """A whole number 0-100 (a trailing % is fine)."""
    if isinstance(raw, bool):
        raise BadInput(f"{what} must be a number from 0 to 100, not {raw!r}")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, (str, float)):
        text = str(raw).strip().rstrip("%").strip()
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            raise BadInput(
                f"{what} must be a whole number from 0 to 100, not {shown(str(raw))}", "e.g. 80"
            )
        if len(text.lstrip("+-").lstrip("0")) > MAX_DIGITS:
            raise BadInput(
                f"{what} must be from 0 to 100, not {shown(text)}", "ratings go from 0 to 100"
            )
        value = int(text)
    else:
        raise BadInput(f"{what} must be a whole number from 0 to 100, not {shown(raw)}", "e.g. 80")
    if not 0 <= value <= 100:
        raise BadInput(f"{what} must be from 0 to 100, not {value}", "ratings go from 0 to 100")
    return value


def clean_text(raw: object, what: str) -> str:
    """Free text as typed (stripped); refuses text that is too long to be one field."""
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        raise BadInput(f"{what} is longer than {MAX_TEXT} characters", "shorten it a little")
    return text


def mood_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise BadInput("a mood needs a name", _RATING_EXAMPLE)
    if len(name) > MAX_MOOD_NAME:
        raise BadInput(f"a mood name is at most {MAX_MOOD_NAME} characters", _RATING_EXAMPLE)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name) or "=" in name:
        raise BadInput(f"not a mood name: {raw!r}", _RATING_EXAMPLE)
    return name


def parse_mood(text: str, *, rating_required: bool = True) -> tuple[str, int | None]:
    """'anxious=80', 'anxious 80', 'anxious: 80%' -> ('anxious', 80); 'anxious' alone gives
    ('anxious', None) when the rating may be asked for separately."""
    raw = text.strip()
    if len(raw) > MAX_MOOD_TEXT:  # before the pattern, which backtracks on long runs of spaces
        raise BadInput(f"a mood name is at most {MAX_MOOD_NAME} characters", _RATING_EXAMPLE)
    match = _MOOD.match(raw)
    if match and match.group("name").strip():
        name = mood_name(match.group("name"))
        return name, parse_rating(match.group("num").replace(",", "."), f"the rating of {name}")
    if match or re.fullmatch(r"[+-]?\d+%?", raw):
        raise BadInput(f"a mood needs a name as well as a number: {raw!r}", _RATING_EXAMPLE)
    if rating_required:
        raise BadInput(f"a mood needs a rating 0-100: {raw!r}", _RATING_EXAMPLE)
    return mood_name(raw), None


def _values(
    items: object, what: str, kinds: tuple[type, ...] = (str,), words: str = "text"
) -> list[object]:
    """A flag's or a file's value as a list: one value alone, or the items of a list, each
    of the kinds a field takes (a number where a list belongs, a table, a list in the list:
    refused, naming the field)."""
    if _is(items, kinds):
        return [items]
    if not isinstance(items, (list, tuple)):
        raise BadInput(f"{what} takes {words} (one, or a list), not {shown(items)}")
    for item in items:
        if not _is(item, kinds):
            raise BadInput(f"{what} takes a list of {words}, not one holding {shown(item)}")
    return list(items)


def parse_moods(items: object, what: str = "--mood") -> dict[str, int]:
    """Ratings as given by flags or a file: a list of 'name=80' strings (commas also split),
    a string, or a table {name: 80}. Each name once."""
    if isinstance(items, dict):
        try:
            named = [(mood_name(str(k)), v) for k, v in items.items()]
            out_pairs = [(n, parse_rating(v, f"the rating of {n}")) for n, v in named]
        except BadInput as exc:  # which field, as for a list of ratings
            raise BadInput(f"{what}: {exc.message}", exc.hint) from None
    else:
        texts = _values(items, what, words="name=rating text")
        out_pairs = []
        for text in texts:
            assert isinstance(text, str)  # _values let only text through
            for part in text.split(","):
                if part.strip():
                    try:
                        name, value = parse_mood(part)
                    except BadInput as exc:
                        raise BadInput(f"{what}: {exc.message}", exc.hint) from None
                    assert value is not None  # rating_required: parse_mood raised without one
                    out_pairs.append((name, value))
    moods: dict[str, int] = {}
    for name, value in out_pairs:
        if name.casefold() in (m.casefold() for m in moods):
            raise BadInput(f"{what} names {name} twice", "give each mood once")
        moods[name] = value
    return moods


def _norm(word: str) -> str:
    return "-".join(word.strip().lower().replace("_", " ").replace("-", " ").split())


def resolve_trap(word: object) -> str:
    """A trap's key from its number (1-13), key, name, another usual name or a clear start."""
    raw = str(word).strip()
    listed = traps()
    hint = "see the list with relapse traps; e.g. --trap permission or --trap 13"
    if raw.isascii() and raw.isdigit():
        n = int(raw)
        if 1 <= n <= len(listed):
            return listed[n - 1].key
        raise BadInput(f"there is no thinking trap number {n} (1-{len(listed)})", hint)
    w = _norm(raw)
    if not w:
        raise BadInput("an empty thinking trap name", hint)
    for t in listed:
        if w in (t.key, _norm(t.name), *t.aliases):
            return t.key
    if len(w) >= 3:
        starts = {
            t.key
            for t in listed
            if any(n.startswith(w) for n in (t.key, _norm(t.name), *t.aliases))
        }
        if len(starts) == 1:
            return starts.pop()
        if starts:
            raise BadInput(f"{raw!r} could be {' or '.join(sorted(starts))}", "type more of it")
    raise BadInput(f"unknown thinking trap {raw!r}", hint)


def resolve_traps(items: object) -> list[str]:
    """Keys for a list of trap words (each may hold several, split by commas), each once."""
    texts = _values(items, "--trap", (str, int), "trap names or numbers")
    keys: list[str] = []
    for text in texts:
        for part in str(text).split(","):
            if part.strip():
                key = resolve_trap(part)
                if key not in keys:
                    keys.append(key)
    return keys


def _texts(items: object, what: str) -> list[str]:
    texts = _values(items, what)
    out = []
    for t in texts:
        text = clean_text(t, what)
        if text:
            out.append(text)
    return out


# ------------------------------------------------------------------------------ records

FIELDS = (
    "situation",
    "moods",
    "thoughts",
    "hot_index",
    "traps",
    "evidence_for",
    "evidence_against",
    "balanced_thought",
    "belief",
    "moods_after",
    "next_step",
)

# The flag for each field, and the words a --from file may use for it.
FLAG_OF = {
    "situation": "--situation",
    "moods": "--mood",
    "thoughts": "--thought",
    "hot_index": "--hot",
    "traps": "--trap",
    "evidence_for": "--for",
    "evidence_against": "--against",
    "balanced_thought": "--balanced",
    "belief": "--belief",
    "moods_after": "--mood-after",
    "next_step": "--next",
}
FILE_KEYS = {
    "situation": "situation",
    "mood": "moods",
    "moods": "moods",
    "thought": "thoughts",
    "thoughts": "thoughts",
    "hot": "hot_index",
    "hot_index": "hot_index",
    "trap": "traps",
    "traps": "traps",
    "for": "evidence_for",
    "evidence_for": "evidence_for",
    "against": "evidence_against",
    "evidence_against": "evidence_against",
    "balanced": "balanced_thought",
    "balanced_thought": "balanced_thought",
    "belief": "belief",
    "mood_after": "moods_after",
    "mood-after": "moods_after",
    "moods_after": "moods_after",
    "next": "next_step",
    "next_step": "next_step",
}


def empty_record() -> dict:
    return {
        "situation": None,
        "moods": {},
        "thoughts": [],
        "hot_index": None,
        "traps": None,
        "evidence_for": [],
        "evidence_against": [],
        "balanced_thought": None,
        "belief": None,
        "moods_after": {},
        "next_step": None,
    }


def fields_from(given: dict[str, object]) -> dict:
    """Validate the fields given as flags or in a file (keys as in FIELDS); only those given."""
    out: dict[str, object] = {}
    for key, value in given.items():
        if value is None or (isinstance(value, (list, tuple, dict)) and not value):
            continue
        flag = FLAG_OF[key]
        if key in ("situation", "balanced_thought", "next_step"):
            if not isinstance(value, str):
                raise BadInput(f"{flag} takes text, not {shown(value)}")
            text = clean_text(value, flag)
            if text:
                out[key] = text
        elif key in ("moods", "moods_after"):
            out[key] = parse_moods(value, flag)
        elif key in ("thoughts", "evidence_for", "evidence_against"):
            texts = _texts(value, flag)
            if texts:
                out[key] = texts
        elif key == "traps":
            out[key] = resolve_traps(value)
        elif key == "hot_index":
            if not _is(value, (int, str)) or not re.fullmatch(
                rf"\d{{1,{MAX_DIGITS}}}", str(value).strip()
            ):
                raise BadInput(
                    f"--hot takes the number of a thought, not {shown(value)}", "e.g. --hot 1"
                )
            out[key] = int(str(value).strip())
        elif key == "belief":
            out[key] = parse_rating(value, "--belief")
    return out


def merge(base: dict, given: dict) -> dict:
    """A record with the given fields replacing the base's; then checked as a whole."""
    record = {**base, **given}
    check(record)
    return record


def check(record: dict) -> None:
    """Rules across fields: the hot thought is one of the thoughts."""
    hot = record.get("hot_index")
    n = len(record.get("thoughts") or [])
    if hot is not None and not 1 <= hot <= max(n, 0):
        if n == 0:
            raise BadInput(
                "--hot names a thought, but there are none yet", 'give them with --thought "..."'
            )
        if n == 1:
            raise BadInput(
                f"--hot {hot}: there is only one thought",
                "use --hot 1, or leave --hot out: a single thought is the hot one",
            )
        raise BadInput(f"--hot {hot}: there are only {n} thoughts", f"use --hot 1 to --hot {n}")


def settle_hot(record: dict) -> None:
    """A single thought is the hot one without asking."""
    if record.get("hot_index") is None and len(record.get("thoughts") or []) == 1:
        record["hot_index"] = 1


def hot_thought(record: dict) -> str | None:
    hot = record.get("hot_index")
    thoughts = record.get("thoughts") or []
    if hot is None or not 1 <= hot <= len(thoughts):
        return None
    return thoughts[hot - 1]


def unrated_after(record: dict) -> list[str]:
    """Moods of the start not yet re-rated (matching names regardless of case)."""
    after = {m.casefold() for m in record.get("moods_after") or {}}
    return [m for m in record.get("moods") or {} if m.casefold() not in after]


def step_done(record: dict, key: str) -> bool:
    """Whether a step has its answer (an optional step counts once it was asked)."""
    if key == "situation":
        return bool(record.get("situation"))
    if key == "moods":
        return bool(record.get("moods"))
    if key == "thoughts":
        return bool(record.get("thoughts")) and hot_thought(record) is not None
    if key == "traps":
        return record.get("traps") is not None
    if key in ("evidence_for", "evidence_against"):
        return bool(record.get(key))
    if key == "balanced":
        return bool(record.get("balanced_thought")) and record.get("belief") is not None
    if key == "moods_after":
        return bool(record.get("moods_after")) and not unrated_after(record)
    if key == "next_step":
        return record.get("next_step") is not None
    raise KeyError(key)


def first_empty_step(record: dict) -> Step | None:
    """Where a draft picks up: the first step without its answer."""
    return next((s for s in steps() if not step_done(record, s.key)), None)


def missing(record: dict) -> list[str]:
    """The flags a complete record still needs, in step order ([] when complete)."""
    out: list[str] = []
    for s in steps():
        if not s.required or step_done(record, s.key):
            continue
        if s.key == "thoughts":
            out.append("--thought" if not record.get("thoughts") else "--hot")
        elif s.key == "balanced":
            if not record.get("balanced_thought"):
                out.append("--balanced")
            if record.get("belief") is None:
                out.append("--belief")
        elif s.key == "moods_after":
            if not record.get("moods"):
                out.append("--mood-after")
            else:
                out.extend(f"--mood-after {m}=N" for m in unrated_after(record))
        else:
            out.append(FLAG_OF[s.key])
    return out


def is_complete(record: dict) -> bool:
    return not missing(record)


def has_content(record: dict) -> bool:
    """Anything typed at all (an untouched record is not worth keeping as a draft)."""
    return any(record.get(k) not in (None, "", [], {}) for k in FIELDS)


# ------------------------------------------------------------------------------ mood change


@dataclass(frozen=True)
class MoodChange:
    mood: str
    before: int
    after: int

    @property
    def drop(self) -> int:
        """How much the feeling eased (points on 0-100; negative when it grew)."""
        return self.before - self.after


def mood_changes(record: dict) -> list[MoodChange]:
    """Each starting mood that was re-rated, before -> after, in the order named."""
    after = {m.casefold(): v for m, v in (record.get("moods_after") or {}).items()}
    return [
        MoodChange(m, v, after[m.casefold()])
        for m, v in (record.get("moods") or {}).items()
        if m.casefold() in after
    ]


def mood_drop(record: dict) -> float | None:
    """Mean drop over the re-rated moods (None when none was re-rated)."""
    changes = mood_changes(record)
    if not changes:
        return None
    return sum(c.drop for c in changes) / len(changes)


def main_mood(record: dict) -> MoodChange | None:
    """The strongest starting feeling that was re-rated (the first named on a tie)."""
    changes = mood_changes(record)
    return max(changes, key=lambda c: c.before) if changes else None


def describe_change(record: dict) -> str:
    """'anxious 80 → 40, ashamed 60 → 50' (or '' when nothing was re-rated)."""
    return ", ".join(f"{c.mood} {c.before} → {c.after}" for c in mood_changes(record))


def new_moods_after(record: dict) -> dict[str, int]:
    """Feelings named only at the end (Mind Over Mood: rate any new moods too)."""
    before = {m.casefold() for m in record.get("moods") or {}}
    return {
        m: v for m, v in (record.get("moods_after") or {}).items() if m.casefold() not in before
    }


def trap_stats(records: list[dict]) -> list[dict]:
    """For each trap named: how many records name it and their mean mood drop, most named first.

    The mean is over the records naming the trap that have a mood change (re-rated moods).
    """
    by_key = trap_by_key()
    counts: dict[str, list] = {}
    for r in records:
        drop = mood_drop(r)
        for key in r.get("traps") or []:
            seen = counts.setdefault(key, [0, []])
            seen[0] += 1
            if drop is not None:
                seen[1].append(drop)
    rows = []
    for key, (count, drops) in counts.items():
        trap = by_key.get(key)
        rows.append(
            {
                "key": key,
                "name": trap.name if trap else key,
                "number": trap.number if trap else None,
                "records": count,
                "mean_mood_drop": round(sum(drops) / len(drops), 1) if drops else None,
            }
        )
    rows.sort(key=lambda r: (-r["records"], r["number"] or 99))
    return rows


# ------------------------------------------------------------------------------ files


def parse_file(text: str, name: str) -> dict:
    """A record written as JSON or TOML (same fields as the flags), validated."""

    data: object
    stripped = text.lstrip()
    looks_json = name.lower().endswith(".json") or stripped.startswith("{")
    try:
        if looks_json:
            from relapse_cli.core.limits import json_loads

            data = json_loads(text)
        else:
            from relapse_cli.core.tomlread import loads

            data = loads(text)
    except ValueError as exc:  # JSONDecodeError and TOMLDecodeError are ValueErrors
        kind = "JSON" if looks_json else "TOML"
        reason = " ".join(str(exc).split())
        raise BadInput(
            f"{name} is not valid {kind}: {reason}", 'e.g. situation = "alone after work"'
        ) from None
    if not isinstance(data, dict):
        raise BadInput(f"{name} must hold one record (a table of fields), not a list or a value")
    given: dict[str, object] = {}
    for key, value in data.items():
        field = FILE_KEYS.get(str(key).lower())
        if field is None:
            raise BadInput(
                f"{name}: unknown field {key!r}",
                "fields: situation, mood, thought, hot, trap, for, against, "
                "balanced, belief, mood_after, next",
            )
        if field in given:
            raise BadInput(f"{name}: {key!r} is given twice")
        given[field] = value
    try:
        return fields_from(given)
    except BadInput as exc:  # name the file and the field as written there, not the flag
        raise BadInput(_in_file(exc.message, name, data), exc.hint) from None


def _in_file(message: str, name: str, data: dict) -> str:
    """'--mood: the rating ...' -> 'r.toml: moods: the rating ...' (the key the file used)."""
    written = {FILE_KEYS[str(k).lower()]: str(k) for k in data}
    for field, flag in sorted(FLAG_OF.items(), key=lambda item: -len(item[1])):
        if field in written and message.startswith((flag + " ", flag + ":")):
            return f"{name}: {written[field]}{message[len(flag) :]}"
    return f"{name}: {message}"

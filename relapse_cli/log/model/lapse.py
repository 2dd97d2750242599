"""What the tool says after a lapse, as data a clinician can review in one place.

Source: the abstinence-violation effect and its reframe, Marlatt & Gordon, *Relapse
Prevention* (1985); Larimer, Palmer & Marlatt, "Relapse prevention: an overview of Marlatt's
cognitive-behavioral model", Alcohol Research & Health 23(2):151-160 (1999). Wording is ours:
a lapse is a single event to learn from, not proof that recovery has failed.
"""

from __future__ import annotations

REFRAME: tuple[str, ...] = (
    "Thank you for logging this. A lapse is information, not a verdict: one return to use "
    "does not erase the days you have built.",
    "What was happening just before? Noticing that is how a lapse becomes something to learn from.",
    "The next right step can be small: water, food, rest, and reaching out to someone you trust.",
)

STRONG_CRAVING: tuple[str, ...] = (
    "That is a strong urge. Urges rise, peak and pass, even when it doesn't feel like it.",
    "Try one thing that has helped before: move, breathe slowly, call someone, change place.",
)

EMERGENCY = "If you are in danger now, call your local emergency number."

HARM_REDUCTION_FILE = "harm_reduction.toml"  # in relapse_cli/data, with its sources


def harm_reduction_data() -> dict:
    """The packaged harm-reduction notes (opioids; alcohol/benzodiazepine withdrawal)."""
    import os

    from relapse_cli.core.paths import DATA_DIR
    from relapse_cli.core.tomlread import packaged

    return packaged(os.path.join(DATA_DIR, HARM_REDUCTION_FILE))


def _matches(substance: str, names: list[str]) -> bool:
    import re

    text = " ".join(re.split(r"[^a-z]+", substance.lower())).strip()
    words = set(text.split())
    return any(name == text or name in words or (" " in name and name in text) for name in names)


def harm_reduction_groups(substance: object) -> list[str]:
    """Which harm-reduction notes apply to a lapse with this substance (keys of the data)."""
    if not isinstance(substance, str) or not substance.strip():
        return []
    data = harm_reduction_data()
    return [key for key, group in data.items() if _matches(substance, list(group["names"]))]


def harm_reduction_lines(substance: object) -> list[str]:
    """The short, non-judgemental notes after a lapse with this substance: for opioids,
    lower tolerance, never alone, naloxone, an overdose is an emergency; for alcohol and
    benzodiazepines, the danger of stopping suddenly after heavy daily use."""
    data = harm_reduction_data()
    return [line for key in harm_reduction_groups(substance) for line in data[key]["lines"]]


HALT = (
    ("h", "hungry", "physical"),
    ("a", "angry", "emotional"),
    ("l", "lonely", "emotional"),
    ("t", "tired", "physical"),
)
"""HALT quick screen (Hungry, Angry, Lonely, Tired): answers are stored as triggers."""

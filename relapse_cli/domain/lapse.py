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

HALT = (
    ("h", "hungry", "physical"),
    ("a", "angry", "emotional"),
    ("l", "lonely", "emotional"),
    ("t", "tired", "physical"),
)
"""HALT quick screen (Hungry, Angry, Lonely, Tired): answers are stored as triggers."""

"""Trigger categories and seed words, offered as suggestions (the words are the person's own).

Source: the high-risk situation categories of Marlatt & Gordon's relapse-prevention model
(negative/positive emotional states, physical states, interpersonal conflict, social pressure)
and common cue types in cue-reactivity research, as summarised in the project's CLINICAL.md §3.
"""

from __future__ import annotations

CATEGORIES: dict[str, tuple[str, ...]] = {
    "emotional": ("stress", "anxiety", "boredom", "loneliness", "anger", "sadness", "shame",
                  "celebration"),
    "physical": ("pain", "tiredness", "hunger", "poor sleep", "withdrawal symptoms"),
    "people": ("conflict", "peer pressure"),
    "places": ("bar", "route home", "party", "home alone"),
    "times": ("payday", "weekend", "evening", "anniversary", "holiday"),
    "sensory": ("smell", "sight of alcohol", "advertising", "music"),
    "other": (),
}  # fmt: skip

# The HALT words the guided craving log stores as triggers.
SEED_CATEGORY = {word: cat for cat, words in CATEGORIES.items() for word in words}
SEED_CATEGORY.update(
    {"hungry": "physical", "angry": "emotional", "lonely": "emotional", "tired": "physical"}
)


def check_category(name: str) -> str:
    from relapse_cli.core.errors import BadInput

    word = name.strip().lower()
    if word not in CATEGORIES:
        raise BadInput(f"unknown category {name!r}", "use " + ", ".join(CATEGORIES))
    return word

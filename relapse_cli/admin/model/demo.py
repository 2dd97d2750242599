"""A realistic 60-day sample journal, made from a seed so it is the same every time.

The story: a person about two months into recovery from alcohol use, with evening and payday
cravings, stress at work, two lapses (one after a payday evening, one at a party), and coping
strategies of which some help more than others. Pure: returns rows, writes nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

TRIGGERS = [
    "stress",
    "payday",
    "loneliness",
    "boredom",
    "evening",
    "tiredness",
    "party",
    "conflict",
    "sight of alcohol",
    "weekend",
]
COPING = {  # strategy -> chance the craving ended resisted (what the demo "teaches")
    "called Sam": 0.95,
    "went for a walk": 0.85,
    "urge surfing": 0.8,
    "ate something": 0.7,
    "played a game": 0.55,
    "watched TV": 0.45,
}
NOTES = [
    "Long day at work.",
    "Walked the long way home to avoid the bar.",
    "Sam picked up on the second ring.",
    "Felt it pass after about twenty minutes.",
    "Hard evening, but I got through it.",
    None,
    None,
    None,
]


def demo_entries(now: datetime, days: int = 60, seed: int = 7) -> list[dict]:
    """Entries (with ``triggers`` and ``coping`` name lists) for the ``days`` before ``now``."""
    rng = random.Random(seed)
    out: list[dict] = []
    start = now - timedelta(days=days)
    lapse_days = {days - 41, days - 12}  # two lapses, weeks apart
    for day in range(days):
        base = (start + timedelta(days=day)).replace(minute=0, second=0, microsecond=0)
        weekday = base.weekday()
        out.append(
            {
                "kind": "mood",
                "when": base.replace(hour=9) + timedelta(minutes=rng.randint(0, 50)),
                "mood": rng.randint(3, 8),
                "anxiety": rng.randint(2, 8),
                "sleep_hours": round(rng.uniform(5, 8.5) * 2) / 2,
                "energy": rng.randint(3, 8),
                "note": None,
                "triggers": [],
                "coping": [],
            }
        )
        n_cravings = rng.choice([0, 1, 1, 2]) + (1 if weekday in (4, 5) else 0)
        if day > days - 20:
            n_cravings = max(0, n_cravings - 1)  # cravings ease as weeks go by
        for _ in range(n_cravings):
            hour = rng.choice([12, 17, 18, 19, 20, 21, 22])
            triggers = rng.sample(TRIGGERS, rng.choice([1, 1, 2]))
            if hour >= 17 and "evening" not in triggers and rng.random() < 0.3:
                triggers.append("evening")
            coping = rng.sample(list(COPING), rng.choice([1, 1, 2]))
            chance = max(COPING[c] for c in coping)
            resisted = rng.random() < chance
            intensity = rng.randint(3, 9)
            out.append(
                {
                    "kind": "craving",
                    "when": base.replace(hour=hour) + timedelta(minutes=rng.randint(0, 55)),
                    "intensity": intensity,
                    "substance": "alcohol",
                    "triggers": triggers,
                    "coping": coping,
                    "outcome": "resisted" if resisted else "ongoing",
                    "intensity_after": max(0, intensity - rng.randint(2, 6)) if resisted else None,
                    "duration_min": rng.choice([10, 15, 20, 30, 45]),
                    "mood": rng.randint(2, 7),
                    "note": rng.choice(NOTES),
                }
            )
        if day in lapse_days:
            first = day == min(lapse_days)
            out.append(
                {
                    "kind": "use",
                    "when": base.replace(hour=21, minute=30),
                    "substance": "alcohol",
                    "amount": 4.0 if first else 3.0,
                    "unit": "drinks",
                    "triggers": ["payday", "stress"] if first else ["party", "peer pressure"],
                    "coping": [],
                    "context": "At home after a hard week."
                    if first
                    else "Friend's birthday party.",
                    "led_up_to": "Skipped dinner, got paid, walked past the shop."
                    if first
                    else "Didn't plan a way to leave early.",
                    "note": "Talked it over with my counselor the next day." if first else None,
                }
            )
        if rng.random() < 0.2:
            out.append(
                {
                    "kind": "trigger",
                    "when": base.replace(hour=rng.choice([8, 13, 18])),
                    "triggers": [rng.choice(["walked past the bar", "advert on TV", "payday"])],
                    "intensity": rng.randint(2, 6),
                    "coping": [],
                    "note": None,
                }
            )
    return [e for e in out if e["when"] <= now]

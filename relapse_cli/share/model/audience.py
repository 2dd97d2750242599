"""Who reads a dashboard: the person (``relapse summary``) or their clinician (``relapse
review`` of the person's export). The dashboard's own sentences speak to the person; for a
clinician they are turned to the third person here, phrase by phrase (issue 19, item 12:
review said "talk it over with your clinician" and "your first entry" to the counselor).

Whole phrases, not single words, so a person's own text that happens to hold "your" (a
trigger named "your mum") is never rewritten. Suggestions to run a command on one's own
journal (reminders) are for the person only and are left out for a clinician.
"""

from __future__ import annotations

import re

from relapse_cli.checkins.screeners import SAFETY_POINTER

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relapse_cli.insights.model import Summary

PERSON, CLINICIAN = "person", "clinician"

# (pattern, replacement): the dashboard's generated sentences (insights, screeners, the
# record kinds' summary sections) that address the person.
THIRD_PERSON: tuple[tuple[str, str], ...] = (
    (r"\btalk it over with your clinician\b", "talk it over with their clinician"),
    (r"\btalk them over with your clinician\b", "talk them over with their clinician"),
    (r"^Your (\d+) cravings were\b", r"Their \1 cravings were"),
    (r"\bdays\) you logged\b", "days) they logged"),
    (r"^Log your cravings every day\b", "Log their cravings every day"),
    (r"^Your plan's\b", "Their plan's"),
    (r"\bstill worth doing when you can\b", "still worth doing when they can"),
    (
        f"^{re.escape(SAFETY_POINTER)}$",
        "They see crisis lines and their safety plan with relapse sos, on their own device",
    ),
)
_COMPILED = tuple((re.compile(p), r) for p, r in THIRD_PERSON)
REMINDER_LABEL = "Reminder"


def third_person(text: str) -> str:
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    return text


def for_clinician(summary: Summary) -> dict:
    """The summary dashboard's data (cli.summary.build_summary) as a clinician reads it:
    sentences in the third person, no reminders addressed to the person."""

    def walk(value: object) -> object:
        if isinstance(value, str):
            return third_person(value)
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, tuple):
            return tuple(walk(v) for v in value)
        return value

    out = walk(summary)
    assert isinstance(out, dict)
    for section in out.get("more", {}).values():
        if isinstance(section, dict) and "lines" in section:
            section["lines"] = [
                line for line in section["lines"] if not (line and line[0] == REMINDER_LABEL)
            ]
            if "reminders" in section:
                section["reminders"] = []
    out["audience"] = CLINICIAN
    return out

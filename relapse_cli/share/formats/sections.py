"""Kind-specific parts of the reports, for records other than log entries.

A section is plain data: ``title``, optional ``intro``, ``head`` (column names), ``rows``
(plain values; the HTML and Markdown renderers escape them) and ``numeric`` (column indexes
aligned right). Each kind registers a builder ``job -> section | None`` in
``SECTION_BUILDERS``; the HTML report and the Markdown journal both show what they return,
and a section shows only when it has rows. The shaping functions below turn a kind's records
(plain dicts) into sections, so a kind's builder is a query plus one call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from relapse_cli.core.timeparse import from_storage
from relapse_cli.share.formats.job import ExportJob

NOT_A_DIAGNOSIS = "These are screening scores, not a diagnosis; talk them over with your clinician."

SECTION_BUILDERS: list[Callable[[ExportJob], dict | None]] = []
# Kinds that add FHIR resources (e.g. screeners): each yields resource dicts with an "id".
FHIR_BUILDERS: list[Callable[[ExportJob], Iterator[dict]]] = []


def add_builders(*builds: Callable[[ExportJob], dict | None]) -> None:
    """Add a record kind's report sections, once each (register() may run again)."""
    for build in builds:
        if build not in SECTION_BUILDERS:
            SECTION_BUILDERS.append(build)


def sections(job: ExportJob) -> list[dict]:
    from relapse_cli.kinds import load_sections

    load_sections("report")  # every kind's builders, whether or not the app was built
    out = []
    for build in SECTION_BUILDERS:
        section = build(job)
        if section and section.get("rows"):
            out.append(section)
    return out


def _when(item: dict, column: str = "occurred_at") -> str:
    return f"{from_storage(item[column], item['utc_offset_min']):%a %-d %b %H:%M}"


def _pct(value: float | int | None) -> str:
    return "" if value is None else f"{round(value)} %"


def screeners(items: list[dict]) -> dict:
    """items: instrument, taken_at, utc_offset_min, total, max_total, band."""
    rows = [
        [
            _when(i, "taken_at"),
            i["instrument"],
            f"{i['total']} of {i['max_total']}",
            i.get("band") or "",
        ]
        for i in items
    ]
    return {
        "title": "Screeners",
        "intro": NOT_A_DIAGNOSIS,
        "head": ["when", "screener", "score", "band"],
        "rows": rows,
        "numeric": [2],
    }


def thought_records(items: list[dict]) -> dict:
    """items: occurred_at, utc_offset_min, situation, hot_thought, balanced_thought,
    mood (name), mood_before, mood_after (0-100)."""
    rows = []
    for i in items:
        change = ""
        if i.get("mood_before") is not None and i.get("mood_after") is not None:
            change = f"{i.get('mood') or 'mood'} {i['mood_before']} → {i['mood_after']} %"
        rows.append(
            [
                _when(i),
                i.get("situation") or "",
                i.get("hot_thought") or "",
                i.get("balanced_thought") or "",
                change,
            ]
        )
    return {
        "title": "Thought records",
        "head": ["when", "situation", "hot thought", "balanced thought", "mood change"],
        "rows": rows,
    }


def exercises(items: list[dict]) -> dict:
    """items: name, times, completed, urge_before, urge_after (means, 0-10)."""
    rows = []
    for i in items:
        effect = ""
        if i.get("urge_before") is not None and i.get("urge_after") is not None:
            effect = f"{i['urge_before']:.1f} → {i['urge_after']:.1f}"
        rows.append([i["name"], i["times"], i.get("completed", i["times"]), effect])
    return {
        "title": "Exercises",
        "head": ["exercise", "times", "finished", "urge before → after"],
        "rows": rows,
        "numeric": [1, 2],
    }


def homework(items: list[dict]) -> dict:
    """items: title, due (date text or None), done (bool), done_share (0..1 or None)."""
    rows = [
        [
            i["title"],
            i.get("due") or "",
            "done" if i.get("done") else "not yet",
            _pct(None if i.get("done_share") is None else 100 * i["done_share"]),
        ]
        for i in items
    ]
    return {
        "title": "Homework",
        "head": ["task", "due", "status", "completion"],
        "rows": rows,
        "numeric": [3],
    }


# Check-ins (issue 7): screener scores and daily check-in counts, and PHQ-9/GAD-7 in FHIR.
from relapse_cli.share.formats import checkins as _checkins  # noqa: E402

SECTION_BUILDERS += [_checkins.screeners_section, _checkins.daily_section]

# The relapse-prevention and safety plan, first: what the session plans from (issue 19).
from relapse_cli.share.formats import plan_report as _plan  # noqa: E402

SECTION_BUILDERS.insert(0, _plan.plan_section)
FHIR_BUILDERS.append(_checkins.fhir_resources)

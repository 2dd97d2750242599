"""Check-ins in the reports: the screener section (HTML, Markdown) and FHIR resources.

Registered in ``share/formats/sections.py`` (SECTION_BUILDERS, FHIR_BUILDERS). Both honour the
export's period and ``--kinds`` (the table names ``screenings`` and ``checkins``).
"""

from __future__ import annotations

from collections.abc import Iterator

from relapse_cli.share.formats.job import ExportJob


def _wanted(job: ExportJob, table: str) -> bool:
    kinds = job.selection.kinds
    return kinds is None or table in kinds


def _bounds(job: ExportJob) -> tuple[str | None, str]:
    from relapse_cli.core.timeparse import utc_text

    return (utc_text(job.since) if job.since else None), utc_text(job.until)


def _results(job: ExportJob) -> list[dict]:
    """The period's screener results, oldest first."""
    from relapse_cli.checkins.store import list_screenings

    lo, hi = _bounds(job)
    return list(reversed(list_screenings(job.con, since=lo, until=hi)))


def screeners_section(job: ExportJob) -> dict | None:
    if not _wanted(job, "screenings"):
        return None
    from relapse_cli.checkins.screeners import load, safety_flag
    from relapse_cli.share.formats.sections import screeners

    items = []
    for r in _results(job):
        inst = load(r["instrument"])
        name = inst.name + (f" ({r['substance']})" if r.get("substance") else "")
        band = r["band"] or ""
        flag = safety_flag(r)
        if flag:
            band += f"; {flag}"
        items.append(
            {
                "instrument": name,
                "taken_at": r["taken_at"],
                "utc_offset_min": r["utc_offset_min"],
                "total": r["total"],
                "max_total": inst.max_total,
                "band": band,
            }
        )
    return screeners(items)


def daily_section(job: ExportJob) -> dict | None:
    """Daily check-ins over the period as a few counts (one row per figure)."""
    if not _wanted(job, "checkins"):
        return None
    from relapse_cli.checkins import model as dom
    from relapse_cli.checkins.store import list_checkins

    lo, hi = _bounds(job)
    rows = list(reversed(list_checkins(job.con, lo, hi)))
    if not rows:
        return None
    days = len({r["local_date"] for r in rows})
    out: list[list[object]] = [["days with a check-in", days]]
    for field, label in (
        ("mood", "mean mood (0-10)"),
        ("anxiety", "mean anxiety (0-10)"),
        ("sleep_hours", "mean hours slept"),
    ):
        values = [r[field] for r in rows if r[field] is not None]
        if values:
            out.append([label, f"{sum(values) / len(values):.1f}"])
    meds = dom.adherence(rows)
    if any(meds.values()):
        out.append(
            [
                "medication as prescribed (days)",
                f"yes {meds['yes']}, no {meds['no']}, not applicable {meds['na']}",
            ]
        )
    support = dom.attendance(rows)
    if support["days_answered"]:
        kinds = ", ".join(f"{dom.SUPPORT_LABEL[k]} {support[k]}" for k in dom.SUPPORT_KINDS)
        out.append(
            ["meeting, therapy or peer support (days)", f"{support['days_with_any']} ({kinds})"]
        )
    halt = {f: sum(1 for r in rows if r[f]) for f in dom.HALT_FIELDS}
    if any(r[f] is not None for r in rows for f in dom.HALT_FIELDS):
        out.append(["HALT (check-ins)", ", ".join(f"{k} {v}" for k, v in halt.items())])
    notes = _latest_notes(job, rows)
    out += notes
    return {
        "title": "Daily check-ins",
        "head": ["", "figure"],
        "rows": out,
        "numeric": [] if notes else [1],
    }


CHECKIN_NOTES = 3  # the latest few daily check-in notes fit the two printed pages


def _latest_notes(job: ExportJob, rows: list[dict]) -> list[list[object]]:
    """The latest few check-in notes as rows of the daily section (the person's own words:
    not with --no-notes); ``rows`` oldest first."""
    if not job.notes:
        return []
    from relapse_cli.core.timeparse import from_storage

    noted = [r for r in rows if r.get("note")]
    out: list[list[object]] = [
        [f"note, {from_storage(r['occurred_at'], r['utc_offset_min']):%a %-d %b}", r["note"]]
        for r in noted[-CHECKIN_NOTES:]
    ]
    if len(noted) > CHECKIN_NOTES:
        out.insert(
            0,
            [
                "notes",
                f"the latest {CHECKIN_NOTES} of {len(noted)} (all of them: "
                "relapse checkin history)",
            ],
        )
    return out


def fhir_resources(job: ExportJob) -> Iterator[dict]:
    """PHQ-9 and GAD-7 results as a QuestionnaireResponse plus a LOINC-coded total each.

    The PACS has no LOINC codes we could verify, so it stays out rather than coded wrongly.
    PHQ-9's tenth (unscored) answer is added to the QuestionnaireResponse with its own codes.
    """
    if not _wanted(job, "screenings"):
        return
    from relapse_cli.checkins.screeners import load
    from relapse_cli.share.formats.fhir import LOINC, screener_resources

    for r in _results(job):
        inst = load(r["instrument"])
        if not inst.loinc_panel:
            continue
        resources = screener_resources(r, inst.as_fhir())
        if r.get("difficulty") is not None and inst.extra is not None:
            choice = next(c for c in inst.extra.choices if c.value == r["difficulty"])
            resources[0]["item"].append(
                {
                    "linkId": inst.extra.loinc or f"{inst.key}-difficulty",
                    "text": inst.extra.text,
                    "answer": [
                        {
                            "valueCoding": {
                                "system": LOINC,
                                "code": choice.loinc,
                                "display": choice.text,
                            }
                        }
                    ],
                }
            )
        yield from resources

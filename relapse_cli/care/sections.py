"""Summary (MORE_SECTIONS) and report (SECTION_BUILDERS) sections for issue 11's records:
medication adherence, appointments (the next one, attended/missed), withdrawal checks and
the decisional balance (report only).

Plain data out; the renderers escape it. Journals from before these tables give nothing.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from relapse_cli.care.model import meds as meds_domain
from relapse_cli.care.model import withdrawal as wd

if TYPE_CHECKING:
    from relapse_cli.share.formats.job import ExportJob


def _utc_day_bounds(first: date, last: date) -> tuple[str, str]:
    """A UTC window wide enough for any offset (local days are filtered after)."""
    lo = datetime(first.year, first.month, first.day) - timedelta(days=1)
    hi = datetime(last.year, last.month, last.day) + timedelta(days=2)
    return lo.strftime("%Y-%m-%dT%H:%M:%SZ"), hi.strftime("%Y-%m-%dT%H:%M:%SZ")


def medication_figures(
    con: sqlite3.Connection, first: date, last: date, now: datetime
) -> meds_domain.Overview | None:
    from relapse_cli.care.store import meds as store

    if not store.ever_listed(con):
        return None
    last = min(last, now.date())
    if last < first:
        return None
    since_utc, _ = _utc_day_bounds(first, last)
    return store.overview(con, now, first, last, since_utc)


def appointment_figures(con: sqlite3.Connection, first: date, last: date, now: datetime) -> dict:
    from relapse_cli.care.store import appointments as store
    from relapse_cli.core.timeparse import utc_text

    lo, hi = _utc_day_bounds(first, last)
    rows = [
        r
        for r in store.listing(con, lo, hi)
        if first.isoformat() <= r["local_time"][:10] <= last.isoformat()
    ]
    now_utc = utc_text(now)
    counts = dict.fromkeys(("attended", "missed", "cancelled", "planned"), 0)
    for r in rows:
        if r["starts_at"] <= now_utc or r["status"] != "planned":
            counts[r["status"]] += 1
    return {"rows": rows, "counts": counts, "next": store.next_planned(con, now_utc)}


def summary_section(con: sqlite3.Connection, first: date, last: date, now: datetime) -> dict | None:
    """Dashboard lines: next appointment, appointments kept, doses taken, withdrawal checks."""
    from relapse_cli.care.model.appointments import describe

    appts = appointment_figures(con, first, last, now)
    meds = medication_figures(con, first, last, now)
    lo, hi = _utc_day_bounds(first, last)
    from relapse_cli.care.store.withdrawal import list_checks

    checks = [
        c
        for c in list_checks(con, lo, hi)
        if first.isoformat() <= c["local_date"] <= last.isoformat()
    ]
    lines: list[tuple[str, str]] = []
    if appts["next"] is not None:
        lines.append(("Next appointment", describe(appts["next"])))
    c = appts["counts"]
    if c["attended"] or c["missed"] or c["planned"]:
        text = f"{c['attended']} attended, {c['missed']} missed"
        if c["planned"]:
            text += f", {c['planned']} not marked yet"
        lines.append(("Appointments", text))
    if meds is not None:
        t = meds["totals"]
        closed = sum(t[k] for k in meds_domain.DONE)
        if closed:
            taken = t["taken"] + t["late"]
            lines.append(
                (
                    "Medication",
                    f"{taken} of {closed} doses taken ({meds['percent']} %)"
                    f" · {t['late']} late · {t['skipped']} skipped · {t['missed']} missed",
                )
            )
    if checks:
        flags = sum(1 for ch in checks if ch["red_flags"])
        n = len(checks)
        text = f"{n} check{'s' * (n != 1)}, highest total {wd.total_words(max(ch['total'] for ch in checks))}"
        if flags:
            text += f", {flags} with red flags"
        lines.append(("Withdrawal", text))
    if not lines:
        return None
    return {
        "key": "care",
        "title": "Between appointments",
        "lines": lines,
        "appointments": c,
        "next_appointment": appts["next"]["uuid"] if appts["next"] else None,
        "medication": meds["totals"] if meds else None,
        "medication_percent": meds["percent"] if meds else None,
        "withdrawal_checks": len(checks),
    }


def _wanted(job: ExportJob, table: str) -> bool:
    kinds = job.selection.kinds
    return kinds is None or table in kinds


def _job_days(
    job: ExportJob, con: sqlite3.Connection, table: str, column: str = "occurred_at"
) -> tuple[date, date] | None:
    until = job.until.date()
    if job.since is not None:
        return job.since.date(), until
    row = con.execute(
        f"SELECT min(date({column}, utc_offset_min || ' minutes')) FROM {table}"  # noqa: S608
    ).fetchone()
    if not row or not row[0]:
        return None
    return date.fromisoformat(row[0]), until


def medication_report(job: ExportJob) -> dict | None:
    con = job.con
    if not (_wanted(job, "medications") or _wanted(job, "medication_events")):
        return None
    days = _job_days(job, con, "medication_events")
    if days is None:
        return None
    data = medication_figures(con, days[0], days[1], job.now)
    if data is None:
        return None
    rows = []
    for m in data["medications"]:
        c = m["counts"]
        closed = sum(c[k] for k in meds_domain.DONE)
        rows.append(
            [
                m["name"],
                m["dose"] or "",
                ", ".join(m["times"]) or "as needed",
                closed,
                c["taken"],
                c["late"],
                c["skipped"],
                c["missed"],
                "" if m["percent"] is None else f"{m['percent']} %",
            ]
        )
    reasons = meds_domain.skip_reasons(data)
    intro = meds_domain.NO_ADVICE
    if reasons and job.notes:
        intro += " Skipped doses, and why: " + "; ".join(reasons) + "."
    return {
        "title": "Medication (as prescribed) and doses taken",
        "intro": intro,
        "head": [
            "medication",
            "dose",
            "times",
            "doses",
            "on time",
            "late",
            "skipped",
            "missed",
            "taken",
        ],
        "rows": rows,
        "numeric": [3, 4, 5, 6, 7, 8],
    }


def appointments_report(job: ExportJob) -> dict | None:
    from relapse_cli.care.model.appointments import label

    if not _wanted(job, "appointments"):
        return None
    con = job.con
    days = _job_days(job, con, "appointments", "starts_at")
    if days is None:
        return None
    data = appointment_figures(con, days[0], days[1], job.now)
    rows = []
    for r in data["rows"]:
        when = datetime.fromisoformat(r["local_time"])
        rows.append([f"{when:%a %-d %b %H:%M}", label(r["kind"]), r["title"] or "", r["status"]])
    c = data["counts"]
    intro = f"{c['attended']} attended, {c['missed']} missed in this period."
    if data["next"] is not None:
        from relapse_cli.care.model.appointments import describe

        intro += " Next: " + describe(data["next"]) + "."
    return {
        "title": "Appointments",
        "intro": intro,
        "head": ["when", "kind", "with", "status"],
        "rows": rows,
    }


# The report's short form of wd.NOT_A_SCALE (the section sits in a half-width column).
REPORT_NOT_A_SCALE = "Self-rated, 0-3 each; a log for the care team, not a score."


def withdrawal_report(job: ExportJob) -> dict | None:
    if not _wanted(job, "withdrawal_checks"):
        return None
    from relapse_cli.care.store.withdrawal import list_checks

    sel = job.selection
    checks = list_checks(job.con, sel.since, sel.until)
    rows = []
    for d in wd.course(checks):
        rows.append(
            [
                f"{date.fromisoformat(d['date']):%a %-d %b}",
                d["checks"],
                wd.total_words(d["max_total"]),
                wd.strongest(d),
                ", ".join(wd.red_flag_label(f) for f in d["red_flags"]),
            ]
        )
    return {
        "title": "Withdrawal checks",
        "intro": REPORT_NOT_A_SCALE,
        "head": ["day", "checks", "top total", "symptoms (0-3)", "red flags"],
        "rows": rows,
        "numeric": [1],
    }


def balance_report(job: ExportJob) -> dict | None:
    """The latest decisional balance of the period as its four lists (``think balance``),
    with the importance and confidence rulers of every balance in the period."""
    if not _wanted(job, "decisional_balance"):
        return None
    from relapse_cli.care.store.balance import history
    from relapse_cli.core.timeparse import from_storage

    sel = job.selection
    items = [
        b
        for b in history(job.con)
        if (not sel.since or b["occurred_at"] >= sel.since)
        and (not sel.until or b["occurred_at"] <= sel.until)
    ]
    if not items:
        return None

    def when(b: dict) -> str:
        return f"{from_storage(b['occurred_at'], b['utc_offset_min']):%a %-d %b}"

    def ruler(b: dict, key: str) -> str:
        return "not rated" if b[key] is None else f"{b[key]}/10"

    last = items[-1]
    about = f", {last['substance']}" if last.get("substance") else ""
    intro = (
        f"{when(last)}{about}: importance {ruler(last, 'importance')}, "
        f"confidence {ruler(last, 'confidence')}."
    )
    if len(items) > 1:
        intro += (
            " Earlier: "
            + "; ".join(
                f"{when(b)} importance {ruler(b, 'importance')}, confidence {ruler(b, 'confidence')}"
                for b in items[:-1]
            )
            + "."
        )
    rows = [
        ["using", "; ".join(last["using_good"]), "; ".join(last["using_bad"])],
        ["not using", "; ".join(last["not_using_good"]), "; ".join(last["not_using_bad"])],
    ]
    return {
        "title": "Decisional balance",
        "intro": intro,
        "head": ["", "good things", "not-so-good things"],
        "rows": rows,
    }


def register_dashboard() -> None:
    """The dashboard's section (relapse_cli/kinds.py calls this, once)."""
    from relapse_cli.insights.summary import add_section

    add_section(summary_section)


def register_report() -> None:
    """The report's sections (relapse_cli/kinds.py calls this, once)."""
    from relapse_cli.share.formats.sections import add_builders

    add_builders(medication_report, appointments_report, withdrawal_report, balance_report)

"""Check-ins in the summary dashboard (MORE_SECTIONS).

Apart from checkins/commands.py so the dashboard loads no Typer options. The report's
check-in sections (screeners, daily counts, FHIR) are share/formats/checkins.py's, listed in
share/formats/sections.py itself, so the report half registers nothing.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from datetime import date, datetime


def summary_section(con: sqlite3.Connection, first: date, last: date, now: datetime) -> dict | None:
    """``relapse summary``: check-in days, medication and support counts over the period, the
    latest score of each screener (as of the period's last day) and reminders.

    Reminder rule: a PHQ-9 or GAD-7 whose last result is more than 14 days old (they look back
    two weeks) gets one line. An instrument never taken gets no reminder (nobody is nagged
    about a questionnaire they never chose); a person who checks in daily but has never taken
    either gets one gentle line that they exist.
    """
    from relapse_cli.checkins import store

    first_day, last_day = first.isoformat(), last.isoformat()
    rows = store.checkins_between_days(con, first_day, last_day)
    latest = store.latest_by_instrument(con, last_day)
    if not rows and not latest:
        return None
    # Only with something to show: the screeners build their instruments' classes on import.
    from relapse_cli.checkins import model as dom
    from relapse_cli.checkins.screeners import (
        NOT_A_DIAGNOSIS,
        SAFETY_FLAG,
        SAFETY_POINTER,
        flag_day,
        load,
        safety_flag,
    )
    from relapse_cli.core.timeparse import from_storage

    positive = store.item9_positive_between(con, first_day, last_day)
    latest_flag = safety_flag(latest["phq9"]) if latest.get("phq9") else None
    if latest_flag:
        positive = [latest["phq9"], *(p for p in positive if p["uuid"] != latest["phq9"]["uuid"])]
    days = len({r["local_date"] for r in rows})
    period_days = (last - first).days + 1
    meds = dom.adherence(rows)
    support = dom.attendance(rows)
    lines: list[tuple[str, str]] = [("Daily check-ins", f"{days} of {_days(period_days)}")]
    if any(meds.values()):
        lines.append(
            (
                "Medication as prescribed",
                f"yes {_days(meds['yes'])}, no {meds['no']}, not applicable {meds['na']}",
            )
        )
    if support["days_answered"]:
        kinds = ", ".join(f"{dom.SUPPORT_LABEL[k]} {support[k]}" for k in dom.SUPPORT_KINDS)
        lines.append(
            ("Meeting, therapy, peer support", f"{_days(support['days_with_any'])} ({kinds})")
        )
    reminders = []
    out_latest = {}
    for key, res in latest.items():
        inst = load(key)
        taken = from_storage(res["taken_at"], res["utc_offset_min"])
        age = (last - taken.date()).days
        flag = f"; {latest_flag}" if key == "phq9" and latest_flag else ""
        lines.append(
            (
                inst.name,
                f"{res['total']} of {inst.max_total}, {res['band']} ({taken:%a %-d %b}){flag}",
            )
        )
        out_latest[key] = {
            "total": res["total"],
            "max_total": inst.max_total,
            "band": res["band"],
            "local_date": taken.date().isoformat(),
            "days_ago": age,
        }
        if key == "phq9":
            out_latest[key]["item9_above_0"] = safety_flag(res) is not None
        if key in ("phq9", "gad7") and age > 14:
            reminders.append(
                f"your last {inst.name} was {age} days ago and it looks back two "
                f"weeks: relapse checkin {key}"
            )
    # Every positive item 9 of the period, with its day, never only the score.
    earlier = list(dict.fromkeys(flag_day(p) for p in positive[1 if latest_flag else 0 :]))
    if earlier:
        also = "also above 0" if latest_flag else SAFETY_FLAG.replace("item 9 ", "")
        lines.append(("PHQ-9 item 9", f"{also} on {', '.join(earlier)}"))
    if positive:
        lines.append(("", SAFETY_POINTER))
    if latest:
        lines.append(("", NOT_A_DIAGNOSIS))
    if rows and "phq9" not in latest and "gad7" not in latest:
        reminders.append(
            "the PHQ-9 (mood) and GAD-7 (anxiety) screeners are there if you want "
            "them, every two weeks: relapse checkin phq9"
        )
    lines.extend(("Reminder", text) for text in reminders)
    return {
        "key": "checkins",
        "title": "Check-ins",
        "lines": lines,
        "days_checked_in": days,
        "medication": meds,
        "support": support,
        "latest": out_latest,
        "item9_above_0": [
            {
                "local_date": from_storage(p["taken_at"], p["utc_offset_min"]).date().isoformat(),
                "total": p["total"],
                "text": f,
            }
            for p, f in zip(positive, map(safety_flag, positive), strict=True)
        ],
        "reminders": reminders,
    }


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def register_dashboard() -> None:
    """The dashboard's section (relapse_cli/kinds.py calls this, once)."""
    from relapse_cli.insights.summary import add_section

    add_section(summary_section)


def register_report() -> None:
    """Nothing to add: share/formats/sections.py lists the check-ins' report builders."""

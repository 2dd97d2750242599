"""Medication schedule and adherence, computed from the schedule history and the ticks. Pure.

The tool keeps the person's own list as they were prescribed it. It never checks doses,
never looks at interactions and never advises: ``NO_ADVICE`` says so wherever meds show.

Times are local wall times (each record's own UTC offset applied), so an 08:00 dose is an
08:00 dose after a flight or a clock change. Rules, in one place:
- A *schedule* (times of day, e.g. 08:00 and 20:00) is in force from the moment it was set
  until the next schedule change or stop; a dose slot exists on a day at each time of the
  schedule in force at that moment. Slots before the medication was added are not counted,
  unless it was added with a start date (``meds add --start``): then slots count from the
  start of that day (at the earliest the day it was added), with the first schedule in force
  from then (``counting_from``).
- A *tick* (taken) or *skip* counts for a slot of its own local day: the latest open slot no
  more than ``EARLY`` after the tick (else the earliest open slot). Taken within ``LATE``
  after the slot is on time, later is "late". A tick with no open slot is "extra" (and
  "as needed" doses with no schedule count as extra).
- An open slot is "missed" once ``LATE`` has passed, "due" from ``EARLY`` before its time,
  and "upcoming" before that.
- Adherence = (on time + late) / (slots that are no longer open: on time, late, skipped,
  missed). Skipped doses count as not taken; their reasons are kept for the care team.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TypedDict

from relapse_cli.core.errors import BadInput

NO_ADVICE = (
    "This list is yours, as prescribed. relapse-cli never checks doses or "
    "interactions and gives no advice: ask your prescriber or pharmacist."
)
EARLY = timedelta(minutes=60)
LATE = timedelta(hours=2)
WORDS = {
    "morning": "08:00",
    "noon": "12:00",
    "midday": "12:00",
    "lunch": "12:00",
    "evening": "18:00",
    "bedtime": "22:00",
    "night": "22:00",
}
DONE = ("taken", "late", "skipped", "missed")


class _Slot(TypedDict):
    time: str
    at: datetime
    status: str | None
    taken_at: str | None


class MedicationOverview(TypedDict):
    """One medication in ``meds`` (and ``--json``): as prescribed, today's slots, adherence."""

    name: str
    dose: str | None
    schedule: str | None
    times: list[str]
    prescriber: str | None
    start_date: str | None
    active: bool
    today: list[dict]
    counts: dict[str, int]
    percent: int | None
    marks: str
    skip_reasons: list[dict]
    days: list[dict]


class Overview(TypedDict):
    """``care.store.meds.overview``: what ``meds --json`` prints, the dashboard and the
    report read."""

    first_day: str
    last_day: str
    medications: list[MedicationOverview]
    totals: dict[str, int]
    percent: int | None
    note: str


def parse_times(raw: list[str] | tuple[str, ...] | None) -> list[str]:
    """'08:00,20:00', '8am', 'morning' -> sorted unique ['08:00', '20:00']; [] for none."""
    from relapse_cli.core.timeparse import parse_clock_time

    out: set[str] = set()
    for chunk in raw or []:
        for part in str(chunk).split(","):
            word = part.strip().lower()
            if not word:
                continue
            if word in ("as needed", "as-needed", "prn", "none"):
                continue
            hm = parse_clock_time(WORDS.get(word, word))
            if hm is None:
                raise BadInput(
                    f"not a time of day: {part.strip()!r}",
                    "e.g. --times 08:00,20:00 or --times morning,bedtime",
                )
            out.add(f"{hm[0]:02d}:{hm[1]:02d}")
    return sorted(out)


def _t(text: str) -> time:
    return time(int(text[:2]), int(text[3:5]))


def counting_from(added: datetime | None, start_date: str | None) -> datetime | None:
    """When dose slots start to count.

    With ``--start``: the start of that day (a dose taken at 08:10 counts when the medication
    is added at 09:00 "started today"), but no earlier than the start of the day it was added:
    a medication taken since January, added today, must not show every earlier dose as missed.
    Without a start date: the moment it was added.
    """
    if not start_date:
        return added
    start = datetime.combine(date.fromisoformat(start_date), time(0, 0))
    if added is None:
        return start
    return max(start, datetime.combine(added.date(), time(0, 0)))


def slot_status(slot: datetime, now: datetime) -> str:
    """An open slot: missed, due (now) or upcoming."""
    if now > slot + LATE:
        return "missed"
    if now >= slot - EARLY:
        return "due"
    return "upcoming"


def adherence(
    schedules: list[tuple[datetime, list[str]]],
    events: list[dict],
    first: date,
    last: date,
    now: datetime,
    added: datetime | None = None,
) -> dict:
    """Every dose slot of one medication from ``first`` to ``last`` (local dates), and counts.

    schedules: (local wall time it took effect, times of day; [] = stopped or as needed).
    events: dicts with ``kind`` ('taken'|'skipped'), ``at`` (local naive datetime), and
    optionally ``reason``. now: local naive datetime. added: when the medication was added
    (slots before it do not count; default: the first schedule).
    """
    schedules = sorted(schedules, key=lambda s: s[0])
    start = added if added is not None else (schedules[0][0] if schedules else now)
    if schedules and start < schedules[0][0]:  # started before it was added: the first
        schedules[0] = (start, schedules[0][1])  # schedule was in force from the start

    def times_at(moment: datetime) -> list[str]:
        current: list[str] = []
        for effective, times in schedules:
            if effective <= moment:
                current = times
            else:
                break
        return current

    by_day: dict[date, list[dict]] = {}
    for e in sorted(events, key=lambda e: e["at"]):
        by_day.setdefault(e["at"].date(), []).append(e)
    days: list[dict] = []
    counts = dict.fromkeys(("taken", "late", "skipped", "missed", "due", "upcoming", "extra"), 0)
    reasons: list[dict] = []
    candidates = sorted({t for _eff, times in schedules for t in times})
    d = first
    while d <= last:
        slots: list[_Slot] = []
        for t in candidates:
            at = datetime.combine(d, _t(t))
            if at >= start and t in times_at(at):
                slots.append({"time": t, "at": at, "status": None, "taken_at": None})
        extra = 0
        for e in by_day.get(d, []):
            open_slots = [s for s in slots if s["status"] is None]
            if not open_slots:
                extra += e["kind"] == "taken"
                continue
            before = [s for s in open_slots if s["at"] <= e["at"] + EARLY]
            slot = before[-1] if before else open_slots[0]
            if e["kind"] == "skipped":
                slot["status"] = "skipped"
                reasons.append(
                    {"date": d.isoformat(), "time": slot["time"], "reason": e.get("reason") or ""}
                )
            else:
                slot["status"] = "late" if e["at"] - slot["at"] > LATE else "taken"
            slot["taken_at"] = f"{e['at']:%H:%M}"
        for s in slots:
            status = s["status"]
            if status is None:
                status = s["status"] = slot_status(s["at"], now)
            counts[status] += 1
        counts["extra"] += extra
        days.append(
            {
                "date": d.isoformat(),
                "extra": extra,
                "slots": [{k: v for k, v in s.items() if k != "at"} for s in slots],
            }
        )
        d += timedelta(days=1)
    closed = sum(counts[k] for k in DONE)
    taken = counts["taken"] + counts["late"]
    return {
        "days": days,
        "counts": counts,
        "closed": closed,
        "taken_total": taken,
        "percent": None if closed == 0 else round(100 * taken / closed),
        "skip_reasons": reasons,
    }


def day_mark(day: dict) -> str:
    """One character for a day's doses: ✓ all on time, ~ some late, s skipped, ✗ missed,
    · pending today, blank when nothing was due."""
    statuses = [s["status"] for s in day["slots"]]
    if not statuses:
        return " "
    if "missed" in statuses:
        return "✗"
    if "skipped" in statuses:
        return "s"
    if any(s in ("due", "upcoming") for s in statuses):
        return "·"
    if "late" in statuses:
        return "~"
    return "✓"


def skip_reasons(data: Overview) -> list[str]:
    """'2026-11-24 08:00 Sertraline: felt sick': each skipped dose that has a reason."""
    return [
        f"{r['date']} {r['time']} {m['name']}: {r['reason']}"
        for m in data["medications"]
        for r in m["skip_reasons"]
        if r["reason"]
    ]


def closest(name: str, names: list[str]) -> str | None:
    """The listed name closest to a mistyped one (difflib), or None."""
    import difflib

    folded = {n.casefold(): n for n in names}
    match = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def dose_events(meds: list[dict], today: date, *, discreet: bool = False) -> list[dict]:
    """Daily calendar reminders (share/formats/ics.py events) for each scheduled time of each
    medication: floating local times, so 08:00 stays 08:00 wherever the person is."""
    out = []
    host = "local" if discreet else "relapse-cli"
    for m in meds:
        for t in m.get("times") or []:
            start = datetime.combine(today, _t(t))
            if discreet:
                summary, text = "Reminder", "Time for your reminder."
            else:
                summary = f"Medication: {m['name']}" + (f" ({m['dose']})" if m.get("dose") else "")
                text = (
                    f"{m['name']} as prescribed"
                    + (f": {m['schedule']}" if m.get("schedule") else "")
                    + f'. Tick it: relapse meds take "{m["name"]}"'
                )
            out.append(
                {
                    "uid": f"{m['uuid']}-{t.replace(':', '')}@{host}",
                    "start": start,
                    "duration": timedelta(minutes=5),
                    "summary": summary,
                    "description": text if discreet else text + ". " + NO_ADVICE,
                    "rrule": {"freq": "daily"},
                    "alarm_before": timedelta(0),
                    "alarm_text": summary,
                }
            )
    return out

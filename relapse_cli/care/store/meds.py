"""The person's medication list and its events (doses taken/skipped, schedule history).

A medication is "active" while its latest schedule event is not 'stopped'. ``meds remove``
stops it (history kept, so past adherence stays true); ``purge --all`` removes everything.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from relapse_cli.care.model import meds as domain
from relapse_cli.core.ids import new_uuid
from relapse_cli.log.model.entries import vocab_key
from relapse_cli.storage.records import utc_now, write

_LATEST = (
    "(SELECT kind FROM medication_events e WHERE e.medication_id = m.id "
    "AND e.kind IN ('schedule', 'stopped') ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1)"
)
_TIMES = (
    "(SELECT times FROM medication_events e WHERE e.medication_id = m.id "
    "AND e.kind = 'schedule' ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1)"
)


def medications(con: sqlite3.Connection, *, active_only: bool = True) -> list[dict]:
    sql = f"SELECT m.*, {_LATEST} AS state, {_TIMES} AS times FROM medications m"
    if active_only:
        sql += f" WHERE coalesce({_LATEST}, 'schedule') = 'schedule'"
    sql += " ORDER BY m.key, m.id"
    out = []
    for r in con.execute(sql):
        item = dict(r)
        item["times"] = [t for t in (item.get("times") or "").split(",") if t]
        item["active"] = item.pop("state") != "stopped"
        out.append(item)
    return out


def find_active(con: sqlite3.Connection, name: str) -> dict | None:
    key = vocab_key(name)
    return next((m for m in medications(con) if m["key"] == key), None)


def add_medication(
    con: sqlite3.Connection, fields: dict, times: list[str], at: str, offset: int
) -> str:
    stamp = utc_now()
    uuid = new_uuid()
    with write(con):
        cur = con.execute(
            "INSERT INTO medications (uuid, name, key, dose, schedule, prescriber, start_date, "
            "note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                uuid,
                fields["name"],
                vocab_key(fields["name"]),
                fields.get("dose"),
                fields.get("schedule"),
                fields.get("prescriber"),
                fields.get("start_date"),
                fields.get("note"),
                stamp,
                stamp,
            ),
        )
        _event(con, int(cur.lastrowid or 0), "schedule", at, offset, ",".join(times), None, stamp)
    return uuid


def _event(
    con: sqlite3.Connection,
    med_id: int,
    kind: str,
    at: str,
    offset: int,
    times: str | None,
    reason: str | None,
    stamp: str,
) -> str:
    uuid = new_uuid()
    con.execute(
        "INSERT INTO medication_events (uuid, medication_id, kind, occurred_at, utc_offset_min, "
        "times, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (uuid, med_id, kind, at, offset, times, reason, stamp),
    )
    return uuid


def record(
    con: sqlite3.Connection,
    med_ids: list[int],
    kind: str,
    at: str,
    offset: int,
    reason: str | None = None,
) -> list[str]:
    """Doses taken or skipped (one transaction for several), or a stop."""
    stamp = utc_now()
    with write(con):
        return [_event(con, m, kind, at, offset, None, reason, stamp) for m in med_ids]


def change(
    con: sqlite3.Connection,
    med_id: int,
    fields: dict,
    times: list[str] | None,
    at: str,
    offset: int,
) -> None:
    stamp = utc_now()
    with write(con):
        sets = {k: v for k, v in fields.items() if v is not None}
        if sets:
            cols = ", ".join(f"{k} = ?" for k in sets)
            con.execute(
                f"UPDATE medications SET {cols}, updated_at = ? WHERE id = ?",  # noqa: S608
                [*sets.values(), stamp, med_id],
            )
        if times is not None:
            _event(con, med_id, "schedule", at, offset, ",".join(times), None, stamp)


def history(con: sqlite3.Connection, med_id: int, since_utc: str) -> dict:
    """Everything adherence needs for one medication: every schedule change (local naive
    times), ticks and skips since ``since_utc`` (storage text), and when slots start to count
    (when it was added, or the start of its ``--start`` day)."""
    from relapse_cli.core.timeparse import from_storage

    def local(row: sqlite3.Row):  # noqa: ANN202
        return from_storage(row["occurred_at"], row["utc_offset_min"]).replace(tzinfo=None)

    schedules = []
    events = []
    for r in con.execute(
        "SELECT * FROM medication_events WHERE medication_id = ? AND (kind IN "
        "('schedule', 'stopped') OR occurred_at >= ?) ORDER BY occurred_at, id",
        (med_id, since_utc),
    ):
        if r["kind"] == "schedule":
            schedules.append((local(r), [t for t in (r["times"] or "").split(",") if t]))
        elif r["kind"] == "stopped":
            schedules.append((local(r), []))
        else:
            events.append({"kind": r["kind"], "at": local(r), "reason": r["reason"]})
    start = con.execute("SELECT start_date FROM medications WHERE id = ?", (med_id,)).fetchone()
    added = domain.counting_from(
        schedules[0][0] if schedules else None, start[0] if start else None
    )
    return {"schedules": schedules, "events": events, "added": added}


def ever_listed(con: sqlite3.Connection) -> bool:
    return con.execute("SELECT 1 FROM medications LIMIT 1").fetchone() is not None


def overview(
    con: sqlite3.Connection, now: datetime, first: date, last: date, since_utc: str
) -> domain.Overview:
    """Each medication's schedule and adherence from ``first`` to ``last`` (local days), judged
    at ``now``, from the events since ``since_utc`` (storage text); stopped ones only if they
    had a dose due in the period (plain data: ``meds``, the dashboard and the report)."""
    items: list[domain.MedicationOverview] = []
    totals = dict.fromkeys(("taken", "late", "skipped", "missed", "due", "upcoming", "extra"), 0)
    local_now = now.replace(tzinfo=None)
    for med in medications(con, active_only=False):
        h = history(con, med["id"], since_utc)
        result = domain.adherence(h["schedules"], h["events"], first, last, local_now, h["added"])
        has_slots = any(d["slots"] for d in result["days"]) or result["counts"]["extra"]
        if not med["active"] and not has_slots:
            continue
        for k in totals:
            totals[k] += result["counts"][k]
        items.append(
            {
                "name": med["name"],
                "dose": med["dose"],
                "schedule": med["schedule"],
                "times": med["times"],
                "prescriber": med["prescriber"],
                "start_date": med["start_date"],
                "active": med["active"],
                "today": result["days"][-1]["slots"] if result["days"] else [],
                "counts": result["counts"],
                "percent": result["percent"],
                "marks": "".join(domain.day_mark(d) for d in result["days"]),
                "skip_reasons": result["skip_reasons"],
                "days": result["days"],
            }
        )
    closed = sum(totals[k] for k in domain.DONE)
    taken = totals["taken"] + totals["late"]
    return {
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "medications": items,
        "totals": totals,
        "percent": None if closed == 0 else round(100 * taken / closed),
        "note": domain.NO_ADVICE,
    }

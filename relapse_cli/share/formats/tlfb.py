"""Timeline followback (Sobell & Sobell): one row per calendar day, ``id,date,amount``.

Readable by the ``abstcal`` package (columns ``id``, ``date``, ``amount``; extra columns
``substance`` and ``unit`` are ignored by it). Every day of the period has a row, 0 on days
without use. A use day whose amount was not recorded (a use logged without an amount, or a
craving that ended in use) is written as 1: the file marks the day, the figures leave it out
of amounts. With several substances each gets its
own id (``me:alcohol``), since a TLFB id has one row per day. What a day holds (a craving
that ended in use and the use entry logged for it are one lapse) is domain.use_days' rule,
the one the summary, report and review use.

The counselor's figures (percent days abstinent, use days, heavy days) go in a second file,
``FILE.summary.txt`` (on stderr when printing), because a comment line would stop CSV readers.
Heavy drinking day: 4+ drinks for women, 5+ for men in one day (NIAAA); both are given, as
the journal does not record sex.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import BinaryIO

from relapse_cli.insights import period
from relapse_cli.insights.use_days import HEAVY_DRINKS, UseDay, is_drink, use_days
from relapse_cli.insights.use_days import figures as use_figures
from relapse_cli.share.formats.job import ExportJob

DESCRIPTION = "timeline followback: one row per day (id,date,amount), for abstcal and SPSS"
SUFFIX = ".csv"
TO_STDOUT = True
HEAVY = HEAVY_DRINKS
UNRECORDED = 1  # the row amount of a use day whose amount was not recorded


def calendar(job: ExportJob) -> dict:
    """Per substance: unit, {day: amount} over every day of the period, and its use days."""
    first = period.first_day(job.con, job.since, job.until)
    days = [first + timedelta(days=i) for i in range((job.until.date() - first).days + 1)]
    inside = {d.isoformat() for d in days}
    lapses = [
        d for d in use_days(period.daily_use(job.con, job.since, job.until)) if d.day in inside
    ]
    substances = sorted({d.substance for d in lapses if d.substance})
    if not substances:
        configured = job.settings.get("substances") or []
        substances = [str(s) for s in configured][:1] or [""]
    out: dict[str, dict] = {
        s: {"unit": None, "amounts": dict.fromkeys(days, 0.0), "days": []} for s in substances
    }
    for d in lapses:  # a lapse with no substance named joins the first substance's row
        target = out.get(d.substance) or out[substances[0]]
        day = date.fromisoformat(d.day)
        target["amounts"][day] += UNRECORDED if d.amount is None else d.amount
        target["unit"] = target["unit"] or d.unit
        target["days"].append(
            UseDay(
                d.day,
                substances[0] if d.substance not in out else d.substance,
                d.lapses,
                d.amount,
                d.unit,
            )
        )
    return {"first": first, "days": days, "substances": out}


def _ids(job: ExportJob, substances: list[str]) -> dict[str, str]:
    if len(substances) == 1:
        return {substances[0]: job.person}
    return {s: f"{job.person}:{s}" for s in substances}


def export(job: ExportJob, out: BinaryIO) -> None:
    from relapse_cli.share.formats.csvfmt import csv_cell  # names a spreadsheet must not run

    cal = calendar(job)
    ids = _ids(job, list(cal["substances"]))
    w = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        writer = csv.writer(w)
        writer.writerow(["id", "date", "amount", "substance", "unit"])
        for substance, data in cal["substances"].items():
            for day, amount in data["amounts"].items():
                shown = int(amount) if float(amount).is_integer() else round(amount, 2)
                writer.writerow(
                    [
                        csv_cell(ids[substance]),
                        day.isoformat(),
                        shown,
                        csv_cell(substance),
                        csv_cell(data["unit"] or ""),
                    ]
                )
        w.flush()
    finally:
        w.detach()


def figures(job: ExportJob) -> list[dict]:
    """Per substance: the period's days, percent days abstinent, and the use-day figures
    (use days, amount per use day, heavy days) from domain.use_days.figures."""
    cal = calendar(job)
    out = []
    for substance, data in cal["substances"].items():
        n = len(data["amounts"])
        found = use_figures(data["days"])
        item: dict = (
            found[0]
            if found
            else {"use_days": 0, "lapses": 0, "days_with_amount": 0, "amount_per_use_day": None}
        )
        unit = data["unit"] or ""
        item |= {
            "substance": substance,
            "unit": unit,
            "days": n,
            "percent_days_abstinent": round(100 * (n - item["use_days"]) / n, 1) if n else None,
        }
        if is_drink(substance, unit):
            for threshold in HEAVY:
                item.setdefault(f"heavy_days_{threshold}_plus", 0)
        out.append(item)
    return out


def export_summary(job: ExportJob, out: BinaryIO) -> None:
    first = period.first_day(job.con, job.since, job.until)
    lines = [f"Timeline followback summary, {first.isoformat()} to {job.until.date().isoformat()}"]
    for f in figures(job):
        lines.append("")
        label = f["substance"] or "(no substance named)"
        lines.append(f"{label}" + (f" ({f['unit']})" if f["unit"] else ""))
        lines.append(f"  days in period: {f['days']}")
        lines.append(f"  use days: {f['use_days']}")
        lines.append(f"  percent days abstinent: {f['percent_days_abstinent']}")
        if f["amount_per_use_day"] is not None:
            lines.append(f"  amount per use day: {f['amount_per_use_day']}")
        for threshold, who in zip(HEAVY, ("women", "men"), strict=True):
            key = f"heavy_days_{threshold}_plus"
            if key in f:
                lines.append(
                    f"  heavy days ({threshold}+ drinks, NIAAA threshold for {who}): {f[key]}"
                )
    out.write(("\n".join(lines) + "\n").encode("utf-8"))

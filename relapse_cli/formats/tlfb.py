"""Timeline followback (Sobell & Sobell): one row per calendar day, ``id,date,amount``.

Readable by the ``abstcal`` package (columns ``id``, ``date``, ``amount``; extra columns
``substance`` and ``unit`` are ignored by it). Every day of the period has a row, 0 on days
without use. A use logged without an amount (or a craving that ended in use) counts as 1 on
that day: a use day whose amount was not recorded. With several substances each gets its
own id (``me:alcohol``), since a TLFB id has one row per day.

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

from relapse_cli.formats.job import ExportJob
from relapse_cli.journal import period

DESCRIPTION = "timeline followback: one row per day (id,date,amount), for abstcal and SPSS"
SUFFIX = ".csv"
TO_STDOUT = True
HEAVY = (4, 5)  # NIAAA heavy drinking day: 4+ (women), 5+ (men) standard drinks in a day
DRINK_UNITS = {"drink", "drinks", "standard drink", "standard drinks", "std drinks", "units"}


def calendar(job: ExportJob) -> dict:
    """Per substance: unit and {day: amount} over every day of the period."""
    first = period.first_day(job.con, job.since, job.until)
    days = [first + timedelta(days=i) for i in range((job.until.date() - first).days + 1)]
    used = period.daily_use(job.con, job.since, job.until)
    substances = sorted({r["substance"] for r in used if r["substance"]})
    if not substances:
        configured = job.settings.get("substances") or []
        substances = [str(s) for s in configured][:1] or [""]
    out: dict[str, dict] = {s: {"unit": None, "amounts": dict.fromkeys(days, 0.0)}
                            for s in substances}  # fmt: skip
    for r in used:
        target = out.get(r["substance"]) or out[substances[0]]
        day = date.fromisoformat(r["day"])
        if day not in target["amounts"]:
            continue
        amount = (r["amount"] or 0) + (r["unmeasured"] or 0)
        target["amounts"][day] += amount
        target["unit"] = target["unit"] or r["unit"]
    return {"first": first, "days": days, "substances": out}


def _ids(job: ExportJob, substances: list[str]) -> dict[str, str]:
    if len(substances) == 1:
        return {substances[0]: job.person}
    return {s: f"{job.person}:{s}" for s in substances}


def export(job: ExportJob, out: BinaryIO) -> None:
    from relapse_cli.formats.csvfmt import csv_cell  # names a spreadsheet must not run

    cal = calendar(job)
    ids = _ids(job, list(cal["substances"]))
    w = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        writer = csv.writer(w)
        writer.writerow(["id", "date", "amount", "substance", "unit"])
        for substance, data in cal["substances"].items():
            for day, amount in data["amounts"].items():
                shown = int(amount) if float(amount).is_integer() else round(amount, 2)
                writer.writerow([csv_cell(ids[substance]), day.isoformat(), shown,
                                 csv_cell(substance), csv_cell(data["unit"] or "")])  # fmt: skip
        w.flush()
    finally:
        w.detach()


def figures(job: ExportJob) -> list[dict]:
    cal = calendar(job)
    out = []
    for substance, data in cal["substances"].items():
        amounts = list(data["amounts"].values())
        use_days = sum(1 for a in amounts if a > 0)
        n = len(amounts)
        unit = data["unit"] or ""
        item = {
            "substance": substance, "unit": unit, "days": n, "use_days": use_days,
            "percent_days_abstinent": round(100 * (n - use_days) / n, 1) if n else None,
            "amount_per_use_day": round(sum(amounts) / use_days, 2) if use_days else None,
        }  # fmt: skip
        if substance == "alcohol" or unit.lower() in DRINK_UNITS:
            for threshold in HEAVY:
                item[f"heavy_days_{threshold}_plus"] = sum(1 for a in amounts if a >= threshold)
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
                lines.append(f"  heavy days ({threshold}+ drinks, NIAAA threshold for {who}): "
                             f"{f[key]}")  # fmt: skip
    out.write(("\n".join(lines) + "\n").encode("utf-8"))

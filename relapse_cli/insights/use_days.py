"""What a use day holds: the one rule behind every figure about lapses.

The summary, ``trends``, the HTML/Markdown report, ``review``, the TLFB export and the FHIR
bundle all read use days through :func:`use_days`, so they cannot disagree (issue 19, item 1:
a craving that ended in use plus the ``log use`` entry its message suggests was counted as
two lapses, 4 + 1 drinks, in the TLFB file and as one, 4 drinks, everywhere else).

The rule, per local day and substance:

- A ``use`` entry is a lapse; its amount (when given) is what was used.
- A craving that ended in use is a lapse too, *unless* a ``use`` entry was logged that same
  local day for the same substance (or with no substance named): then it is the same lapse,
  described twice, and adds nothing. A craving with no substance named is absorbed by any
  use entry of its day.
- The day's amount is the sum of the amounts recorded; ``None`` when no amount was recorded
  (a use day whose amount is unknown, never a guessed 1).

Input rows are grouped in SQL (one per local day and substance; never one per entry):
``day`` (ISO date), ``substance`` (lower case, '' for none), ``uses`` (use entries),
``amount`` (sum of their recorded amounts, or None), ``craving_used`` (cravings that ended in
use) and ``unit``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# NIAAA heavy drinking day: 4+ (women) / 5+ (men) standard drinks in one day. The journal does
# not record sex, so both are given.
# Source: https://www.niaaa.nih.gov/alcohol-health/overview-alcohol-consumption/moderate-binge-drinking
HEAVY_DRINKS = (4, 5)
DRINK_UNITS = frozenset(
    {"drink", "drinks", "standard drink", "standard drinks", "std drinks", "units"}
)


@dataclass(frozen=True)
class UseDay:
    """One local day's lapses with one substance ('' when none was named)."""

    day: str
    substance: str
    lapses: int
    amount: float | None  # recorded amounts summed; None: no amount recorded that day
    unit: str | None


def use_days(rows: Iterable[dict]) -> list[UseDay]:
    """Apply the rule (module docstring) to SQL-grouped rows; one UseDay per day and
    substance with at least one lapse, in day then substance order."""
    by_day: dict[str, list[dict]] = {}
    for r in rows:
        by_day.setdefault(str(r["day"]), []).append(r)
    out: list[UseDay] = []
    for day in sorted(by_day):
        group = by_day[day]
        with_use = {str(r["substance"] or "") for r in group if int(r.get("uses") or 0)}
        for r in sorted(group, key=lambda x: str(x["substance"] or "")):
            substance = str(r["substance"] or "")
            uses = int(r.get("uses") or 0)
            cravings = int(r.get("craving_used") or 0)
            described = (
                substance in with_use or "" in with_use or (not substance and bool(with_use))
            )
            lapses = uses if uses else (0 if described else cravings)
            if not lapses:
                continue
            amount = r.get("amount")
            out.append(
                UseDay(
                    day, substance, lapses, None if amount is None else float(amount), r.get("unit")
                )
            )
    return out


def is_drink(substance: str, unit: str | None) -> bool:
    return substance == "alcohol" or (unit or "").lower() in DRINK_UNITS


def by_substance(days: Iterable[UseDay]) -> dict[str, list[UseDay]]:
    out: dict[str, list[UseDay]] = {}
    for d in days:
        out.setdefault(d.substance, []).append(d)
    return dict(sorted(out.items()))


def figures(days: Iterable[UseDay]) -> list[dict]:
    """Per substance: use days, days with an amount, amount per use day (over the days with
    an amount) and, for alcohol, heavy days (NIAAA). The same dicts in every view."""
    out = []
    for name, group in by_substance(days).items():
        unit = next((d.unit for d in group if d.unit), None)
        measured = [d.amount for d in group if d.amount is not None]
        item: dict = {
            "substance": name or None,
            "unit": unit,
            "use_days": len({d.day for d in group}),
            "lapses": sum(d.lapses for d in group),
            "days_with_amount": len(measured),
            "amount_per_use_day": round(sum(measured) / len(measured), 1) if measured else None,
        }
        if is_drink(name, unit):
            for t in HEAVY_DRINKS:
                item[f"heavy_days_{t}_plus"] = sum(1 for a in measured if a >= t)
        out.append(item)
    return out


def per_day(days: Iterable[UseDay]) -> dict[str, dict]:
    """Per local day (all substances): lapses and the amount recorded (None: not recorded)."""
    out: dict[str, dict] = {}
    for d in days:
        item = out.setdefault(d.day, {"lapses": 0, "amount": None})
        item["lapses"] += d.lapses
        if d.amount is not None:
            item["amount"] = (item["amount"] or 0.0) + d.amount
    return out

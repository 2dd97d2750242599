"""Check-in history views: a table per kind, a sparkline of totals (or mood) and the bands."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from relapse_cli.checkins.screeners import safety_flag
from relapse_cli.core.timeparse import from_storage
from relapse_cli.insights.view import sparkline
from relapse_cli.render.console import Fitted, Wrapped, safe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rich.console import JustifyMethod

    from relapse_cli.checkins.screeners import Instrument


def _when(row: dict, column: str) -> str:
    return f"{from_storage(row[column], row['utc_offset_min']):%a %-d %b %H:%M}"


def _day(row: dict, column: str) -> str:
    """The local date (ISO) of a row, for the sentence that says a series."""
    return from_storage(row[column], row["utc_offset_min"]).date().isoformat()


def screening_table(inst: Instrument, rows: list[dict]) -> Group:
    """``rows`` newest first (as stored); the sparkline reads oldest to newest."""
    i = inst
    oldest_first = list(reversed(rows))
    totals = [r["total"] for r in oldest_first]
    from relapse_cli.render.access import screen_reader

    # Screen-reader mode: no glyph chart; the rows below say every score (issue 20).
    spark = "" if screen_reader() else sparkline(totals, top=i.max_total)
    head = Text(
        f"{i.name}: {len(rows)} result{'s' if len(rows) != 1 else ''}, "
        f"oldest to newest  {spark}  (0-{i.max_total})"
    )
    if screen_reader():  # the sparkline as one sentence (render/describe.py)
        from relapse_cli.render import describe

        head = Text(
            describe.series(
                f"{i.name} scores",
                [_day(r, "taken_at") for r in oldest_first],
                totals,
                scale=f" (0 to {i.max_total})",
                per="result",
            )
        )
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("when", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("band")
    table.add_column("change", justify="right")
    table.add_column("id", no_wrap=True)
    for n, r in enumerate(rows):
        about = (r.get("substance") or "").lower()  # the change is against the same substance
        before = next(
            (o["total"] for o in rows[n + 1 :] if (o.get("substance") or "").lower() == about), None
        )
        change = "" if before is None else f"{r['total'] - before:+d}"
        band = r["band"] or ""
        flag = safety_flag(r)
        if flag:
            band += f" · {flag}"
        if r.get("substance"):
            band += f" · about {r['substance']}"
        table.add_row(
            _when(r, "taken_at"),
            f"{r['total']} of {i.max_total}",
            safe(band, single_line=True),
            change,
            r["uuid"][:8],
        )
    bands = "  ".join(f"{b.low}-{b.high} {b.name}" for b in i.bands)
    foot = Text(f"Bands: {bands}. Screening scores, not a diagnosis.")
    return Group(Wrapped(head), Fitted(table, drop=("change", "id")), Wrapped(foot), Text(""))


# Below this console width the daily table drops the weekday and shortens "medication", and
# keeps whole words in each column (Rich would otherwise cut "lonely" to "lonel…").
NARROW = 120
MIN_WIDTH = {"HALT": 7, "support": 8, "id": 8}


def daily_table(rows: list[dict], width: int | None = None) -> Group:
    from relapse_cli.checkins import model as dom

    narrow = width is not None and width < NARROW
    oldest_first = list(reversed(rows))
    moods = sparkline([r["mood"] for r in oldest_first], top=10)
    anxiety = sparkline([r["anxiety"] for r in oldest_first], top=10)
    head = Text(
        f"Daily check-ins: {len(rows)}, oldest to newest  mood {moods}  "
        f"anxiety {anxiety}  (0-10; · skipped)"
    )
    from relapse_cli.render.access import screen_reader

    if screen_reader():  # the sparklines as one sentence each (render/describe.py, issue 20)
        from relapse_cli.render import describe

        days = [_day(r, "occurred_at") for r in oldest_first]
        said = [
            describe.series(
                name, days, [r[key] for r in oldest_first], scale=" (0 to 10)", per="check-in"
            )
            for name, key in (("Mood", "mood"), ("Anxiety", "anxiety"))
        ]
        head = Text(f"Daily check-ins: {len(rows)}, newest first. " + " ".join(said))
    table = Table(show_edge=False, pad_edge=False)
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("when", "left"), ("mood", "right"), ("anxiety", "right"), ("sleep", "right"),
        ("HALT", "left"), ("meds" if narrow else "medication", "left"), ("support", "left"),
        ("id", "left"))  # fmt: skip
    for name, justify in columns:
        table.add_column(
            name,
            justify=justify,
            no_wrap=name in ("when", "id"),
            min_width=MIN_WIDTH.get(name) if narrow else None,
            max_width=6 if narrow and name == "sleep" else None,
        )
    medication = dict(dom.MEDICATION_LABEL, **({"na": "n/a"} if narrow else {}))
    for r in rows:
        sleep = ""
        if r["sleep_hours"] is not None:
            sleep = f"{r['sleep_hours']:g} h"
        if r["sleep_quality"] is not None:
            sleep += f" (q {r['sleep_quality']})"
        when = _when(r, "occurred_at")
        table.add_row(
            when.split(" ", 1)[1] if narrow else when,
            _n(r["mood"]),
            _n(r["anxiety"]),
            sleep.strip(),
            dom.halt_text(r),
            medication.get(r["medication"] or "", ""),
            dom.support_text(r["support"]),
            r["uuid"][:8],
        )
    return Group(
        Wrapped(head), Fitted(table, drop=("support", "HALT", "sleep", "meds", "anxiety")), Text("")
    )


def _n(value: object) -> str:
    return "" if value is None else str(value)


def for_json(kind: str, row: dict) -> dict:
    """A record for ``--json``: local time with its offset, no internal rowid."""
    column = "occurred_at" if kind == "daily" else "taken_at"
    out = {k: v for k, v in row.items() if k not in ("id",)}
    out[column] = from_storage(row[column], row["utc_offset_min"]).isoformat()
    if kind != "daily":
        from relapse_cli.checkins.screeners import load

        out["max_total"] = load(kind).max_total
    return out

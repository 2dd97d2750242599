"""Drawing journal entries: a history table and a single-entry panel."""

from __future__ import annotations

from rich.panel import Panel
from rich.table import Table

from relapse_cli.core.text import shorten
from relapse_cli.core.timeparse import from_storage
from relapse_cli.render.console import safe

LABELS = {
    "intensity": "Intensity (0-10)",
    "intensity_after": "Intensity after (0-10)",
    "outcome": "Outcome",
    "duration_min": "Minutes",
    "substance": "Substance",
    "location": "Where",
    "company": "With",
    "mood": "Mood (0-10)",
    "anxiety": "Anxiety (0-10)",
    "sleep_hours": "Sleep (hours)",
    "energy": "Energy (0-10)",
    "amount": "Amount",
    "unit": "Unit",
    "context": "Context",
    "led_up_to": "What led up to it",
    "note": "Note",
}


def kind_word(kind: str) -> str:
    """The kind as the person names it (``relapse log use``, ``history --kind use``)."""
    return kind


def field_word(column: str) -> str:
    """A stored field as a person reads it ('intensity_after' -> 'intensity after')."""
    if column in ("occurred_at", "utc_offset_min"):
        return "time"
    label = LABELS.get(column)
    if label is None:
        return column.replace("_", " ")
    return label.split(" (")[0].lower()


def local_time(entry: dict) -> str:
    """The entry's local time; a stored time another tool wrote in a form the journal's rules
    refuse is shown as it is, marked, so one bad row never stops the view (issue 21)."""
    try:
        when = from_storage(entry["occurred_at"], entry["utc_offset_min"])
    except (TypeError, ValueError, OverflowError):
        return f"{entry['occurred_at']} (not a valid time)"
    return f"{when:%a %-d %b %Y %H:%M}"


def detail(entry: dict) -> str:
    """The few words that say what an entry was, for a table cell."""
    kind = entry["kind"]
    bits: list[str] = []
    if kind == "craving":
        bits.append(f"{entry['intensity']}/10")
        if entry.get("outcome"):
            after = entry.get("intensity_after")
            bits.append(entry["outcome"] + (f" → {after}/10" if after is not None else ""))
    elif kind == "mood":
        bits.append(f"mood {entry['mood']}/10")
        if entry.get("anxiety") is not None:
            bits.append(f"anxiety {entry['anxiety']}/10")
        if entry.get("sleep_hours") is not None:
            bits.append(f"sleep {entry['sleep_hours']:g} h")
    elif kind == "trigger":
        if entry.get("intensity") is not None:
            bits.append(f"pull {entry['intensity']}/10")
    elif entry.get("amount") is not None:
        bits.append(f"{entry['amount']:g} {entry.get('unit') or ''}".strip())
    if entry.get("substance"):
        bits.append(entry["substance"])
    return ", ".join(bits)


def short_time(entry: dict) -> str:
    return f"{from_storage(entry['occurred_at'], entry['utc_offset_min']):%a %-d %b %H:%M}"


def history_table(entries: list[dict]) -> object:
    """Newest first; what the entry was, its triggers and what helped in one readable row."""
    table = Table(show_edge=False, pad_edge=False, expand=False, box=None, header_style="bold")
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("when", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("what", overflow="fold", ratio=2)
    notes = any(e.get("note") for e in entries)  # no note anywhere: no column taking width
    if notes:
        table.add_column("note", overflow="fold", ratio=1)
    for e in entries:
        what = detail(e)
        if e["triggers"]:
            label = "" if e["kind"] == "trigger" else "triggers: "
            what = "; ".join(x for x in (what, label + ", ".join(e["triggers"])) if x)
        if e["coping"]:
            what += "; coped: " + ", ".join(e["coping"])
        cells = [e["uuid"][:8], short_time(e), kind_word(e["kind"]), safe(what, single_line=True)]
        if notes:
            cells.append(safe(shorten(e.get("note") or "", 60), single_line=True))
        table.add_row(*cells)
    from relapse_cli.render.console import Fitted

    return Fitted(table, drop=("note",))


def entry_panel(entry: dict) -> Panel:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row("When", local_time(entry) + f" (UTC{entry['utc_offset_min'] / 60:+g})")
    for field, label in LABELS.items():
        value = entry.get(field)
        if value is not None:
            table.add_row(label, safe(f"{value:g}" if isinstance(value, float) else value))
    if entry["triggers"]:
        table.add_row("Triggers", safe(", ".join(entry["triggers"])))
    if entry["coping"]:
        table.add_row("Coped by", safe(", ".join(entry["coping"])))
    table.add_row("Id", entry["uuid"])
    title = kind_word(entry["kind"])
    return Panel(table, title=title, title_align="left", expand=False)


def for_json(entry: dict) -> dict:
    """An entry as data: stored fields plus its local time, without internal row ids."""
    out = {k: v for k, v in entry.items() if k != "id" and v is not None}
    try:
        out["local_time"] = from_storage(entry["occurred_at"], entry["utc_offset_min"]).isoformat()
    except (TypeError, ValueError, OverflowError):  # a time written by another tool: as stored
        out["local_time"] = None
    out["triggers"] = entry["triggers"]
    out["coping"] = entry["coping"]
    return out

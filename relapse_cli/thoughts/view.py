"""Drawing thought records: the seven-column record as a panel, lists, and the traps.

User text is turned into ``rich.text.Text`` after ``for_terminal``: Rich never reads it as
markup and control characters are shown, not acted on.
"""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from relapse_cli.core.text import for_terminal, shorten
from relapse_cli.core.timeparse import from_storage
from relapse_cli.thoughts import model as domain


def _t(text: object, style: str = "") -> Text:
    return Text(for_terminal(str(text)), style=style)


def when(record: dict, fmt: str = "%a %-d %b %Y %H:%M") -> str:
    return f"{from_storage(record['occurred_at'], record['utc_offset_min']):{fmt}}"


def change_words(drop: float | None) -> str:
    """'eased by 25 points', 'rose by 5 points', 'no change' (0-100 scale)."""
    if drop is None:
        return ""
    points = round(abs(drop), 1)
    shown = f"{points:g} point{'' if points == 1 else 's'}"
    if drop > 0:
        return f"eased by {shown}"
    if drop < 0:
        return f"rose by {shown}"
    return "no change"


def mood_summary(record: dict) -> str:
    """'anxious 80 → 40, ashamed 60 → 50 (eased by 25 points on average)'."""
    text = domain.describe_change(record)
    if not text:
        return ""
    drop = domain.mood_drop(record)
    many = len(domain.mood_changes(record)) > 1
    return f"{text} ({change_words(drop)}{' on average' if many else ''})"


def _ratings(moods: dict[str, int]) -> str:
    return ", ".join(f"{m} {v}" for m, v in moods.items())


def _bullets(items: list[str], hot: int | None = None) -> Text:
    out = Text()
    for i, item in enumerate(items, start=1):
        if i > 1:
            out.append("\n")
        if hot == i:
            out.append_text(_t(f"• {item}", "bold"))
            out.append("  ← hot thought", style="italic")
        else:
            out.append_text(_t(f"• {item}"))
    return out


def record_panel(record: dict, linked: dict | None = None) -> Panel:
    """The whole record, numbered by the seven columns, with the mood change before → after."""
    by_key = domain.trap_by_key()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    dash = Text("—", style="dim")

    grid.add_row("1 Situation", _t(record.get("situation")) if record.get("situation") else dash)
    grid.add_row(
        "2 Moods", _t(_ratings(record.get("moods") or {})) if record.get("moods") else dash
    )
    thoughts = record.get("thoughts") or []
    grid.add_row(
        "3 Automatic thoughts", _bullets(thoughts, record.get("hot_index")) if thoughts else dash
    )
    traps = record.get("traps")
    names = ", ".join(by_key[k].name if k in by_key else k for k in traps or [])
    grid.add_row(
        "  Thinking traps",
        _t(names) if names else Text("none named" if traps == [] else "—", style="dim"),
    )
    for label, key in (
        ("4 Evidence for", "evidence_for"),
        ("5 Evidence against", "evidence_against"),
    ):
        items = record.get(key) or []
        grid.add_row(label, _bullets(items) if items else dash)
    balanced = record.get("balanced_thought")
    if balanced:
        cell = _t(balanced)
        if record.get("belief") is not None:
            cell.append(f"\nbelieved {record['belief']} %", style="italic")
        grid.add_row("6 Balanced thought", cell)
    else:
        grid.add_row("6 Balanced thought", dash)
    after_lines = [f"{c.mood} {c.before} → {c.after}" for c in domain.mood_changes(record)]
    after_lines += [f"{m} {v} (new)" for m, v in domain.new_moods_after(record).items()]
    grid.add_row("7 Moods now", _t("\n".join(after_lines)) if after_lines else dash)
    if record.get("next_step"):
        grid.add_row("  Next step", _t(record["next_step"]))
    parts: list = [grid]
    summary = mood_summary(record)
    if summary:
        parts.append(Text.assemble(("\nMood change: ", "bold"), _t(summary)))
    if linked is not None:
        from relapse_cli.log.view.entries import detail, short_time

        parts.append(
            _t(
                f"Prompted by: {linked['kind']} {detail(linked)}, {short_time(linked)} "
                f"(id {linked['uuid'][:8]})"
            )
        )
    elif record.get("entry_uuid"):
        parts.append(_t(f"Prompted by entry {record['entry_uuid'][:8]} (no longer in the journal)"))
    status = "" if record.get("status") == "complete" else " · draft"
    title = f"Thought record · {when(record)} · id {record['uuid'][:8]}{status}"
    return Panel(Group(*parts), title=_t(title), title_align="left", expand=False)


def records_table(records: list[dict]) -> object:
    """Newest first: when, situation, hot thought, mood change and traps in one row each."""
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("when", no_wrap=True)
    # The words keep a readable width at 80 columns; a long trap key ends in … (show has all).
    table.add_column("situation", overflow="fold", ratio=1, min_width=12)
    table.add_column("hot thought", overflow="fold", ratio=1, min_width=12)
    table.add_column("mood change", no_wrap=True)
    table.add_column("traps", no_wrap=True, overflow="ellipsis", min_width=10)
    for r in records:
        table.add_row(
            r["uuid"][:8],
            when(r, "%d %b %H:%M"),
            _t(shorten(r.get("situation") or "", 60)),
            _t(shorten(domain.hot_thought(r) or "", 60)),
            _t(domain.describe_change(r).replace(", ", "\n")),
            _t("\n".join(r.get("traps") or [])),
        )
    from relapse_cli.render.console import Fitted

    return Fitted(table, drop=("traps", "mood change", "hot thought"))


def drafts_table(records: list[dict]) -> object:
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("started", no_wrap=True)
    table.add_column("situation", overflow="fold", ratio=2)
    table.add_column("continues at", overflow="fold", ratio=1)
    total = len(domain.steps())
    for r in records:
        nxt = domain.first_empty_step(r)
        table.add_row(
            r["uuid"][:8],
            when(r, "%a %-d %b %H:%M"),
            _t(shorten(r.get("situation") or "", 60)),
            f"step {nxt.number} of {total}: {nxt.title.lower()}" if nxt else "the end",
        )
    from relapse_cli.render.console import Fitted

    return Fitted(table, drop=("continues at",))


def traps_reference() -> Group:
    """Every thinking trap with its number, one-line description and example."""
    parts: list = []
    groups = (("burns", "Thinking traps (after Burns)"),
              ("addiction", "Beliefs about using (after Beck, Wright, Newman & Liese)"))  # fmt: skip
    for group, heading in groups:
        parts.append(Text(heading, style="bold underline"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(overflow="fold")
        for t in domain.traps():
            if t.group == group:
                cell = Text.assemble(
                    (t.name, "bold"),
                    f" ({t.key})\n",
                    t.description,
                    "\n",
                    (f"e.g. \u201c{t.example}\u201d", "italic"),
                )
                grid.add_row(f"{t.number}.", cell)
        parts.extend([grid, Text("")])
    parts.append(
        Text(
            "Sources: Burns, Feeling Good (1980), ch. 3; Beck, Wright, Newman & Liese, "
            "Cognitive Therapy of Substance Abuse (1993), ch. 3.",
            style="dim",
        )
    )
    parts.append(
        Text("Name them in a thought record: relapse think (or --trap KEY / NUMBER).", style="dim")
    )
    return Group(*parts)


def trap_stats_table(rows: list[dict]) -> Table:
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    table.add_column("trap")
    table.add_column("records", justify="right")
    table.add_column("mean mood change", justify="right")
    for r in rows:
        table.add_row(_t(r["name"]), str(r["records"]), change_words(r["mean_mood_drop"]))
    return table


def for_json(record: dict) -> dict:
    """A record as plain JSON: local time, the hot thought spelled out, the mood change."""
    local = from_storage(record["occurred_at"], record["utc_offset_min"])
    return {
        "id": record["uuid"],
        "status": record.get("status"),
        "occurred_at": local.isoformat(),
        "entry_id": record.get("entry_uuid"),
        "situation": record.get("situation"),
        "moods": record.get("moods") or {},
        "thoughts": record.get("thoughts") or [],
        "hot": record.get("hot_index"),
        "hot_thought": domain.hot_thought(record),
        "traps": record.get("traps"),
        "evidence_for": record.get("evidence_for") or [],
        "evidence_against": record.get("evidence_against") or [],
        "balanced_thought": record.get("balanced_thought"),
        "belief": record.get("belief"),
        "moods_after": record.get("moods_after") or {},
        "mood_change": [
            {"mood": c.mood, "before": c.before, "after": c.after, "drop": c.drop}
            for c in domain.mood_changes(record)
        ],
        "mean_mood_drop": domain.mood_drop(record),
        "next_step": record.get("next_step"),
    }

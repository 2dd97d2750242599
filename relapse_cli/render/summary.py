"""Drawing the small summary. Words carry the meaning; colour only decorates."""

from __future__ import annotations

from rich.panel import Panel
from rich.table import Table

from relapse_cli.render.console import safe


def _days(n: int | None) -> str:
    return "—" if n is None else f"{n} day{'s' if n != 1 else ''}"


def summary_panel(data: dict) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    if data["entries"] == 0:
        grid.add_row("Nothing logged yet", "Start with: relapse log craving 5 -t stress")
        return Panel(grid, title="Summary", title_align="left", expand=False)
    if data["use_days"] == 0 and data["days_since_last_use"] is None:
        grid.add_row("Recovery", "No uses logged. Set your start date: relapse config "
                     "recovery_start 2026-09-01")  # fmt: skip
    else:
        since = data["recovery_start"]
        grid.add_row("Days since last use", f"[green]{_days(data['days_since_last_use'])}[/]")
        grid.add_row("Longest streak", _days(data["longest_streak"]))
        grid.add_row("Sober days", f"{data['sober_days']} of {data['days_counted']} since {since}"
                     + ("" if data["recovery_start_is_set"] else " (your first entry)"))  # fmt: skip
    tw, lw = data["cravings_this_week"], data["cravings_last_week"]
    if tw["count"]:
        line = f"{tw['count']} in the last 7 days, mean intensity {tw['mean_intensity']:.1f}/10"
        if tw["count"] + lw["count"] < 4:
            line += f" ({tw['count'] + lw['count']} over two weeks: too few to compare)"
        elif data["craving_change"]:
            line += f"; {data['craving_change']}"
        if lw["count"]:
            line += f" (then {lw['count']}, mean {lw['mean_intensity']:.1f})"
        grid.add_row("Cravings", line)
        grid.add_row("", f"{tw['resisted']} of {tw['count']} ended with you resisting")
    else:
        grid.add_row("Cravings", "none logged in the last 7 days"
                     + (f" ({lw['count']} the week before)" if lw["count"] else ""))  # fmt: skip
    top = data["top_triggers_30_days"]
    if top:
        grid.add_row("Top triggers (30 days)", ", ".join(
            f"{safe(t['name'], single_line=True)} ({t['count']})" for t in top))  # fmt: skip
    return Panel(grid, title="Summary", title_align="left", expand=False)

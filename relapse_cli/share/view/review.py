"""``relapse review``: someone's export shown as the summary dashboard plus the period."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from relapse_cli.insights.view import summary_panel
from relapse_cli.render.console import safe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rich.console import RenderableType


def _n(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def review_view(
    doc: dict,
    summary: dict | None,
    ov: dict,
    since: datetime | None,
    until: datetime,
    json_hint: str = "relapse review FILE --json",
) -> Group:
    """For the clinician who runs ``review``: the person's dashboard over the export's own
    period, in the third person, and where every figure is (``json_hint``)."""
    t = ov["totals"]
    from datetime import date

    from relapse_cli.core.timeparse import from_storage

    made = from_storage(doc["exported_at"], int(doc.get("utc_offset_min") or 0))
    name = str((doc.get("settings") or {}).get("name") or "").strip()
    whose = f"{name}'s export" if name else "an export"
    first, last = date.fromisoformat(ov["first_day"]), date.fromisoformat(ov["last_day"])
    head = Text(
        f"Review of {whose} made {made:%-d %b %Y %H:%M}, covering {first:%-d %b %Y} to "
        f"{last:%-d %b %Y} ({ov['days']} days). Your own journal was not touched."
    )
    parts: list[RenderableType] = [head]
    if summary is not None:
        parts.append(summary_panel(summary, json_hint=json_hint))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    days = ov["days"]
    grid.add_row(
        "Use days",
        f"{t['use_days']} of {days} "
        f"({round(100 * (days - t['use_days']) / days) if days else 0} % abstinent)",
    )
    grid.add_row(
        "Cravings",
        f"{t['cravings']}, mean intensity {_n(t['mean_intensity'])}/10, {t['resisted']} resisted",
    )
    if ov["top_triggers"]:
        grid.add_row(
            "Top triggers",
            ", ".join(
                f"{safe(x['name'], single_line=True)} ({x['count']})"
                for x in ov["top_triggers"][:5]
            ),
        )
    if ov["coping"]:
        grid.add_row(
            "What worked",
            ", ".join(
                f"{safe(c['name'], single_line=True)} ({round(100 * (c['resisted_share'] or 0))} % "
                f"of {c['times']})"
                for c in ov["coping"][:5]
            ),
        )
    parts.append(Panel(grid, title="The period", title_align="left", expand=False))
    if not doc.get("notes_included", True):
        parts.append(Text("Notes were left out of this export."))
    parts.append(Text(f"Every figure, as data: {json_hint}"))
    return Group(*parts)

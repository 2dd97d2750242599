"""``relapse plan``: the plan as Rich renderables (plain data in, renderables out)."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from relapse_cli.plan.model.plan import (
    BY_KEY,
    PARTS,
    SAFETY_EMPTY,
    SAFETY_STEPS,
    WARNING_STAGES_SOURCE,
    grouped,
    item_line,
)
from relapse_cli.render.console import safe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relapse_cli.plan.model.crisis import CrisisInfo

ADD_HINT = {
    "warning_signs": 'relapse plan add warning_signs "not sleeping" --category physical',
    "high_risk": 'relapse plan add high_risk "payday" --response "go straight home"',
    "people": 'relapse plan add people "Sam" --phone "07700 900123" --best-times evenings',
    "professionals": 'relapse plan add professionals "local drug and alcohol service" '
    '--phone "0300 123 4567"',
    "safety_steps": 'relapse plan add safety_steps "call Sam" --step 4',
}


def plan_view(items: list[dict], crisis: CrisisInfo) -> Group:
    """The two plans apart (relapse prevention, then the crisis safety plan), every section
    with its numbered items (numbers for `plan remove`), then crisis lines."""
    parts: list[Text] = []
    groups = grouped(items)
    for title, keys in PARTS:
        parts.append(Text(title.upper(), style="bold underline"))
        if keys == PARTS[1][1] and not any(groups.get(k) for k in keys):
            parts.append(Text(SAFETY_EMPTY, style="dim"))
        parts.append(Text(""))
        _sections(parts, groups, keys)
    parts.append(Text.from_markup("[bold]Crisis lines[/]"))
    for line in crisis.lines:
        hours = f" ({line.hours})" if line.hours else ""
        parts.append(Text(f"  {line.name}: {line.number}{hours}"))
    parts.append(Text(f"  {crisis.sentence}"))
    parts.append(Text("In a hard moment: relapse sos", style="bold"))
    return Group(*parts)


def _sections(parts: list[Text], groups: dict[str, list[dict]], keys: tuple[str, ...]) -> None:
    for section in (BY_KEY[k] for k in keys):
        section_items = groups.get(section.key, [])
        parts.append(Text.from_markup(f"[bold]{section.title}[/] [dim]({section.key})[/]"))
        if section.key == "warning_signs":
            parts.append(Text(f"  by {WARNING_STAGES_SOURCE}", style="dim"))
        if section.key == "safety_steps" and section_items:
            titles = {n: t for n, t, _ in SAFETY_STEPS}
            for n, item in enumerate(section_items, start=1):
                step = int(item.get("step") or 0)
                parts.append(
                    Text.from_markup(
                        f"  {n}. [dim]step {step}, {titles.get(step, '')}:[/] {safe(item['text'])}"
                    )
                )
        else:
            for n, item in enumerate(section_items, start=1):
                parts.append(Text.from_markup(f"  {n}. {safe(item_line(item))}"))
        if not section_items:
            hint = ADD_HINT.get(section.key, f'relapse plan add {section.key} "..."')
            parts.append(Text(f"  (empty; e.g. {hint})", style="dim"))
        parts.append(Text(""))

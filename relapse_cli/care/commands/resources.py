"""``relapse resources``: an offline guide to kinds of support, the national helplines for
the person's country, and their own local services from the plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from relapse_cli.care.model import resources as domain
from relapse_cli.cli.options import JsonOpt

if TYPE_CHECKING:
    from rich.console import Group, RenderableType

    from relapse_cli.cli.context import AppContext

CountryOpt = Annotated[
    str | None,
    typer.Option(
        "--country", metavar="CC", help="Two-letter country code (default: your setting)."
    ),
]


def build(app: AppContext, country: str | None) -> dict:
    from relapse_cli.plan.model.crisis import lines_for
    from relapse_cli.plan.safety import country_for

    code = country_for(app, country)
    info = lines_for(code)
    helplines = info.as_dict()
    if info.known:
        lines = [line.as_dict() for line in info.lines]  # as in helplines["lines"]
        have = {line["number"] for line in lines}
        helplines["lines"] = [
            *lines,
            *(line for line in domain.substance_lines(code) if line["number"] not in have),
        ]
    own: list[dict] = []
    try:
        from relapse_cli.plan.store.plan import list_items

        own = [i for i in list_items(app.connect()) if i["section"] == "professionals"]
    except Exception:  # noqa: BLE001, S110 - the guide works without the journal
        pass
    from relapse_cli.log.model.lapse import harm_reduction_data

    safer = [
        {"key": k, "title": g["title"], "lines": list(g["lines"]), "sources": g["sources"]}
        for k, g in harm_reduction_data().items()
    ]
    return {
        "sections": domain.sections(),
        "helplines": helplines,
        "safer": safer,
        "own": [{k: i.get(k) for k in ("name", "text", "phone", "best_times")} for i in own],
        "note": domain.NOT_THE_CARE_TEAM,
    }


def view(data: dict) -> Group:
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    def at(indent: int, text: str) -> Padding:  # wrapped lines keep their indent
        return Padding(Text(text), (0, 0, 0, indent))

    parts: list[RenderableType] = [Text(data["note"])]
    for section in data["sections"]:
        parts.append(Text("\n" + section["title"], style="bold"))
        for g in section["groups"]:
            parts.append(Text(f"  {g['name']}", style="bold"))
            parts.append(at(4, g["what"]))
            parts.append(at(4, f"How to find one: {g['find']}"))
    parts.append(Text("\nStaying safer after a lapse", style="bold"))
    for group in data.get("safer", ()):
        parts.append(Text(f"  {group['title']}", style="bold"))
        for line in group["lines"]:
            parts.append(at(4, line))
        parts.append(at(4, f"Sources: {group['sources']}"))
    h = data["helplines"]
    title = f"Helplines in {h['country_name']}" if h.get("country_name") else "Helplines"
    parts.append(Text("\n" + title, style="bold"))
    parts.append(at(2, h["sentence"]))
    for line in h["lines"]:
        extra = f" ({line['hours']})" if line.get("hours") else ""
        parts.append(at(2, f"{line['name']}: {line['number']}{extra}"))
        if line.get("about"):
            parts.append(at(4, line["about"]))
    if not h.get("known"):
        parts.append(Text("  Set your country to see its lines: relapse config country GB"))
    parts.append(Text("\nYour own local services (from your plan)", style="bold"))
    if data["own"]:
        for i in data["own"]:
            bits = [str(i["name"])] + [
                str(i[k]) for k in ("text", "phone", "best_times") if i.get(k)
            ]
            parts.append(at(2, ", ".join(bits)))  # Text(): never read as markup
    else:
        parts.append(
            at(
                2,
                'None yet. Add one: relapse plan add professionals "Riverside clinic" '
                '--phone "020 7946 0000" --role "drug and alcohol service"',
            )
        )
    return Group(*parts)


def resources_cmd(ctx: typer.Context, country: CountryOpt = None, as_json: JsonOpt = False) -> None:
    """Kinds of support to look for (mutual-aid groups, sober living, community services,
    online and family groups), helplines for your country, and your own local services."""
    from relapse_cli.cli.typer_build import app_context

    data = build(app_context(ctx), country)
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(data)
        return
    from relapse_cli.render.console import console

    console().print(view(data))


def register(app: typer.Typer) -> None:
    """Add ``relapse resources`` (the registry imports this module only when it runs)."""
    app.command("resources")(resources_cmd)

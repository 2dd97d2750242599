"""``relapse plan``: show, build (guided), add, remove, edit, and the sos mirror switch."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from relapse_cli.cli import complete
from relapse_cli.cli.context import AppContext
from relapse_cli.cli.options import JsonOpt
from relapse_cli.cli.typer_build import app_context, make_typer
from relapse_cli.core.errors import BadInput
from relapse_cli.core.text import say
from relapse_cli.plan.mirroring import apply_mirror_setting, mirror_enabled, sync_mirror
from relapse_cli.plan.model import plan as P

SectionArg = Annotated[
    str,
    typer.Argument(
        metavar="SECTION",
        help="One of: " + ", ".join(s.key for s in P.SECTIONS),
        show_default=False,
        autocompletion=complete.plan_sections,
    ),
]


# --- commands ---------------------------------------------------------------------------


def _country(app: AppContext) -> str | None:
    from relapse_cli.plan.safety import country_for

    return country_for(app)


def show_plan(app: AppContext, as_json: bool) -> None:
    from relapse_cli.plan.model.crisis import lines_for
    from relapse_cli.plan.store.plan import list_items

    exists = os.path.exists(app.journal_path)
    items = list_items(app.connect(create=False)) if exists else []
    if exists:
        sync_mirror(app, items)  # heals a deleted or stale mirror
    crisis = lines_for(_country(app))
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(
            {
                "items": [{k: v for k, v in i.items() if k != "position"} for i in items],
                "crisis": crisis.as_dict(),
            }
        )
        return
    from relapse_cli.plan.view.plan import plan_view
    from relapse_cli.render.console import console

    out = console()
    if not items:
        out.print("Your plan is empty. Build it step by step: relapse plan build\n")
    out.print(plan_view(items, crisis))


def plan_show(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show your relapse-prevention plan (numbered, for `plan remove`)."""
    if ctx.invoked_subcommand is None:
        show_plan(app_context(ctx), as_json)


def plan_build(ctx: typer.Context) -> int:
    """Build your plan on a terminal, section by section (Enter skips a section)."""
    from relapse_cli.plan.commands.build import build

    return build(app_context(ctx))


def plan_add(
    ctx: typer.Context,
    section: SectionArg,
    text: Annotated[
        str,
        typer.Argument(
            metavar="TEXT",
            show_default=False,
            help="The item (for people and professionals: the name).",
        ),
    ],
    category: Annotated[
        str | None,
        typer.Option(
            "--category", metavar="KIND", help="warning_signs: emotional, mental or physical."
        ),
    ] = None,
    response: Annotated[
        str | None,
        typer.Option("--response", metavar="TEXT", help="high_risk: what you will do."),
    ] = None,
    phone: Annotated[
        str | None,
        typer.Option("--phone", metavar="NUMBER", help="people, professionals: phone number."),
    ] = None,
    best_times: Annotated[
        str | None,
        typer.Option(
            "--best-times",
            "--when",
            metavar="TEXT",
            help="people, professionals: when to call (e.g. evenings).",
        ),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(
            "--role",
            metavar="TEXT",
            help="people, professionals: who they are (e.g. sponsor, GP).",
        ),
    ] = None,
    step: Annotated[
        int | None,
        typer.Option("--step", metavar="1-6", help="safety_steps: which of the six steps."),
    ] = None,
) -> None:
    """Add one item to a section of your plan."""
    from relapse_cli.plan.store.plan import add_item

    key = P.section_key(section)
    fields: dict[str, object] = {
        "category": category,
        "response": response,
        "phone": phone,
        "best_times": best_times,
        "step": step,
    }
    if key in ("people", "professionals"):
        fields.update(name=text, text=role)
    else:
        if role is not None:
            raise BadInput("--role is for people and professionals")
        fields["text"] = text
    item = P.clean_item(key, fields)
    a = app_context(ctx)
    add_item(a.connect(), item)
    sync_mirror(a)
    from relapse_cli.core.text import for_terminal

    say(f"Added to {P.BY_KEY[key].title}: {for_terminal(P.item_line(item), single_line=True)}")


def plan_remove(
    ctx: typer.Context,
    section: SectionArg,
    number: Annotated[
        int,
        typer.Argument(
            metavar="N", help="The item's number in `relapse plan`.", show_default=False
        ),
    ],
) -> None:
    """Remove item N of a section (numbers as `relapse plan` shows them)."""
    from relapse_cli.plan.store.plan import remove_item

    key = P.section_key(section)
    a = app_context(ctx)
    if not os.path.exists(a.journal_path):
        raise BadInput(f"your plan has nothing under {key} yet")
    item = remove_item(a.connect(create=False), key, number)
    sync_mirror(a)
    from relapse_cli.core.text import for_terminal

    say(f"Removed from {P.BY_KEY[key].title}: {for_terminal(P.item_line(item), single_line=True)}")


def plan_edit(ctx: typer.Context) -> None:
    """Edit the whole plan in $EDITOR (TOML); checked on save, a mistake changes nothing."""
    from relapse_cli.core.editor import edit_text
    from relapse_cli.plan.store.plan import list_items, replace_plan

    a = app_context(ctx)
    con = a.connect()
    before = list_items(con)
    text = edit_text(P.to_toml(before), os.path.dirname(a.journal_path))
    items = P.parse_toml(text, where="edited plan")
    counts = replace_plan(con, items)
    sync_mirror(a)
    if counts["added"] == counts["removed"] == 0:
        say("No changes.")
    else:
        say(
            f"Plan saved: {counts['added']} added or changed, {counts['removed']} removed, "
            f"{counts['kept']} unchanged."
        )


def plan_mirror(
    ctx: typer.Context,
    state: Annotated[
        str | None,
        typer.Argument(
            metavar="[on|off]",
            show_default=False,
            help="Turn the plain copy of your plan for relapse sos on or off.",
        ),
    ] = None,
) -> None:
    """The plain copy of your plan beside the journal that lets `relapse sos` work when
    the journal cannot be opened (not encrypted, even when the journal is locked)."""
    from relapse_cli.core.settings import load_settings, parse_value, save_settings

    a = app_context(ctx)
    if state is None:
        from relapse_cli.plan.store.mirror import mirror_path

        on = mirror_enabled(a)
        path = mirror_path(a.journal_path)
        say(
            f"sos copy of your plan: {'on' if on else 'off'}"
            + (f" ({path}{'' if os.path.exists(path) else ', not written yet'})" if on else "")
        )
        return
    settings = load_settings(a.journal_path)
    settings["sos_mirror"] = parse_value("sos_mirror", state)
    save_settings(a.journal_path, settings)
    say(apply_mirror_setting(a))


def register(app: typer.Typer) -> None:
    plan_app = make_typer(help="Your relapse-prevention and safety plan: show, build, change.")
    plan_app.callback(invoke_without_command=True)(plan_show)
    plan_app.command("build")(plan_build)
    plan_app.command("add")(plan_add)
    plan_app.command("remove")(plan_remove)
    plan_app.command("edit")(plan_edit)
    plan_app.command("mirror")(plan_mirror)
    app.add_typer(plan_app, name="plan")

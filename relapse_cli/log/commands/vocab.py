"""``relapse triggers`` and ``relapse coping``: the person's own vocabulary."""

from __future__ import annotations

from typing import Annotated

import typer

from relapse_cli.cli.options import JsonOpt
from relapse_cli.cli.typer_build import app_context, make_typer
from relapse_cli.core.text import say
from relapse_cli.log.model.entries import clean_name
from relapse_cli.log.model.triggers import CATEGORIES, SEED_CATEGORY, check_category

NameArg = Annotated[str, typer.Argument(metavar="NAME", show_default=False)]
CategoryOpt = Annotated[
    str | None,
    typer.Option("--category", "-c", metavar="CATEGORY", help=", ".join(CATEGORIES)),
]


def _show(ctx: typer.Context, table: str, as_json: bool) -> None:
    from relapse_cli.log.store.vocab import list_words

    words = list_words(app_context(ctx).connect(), table)
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(words)
        return
    from rich.table import Table

    from relapse_cli.render.console import console, safe

    out = console()
    if not words:
        hint = (
            "relapse log craving 6 -t stress"
            if table == "triggers"
            else ('relapse log craving 6 --coped "went for a walk"')
        )
        out.print(f"None yet. They are added as you log, e.g.: {hint}")
        return
    grid = Table(show_edge=False, pad_edge=False)
    grid.add_column("name")
    if table == "triggers":
        grid.add_column("category")
    grid.add_column("times logged", justify="right")
    if table == "coping":
        grid.add_column("ended resisted", justify="right")
    for w in words:
        cells = [safe(w["name"], single_line=True)]
        if table == "triggers":
            cells.append(w["category"] or "")
        cells.append(str(w["count"]))
        if table == "coping":
            cells.append(
                f"{w['resisted'] or 0} of {w['with_outcome'] or 0}" if w["with_outcome"] else ""
            )
        grid.add_row(*cells)
    from relapse_cli.render.console import Fitted

    out.print(Fitted(grid, drop=("category", "ended resisted")))


def triggers_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List your triggers with how often you logged each."""
    if ctx.invoked_subcommand is None:
        _show(ctx, "triggers", as_json)


def triggers_add(ctx: typer.Context, name: NameArg, category: CategoryOpt = None) -> None:
    """Add a trigger to your list (with a category if you like)."""
    from relapse_cli.log.store.vocab import add_word

    word = clean_name(name, "trigger")
    cat = check_category(category) if category else SEED_CATEGORY.get(word.lower())
    added = add_word(app_context(ctx).connect(), "triggers", word, cat)
    say(
        f"{'Added' if added else 'Already on your list:'} {_plain(word)}"
        + (f" ({cat})" if cat else "")
    )


def triggers_rename(ctx: typer.Context, old: NameArg, new: NameArg) -> None:
    """Rename a trigger everywhere it was logged."""
    from relapse_cli.log.store.vocab import rename_word

    word = clean_name(new, "trigger")
    rename_word(app_context(ctx).connect(), "triggers", old, word)
    say(f"Renamed {_plain(old)} to {_plain(word)}.")


def triggers_merge(ctx: typer.Context, source: NameArg, into: NameArg) -> None:
    """Fold one trigger into another (e.g. 'work stress' into 'stress')."""
    from relapse_cli.log.store.vocab import merge_words

    moved, total = merge_words(app_context(ctx).connect(), "triggers", source, into)
    say(
        f"Merged {_plain(source)} into {_plain(into)}: {_entries(moved)} moved, "
        f"{_entries(total)} now say {_plain(into)}."
    )


def triggers_category(
    ctx: typer.Context,
    name: NameArg,
    category: Annotated[str, typer.Argument(metavar="CATEGORY", help=", ".join(CATEGORIES))],
) -> None:
    """Set a trigger's category."""
    from relapse_cli.log.store.vocab import set_category

    cat = check_category(category)
    set_category(app_context(ctx).connect(), name, cat)
    say(f"{_plain(name)} is now in {cat}.")


def coping_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List your coping strategies with how often each ended in resisting."""
    if ctx.invoked_subcommand is None:
        _show(ctx, "coping", as_json)


def coping_add(ctx: typer.Context, name: NameArg) -> None:
    """Add a coping strategy to your list."""
    from relapse_cli.log.store.vocab import add_word

    word = clean_name(name, "coping strategy")
    added = add_word(app_context(ctx).connect(), "coping", word)
    say(f"{'Added' if added else 'Already on your list:'} {_plain(word)}")


def register(app: typer.Typer) -> None:
    triggers = make_typer(help="Your triggers: list with counts, add, rename, merge, categorise.")

    triggers.callback(invoke_without_command=True)(triggers_list)
    triggers.command("add")(triggers_add)
    triggers.command("rename")(triggers_rename)
    triggers.command("merge")(triggers_merge)
    triggers.command("category")(triggers_category)
    app.add_typer(triggers, name="triggers")

    coping = make_typer(help="Your coping strategies: list with how often they helped, add.")

    coping.callback(invoke_without_command=True)(coping_list)
    coping.command("add")(coping_add)
    app.add_typer(coping, name="coping")


def _plain(text: str) -> str:
    from relapse_cli.core.text import for_terminal

    return for_terminal(text, single_line=True)


def _entries(n: int) -> str:
    return f"{n} entr{'y' if n == 1 else 'ies'}"

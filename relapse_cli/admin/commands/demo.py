"""``relapse demo``: a sample journal in a throwaway folder, never the person's own."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from relapse_cli.cli.typer_build import app_context
from relapse_cli.core.text import say


def demo(
    ctx: typer.Context,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            metavar="PATH",
            help="Write the sample journal here (a new file, kept) instead of a temporary folder.",
        ),
    ] = None,
    keep: Annotated[
        bool,
        typer.Option(
            "--keep",
            help="Keep the temporary folder to explore it afterwards "
            "(it is removed when the demo ends otherwise).",
        ),
    ] = False,
) -> None:
    """Build a realistic 60-day sample journal somewhere throwaway and show it."""
    import shutil
    import tempfile

    from relapse_cli.admin.model.demo import demo_entries
    from relapse_cli.cli.context import AppContext
    from relapse_cli.core.errors import BadInput
    from relapse_cli.log.store.bulk import insert_many
    from relapse_cli.render.console import console

    parent = app_context(ctx)
    folder = None  # the temporary folder, removed at the end unless --keep
    if out:
        path = os.path.abspath(os.path.expanduser(out))
        if os.path.exists(path):
            raise BadInput(f"{path} already exists", "the demo only writes a new file")
    else:
        folder = tempfile.mkdtemp(prefix="relapse-demo-")
        path = os.path.join(folder, "journal.db")
    demo_app = AppContext(journal=path, clock=parent.clock, interactive=False)
    try:
        count = insert_many(demo_app.connect(), demo_entries(parent.clock.now()))
        from relapse_cli.core.settings import save_settings

        save_settings(path, {"country": "US", "substances": ["alcohol"]})
        demo_app.close()  # the commands below open the journal themselves
        from relapse_cli.admin.commands.demo_records import add_other_records

        add_other_records(path, parent.clock.now())
        screen = console()
        screen.print(
            f"[bold]Sample journal[/] with {count} entries over 60 days "
            "(made-up data; your own journal was not touched)."
        )
        if folder is None or keep:
            screen.print(f"It lives at {path}\n", highlight=False, markup=False)
        else:
            screen.print(
                f"It lives at {path} for now: the folder is removed when the "
                "demo ends (keep it with: relapse demo --keep)\n",
                highlight=False,
                markup=False,
            )
        from relapse_cli.insights.summary import build_summary
        from relapse_cli.insights.view import summary_panel
        from relapse_cli.log.store.entries import list_entries
        from relapse_cli.log.view.entries import history_table

        screen.print("[bold]relapse history[/] (latest 8)")
        screen.print(history_table(list_entries(demo_app.connect(), limit=8)))
        screen.print("\n[bold]relapse summary[/]")
        screen.print(summary_panel(build_summary(demo_app)))
        if folder is None or keep:
            say(f"\nExplore it: relapse --journal {path} history --kind use")
            if folder is not None:
                say(f"When you are done, remove it: rm -r {folder}")
        else:
            say(
                f"\nRemoved the sample ({folder}). To explore it yourself: relapse demo "
                "--keep, or relapse demo --out sample.db"
            )
    finally:
        demo_app.close()
        if folder is not None and not keep:
            shutil.rmtree(folder, ignore_errors=True)  # also when the demo failed


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)

"""``relapse backup``, ``relapse restore`` and ``relapse doctor``."""

from __future__ import annotations

from typing import Annotated

import typer

from relapse_cli.cli.options import JsonOpt, YesOpt
from relapse_cli.cli.typer_build import app_context
from relapse_cli.core.text import say


def backup_cmd(
    ctx: typer.Context,
    out: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Where to write the copy (default: backups/ beside the journal).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Make a consistent copy of your journal (safe while it is in use)."""
    import os

    from relapse_cli.storage.maintenance import backup, default_backup_path

    app = app_context(ctx)
    con = app.connect(create=False)
    target = os.path.abspath(out) if out else default_backup_path(app.journal_path)
    backup(con, target, force=force)
    say(f"Backed up to {target} (private: only you can read it).")


def restore_cmd(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="FILE", help="A backup made by relapse backup.")],
    yes: YesOpt = False,
) -> int:
    """Replace your journal with a backup, after checking it; the current one is kept aside."""
    import os

    from relapse_cli.core.errors import BadInput
    from relapse_cli.storage.maintenance import inspect_file, restore

    app = app_context(ctx)
    info = inspect_file(os.path.abspath(source))
    if not yes:
        if not app.interactive:
            raise BadInput("restore asks for confirmation", "add --yes to confirm")
        answer = app.prompter.ask(
            f"Replace your journal with {source} ({info['entries']} entries)? Type yes"
        )
        if answer.strip().lower() not in ("yes", "y"):
            say("Nothing changed.")
            return 0
    from relapse_cli.storage.hold import exclusive

    app.close()
    with exclusive(app.journal_path, "restore"):  # no other relapse command has it open
        result = restore(app.connect(), app.journal_path, os.path.abspath(source))
        app.close()
        app.connect()  # migrates an older backup to this version
        app.close()  # reopened below under an ordinary shared hold
    from relapse_cli.plan.mirroring import sync_mirror

    # the sos copy follows the restored plan
    sync_mirror(app)
    count = result["entries"]
    say(f"Restored {count} entr{'y' if count == 1 else 'ies'} from {source}.")
    say(f"Your previous journal is kept at {result['kept_old_journal_at']}")
    return 0


def doctor_cmd(
    ctx: typer.Context,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="Repair file permissions, and values with one right answer."),
    ] = False,
    as_json: JsonOpt = False,
) -> int:
    """Check the journal: integrity, schema version, permissions, disk space, settings."""
    import os

    from relapse_cli.core.paths import default_data_dir, settings_path
    from relapse_cli.storage.maintenance import doctor

    app = app_context(ctx)
    own = os.path.dirname(app.journal_path) == default_data_dir()
    checks = doctor(app.journal_path, settings_path(app.journal_path), fix=fix, own_folder=own)
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(checks)
    else:
        from relapse_cli.core.text import for_terminal

        for c in checks:
            mark = "ok  " if c["ok"] else "FIX "
            say(f"{mark} {c['check']:28} {for_terminal(str(c['detail']))}")
    return 0 if all(c["ok"] for c in checks) else 1


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_cmd)
    app.command("restore")(restore_cmd)
    app.command("doctor")(doctor_cmd)

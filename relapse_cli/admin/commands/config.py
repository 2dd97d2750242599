"""Settings and where things live: ``relapse config`` and ``relapse path``."""

from __future__ import annotations

from typing import Annotated

import typer

from relapse_cli.cli.options import JsonOpt
from relapse_cli.cli.typer_build import app_context
from relapse_cli.core.settings import KEYS
from relapse_cli.core.text import say


def config(
    ctx: typer.Context,
    key: Annotated[
        str | None,
        typer.Argument(metavar="[KEY]", help="One of: " + ", ".join(KEYS), show_default=False),
    ] = None,
    value: Annotated[
        str | None,
        typer.Argument(
            metavar="[VALUE]",
            help="New value (omit to show the current one).",
            show_default=False,
        ),
    ] = None,
    unset: Annotated[bool, typer.Option("--unset", help="Remove KEY's value.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Show or change your settings (country, substances, recovery start date, name)."""
    from relapse_cli.core.errors import BadInput
    from relapse_cli.core.settings import load_settings, parse_value, save_settings

    path = app_context(ctx).journal_path
    settings = load_settings(path)
    if key is not None and key not in KEYS:
        raise BadInput(f"unknown setting {key!r}", "settings: " + ", ".join(KEYS))
    if unset:
        if key is None or value is not None:
            raise BadInput("--unset takes just the KEY", "e.g. relapse config country --unset")
        settings.pop(key, None)
        save_settings(path, settings)
        say(f"Cleared {key}.")
        if key == "sos_mirror":
            from relapse_cli.plan.mirroring import apply_mirror_setting

            say(apply_mirror_setting(app_context(ctx)))
        return
    if key is not None and value is not None:
        settings[key] = parse_value(key, value)
        save_settings(path, settings)
        say(f"Set {key} = {_show(settings[key])}")
        if key == "sos_mirror":  # write or remove the plain plan copy now (plan/commands/plan.py)
            from relapse_cli.plan.mirroring import apply_mirror_setting

            say(apply_mirror_setting(app_context(ctx)))
        return
    shown = {k: settings.get(k) for k in ([key] if key else KEYS)}
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(shown)
        return
    for k, v in shown.items():
        about, example = KEYS[k]
        text = _show(v) if v is not None else f"(not set; e.g. relapse config {k} {example!r})"
        say(f"{k:15} {text}    # {about}")


def path(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Where your journal and settings live."""
    import os

    from relapse_cli.core.paths import settings_path

    journal = app_context(ctx).journal_path
    data = {
        "journal": journal,
        "settings": settings_path(journal),
        "journal_exists": os.path.exists(journal),
    }
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(data)
        return
    say(f"journal:  {journal}" + ("" if data["journal_exists"] else "  (not created yet)"))
    say(f"settings: {data['settings']}")


def register(app: typer.Typer) -> None:
    app.command("config")(config)
    app.command("path")(path)


def _show(value: object) -> str:
    from relapse_cli.core.text import for_terminal

    if isinstance(value, bool):  # sos_mirror
        return "on" if value else "off"
    return for_terminal(", ".join(value) if isinstance(value, list) else str(value))

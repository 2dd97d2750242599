"""The ``relapse log`` group: built-in kinds as usual, any other name a homework tracker.

Typer (Click) would answer an unknown name with "No such command"; this group builds a
tracker command for it instead (from ``log_spec.TRACKER``, the same spec the fast lane
parses), whose handler says clearly when there is no such tracker.
"""

from __future__ import annotations

import typer
from typer.core import TyperGroup


def _tracker_command(name: str):  # noqa: ANN202 - a click Command (Typer's vendored Click)
    from relapse_cli.cli.typer_build import app_context, from_spec, make_typer
    from relapse_cli.log.commands.spec import TRACKER

    def handle(ctx: typer.Context, values: dict[str, object]) -> int:
        from relapse_cli.log.commands.log import run_log

        return run_log(app_context(ctx), name, values)

    one = make_typer()
    one.command(name, help=f"Log a value of your homework tracker {name!r}.")(
        from_spec(TRACKER, handle)
    )
    return typer.main.get_command(one)


class LogGroup(TyperGroup):
    def get_command(self, ctx, cmd_name: str):  # noqa: ANN001, ANN201
        found = super().get_command(ctx, cmd_name)
        if found is not None or cmd_name.startswith("-"):
            return found
        return _tracker_command(cmd_name)

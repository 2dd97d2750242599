"""Shared Typer option types, declared once (STYLE.md lesson 5)."""

from __future__ import annotations

from typing import Annotated

import typer

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help='From when: "2026-11-01", "7d ago", "mon".', metavar="WHEN"),
]
UntilOpt = Annotated[
    str | None,
    typer.Option("--until", help="Up to when (a date includes that whole day).", metavar="WHEN"),
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]

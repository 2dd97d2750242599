"""``relapse appointments``: therapy, group, family therapy, doctor, MAT clinic, peer support.

Add, list, and mark attended or missed. The last appointment also starts a period:
``relapse export --since-last-appointment`` and ``relapse summary --since-last-appointment``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from relapse_cli.care.model import appointments as domain
from relapse_cli.cli.options import JsonOpt
from relapse_cli.cli.typer_build import app_context
from relapse_cli.core.errors import BadInput
from relapse_cli.core.text import say

if TYPE_CHECKING:
    from relapse_cli.cli.context import AppContext

IdArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[ID]",
        help="The appointment's id (default: the latest one that "
        "has started and is not marked yet).",
        show_default=False,
    ),
]
PAST_DAYS = 30


def _row_out(r: dict) -> dict:
    return {
        "id": r["uuid"][:8],
        "uuid": r["uuid"],
        "kind": r["kind"],
        "kind_label": domain.label(r["kind"]),
        "local_time": r["local_time"],
        "utc_offset_min": r["utc_offset_min"],
        "with": r["title"],
        "place": r["place"],
        "status": r["status"],
        "note": r["note"],
    }


def _mark(app: AppContext, ident: str | None, status: str) -> None:
    from relapse_cli.care.store import appointments as store
    from relapse_cli.core.text import for_terminal
    from relapse_cli.core.timeparse import utc_text

    con = app.connect()
    if ident is None:
        now = app.clock.now()
        row = store.latest_started(con, utc_text(now), ("planned",))
        if row is None:
            raise BadInput(
                "no past appointment is waiting to be marked",
                "name one by id: relapse appointments",
            )
    else:
        row = store.find(con, ident)
    store.set_status(con, row["uuid"], status)
    say(
        f"Marked {status}: {for_terminal(domain.describe(row), single_line=True)} · id {row['uuid'][:8]}"
    )
    if status == "missed":
        say(
            "Missing one happens. Your care team would rather hear from you: call them to "
            "book the next one."
        )


def appointments_main(
    ctx: typer.Context,
    everything: Annotated[
        bool,
        typer.Option(
            "--all", help="Every appointment, not only the last 30 days and what is coming."
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Coming appointments and those of the last 30 days (add one: appointments add)."""
    if ctx.invoked_subcommand is not None:
        return
    _list(app_context(ctx), everything, as_json)


def list_cmd(
    ctx: typer.Context,
    everything: Annotated[bool, typer.Option("--all", help="Every appointment.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Coming appointments and those of the last 30 days."""
    _list(app_context(ctx), everything, as_json)


def add(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            show_default=False,
            help="therapy, group, family, doctor, mat, peer, other.",
        ),
    ],
    when: Annotated[
        str,
        typer.Argument(
            metavar="WHEN",
            show_default=False,
            help='"2026-12-01 14:00", "tomorrow 9am", "thu 14:30".',
        ),
    ],
    with_whom: Annotated[
        str | None, typer.Option("--with", metavar="WHO", help="With whom, or what it is.")
    ] = None,
    place: Annotated[str | None, typer.Option("--where", metavar="PLACE", help="Where.")] = None,
    note: Annotated[str | None, typer.Option("--note", "-n", metavar="TEXT")] = None,
) -> None:
    """Add an appointment (past ones too, to keep the record)."""
    from relapse_cli.care.commands.meds import _text
    from relapse_cli.care.store import appointments as store
    from relapse_cli.cli.inputs import resolve_note
    from relapse_cli.core.text import for_terminal
    from relapse_cli.core.timeparse import to_storage

    a = app_context(ctx)
    k = domain.parse_kind(kind)
    naive = domain.parse_time(when, a.clock.now().date())
    if abs((naive.date() - a.clock.now().date()).days) > 366 * 5:
        raise BadInput(f"that date is more than five years away: {naive:%Y-%m-%d}", domain.EXAMPLE)
    row: dict[str, str | int | None] = {
        "kind": k,
        "title": _text(with_whom, "--with"),
        "place": _text(place, "--where"),
        "note": _text(resolve_note(a, note), "--note", 2000),
    }
    row["starts_at"], row["utc_offset_min"] = to_storage(a.clock.localize(naive))
    uuid = store.add(a.connect(), {**row, "status": "planned"})
    row["local_time"] = naive.isoformat(sep=" ")
    say(f"Added {for_terminal(domain.describe(row), single_line=True)} · id {uuid[:8]}")


def attended(ctx: typer.Context, ident: IdArg = None) -> None:
    """Mark an appointment as attended."""
    _mark(app_context(ctx), ident, "attended")


def missed(ctx: typer.Context, ident: IdArg = None) -> None:
    """Mark an appointment as missed."""
    _mark(app_context(ctx), ident, "missed")


def cancel(ctx: typer.Context, ident: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Mark an appointment as cancelled."""
    _mark(app_context(ctx), ident, "cancelled")


def register(app: typer.Typer) -> None:
    from relapse_cli.cli.typer_build import make_typer

    appt = make_typer(
        help="Appointments: therapy, group, family therapy, doctor, MAT clinic, peer support."
    )
    app.add_typer(appt, name="appointments")
    appt.callback(invoke_without_command=True)(appointments_main)
    appt.command("list")(list_cmd)
    appt.command("add")(add)
    appt.command("attended")(attended)
    appt.command("missed")(missed)
    appt.command("cancel")(cancel)


def _list(app: AppContext, everything: bool, as_json: bool) -> None:
    from relapse_cli.care.store import appointments as store
    from relapse_cli.core.timeparse import utc_text

    now = app.clock.now()
    since = None if everything else utc_text(now - timedelta(days=PAST_DAYS))
    rows = store.listing(app.connect(), since)
    now_text = utc_text(now)
    data = {
        "coming": [_row_out(r) for r in rows if r["starts_at"] > now_text],
        "past": [_row_out(r) for r in rows if r["starts_at"] <= now_text],
    }
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(data)
        return
    if not rows:
        say('No appointments yet. Add one: relapse appointments add therapy "tomorrow 14:00"')
        return
    from rich.table import Table

    from relapse_cli.render.console import console, safe

    table = Table(title="Appointments", title_justify="left")
    for col in ("id", "when", "kind", "with", "where", "status"):
        table.add_column(col, no_wrap=col in ("id", "when"))
    for r in data["past"] + data["coming"]:
        when = datetime.fromisoformat(r["local_time"])
        status = r["status"] if r in data["past"] or r["status"] != "planned" else "coming"
        table.add_row(
            r["id"],
            f"{when:%a %-d %b %Y %H:%M}",
            r["kind_label"],
            safe(r["with"] or ""),
            safe(r["place"] or ""),
            status,
        )
    from relapse_cli.render.console import Fitted

    console().print(Fitted(table, drop=("where", "with", "status")))
    waiting = [r for r in data["past"] if r["status"] == "planned"]
    if waiting:
        from relapse_cli.core.wrapping import fill

        say(fill("Not marked yet: relapse appointments attended ID (or missed ID)"))

"""``relapse meds``: the person's own medication list, doses ticked or skipped, adherence.

No dose checks, no interactions, no advice (``domain.meds.NO_ADVICE`` is shown wherever the
list is). Adherence is computed in ``care/model/meds.py`` from the schedule history and ticks.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from relapse_cli.care.model import meds as domain
from relapse_cli.cli import complete
from relapse_cli.cli.options import JsonOpt
from relapse_cli.cli.typer_build import app_context
from relapse_cli.core.errors import BadInput
from relapse_cli.core.text import say

if TYPE_CHECKING:
    import sqlite3

    from rich.console import Group

    from relapse_cli.cli.context import AppContext

DAYS = 14
NameArg = Annotated[
    str,
    typer.Argument(
        metavar="NAME",
        help="The medication, as in your list.",
        show_default=False,
        autocompletion=complete.medications,
    ),
]
AtOpt = Annotated[
    str | None,
    typer.Option("--at", metavar="WHEN", help='When: "now" (default), "08:10", "2h ago".'),
]
TimesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--times",
        "-t",
        metavar="HH:MM",
        help="Times of day it is due (repeat or commas): 08:00,20:00 or morning,bedtime. "
        "Leave out for 'as needed'.",
    ),
]
DoseOpt = Annotated[
    str | None,
    typer.Option("--dose", metavar="TEXT", help='As prescribed, in your words: "50 mg".'),
]
ScheduleOpt = Annotated[
    str | None,
    typer.Option("--schedule", metavar="TEXT", help='As prescribed: "once a day with breakfast".'),
]
PrescriberOpt = Annotated[
    str | None, typer.Option("--prescriber", metavar="WHO", help="Who prescribed it.")
]
StartOpt = Annotated[
    str | None, typer.Option("--start", metavar="YYYY-MM-DD", help="The date you started it.")
]
NoteOpt = Annotated[str | None, typer.Option("--note", "-n", metavar="TEXT", help="A note.")]


def _text(value: str | None, what: str, limit: int = 200) -> str | None:
    from relapse_cli.core.text import has_control

    if value is None:
        return None
    value = " ".join(value.split())
    if len(value) > limit:
        raise BadInput(f"{what} is too long ({len(value)} characters, at most {limit})")
    if has_control(value):
        raise BadInput(f"{what} contains control characters")
    return value or None


def _start_date(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw.strip()).isoformat()
    except ValueError:
        raise BadInput(f"not a date: {raw!r}", "use YYYY-MM-DD, e.g. --start 2026-11-01") from None


def _moment(app: AppContext, at: str | None) -> datetime:
    clock = app.clock
    if at is None:
        return clock.now()
    from relapse_cli.core.timeparse import parse_when

    return parse_when(at, clock)


def resolve(con: sqlite3.Connection, name: str, verb: str = "take") -> dict:
    """An active medication by name (any case); unknown -> BadInput naming the close match."""
    from relapse_cli.care.store import meds as store

    med = store.find_active(con, name)
    if med is not None:
        return med
    names = [m["name"] for m in store.medications(con)]
    match = domain.closest(name, names)
    from relapse_cli.core.text import for_terminal

    shown = for_terminal(name, single_line=True)
    if match:
        raise BadInput(
            f"no medication called {shown!r} in your list",
            f"did you mean {match!r}? e.g. relapse meds {verb} {match!r}",
        )
    if names:
        raise BadInput(
            f"no medication called {shown!r} in your list", "your list: " + ", ".join(names)
        )
    raise BadInput(
        f"no medication called {shown!r} in your list",
        'add it first: relapse meds add NAME --dose "..." --times 08:00',
    )


def build_overview(
    app: AppContext, days: int = DAYS, now: datetime | None = None
) -> domain.Overview:
    """Today's schedule and the last ``days`` days of adherence, per medication (plain data).

    ``now``: the moment to judge "due" at (``meds take --at``), default the clock's now."""
    from relapse_cli.care.store import meds as store
    from relapse_cli.core.timeparse import utc_text

    con = app.connect()
    now = now or app.clock.now()
    return store.overview(
        con,
        now,
        now.date() - timedelta(days=days - 1),
        now.date(),
        utc_text(now - timedelta(days=days + 1)),
    )


def overview_view(data: domain.Overview) -> Group:
    from rich.console import Group, RenderableType
    from rich.table import Table
    from rich.text import Text

    from relapse_cli.render.console import safe

    parts: list[RenderableType] = []
    today = date.fromisoformat(data["last_day"])
    lines = [f"Today, {today:%a %-d %b}:"]
    for m in data["medications"]:
        if not m["active"]:
            continue
        slots = " · ".join(_slot_text(s) for s in m["today"]) or (
            "as needed" if not m["times"] else "nothing due today"
        )
        dose = f" {safe(m['dose'])}" if m["dose"] else ""
        lines.append(f"  {safe(m['name'])}{dose}: {slots}")
    parts.append(Text.from_markup("\n".join(lines)))
    from rich import box

    # No vertical rules: the 14 day marks then fit an 80-column terminal whole.
    table = Table(
        title=f"Last {len(data['medications'][0]['marks']) if data['medications'] else DAYS} "
        "days (oldest first)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    for col, right in (
        ("medication", False),
        ("doses", True),
        ("on time", True),
        ("late", True),
        ("skipped", True),
        ("missed", True),
        ("taken", True),
        ("days", False),
    ):
        table.add_column(
            col,
            justify="right" if right else "left",
            no_wrap=col == "days",
            min_width=12 if col == "medication" else None,
        )
    for m in data["medications"]:
        c = m["counts"]
        closed = sum(c[k] for k in domain.DONE)
        pct = "–" if m["percent"] is None else f"{m['percent']} %"
        name = safe(m["name"]) + ("" if m["active"] else " (stopped)")
        table.add_row(
            name,
            str(closed),
            str(c["taken"]),
            str(c["late"]),
            str(c["skipped"]),
            str(c["missed"]),
            pct,
            m["marks"],
        )
    from relapse_cli.render.console import Fitted

    # Narrow (60 columns, a pipe): the counts go before the name, "taken" and the day marks.
    parts.append(Fitted(table, drop=("doses", "late", "skipped", "on time", "missed")))
    parts.append(Text("days: ✓ on time  ~ late  s skipped  ✗ missed  · still due today"))
    reasons = domain.skip_reasons(data)
    if reasons:
        parts.append(
            Text.from_markup(
                "Skipped, and why:\n" + "\n".join("  " + safe(r, single_line=True) for r in reasons)
            )
        )
    parts.append(Text(data["note"]))
    return Group(*parts)


def dose_events_for(app: AppContext, *, discreet: bool) -> list[dict]:
    """Calendar events for each scheduled dose (also used by ``relapse remind --meds``)."""
    from relapse_cli.care.store import meds as store

    con = app.connect()
    today = app.clock.now().date()
    return domain.dose_events(store.medications(con), today, discreet=discreet)


def _slot_text(s: dict) -> str:
    words = {
        "taken": f"taken {s['taken_at']}",
        "late": f"taken late {s['taken_at']}",
        "skipped": "skipped",
        "missed": "not ticked",
        "due": "due now",
        "upcoming": "later",
    }
    return f"{s['time']} {words[s['status']]}"


def meds_main(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Today's schedule and the last 14 days of adherence. No dose checks, no
    interactions, no advice: ask your prescriber or pharmacist."""
    if ctx.invoked_subcommand is not None:
        return
    a = app_context(ctx)
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(build_overview(a))
        return
    from relapse_cli.care.store import meds as store

    if not store.ever_listed(a.connect()):
        say(
            'No medications in your list yet. Add one: relapse meds add NAME --dose "..." '
            "--times 08:00"
        )
        say(domain.NO_ADVICE)
        return
    from relapse_cli.render.console import console

    console().print(overview_view(build_overview(a)))


def add(
    ctx: typer.Context,
    name: NameArg,
    dose: DoseOpt = None,
    schedule: ScheduleOpt = None,
    times: TimesOpt = None,
    prescriber: PrescriberOpt = None,
    start: StartOpt = None,
    note: NoteOpt = None,
) -> None:
    """Add a medication as it was prescribed (your words; nothing is checked)."""
    from relapse_cli.care.store import meds as store
    from relapse_cli.cli.inputs import resolve_note
    from relapse_cli.core.timeparse import to_storage
    from relapse_cli.log.model.entries import clean_name

    a = app_context(ctx)
    med_name = clean_name(name, "medication")
    fields = {
        "name": med_name,
        "dose": _text(dose, "--dose"),
        "schedule": _text(schedule, "--schedule"),
        "prescriber": _text(prescriber, "--prescriber"),
        "start_date": _start_date(start),
        "note": _text(resolve_note(a, note), "--note", 2000),
    }
    parsed = domain.parse_times(times)
    con = a.connect()
    if store.find_active(con, med_name) is not None:
        raise BadInput(
            f"{med_name!r} is already in your list",
            f"to change it: relapse meds change {med_name!r} --times ...",
        )
    at, offset = to_storage(a.clock.now())
    store.add_medication(con, fields, parsed, at, offset)
    when = ", ".join(parsed) if parsed else "as needed (no times)"
    say(f"Added {_plain(med_name)} to your list · due: {when}.")
    say(domain.NO_ADVICE)


def change(
    ctx: typer.Context,
    name: NameArg,
    times: TimesOpt = None,
    as_needed: Annotated[bool, typer.Option("--as-needed", help="No set times any more.")] = False,
    dose: DoseOpt = None,
    schedule: ScheduleOpt = None,
    prescriber: PrescriberOpt = None,
    note: NoteOpt = None,
) -> None:
    """Change a medication as your prescriber changed it (new times count from now)."""
    from relapse_cli.care.store import meds as store
    from relapse_cli.cli.inputs import resolve_note
    from relapse_cli.core.timeparse import to_storage

    a = app_context(ctx)
    fields = {
        "dose": _text(dose, "--dose"),
        "schedule": _text(schedule, "--schedule"),
        "prescriber": _text(prescriber, "--prescriber"),
        "note": _text(resolve_note(a, note), "--note", 2000),
    }
    if times and as_needed:
        raise BadInput("use --times or --as-needed, not both")
    parsed = [] if as_needed else (domain.parse_times(times) if times else None)
    if parsed is None and not any(fields.values()):
        raise BadInput("nothing to change", "e.g. relapse meds change NAME --times 08:00")
    con = a.connect()
    med = resolve(con, name, "change")
    at, offset = to_storage(a.clock.now())
    store.change(con, med["id"], fields, parsed, at, offset)
    extra = "" if parsed is None else " · due: " + (", ".join(parsed) or "as needed")
    say(f"Changed {_plain(med['name'])}{extra}.")


def remove(ctx: typer.Context, name: NameArg) -> None:
    """Take a medication off your list (its history stays for adherence and reports)."""
    from relapse_cli.care.store import meds as store
    from relapse_cli.core.timeparse import to_storage

    a = app_context(ctx)
    con = a.connect()
    med = resolve(con, name, "remove")
    at, offset = to_storage(a.clock.now())
    store.record(con, [med["id"]], "stopped", at, offset)
    say(f"Removed {_plain(med['name'])} from your list (its history is kept).")


def list_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Your medication list as prescribed."""
    from relapse_cli.care.store import meds as store

    items = store.medications(app_context(ctx).connect())
    shown = [
        {
            k: m[k]
            for k in (
                "uuid",
                "name",
                "dose",
                "schedule",
                "times",
                "prescriber",
                "start_date",
                "note",
            )
        }
        for m in items
    ]
    if as_json:
        from relapse_cli.render.console import print_json

        print_json({"medications": shown, "note": domain.NO_ADVICE})
        return
    if not shown:
        say('No medications in your list yet. Add one: relapse meds add NAME --dose "..."')
        say(domain.NO_ADVICE)
        return
    from rich.table import Table

    from relapse_cli.render.console import console, safe

    table = Table(title="Your medications (as prescribed)", title_justify="left")
    for col in ("name", "dose", "schedule", "times", "prescriber", "since"):
        table.add_column(col)
    for m in shown:
        table.add_row(
            safe(m["name"]),
            safe(m["dose"] or ""),
            safe(m["schedule"] or ""),
            ", ".join(m["times"]) or "as needed",
            safe(m["prescriber"] or ""),
            m["start_date"] or "",
        )
    from relapse_cli.core.wrapping import fill
    from relapse_cli.render.console import Fitted

    console().print(Fitted(table, drop=("since", "prescriber", "schedule", "times")))
    say(fill(domain.NO_ADVICE))  # at the table's width, not one line past the terminal


def remind(
    ctx: typer.Context,
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Where to write the calendar file ('-' prints it).",
        ),
    ] = None,
    discreet: Annotated[
        bool,
        typer.Option(
            "--discreet", help="Say only 'Reminder': nothing names a medication or this tool."
        ),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Daily calendar reminders (.ics, any calendar app) for each scheduled dose."""
    import sys
    from datetime import timezone

    from relapse_cli.share.formats.ics import calendar

    a = app_context(ctx)
    if output is None:
        raise BadInput("say where to write the calendar file", "add -o meds.ics")
    events = dose_events_for(a, discreet=discreet)
    if not events:
        raise BadInput(
            "no medication in your list has set times",
            "add times: relapse meds change NAME --times 08:00",
        )
    now_utc = a.clock.now().astimezone(timezone.utc).replace(microsecond=0)
    data = calendar(events, now_utc=now_utc, name="Medication reminders", discreet=discreet)
    if output == "-":
        sys.stdout.write(data.decode("utf-8"))
        return
    from relapse_cli.core.files import write_private

    write_private(output, data.decode("utf-8"), force=force)
    say(
        f"Wrote {len(events)} daily reminders to {output} (private: only you can read "
        "it). Open it with your calendar app to import."
    )


def take(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="[NAME]",
            help="The medication; leave out to tick every dose due now.",
            show_default=False,
            autocompletion=complete.medications,
        ),
    ] = None,
    at: AtOpt = None,
) -> None:
    """Tick a dose as taken (NAME), or every dose due now (no NAME)."""
    _tick(app_context(ctx), name, at, "taken", None)


def skip(
    ctx: typer.Context,
    name: NameArg,
    reason: Annotated[
        str | None,
        typer.Option("--reason", "-r", metavar="TEXT", help="Why (for you and your care team)."),
    ] = None,
    at: AtOpt = None,
) -> None:
    """Mark a dose as skipped, with the reason if you like."""
    _tick(app_context(ctx), name, at, "skipped", _text(reason, "--reason", 500))


def register(app: typer.Typer) -> None:
    from relapse_cli.cli.typer_build import make_typer

    meds_app = make_typer(help="Your medication list, as prescribed; tick doses; see adherence.")
    app.add_typer(meds_app, name="meds")
    meds_app.callback(invoke_without_command=True)(meds_main)
    meds_app.command("add")(add)
    meds_app.command("change")(change)
    meds_app.command("remove")(remove)
    meds_app.command("list")(list_cmd)
    meds_app.command("remind")(remind)
    meds_app.command("take")(take)
    meds_app.command("skip")(skip)


def _plain(text: str) -> str:
    from relapse_cli.core.text import for_terminal

    return for_terminal(text, single_line=True)


def _tick(app: AppContext, name: str | None, at: str | None, kind: str, reason: str | None) -> None:
    from relapse_cli.care.store import meds as store
    from relapse_cli.core.timeparse import to_storage

    con = app.connect()
    when = _moment(app, at)
    if name is not None:
        chosen = [resolve(con, name, "skip" if kind == "skipped" else "take")]
    else:
        data = build_overview(app, days=1, now=when)  # due at the --at moment, not now
        due = [
            m
            for m in data["medications"]
            if m["active"] and any(s["status"] == "due" for s in m["today"])
        ]
        if not due:
            from relapse_cli.core.timeparse import when_text

            moment = "right now" if at is None else f"at {when_text(when, app.clock.now())}"
            say(f"Nothing is due {moment}. To tick a dose anyway: relapse meds take NAME")
            return
        by_name = {m["name"]: m for m in store.medications(con)}
        chosen = [by_name[m["name"]] for m in due if m["name"] in by_name]
    stamp, offset = to_storage(when)
    store.record(con, [m["id"] for m in chosen], kind, stamp, offset, reason)
    verb = "Ticked as taken" if kind == "taken" else "Marked as skipped"
    names = ", ".join(_plain(m["name"]) for m in chosen)
    from relapse_cli.core.timeparse import when_text

    say(f"{verb}: {names} · {when_text(when, app.clock.now())}")
    for med in chosen:
        slot = _slot_of(con, med, when)
        if slot is None:
            say(f"  {_plain(med['name'])}: no dose was due that day (kept as an extra tick).")
        elif slot["status"] == "late":
            say(f"  {_plain(med['name'])}: counts for the {slot['time']} dose, taken late.")


def _slot_of(con: sqlite3.Connection, med: dict, when: datetime) -> dict | None:
    """The dose slot a tick at ``when`` counts for (same rules as adherence)."""
    from relapse_cli.care.store import meds as store
    from relapse_cli.core.timeparse import utc_text

    local = when.replace(tzinfo=None)
    h = store.history(con, med["id"], utc_text(when - timedelta(days=2)))
    day = domain.adherence(
        h["schedules"], h["events"], local.date(), local.date(), local, h["added"]
    )["days"][0]
    stamp = f"{local:%H:%M}"
    return next((s for s in day["slots"] if s["taken_at"] == stamp), None)

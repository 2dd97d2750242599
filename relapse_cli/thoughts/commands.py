"""``relapse think`` (a CBT thought record), ``relapse thoughts`` (review) and ``relapse traps``.

``think`` is a Typer group whose callback runs the record, so other modules can add
subcommands (``relapse think balance``). Every step is also a flag (or a ``--from`` file) for
scripts; on a terminal, missing steps are asked one at a time (thoughts/flow.py).

The offer of a thought record after a strong craving or a use (``relapse log``, on a
terminal) lives in thoughts/flow.py, which imports no Typer: this module does.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from relapse_cli.cli.options import JsonOpt, SinceOpt, UntilOpt, YesOpt
from relapse_cli.cli.typer_build import app_context, make_typer
from relapse_cli.core.errors import BadInput, NeedsTerminal, NotFound
from relapse_cli.core.text import say
from relapse_cli.thoughts import model as domain

if TYPE_CHECKING:
    import sqlite3

    from typer._click.core import Context as ClickContext  # Typer 0.28 vendors Click

    from relapse_cli.cli.context import AppContext

LATEST = "\x00latest"  # what a bare --resume stands for


def think(
    app: AppContext,
    flags: dict[str, object],
    source: str | None,
    craving: str | None,
    resume: str | None,
    at: str | None = None,
) -> int:
    """The record from flags, a file, a draft and/or questions; everything checked first.

    ``at``: when it happened, if not now (a record written down about Sunday evening)."""
    from relapse_cli.thoughts import flow as think_flow
    from relapse_cli.thoughts import store

    when = None
    if at is not None:  # a bad --at is refused before any question
        from relapse_cli.core.timeparse import parse_when, to_storage

        when = to_storage(parse_when(at, app.clock))
    given = domain.fields_from(flags)
    if source is not None:
        given = domain.parse_file(_read_source(source), source) | given
    con = app.connect()
    linked = None
    if craving is not None:
        from relapse_cli.log.store.entries import find_entry

        linked = find_entry(con, craving)
    if resume is not None:
        base = (
            store.latest_draft(con) if resume == LATEST else store.find(con, resume, status="draft")
        )
        if base is None:
            raise NotFound("no draft to resume", "start a new record with: relapse think")
        if linked is None and base.get("entry_uuid"):
            linked = _entry_or_none(con, base["entry_uuid"])
    else:
        base = think_flow.new_record(app)
    record = domain.merge(base, given)
    if when is not None:
        record["occurred_at"], record["utc_offset_min"] = when
    domain.settle_hot(record)
    if linked is not None:
        record["entry_uuid"] = linked["uuid"]
    if given and domain.is_complete(record):
        store.save(con, record, status="complete")
        _saved_line(record)
        if app.interactive:
            from relapse_cli.render.console import console
            from relapse_cli.thoughts.view import record_panel

            console().print(record_panel(record, linked))
        return 0
    if not app.interactive:
        missing = domain.missing(record)
        if given or resume is not None or source is not None:  # an empty file: what it lacks
            raise NeedsTerminal(
                f"a thought record still needs {_and(missing)}; nothing saved",
                "give them as flags, or run relapse think on a terminal",
            )
        raise NeedsTerminal(
            "relapse think asks its questions on a terminal; without one, give "
            "the record as flags or --from FILE",
            "e.g. relapse think --situation ... --mood anxious=80 --thought ... "
            "--for ... --against ... --balanced ... --belief 60 "
            "--mood-after anxious=40",
        )
    return think_flow.run(app, record, resumed=resume is not None, linked=linked)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _entry_or_none(con: sqlite3.Connection, uuid: str) -> dict | None:
    from relapse_cli.log.store.entries import find_entry

    try:
        return find_entry(con, uuid)
    except NotFound:
        return None


def _read_source(source: str) -> str:
    limit = 256 * 1024  # a thought record is a page at most; /dev/zero is refused
    if source == "-":
        try:
            text = sys.stdin.read(limit + 1)
        except UnicodeDecodeError:
            raise BadInput("stdin is not UTF-8 text (a TOML or JSON record)") from None
    else:
        try:
            with open(source, encoding="utf-8") as fh:
                text = fh.read(limit + 1)
        except FileNotFoundError:
            raise BadInput(f"no such file: {source}") from None
        except UnicodeDecodeError:
            raise BadInput(f"{source} is not UTF-8 text (a TOML or JSON file)") from None
        except OSError as exc:
            raise BadInput(f"cannot read {source}: {exc.strerror}") from None
    if len(text) > limit:
        raise BadInput(
            f"{source} is larger than {limit // 1024} KB; a thought record is a page",
            "check you chose the right file",
        )
    return text


def _saved_line(record: dict) -> None:
    from relapse_cli.core.text import for_terminal
    from relapse_cli.thoughts.view import mood_summary

    change = mood_summary(record)
    text = f"Saved thought record {record['uuid'][:8]}" + (f" · {change}" if change else "")
    say(for_terminal(text, single_line=True))


# ------------------------------------------------------------------------ commands


class ThinkGroup(TyperGroup):
    """A Typer group that lets ``--resume`` stand alone (latest draft) or take an ID."""

    def parse_args(self, ctx: ClickContext, args: list[str]) -> list[str]:
        out = []
        for i, arg in enumerate(args):
            if arg == "--":
                out.extend(args[i:])
                break
            nxt = args[i + 1] if i + 1 < len(args) else None
            if arg == "--resume" and (nxt is None or nxt.startswith("-") or nxt in self.commands):
                out.append(f"--resume={LATEST}")
            else:
                out.append(arg)
        return super().parse_args(ctx, out)


Many = list[str] | None
IdArg = Annotated[
    str,
    typer.Argument(help="Record id (the first 4+ characters).", metavar="ID", show_default=False),
]


def think_cmd(
    ctx: typer.Context,
    situation: Annotated[
        str | None,
        typer.Option(
            "--situation", help="1. What was happening: who, what, when, where.", metavar="TEXT"
        ),
    ] = None,
    mood: Annotated[
        Many,
        typer.Option(
            "--mood",
            help='2. A feeling and how strong, 0-100: --mood "anxious=80" (repeat).',
            metavar="NAME=0-100",
        ),
    ] = None,
    thought: Annotated[
        Many, typer.Option("--thought", help="3. An automatic thought (repeat).", metavar="TEXT")
    ] = None,
    hot: Annotated[
        str | None,
        typer.Option(
            "--hot", help="Which thought is the hot one (1 = the first --thought).", metavar="N"
        ),
    ] = None,
    trap: Annotated[
        Many,
        typer.Option(
            "--trap",
            help="A thinking trap by name or number (repeat; see relapse traps).",
            metavar="TRAP",
        ),
    ] = None,
    evidence_for: Annotated[
        Many,
        typer.Option("--for", help="4. Evidence for the hot thought (repeat).", metavar="TEXT"),
    ] = None,
    against: Annotated[
        Many, typer.Option("--against", help="5. Evidence against it (repeat).", metavar="TEXT")
    ] = None,
    balanced: Annotated[
        str | None, typer.Option("--balanced", help="6. A balanced thought.", metavar="TEXT")
    ] = None,
    belief: Annotated[
        str | None,
        typer.Option(
            "--belief", help="How much you believe the balanced thought, 0-100.", metavar="0-100"
        ),
    ] = None,
    mood_after: Annotated[
        Many,
        typer.Option(
            "--mood-after",
            help='7. A mood re-rated now: --mood-after "anxious=40" (repeat).',
            metavar="NAME=0-100",
        ),
    ] = None,
    next_step: Annotated[
        str | None, typer.Option("--next", help="One small next step (optional).", metavar="TEXT")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="The record as a TOML or JSON file with the same fields ('-': stdin).",
            metavar="FILE",
        ),
    ] = None,
    craving: Annotated[
        str | None,
        typer.Option(
            "--craving",
            help="Link the record to the craving (or use) that prompted it.",
            metavar="ID",
        ),
    ] = None,
    resume: Annotated[
        str | None,
        typer.Option(
            "--resume",
            help="Continue a draft where it stopped: the latest, or the one with this id.",
            metavar="[ID]",
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help='When it happened, if not now: "sunday 20:00", "yesterday 18:30".',
            metavar="WHEN",
        ),
    ] = None,
) -> int:
    """Write a thought record, on a terminal one step at a time (or all as flags)."""
    if ctx.invoked_subcommand is not None:
        return 0
    flags: dict[str, object] = {
        "situation": situation,
        "moods": mood,
        "thoughts": thought,
        "hot_index": hot,
        "traps": trap,
        "evidence_for": evidence_for,
        "evidence_against": against,
        "balanced_thought": balanced,
        "belief": belief,
        "moods_after": mood_after,
        "next_step": next_step,
    }
    return think(app_context(ctx), flags, source, craving, resume, at)


def thoughts_list(
    ctx: typer.Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-l", help="At most this many.", min=1)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Your thought records, newest first: situation, hot thought, mood change, traps."""
    if ctx.invoked_subcommand is not None:
        return
    from relapse_cli.cli.inputs import window
    from relapse_cli.thoughts import store

    app = app_context(ctx)
    lo, hi = window(app, since, until)
    con = app.connect()
    rows = store.list_records(con, since=lo, until=hi, limit=limit)
    if as_json:
        from relapse_cli.render.console import print_json
        from relapse_cli.thoughts.view import for_json

        print_json([for_json(r) for r in rows])
        return
    from relapse_cli.render.console import console
    from relapse_cli.thoughts.view import records_table

    out = console()
    if rows:
        out.print(records_table(rows))
    else:
        out.print("No thought records yet for that view. Write one with: relapse think")
    drafts = store.count_drafts(con)
    if drafts:
        out.print(f"{drafts} draft{'s' * (drafts != 1)} waiting: relapse thoughts drafts")


def thoughts_show(ctx: typer.Context, record_id: IdArg, as_json: JsonOpt = False) -> None:
    """One record in the seven columns (drafts too)."""
    from relapse_cli.thoughts import store

    con = app_context(ctx).connect()
    record = store.find(con, record_id)
    if as_json:
        from relapse_cli.render.console import print_json
        from relapse_cli.thoughts.view import for_json

        print_json(for_json(record))
        return
    from relapse_cli.render.console import console
    from relapse_cli.thoughts.view import record_panel

    linked = _entry_or_none(con, record["entry_uuid"]) if record.get("entry_uuid") else None
    console().print(record_panel(record, linked))


def thoughts_traps(
    ctx: typer.Context, since: SinceOpt = None, until: UntilOpt = None, as_json: JsonOpt = False
) -> None:
    """How often each thinking trap appears in your records, and the mean mood change of
    the records that name it."""
    from relapse_cli.cli.inputs import window
    from relapse_cli.thoughts import store

    app = app_context(ctx)
    lo, hi = window(app, since, until)
    rows = domain.trap_stats(store.list_records(app.connect(), since=lo, until=hi))
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(rows)
        return
    from relapse_cli.render.console import console
    from relapse_cli.thoughts.view import trap_stats_table

    if not rows:
        console().print("No thinking traps named yet. The list: relapse traps")
        return
    console().print(trap_stats_table(rows))
    console().print(
        "Mood change: the mean change of the moods re-rated at the end "
        "(0-100), over the records naming that trap."
    )


def thoughts_drafts(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Records not finished yet, and where each one continues."""
    from relapse_cli.thoughts import store

    rows = store.list_records(app_context(ctx).connect(), status="draft")
    if as_json:
        from relapse_cli.render.console import print_json
        from relapse_cli.thoughts.view import for_json

        items = []
        for r in rows:
            nxt = domain.first_empty_step(r)
            items.append(for_json(r) | {"continues_at": nxt.key if nxt else None})
        print_json(items)
        return
    from relapse_cli.render.console import console
    from relapse_cli.thoughts.view import drafts_table

    if not rows:
        console().print("No drafts.")
        return
    console().print(drafts_table(rows))
    console().print("Continue one with: relapse think --resume ID")


def thoughts_discard(ctx: typer.Context, record_id: IdArg, yes: YesOpt = False) -> int:
    """Throw a draft (or a finished record) away for good: no undo, no trace in the file."""
    from relapse_cli.thoughts import store

    app = app_context(ctx)
    con = app.connect()
    record = store.find(con, record_id)
    what = "draft" if record["status"] == "draft" else "thought record"
    if not yes:
        if not app.interactive:
            raise BadInput(
                "discard asks for confirmation", "add --yes to confirm without a terminal"
            )
        answer = app.prompter.ask(
            f"Throw away the {what} {record['uuid'][:8]} for good?", hint="y/N"
        )
        if answer.strip().lower() not in ("y", "yes"):
            say("Kept.")
            return 0
    store.discard(con, record["uuid"])
    say(f"Discarded the {what} {record['uuid'][:8]}.")
    return 0


def traps_cmd(as_json: JsonOpt = False) -> None:
    """The thinking traps: what each one is, with an example (Burns; Beck et al.)."""
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(
            [
                {
                    "number": t.number,
                    "key": t.key,
                    "name": t.name,
                    "description": t.description,
                    "example": t.example,
                    "source": t.source,
                    "group": t.group,
                }
                for t in domain.traps()
            ]
        )
        return
    from relapse_cli.render.console import console
    from relapse_cli.thoughts.view import traps_reference

    console().print(traps_reference())


def register(app: typer.Typer) -> None:
    think_app = make_typer(
        cls=ThinkGroup,
        help="Write a CBT thought record: catch the thought behind a feeling or an urge and "
        "look at it fairly (seven columns, one step at a time). Ctrl-C keeps a draft.",
    )
    think_app.callback(invoke_without_command=True)(think_cmd)

    # subcommands from other modules register here
    from relapse_cli.care.commands import balance  # relapse think balance (issue 11)

    balance.register(think_app)

    app.add_typer(think_app, name="think")

    thoughts_app = make_typer(help="Your thought records: list, show one, traps, drafts.")
    thoughts_app.callback(invoke_without_command=True)(thoughts_list)
    thoughts_app.command("show")(thoughts_show)
    thoughts_app.command("traps")(thoughts_traps)
    thoughts_app.command("drafts")(thoughts_drafts)
    thoughts_app.command("discard")(thoughts_discard)
    app.add_typer(thoughts_app, name="thoughts")

    app.command("traps")(traps_cmd)

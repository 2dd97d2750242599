"""Looking back and correcting: history, show, edit, delete, undo, purge."""

from __future__ import annotations

import inspect
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from relapse_cli.cli.inputs import window
from relapse_cli.cli.options import JsonOpt, SinceOpt, UntilOpt, YesOpt
from relapse_cli.cli.spec import CommandSpec, Param
from relapse_cli.cli.typer_build import app_context, from_spec
from relapse_cli.core.errors import BadInput, NotFound
from relapse_cli.core.text import say
from relapse_cli.log.commands.log import given_names
from relapse_cli.log.commands.spec import LOG_COMMANDS
from relapse_cli.log.model import entries as domain

if TYPE_CHECKING:
    import sqlite3

    from relapse_cli.cli.context import AppContext

IdArg = Annotated[
    str,
    typer.Argument(
        help="Entry id (the first characters are enough).", metavar="ID", show_default=False
    ),
]

# `edit` takes every option the log commands take (one definition), not their positionals.
# Withdrawal checks live in their own table (care/commands/withdrawal.py), not in `entries`.
_EDIT_PARAMS: dict[str, Param] = {}
for _spec in (s for k, s in LOG_COMMANDS.items() if k != "withdrawal"):
    for _p in _spec.params:
        if not _p.positional and _p.name not in _EDIT_PARAMS:
            _EDIT_PARAMS[_p.name] = _p
EDIT = CommandSpec(
    "edit",
    "Correct an entry: relapse edit ID --intensity 6 --note 'typo fixed'. Lists given "
    "(--trigger, --coped) replace the old ones. Undo with: relapse undo.",
    tuple(_EDIT_PARAMS.values()),
)


def history(
    ctx: typer.Context,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            "-k",
            help="Only this kind: craving, mood, trigger, use (repeatable).",
            metavar="KIND",
        ),
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    trigger: Annotated[
        str | None,
        typer.Option("--trigger", "-t", help="Only entries with this trigger.", metavar="NAME"),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-l", help="At most this many.", min=1, max=1_000_000)
    ] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Your entries, newest first."""
    app = app_context(ctx)
    kinds = _kinds(kind)
    lo, hi = window(app, since, until)
    from relapse_cli.log.store.entries import count_entries, list_entries

    con = app.connect()
    rows = list_entries(con, kinds=kinds, since=lo, until=hi, trigger=trigger, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    _say_breaking(con)
    if as_json:
        from relapse_cli.log.view.entries import for_json
        from relapse_cli.render.console import print_json

        print_json([for_json(r) for r in rows])
        return
    from relapse_cli.log.view.entries import history_table
    from relapse_cli.render.console import console

    out = console()
    if not rows:
        out.print("No entries yet for that view. Log one with: relapse log craving 5")
        return
    out.print(history_table(rows))
    if more:
        total = count_entries(con, kinds=kinds, since=lo, until=hi, trigger=trigger)
        out.print(
            f"Showing the newest {limit} of {total} entries. For all of them: "
            f"relapse history --limit {total} (or narrow with --since, --kind)",
            highlight=False,
            markup=False,
        )


def show(ctx: typer.Context, entry_id: IdArg, as_json: JsonOpt = False) -> None:
    """One entry in full."""
    from relapse_cli.core.errors import NotFound
    from relapse_cli.log.store.entries import find_entry

    con = app_context(ctx).connect(create=False)
    try:
        entry = find_entry(con, entry_id)
    except NotFound as missing:
        show_other_record(con, entry_id, as_json, missing)
        return
    from relapse_cli.log.store.entries import breaks_rules

    if breaks_rules(con, entry["uuid"]):
        sys.stderr.write(
            f"relapse: entry {entry['uuid'][:8]} holds a value that breaks the "
            "journal's rules (relapse doctor names it)\n"
        )
    if as_json:
        from relapse_cli.log.view.entries import for_json
        from relapse_cli.render.console import print_json

        print_json(for_json(entry))
        return
    from relapse_cli.log.view.entries import entry_panel
    from relapse_cli.render.console import console

    console().print(entry_panel(entry))


def edit_handler(ctx: typer.Context, values: dict[str, object]) -> None:
    """``relapse edit ID --FIELD VALUE ...``: the options are the log commands' (EDIT)."""
    entry_id = str(values.pop("entry_id"))
    app = app_context(ctx)
    from relapse_cli.log.store.entries import find_entry, update_entry

    con = app.connect(create=False)
    entry = find_entry(con, entry_id)
    changes, triggers, coping = edit_changes(app, entry, values)
    update_entry(con, entry["uuid"], changes, triggers, coping)
    from relapse_cli.log.view.entries import field_word

    changed = sorted({field_word(k) for k in changes})  # "intensity after", not a column
    changed += ["triggers"] * (triggers is not None) + ["coping"] * (coping is not None)
    say(f"Updated {entry['uuid'][:8]}: {', '.join(changed)}. Undo with: relapse undo")


def delete(ctx: typer.Context, entry_id: IdArg) -> None:
    """Hide an entry or a check-in (it can be brought back: relapse undo)."""
    from relapse_cli.core.errors import NotFound
    from relapse_cli.core.text import for_terminal
    from relapse_cli.log.store.entries import find_entry, hide_entry
    from relapse_cli.log.view.entries import detail, kind_word, local_time

    app = app_context(ctx)
    con = app.connect(create=False)
    try:
        entry = find_entry(con, entry_id)
    except NotFound as missing:
        delete_other_record(app, con, entry_id, missing)
        return
    hide_entry(con, entry["uuid"])
    what = detail(entry)
    say(
        for_terminal(
            f"Hidden the {kind_word(entry['kind'])} entry of {local_time(entry)}"
            f"{f' ({what})' if what else ''}, id {entry['uuid'][:8]}. Bring it "
            "back with: relapse undo"
        )
    )


def undo(ctx: typer.Context) -> None:
    """Undo the last delete or edit."""
    from relapse_cli.log.store.entries import undo_last

    done = undo_last(app_context(ctx).connect(create=False))
    if done is None:
        say("Nothing to undo.")
        return
    action, uuid = done
    verb = "Restored" if action == "delete" else "Reverted the edit of"
    say(f"{verb} entry {uuid[:8]}.")


def purge(
    ctx: typer.Context,
    entry_ids: Annotated[
        list[str] | None,
        typer.Argument(help="Entry ids to remove for good.", metavar="[ID]...", show_default=False),
    ] = None,
    purge_all: Annotated[bool, typer.Option("--all", help="Remove every entry.")] = False,
    yes: YesOpt = False,
) -> int:
    """Remove entries for good: no undo, and no trace left in the file."""
    app = app_context(ctx)
    if bool(entry_ids) == purge_all:
        raise BadInput("name entry ids or --all (not both)", "e.g. relapse purge 3f2a1c9e")
    from relapse_cli.log.store.entries import find_entry
    from relapse_cli.log.store.entries import purge as purge_rows

    con = app.connect(create=False)
    uuids = None
    if entry_ids:
        uuids = [find_entry(con, i, include_hidden=True)["uuid"] for i in entry_ids]
    from relapse_cli.storage.maintenance import known_copies, purge_copies

    copies = known_copies(app.journal_path)
    what = (
        "EVERY record in the journal"
        if purge_all
        else f"{len(uuids or [])} entr{'y' if len(uuids or []) == 1 else 'ies'}"
    )
    if copies:
        what += (
            f", and {'delete' if purge_all else 'remove them from'} the {len(copies)} "
            "cop" + ("y" if len(copies) == 1 else "ies") + " relapse keeps (backups/, "
            "before-restore and pre-migration copies)"
        )
    if not yes:
        if not app.interactive:
            raise BadInput("purge asks for confirmation", "add --yes to confirm without a terminal")
        answer = app.prompter.ask(f"Remove {what} for good? This cannot be undone. Type yes")
        if answer.strip().lower() not in ("yes", "y"):
            say("Nothing removed.")
            return 0
    count = purge_rows(con, uuids)
    if purge_all:  # the plain copy of the plan for `relapse sos` goes too
        from relapse_cli.plan.store.mirror import remove_mirror

        remove_mirror(app.journal_path)
    changed = purge_copies(con, app.journal_path, uuids)
    say(
        f"Removed {count} entr{'y' if count == 1 else 'ies'}"
        f"{' and every other record' if purge_all else ''} for good."
    )
    if changed:
        from relapse_cli.core.text import for_terminal

        verb = "Deleted" if purge_all else "Also removed from"
        say(
            f"{verb} {len(changed)} cop{'y' if len(changed) == 1 else 'ies'} relapse kept: "
            + for_terminal(", ".join(changed))
        )
        say("Copies you made elsewhere (relapse backup -o FILE, exports) are not changed.")
    return 0


# `edit`'s ID: a real annotation object, as Typer reads it (from_spec builds the signature).
_ID_PARAM = inspect.Parameter("entry_id", inspect.Parameter.KEYWORD_ONLY, annotation=IdArg)


def register(app: typer.Typer) -> None:
    app.command("history")(history)
    app.command("show")(show)
    app.command("edit", help=EDIT.help)(from_spec(EDIT, edit_handler, extra=(_ID_PARAM,)))
    app.command("delete")(delete)
    app.command("undo")(undo)
    app.command("purge")(purge)


def _other_record(con: sqlite3.Connection, prefix: str) -> tuple[str, dict] | None:
    """A check-in, screener result or thought record with this id (``show`` and ``delete``
    take any id a person sees), or None."""
    from relapse_cli.checkins import store as checkins
    from relapse_cli.thoughts import store as thoughts

    try:
        return checkins.find_record(con, prefix, hidden=False)
    except NotFound:
        pass
    try:
        return "thought_records", thoughts.find(con, prefix)
    except NotFound:
        return None


def _other_or_raise(con: sqlite3.Connection, prefix: str, missing: NotFound) -> tuple[str, dict]:
    """The check-in, screener or thought record an id names, when no log entry has it."""
    if not missing.message.startswith("no entry with id"):
        raise missing  # an id matching two entries stays that error
    found = _other_record(con, prefix)
    if found is None:
        raise _not_found(prefix) from missing
    return found


def show_other_record(
    con: sqlite3.Connection, prefix: str, as_json: bool, missing: NotFound
) -> None:
    table, row = _other_or_raise(con, prefix, missing)
    if table == "thought_records":
        from relapse_cli.render.console import console, print_json
        from relapse_cli.thoughts.view import for_json, record_panel

        if as_json:
            print_json(for_json(row))
        else:
            console().print(record_panel(row, None))
        return
    from relapse_cli.render.console import print_json

    if as_json:
        print_json({k: v for k, v in row.items() if k != "id"})
        return
    from relapse_cli.checkins.commands import describe_checkin
    from relapse_cli.core.text import for_terminal
    from relapse_cli.core.timeparse import from_storage

    if table == "checkins":
        when = from_storage(row["occurred_at"], row["utc_offset_min"])
        parts = describe_checkin(row) or ["every question skipped"]
        text = f"Check-in of {when:%a %-d %b %Y %H:%M}: {', '.join(parts)}"
        if row.get("note"):
            text += f"\nNote: {row['note']}"
    else:
        from relapse_cli.checkins.screeners import load

        inst = load(row["instrument"])
        when = from_storage(row["taken_at"], row["utc_offset_min"])
        text = (
            f"{inst.name} of {when:%a %-d %b %Y %H:%M}: {row['total']} of {inst.max_total}, "
            f"{row['band']}"
        )
    say(for_terminal(f"{text}\nId {row['uuid']}"))


def delete_other_record(
    app: AppContext, con: sqlite3.Connection, prefix: str, missing: NotFound
) -> None:
    table, row = _other_or_raise(con, prefix, missing)
    if table == "thought_records":
        raise BadInput(
            f"{prefix} is a thought record: it is kept or thrown away for good",
            f"to throw it away: relapse thoughts discard {row['uuid'][:8]}",
        )
    from relapse_cli.checkins.commands import hide_or_restore

    hide_or_restore(app, row["uuid"], hide=True)


def _not_found(prefix: str) -> NotFound:
    return NotFound(
        f"no entry, check-in or thought record with id {prefix}",
        "see ids with: relapse history, relapse checkin history, relapse thoughts",
    )


def _kinds(kind: list[str] | None) -> list[str] | None:
    if not kind:
        return None
    kinds = []
    for k in kind:
        for part in k.split(","):
            word = part.strip().lower()
            word = {
                "lapse": "use",
                "lapses": "use",
                "cravings": "craving",
                "moods": "mood",
                "triggers": "trigger",
                "uses": "use",
            }.get(word, word)
            if word not in domain.KINDS:
                raise BadInput(f"unknown kind {part!r}", "use craving, mood, trigger or use")
            kinds.append(word)
    return kinds


def edit_changes(
    app: AppContext, entry: dict, values: dict[str, object]
) -> tuple[dict[str, object], list[str] | None, list[str] | None]:
    """Validate an edit against the entry's kind; returns column changes and new link lists."""
    kind = entry["kind"]
    if kind not in domain.FIELDS:  # written by another tool against the journal's rules
        from relapse_cli.core.text import for_terminal

        raise BadInput(
            f"entry {entry['uuid'][:8]} is of a kind relapse-cli does not know "
            f"({for_terminal(repr(kind))})",
            "relapse doctor names it; correct it "
            "with sqlite-utils or Datasette, or hide it: relapse delete ID",
        )
    given = {k: v for k, v in values.items() if v is not None and v != []}
    if not given:
        raise BadInput("nothing to change", "e.g. relapse edit ID --intensity 6")
    triggers = (
        domain.split_names(given_names(given.pop("triggers")), "trigger")
        if "triggers" in given
        else None
    )
    coping = (
        domain.split_names(given_names(given.pop("coping")), "coping strategy")
        if "coping" in given
        else None
    )
    if coping is not None and kind != "craving":
        raise BadInput(f"{kind} entries have no coping strategies")
    if triggers is not None and kind == "mood":
        raise BadInput("mood entries have no triggers")
    changes: dict[str, object] = {}
    if "at" in given:
        from relapse_cli.cli.inputs import when_from
        from relapse_cli.core.timeparse import to_storage

        when = when_from(app, given.pop("at"))
        changes["occurred_at"], changes["utc_offset_min"] = to_storage(when)
    if "note" in given:
        from relapse_cli.cli.inputs import resolve_note

        given["note"] = resolve_note(app, given["note"])
    wrong = [k for k in given if k not in domain.FIELDS[kind]]
    if wrong:
        flag = wrong[0].replace("_", "-")
        raise BadInput(
            f"{kind} entries have no {flag.replace('-', ' ')}",
            f"fields of a {kind}: {', '.join(domain.FIELDS[kind])}",
        )
    merged = {k: entry.get(k) for k in domain.FIELDS[kind]} | given
    row = domain.build_entry(kind, merged)
    changes |= {k: row[k] for k in given}
    return changes, triggers, coping


def _say_breaking(con: sqlite3.Connection) -> None:
    """One line on stderr for entries left out because they break a value rule."""
    from relapse_cli.storage.checks import breaking_line, count_breaking

    line = breaking_line(count_breaking(con, "entries"), "entry", "entries", "not shown")
    if line:
        sys.stderr.write(line + "\n")

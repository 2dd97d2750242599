"""``relapse checkin``: the daily check-in, the screeners (phq9, gad7, pacs) and their history.

The group's callback runs the daily check-in (so ``relapse checkin`` alone asks the daily
questions); ``relapse checkin phq9|gad7|pacs|history`` are its subcommands.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, TypedDict, TypeVar

import typer

from relapse_cli.cli.inputs import when_from
from relapse_cli.cli.options import JsonOpt, SinceOpt, UntilOpt
from relapse_cli.cli.typer_build import app_context, make_typer
from relapse_cli.core.errors import BadInput
from relapse_cli.core.text import say

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from relapse_cli.checkins.screeners import Instrument, Item, Score
    from relapse_cli.cli.context import AppContext
    from relapse_cli.core.prompter import Prompter

T = TypeVar("T")


class DailyFlags(TypedDict):
    """The daily check-in's options as given (None: not given), before any check."""

    mood: float | None
    anxiety: float | None
    sleep_hours: float | None
    sleep_quality: float | None
    halt: str | None
    medication: str | None
    support: str | None
    note: str | None


EXIT_INTERRUPTED = 130
DAILY_EXAMPLE = "relapse checkin --mood 6 --anxiety 3 --sleep-hours 7 --halt none --medication yes"
# One worked --answers example per screener (its scored items), for help and error hints.
ANSWERS_EXAMPLE = {"phq9": "1,0,2,1,0,3,0,1,0", "gad7": "1,0,2,1,0,3,0", "pacs": "2,3,1,4,2"}

SubstanceOpt = Annotated[
    str | None,
    typer.Option(
        "--substance",
        "-s",
        metavar="NAME",
        help="PACS only: the substance the questions are about (default: the first "
        "of your `substances` setting, else alcohol).",
    ),
]
ScreenerAtOpt = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="WHEN",
        help="When it was filled in, if not now (e.g. a paper questionnaire): "
        '"sunday 20:00", "2026-11-22 10:00".',
    ),
]


IdArg = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        show_default=False,
        help="The id from: relapse checkin history (4+ characters).",
    ),
]


def _answers_opt(example: str) -> object:  # a type (Annotated) for Typer to read
    return Annotated[
        str | None,
        typer.Option(
            "--answers",
            "-a",
            metavar="N,N,...",
            help=f"Every answer in item order, for scripts: --answers {example}",
        ),
    ]


def daily(
    ctx: typer.Context,
    mood: Annotated[
        float | None,
        typer.Option("--mood", help="Mood today, 0 (very low) to 10 (very good).", metavar="0-10"),
    ] = None,
    anxiety: Annotated[
        float | None,
        typer.Option("--anxiety", help="Anxiety today, 0 (none) to 10.", metavar="0-10"),
    ] = None,
    sleep_hours: Annotated[
        float | None,
        typer.Option(
            "--sleep-hours",
            "--sleep",
            help="Hours slept last night (the same option as in relapse log mood).",
            metavar="HOURS",
        ),
    ] = None,
    sleep_quality: Annotated[
        float | None,
        typer.Option(
            "--sleep-quality",
            help="Sleep quality, 0 (very poor) to 10 (very good).",
            metavar="0-10",
        ),
    ] = None,
    halt: Annotated[
        str | None,
        typer.Option(
            "--halt",
            help="HALT letters that fit: h(ungry) a(ngry) l(onely) t(ired), e.g. lt; or none.",
            metavar="LETTERS",
        ),
    ] = None,
    medication: Annotated[
        str | None,
        typer.Option(
            "--medication",
            help="Medication taken as prescribed: yes, no or na (not applicable).",
            metavar="yes|no|na",
        ),
    ] = None,
    support: Annotated[
        str | None,
        typer.Option(
            "--support",
            help="Went to today: meeting, therapy, peer (commas for more), or none.",
            metavar="KIND",
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="A short note.", metavar="TEXT")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help='When, if not now: "yesterday 21:00".', metavar="WHEN"),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace today's earlier check-in (on a terminal, Enter keeps an earlier answer).",
        ),
    ] = False,
    add: Annotated[
        bool, typer.Option("--add", help="Keep today's earlier check-in and add this one.")
    ] = False,
    finish: Annotated[
        bool,
        typer.Option(
            "--finish",
            help="Finish today's check-in that was cut short: only the questions not yet answered.",
        ),
    ] = False,
) -> None:
    """The daily check-in (under 30 seconds; Enter skips any question)."""
    given: DailyFlags = {
        "mood": mood,
        "anxiety": anxiety,
        "sleep_hours": sleep_hours,
        "sleep_quality": sleep_quality,
        "halt": halt,
        "medication": medication,
        "support": support,
        "note": note,
    }
    if ctx.invoked_subcommand is not None:
        if any(v is not None for v in given.values()) or at or replace or add or finish:
            raise BadInput(
                "the daily check-in options (--mood, --replace, ...) go without a "
                f"subcommand, not with {ctx.invoked_subcommand}",
                "e.g. relapse checkin --mood 6",
            )
        return
    from relapse_cli.cli.inputs import resolve_note  # '-' reads stdin, a bare --note asks

    app = app_context(ctx)
    given["note"] = resolve_note(app, note)
    code = run_daily(app, given, at=at, replace=replace, add=add, finish=finish)
    if code:
        raise typer.Exit(code)


def history(
    ctx: typer.Context,
    what: Annotated[
        str | None,
        typer.Argument(
            metavar="[phq9|gad7|pacs|daily]",
            help="One kind only (default: all).",
            show_default=False,
        ),
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: Annotated[
        int, typer.Option("--limit", "-l", min=1, max=100_000, help="At most this many per table.")
    ] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Past check-ins and screener results: a table each, with a sparkline and the bands."""
    show_history(app_context(ctx), what, since, until, limit, as_json)


def delete(ctx: typer.Context, record_id: IdArg) -> None:
    """Hide a check-in or screener result typed by mistake (restore brings it back)."""
    hide_or_restore(app_context(ctx), record_id, hide=True)


def restore(ctx: typer.Context, record_id: IdArg) -> None:
    """Bring back a check-in or screener result hidden with delete."""
    hide_or_restore(app_context(ctx), record_id, hide=False)


def register(app: typer.Typer) -> None:
    checkin_app = make_typer(
        help="Daily check-in (mood, anxiety, sleep, HALT, medication, support) and the "
        "PHQ-9, GAD-7 and PACS screeners. Alone: the daily check-in.",
    )
    checkin_app.callback(invoke_without_command=True)(daily)
    for key, example in ANSWERS_EXAMPLE.items():
        _screener_command(checkin_app, key, example)
    checkin_app.command("history")(history)
    checkin_app.command("delete")(delete)
    checkin_app.command("restore")(restore)
    app.add_typer(checkin_app, name="checkin")


def _run_screener_command(
    ctx: typer.Context, key: str, answers: str | None, at: str | None, substance: str | None
) -> None:
    code = run_screener(app_context(ctx), key, answers, substance, at)
    if code:
        raise typer.Exit(code)


def _screener_command(group: typer.Typer, key: str, example: str) -> None:
    """``relapse checkin KEY``: one command per screener; its --answers example is its own."""
    from relapse_cli.checkins.screeners import load

    inst = load(key)

    def command(ctx: typer.Context, answers: str | None = None, at: str | None = None) -> None:
        _run_screener_command(ctx, key, answers, at, None)

    def pacs_command(
        ctx: typer.Context,
        answers: str | None = None,
        at: str | None = None,
        substance: str | None = None,
    ) -> None:
        _run_screener_command(ctx, key, answers, at, substance)

    # Real objects, not the strings `from __future__ import annotations` leaves: Typer reads
    # these, and the --answers example differs per instrument.
    hints = {
        "ctx": typer.Context,
        "answers": _answers_opt(example + (",1" if inst.extra else "")),
        "at": ScreenerAtOpt,
        "return": None,
    }
    command.__annotations__ = hints
    pacs_command.__annotations__ = {**hints, "substance": SubstanceOpt}
    chosen = pacs_command if key == "pacs" else command  # --substance: only the PACS's
    looks = "the past week" if inst.looks_back_days == 7 else "the last 2 weeks"
    group.command(
        key,
        help=f"{inst.title}: {len(inst.items)} questions about {looks} "
        f"({inst.measures}). A screening score, not a diagnosis.",
    )(chosen)


# ---- the daily check-in ------------------------------------------------------------------


def run_daily(
    app: AppContext,
    given: DailyFlags,
    *,
    at: str | None,
    replace: bool,
    add: bool,
    finish: bool = False,
) -> int:
    from relapse_cli.checkins import model as dom

    chosen = [f for f, on in (("--replace", replace), ("--add", add), ("--finish", finish)) if on]
    if len(chosen) > 1:
        raise BadInput(
            f"choose {' or '.join(chosen)}, not both"
            if len(chosen) == 2
            else "choose one of --replace, --add and --finish"
        )
    if finish:
        return _finish_daily(app, given, at)
    values = _validate_daily(given)
    scripted = any(v is not None for v in values.values())
    interactive = app.interactive
    if not scripted and not interactive:
        raise BadInput(
            "the check-in asks its questions on a terminal; without one, give the answers as flags",
            f"e.g. {DAILY_EXAMPLE}",
        )
    when = when_from(app, at)
    local_date = when.date().isoformat()
    from relapse_cli.checkins import store
    from relapse_cli.core.timeparse import to_storage

    con = app.connect()
    earlier = store.checkins_on(con, local_date)
    mode = "new"
    if earlier:
        if replace:
            mode = "replace"
        elif add:
            mode = "add"
        elif not interactive:
            raise BadInput(
                f"you already checked in on {_day(when)} (at {_clock(earlier[-1])})",
                "add --replace to replace it, or --add to keep both",
            )
        else:
            mode = _ask_replace_or_add(app.prompter, earlier[-1], when)
            if mode == "stop":
                say("Nothing saved.")
                return 0
    interrupted = False
    keep = earlier[-1] if mode == "replace" else None
    if not scripted:
        interrupted = ask_daily(app.prompter, values, keep)
        if interrupted and not dom.answered(values):
            sys.stderr.write("\nStopped: nothing saved.\n")
            return EXIT_INTERRUPTED
        if not dom.answered(values):
            say("Every question skipped: nothing saved.")
            return 0
    stamp = to_storage(when)
    if mode == "replace":
        target = earlier[-1]
        # guided: Enter (or Ctrl-C) keeps an earlier answer; flags replace the whole check-in
        stored = values if scripted else dom.merge_partial(target, values)
        store.replace_checkin(con, target["uuid"], stamp, local_date, stored)
        uuid = target["uuid"]
    else:
        stored = values
        uuid = store.insert_checkin(con, stamp, local_date, values)
    out = sys.stdout
    say(_confirmation(stored, when, uuid, mode), out)
    if interrupted:
        names = ", ".join(f.replace("_", " ") for f in dom.answered(values))
        kept = "; the rest stay as they were" if mode == "replace" else ""
        say(f"Stopped early: saved the answers you gave ({names}){kept}.", out)
        if unanswered(stored):
            say(f"To answer the rest later: relapse checkin --finish{_at_flag(at)}", out)
        return EXIT_INTERRUPTED
    return 0


def _at_flag(at: str | None) -> str:
    import shlex

    return f" --at {shlex.quote(at)}" if at else ""


def _finish_daily(app: AppContext, given: DailyFlags, at: str | None) -> int:
    """Finish the day's latest check-in: ask (or take from flags) only what it left unanswered.

    It keeps its id and its time; answers it already holds are never asked again, and a flag
    that would change one is refused (that is what --replace is for)."""
    from relapse_cli.checkins import model as dom
    from relapse_cli.checkins import store

    values = _validate_daily(given)
    scripted = any(v is not None for v in values.values())
    interactive = app.interactive
    when = when_from(app, at)
    con = app.connect()
    earlier = store.checkins_on(con, when.date().isoformat())
    if not earlier:
        raise BadInput(
            f"there is no check-in on {_day(when)} to finish",
            "start one: relapse checkin" + _at_flag(at),
        )
    target = earlier[-1]
    open_fields = unanswered(target)
    if not open_fields:
        say(
            f"The check-in of {_day(when)} at {_clock(target)} has every answer already. "
            "To change it: relapse checkin --replace"
        )
        return 0
    clash = [f for f in dom.answered(values) if target.get(f) is not None and f != "note"]
    if clash:
        names = ", ".join(f.replace("_", " ") for f in clash)
        raise BadInput(
            f"the check-in of {_day(when)} already answers {names}",
            "to change an answer: relapse checkin --replace",
        )
    if not scripted and not interactive:
        raise BadInput(
            "finishing asks the open questions on a terminal; without one, give "
            "the answers as flags",
            "e.g. relapse checkin --finish --sleep-hours 7",
        )
    interrupted = False
    if not scripted:
        interrupted = ask_daily(app.prompter, values, target, only_open=True)
        if not dom.answered(values):
            say("Nothing added." if not interrupted else "Stopped: nothing added.")
            return EXIT_INTERRUPTED if interrupted else 0
    if target.get("note") and values.get("note"):  # a note given now is added, not replacing
        values["note"] = f"{target['note']}\n{values['note']}"
    stored = dom.merge_partial(target, values)
    store.replace_checkin(
        con,
        target["uuid"],
        (target["occurred_at"], target["utc_offset_min"]),
        target["local_date"],
        stored,
    )
    from relapse_cli.core.timeparse import from_storage

    taken = from_storage(target["occurred_at"], target["utc_offset_min"])
    say(_confirmation(stored, taken, target["uuid"], "finish"))
    left = unanswered(stored)
    if left:
        shown = ", ".join(f.replace("_", " ") for f in left)
        say(f"Still open: {shown}.", sys.stdout)
    return EXIT_INTERRUPTED if interrupted else 0


def unanswered(row: dict) -> list[str]:
    """The daily questions a check-in left open, by field ('halt' for the four HALT fields);
    the note is optional and never counts as open."""
    from relapse_cli.checkins import model as dom

    out = []
    for fields in _QUESTION_FIELDS:
        if all(row.get(f) is None for f in fields):
            out.append("halt" if fields == dom.HALT_FIELDS else fields[0])
    return out


def _validate_daily(given: DailyFlags) -> dict[str, object]:
    """Flags to stored values (every check before anything is written)."""
    from relapse_cli.checkins import model as dom

    values: dict[str, object] = {}
    numbers = {
        "mood": given["mood"],
        "anxiety": given["anxiety"],
        "sleep_hours": given["sleep_hours"],
        "sleep_quality": given["sleep_quality"],
    }
    for field, number in numbers.items():
        values[field] = dom.check_number(field, number)
    letters, medication, support = given["halt"], given["medication"], given["support"]
    halt = dom.parse_halt(letters) if letters is not None else None
    for field in dom.HALT_FIELDS:
        values[field] = None if halt is None else halt[field]
    values["medication"] = dom.parse_medication(medication) if medication is not None else None
    values["support"] = dom.parse_support(support) if support is not None else None
    note = given["note"]
    values["note"] = note.strip() or None if isinstance(note, str) else None
    return values


def ask_daily(
    prompter: Prompter,
    values: dict[str, object],
    earlier: dict | None = None,
    *,
    only_open: bool = False,
) -> bool:
    """Ask the daily questions in turn (Enter skips). True if Ctrl-C (or end of input) cut it
    short; the answers given so far stay in ``values``.

    ``earlier``: the check-in being replaced or finished; its answers show in the hint
    ("Enter keeps 6"), so Enter keeps them. ``only_open``: ask only what it left unanswered."""
    try:
        _ask_daily(prompter, values, earlier or {}, only_open)
    except (KeyboardInterrupt, EOFError):
        return True
    return False


# The fields each daily question fills, in the order they are asked (HALT fills four).
_QUESTION_FIELDS: tuple[tuple[str, ...], ...] = (
    ("mood",),
    ("anxiety",),
    ("sleep_hours",),
    ("sleep_quality",),
    ("hungry", "angry", "lonely", "tired"),
    ("medication",),
    ("support",),
)


def _earlier_answer(earlier: dict, fields: tuple[str, ...]) -> str:
    """How an earlier answer reads in a hint ('6', 'lonely, tired', 'yes'), '' if none."""
    from relapse_cli.checkins import model as dom

    if len(fields) > 1:
        return dom.halt_text(earlier)
    value = earlier.get(fields[0])
    if value is None:
        return ""
    if fields[0] == "support":
        return dom.support_text(str(value))
    return _num(value)


def _ask_daily(p: Prompter, values: dict[str, object], earlier: dict, only_open: bool) -> None:
    from relapse_cli.checkins import model as dom
    from relapse_cli.core.prompter import ask_number

    def wanted(fields: tuple[str, ...]) -> bool:
        return not only_open or not _earlier_answer(earlier, fields)

    def skip(fields: tuple[str, ...]) -> str:
        shown = _earlier_answer(earlier, fields)
        return f"Enter keeps {shown}" if shown else "Enter to skip"

    from relapse_cli.render.access import screen_reader

    asked = [f for f in _QUESTION_FIELDS if wanted(f)]
    spoken = screen_reader()

    def wanted_here(fields: tuple[str, ...]) -> bool:
        """wanted(), and in screen-reader mode say where the check-in is (issue 20)."""
        if not wanted(fields):
            return False
        if spoken:
            p.say(f"Question {asked.index(fields) + 1} of {len(asked)}.")
        return True

    if only_open:
        p.say("Finishing the check-in: only the questions not answered yet.")
    elif earlier:
        p.say("Replacing the check-in: Enter keeps the earlier answer shown.")
    else:
        p.say("Daily check-in: Enter skips any question.")
    numbers = (("mood", "Mood today, 0 (very low) to 10 (very good)?", 10, True),
               ("anxiety", "Anxiety today, 0 (none) to 10 (extreme)?", 10, True),
               ("sleep_hours", "Hours slept last night?", 24, False),
               ("sleep_quality", "Sleep quality, 0 (very poor) to 10 (very good)?", 10, True))  # fmt: skip
    for field, question, high, whole in numbers:
        if wanted_here((field,)):
            values[field] = ask_number(p, question, 0, high, integer=whole, skip=skip((field,)))
    halt_fields = dom.HALT_FIELDS
    if wanted_here(halt_fields):
        halt = _ask_until_valid(
            p,
            "HALT: Hungry, Angry, Lonely, Tired? Type the letters that "
            "fit (e.g. lt), or 0 for none",
            dom.parse_halt,
            skip(halt_fields),
        )
        if halt is not None:
            values.update(halt)
    if wanted_here(("medication",)):
        values["medication"] = _ask_until_valid(
            p,
            "Medication taken as prescribed today? yes, no, or na (not on medication)",
            dom.parse_medication,
            skip(("medication",)),
        )
    if wanted_here(("support",)):
        values["support"] = _ask_until_valid(
            p,
            "Went to a meeting, therapy or peer support today? meeting, therapy, peer "
            "(commas for more), or none",
            dom.parse_support,
            skip(("support",)),
        )


def _ask_until_valid(
    p: Prompter, question: str, parse: Callable[[str], T], hint: str = "Enter to skip"
) -> T:
    while True:
        raw = p.ask(question, hint=hint)
        try:
            return parse(raw)
        except BadInput as exc:
            p.say(exc.line())


def _ask_replace_or_add(p: Prompter, last: dict, when: datetime) -> str:
    summary = _short(last)
    while True:
        raw = (
            p.ask(
                f"You already checked in on {_day(when)} at {_clock(last)}"
                f"{f' ({summary})' if summary else ''}. Replace it, or add another?",
                hint="r = replace, a = add, Enter = stop",
            )
            .strip()
            .lower()
        )
        if not raw:
            return "stop"
        if "replace".startswith(raw):
            return "replace"
        if "add".startswith(raw):
            return "add"
        p.say("Type r to replace it, a to add another, or press Enter to stop.")


def _day(when: datetime) -> str:
    return f"{when:%a %-d %b}"


def _clock(row: dict) -> str:
    from relapse_cli.core.timeparse import from_storage

    return f"{from_storage(row['occurred_at'], row['utc_offset_min']):%H:%M}"


def _num(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _short(row: dict) -> str:
    parts = []
    if row.get("mood") is not None:
        parts.append(f"mood {row['mood']}")
    if row.get("anxiety") is not None:
        parts.append(f"anxiety {row['anxiety']}")
    return ", ".join(parts)


def describe_checkin(row: dict) -> list[str]:
    """The answers of a check-in as short phrases (skipped ones left out)."""
    from relapse_cli.checkins import model as dom

    parts = []
    for field, label in (("mood", "mood"), ("anxiety", "anxiety")):
        if row.get(field) is not None:
            parts.append(f"{label} {row[field]}")
    if row.get("sleep_hours") is not None:
        parts.append(f"slept {_num(row['sleep_hours'])} h")
    if row.get("sleep_quality") is not None:
        parts.append(f"sleep quality {row['sleep_quality']}")
    halt = dom.halt_text(row)
    if halt:
        parts.append(f"HALT: {halt}")
    if row.get("medication"):
        parts.append(f"medication: {dom.MEDICATION_LABEL[row['medication']]}")
    if row.get("support"):
        parts.append(f"support: {dom.support_text(row['support'])}")
    return parts


def _confirmation(values: dict, when: datetime, uuid: str, mode: str) -> str:
    from relapse_cli.core.text import for_terminal

    parts = describe_checkin(values)
    what = ", ".join(parts) if parts else "every question skipped"
    verb = {
        "replace": "Replaced the check-in",
        "add": "Added another check-in",
        "finish": "Finished the check-in",
    }.get(mode, "Checked in")
    line = f"{verb} for {_day(when)}: {what} (id {uuid[:8]})."
    if values.get("note"):
        line += f"\nNote: {values['note']}"
    return for_terminal(line)


# ---- the screeners -------------------------------------------------------------------------


def run_screener(
    app: AppContext,
    key: str,
    answers_text: str | None,
    substance: str | None,
    at: str | None = None,
) -> int:
    """Ask (or take --answers), score and save one screener. ``at``: when it was filled in,
    if not now (a paper questionnaire typed in later)."""
    from relapse_cli.checkins import screeners as dom

    if substance is not None:
        from relapse_cli.log.model.entries import clean_name

        substance = clean_name(substance, "substance")
    elif key == "pacs":
        substance = _default_substance(app)
    inst = dom.about(key, substance)
    when = None
    if answers_text is not None:
        try:
            scored, extra = dom.parse_answers(inst, answers_text)
        except BadInput:  # item 9 above 0 reaches the safety screen first, then the error
            if dom.safety_answer(inst, answers_text):
                _safety(app, inst)
            raise
        if dom.needs_safety(inst, scored):
            _safety(app, inst)  # before anything else, a bad --at included
        when = when_from(app, at)
    elif not app.interactive:
        raise BadInput(
            f"the {inst.name} asks its questions on a terminal; without one, give "
            "every answer with --answers",
            f"e.g. relapse checkin {key} --answers {ANSWERS_EXAMPLE[key]}",
        )
    else:
        when = when_from(app, at)  # a bad --at is refused before the first question
        try:
            scored, extra = ask_screener(app, inst)
        except (KeyboardInterrupt, EOFError):
            from relapse_cli.core.wrapping import fill, terminal_width

            sys.stderr.write(
                "\n"
                + fill(
                    f"Stopped: nothing saved (a half-filled {inst.name} is not a result).",
                    terminal_width(sys.stderr),
                )
                + "\n"
            )
            return EXIT_INTERRUPTED
    result = dom.score(inst, scored)
    from relapse_cli.checkins import store
    from relapse_cli.core.errors import RelapseError
    from relapse_cli.core.text import for_terminal
    from relapse_cli.core.timeparse import to_storage

    when = when or app.clock.now()
    stamp = to_storage(when)
    try:
        con = app.connect()
        previous = store.previous_screening(con, key, stamp[0], inst.substance)
        item9 = scored[inst.safety_item - 1] if inst.safety_item else None
        store.insert_screening(
            con, key, stamp, scored, result.total, result.band, item9, extra, inst.substance
        )
    except RelapseError as exc:  # answered in full but not saved: still show the person the result
        if app.debug:
            raise
        lines = result_lines(inst, result, extra, None)
        lines = [x for x in lines if not x.startswith(f"Your first {inst.name} here")]
        for line in lines:
            say(for_terminal(line), sys.stdout)
        given = ",".join(map(str, [*scored, *([] if extra is None else [extra])]))
        if inst.substance:
            import shlex

            given += f" -s {shlex.quote(inst.substance)}"
        sys.stderr.write(
            f"relapse: this {inst.name} result could not be saved ({exc.line()}); "
            f"save it later with: relapse checkin {key} --answers {given}\n"
        )
        return exc.exit_code
    for line in result_lines(inst, result, extra, previous):
        say(for_terminal(line), sys.stdout)
    if at is not None:
        from relapse_cli.core.timeparse import when_text

        say(f"Saved as filled in on {when_text(when, app.clock.now(), at)}.", sys.stdout)
    return 0


def _default_substance(app: AppContext) -> str | None:
    from relapse_cli.core.settings import load_settings

    substances = load_settings(app.journal_path).get("substances") or []
    return str(substances[0]) if isinstance(substances, list) and substances else None


def _safety(app: AppContext, inst: Instrument) -> None:
    """PHQ-9 item 9 above 0: the safety screen, at once and before any score."""
    from relapse_cli.plan.safety import show_safety_screen

    show_safety_screen(
        app,
        reason="You said you have had thoughts that you would be better off "
        "dead or of hurting yourself.",
    )


def ask_screener(app: AppContext, inst: Instrument) -> tuple[list[int], int | None]:
    """Every scored item in turn (a number key each; no skipping), then PHQ-9's tenth question
    when any problem was checked off. Ctrl-C raises KeyboardInterrupt to the caller."""
    from relapse_cli.checkins import screeners as dom

    p = app.prompter
    i = inst
    p.say(f"{i.title}. {dom.NOT_A_DIAGNOSIS}")
    p.say(i.stem)
    shared = len({item.choices for item in i.items}) == 1
    if shared:
        p.say("  " + "   ".join(f"{c.value} {c.text}" for c in i.items[0].choices))
    scored: list[int] = []
    from relapse_cli.render.access import screen_reader

    where = screen_reader()  # issue 20: a screen reader hears where it is in the screener
    for item in i.items:
        if where:
            p.say(f"Question {item.number} of {len(i.items)}.")
        if not shared:
            p.say(f"{item.number}. {item.text}")
            for c in item.choices:
                p.say(f"   {c.value}  {c.text}")
        question = f"{item.number}. {item.text}" if shared else f"Your answer to {item.number}"
        value = _ask_item(p, item, question, required=True)
        assert value is not None  # required: asked again until there is a number
        scored.append(value)
        if i.safety_item == item.number and value:
            _safety(app, i)
    extra = None
    if i.extra is not None and any(scored):
        p.say(f"{i.extra.number}. {i.extra.text}")
        p.say("  " + "   ".join(f"{c.value} {c.text}" for c in i.extra.choices))
        try:
            extra = _ask_item(
                p, i.extra, f"Your answer to {i.extra.number} (not scored)", required=False
            )
        except (KeyboardInterrupt, EOFError):
            # Every scored item is answered: that is a complete result (and may hold an item-9
            # answer a clinician must see). Only the optional, unscored question is left out.
            p.say(
                "Stopped at the unscored last question: your answers above are a complete "
                "result and are kept."
            )
    return scored, extra


def _ask_item(p: Prompter, item: Item, question: str, *, required: bool) -> int | None:
    from relapse_cli.checkins.screeners import parse_answer

    values = [c.value for c in item.choices]
    hint = f"{min(values)}-{max(values)}" + ("" if required else ", Enter to skip")
    while True:
        raw = p.ask(question, hint=hint)
        try:
            value = parse_answer(item, raw)
        except BadInput as exc:
            p.say(
                f"Please type a number from {min(values)} to {max(values)}"
                f" ({exc.message.split(':')[0]})."
            )
            continue
        if value is None and required:
            p.say(
                f"Every question counts towards the score: type a number from {min(values)} "
                f"to {max(values)} (Ctrl-C stops, and nothing is saved)."
            )
            continue
        return value


def result_lines(
    inst: Instrument, result: Score, extra: int | None, previous: dict | None
) -> list[str]:
    from relapse_cli.checkins import screeners as dom

    i, r = inst, result
    about = f" (about {i.substance})" if i.substance else ""
    lines = [f"{i.name}{about}: {r.total} of {r.max_total}, {r.band}.", dom.NOT_A_DIAGNOSIS]
    if i.note:
        lines.append(i.note)
    prev = None
    if previous is not None:
        from relapse_cli.core.timeparse import from_storage

        taken = from_storage(previous["taken_at"], previous["utc_offset_min"])
        prev = {"total": previous["total"], "band": previous["band"], "when": f"{taken:%a %-d %b}"}
    lines.append(dom.change_text(i, r.total, prev))
    if extra is not None and i.extra is not None:
        label = next(c.text for c in i.extra.choices if c.value == extra)
        lines.append(f"How difficult these problems made things: {label}.")
    if r.needs_safety:
        lines.append(
            "You said you have had thoughts of being better off dead or of hurting "
            "yourself: please tell someone you trust or your clinician today. "
            "`relapse sos` shows your plan and crisis lines at any time."
        )
    return lines


# ---- history ------------------------------------------------------------------------------


def show_history(
    app: AppContext,
    what: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    as_json: bool,
) -> None:
    from relapse_cli.checkins import store
    from relapse_cli.checkins.screeners import KEYS, load
    from relapse_cli.cli.inputs import window

    kinds = list(KEYS) + ["daily"]
    if what is not None:
        word = what.strip().lower().replace("-", "")
        word = {"phq": "phq9", "gad": "gad7", "day": "daily", "checkins": "daily"}.get(word, word)
        if word not in kinds:
            raise BadInput(f"unknown check-in kind {what!r}", "use phq9, gad7, pacs or daily")
        kinds = [word]
    lo, hi = window(app, since, until)
    con = app.connect()
    data: dict[str, list[dict]] = {}
    for kind in kinds:
        if kind == "daily":
            data[kind] = store.list_checkins(con, lo, hi, limit)
        else:
            data[kind] = store.list_screenings(con, kind, lo, hi, limit)
    from relapse_cli.checkins import view

    if as_json:
        from relapse_cli.render.console import print_json

        print_json({k: [view.for_json(k, r) for r in rows] for k, rows in data.items()})
        return
    from relapse_cli.render.console import console

    out = console()
    shown = False
    for kind, rows in data.items():
        if not rows:
            continue
        shown = True
        if kind == "daily":
            out.print(view.daily_table(rows, out.width))
        else:
            out.print(view.screening_table(load(kind), rows))
    if not shown:
        hint = (
            "relapse checkin"
            if kinds == ["daily"]
            else f"relapse checkin {kinds[0] if len(kinds) == 1 else 'phq9'}"
        )
        out.print(f"Nothing yet for that view. Start with: {hint}")


def hide_or_restore(app: AppContext, record_id: str, *, hide: bool) -> None:
    from relapse_cli.checkins import store

    con = app.connect(create=False)
    table, row = store.find_record(con, record_id, hidden=not hide)
    store.set_hidden(con, table, row["uuid"], hide)
    if table == "checkins":
        from relapse_cli.core.timeparse import from_storage

        when = from_storage(row["occurred_at"], row["utc_offset_min"])
        what = f"the check-in of {when:%a %-d %b %H:%M}"
    else:
        from relapse_cli.checkins.screeners import load
        from relapse_cli.core.timeparse import from_storage

        when = from_storage(row["taken_at"], row["utc_offset_min"])
        what = f"the {load(row['instrument']).name} of {when:%a %-d %b %H:%M} ({row['total']})"
    if hide:
        say(
            f"Hidden {what} (id {row['uuid'][:8]}): it no longer counts in history, the "
            f"summary or reports. Bring it back with: relapse checkin restore {row['uuid'][:8]}"
        )
    else:
        say(f"Restored {what} (id {row['uuid'][:8]}).")

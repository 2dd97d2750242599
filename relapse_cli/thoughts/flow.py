"""The guided thought record: one step at a time through the prompter, drafts on the way.

Each step says why it matters and shows an example answer (both from
``data/thought_record.toml``). What is typed goes into the record dict as soon as it is
accepted, and the record is saved as a draft after every step, so Ctrl-C (or a closed
terminal) keeps exactly what was typed. An empty answer on a required step also stops and
keeps a draft: ``relapse think --resume`` picks up at the first empty step.

No Typer and no Rich at import: ``relapse log`` reaches this through the offer after a
strong craving or a use, on a terminal only.
"""

from __future__ import annotations

from collections.abc import Callable

from relapse_cli.core.errors import BadInput
from relapse_cli.core.prompter import Interrupted
from relapse_cli.core.text import for_terminal, say
from relapse_cli.thoughts import model as domain

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relapse_cli.cli.context import AppContext
    from relapse_cli.core.prompter import Prompter

EXIT_INTERRUPTED = 130


class Pause(Exception):
    """An empty answer on a required step: keep a draft and continue another time."""


def offer_thought_record(app: AppContext, entry_uuid: str) -> None:
    """After a strong craving or a use, on a terminal: offer a thought record linked to it."""
    if not app.interactive:
        return
    p = app.prompter
    try:
        answer = (
            p.ask(
                "Would you like to write a thought record about this now? It helps catch "
                "the thought behind the urge",
                hint="y/N",
            )
            .strip()
            .lower()
        )
    except (KeyboardInterrupt, EOFError):
        p.say("")
        return
    if answer not in ("y", "yes"):
        p.say(f"Any time later: relapse think --craving {entry_uuid[:8]}")
        return
    from relapse_cli.log.store.entries import find_entry

    linked = find_entry(app.connect(), entry_uuid)
    run(app, new_record(app, entry_uuid), linked=linked)


def new_record(app: AppContext, entry_uuid: str | None = None) -> dict:
    from relapse_cli.core.timeparse import to_storage

    record = domain.empty_record()
    record["occurred_at"], record["utc_offset_min"] = to_storage(app.clock.now())
    record["entry_uuid"] = entry_uuid
    record["status"] = "draft"
    return record


def _plain(text: object) -> str:
    return for_terminal(str(text), single_line=True)


def run(app: AppContext, record: dict, *, resumed: bool = False, linked: dict | None = None) -> int:
    """Ask every step not yet answered, saving as it goes; show the whole record at the end."""
    from relapse_cli.thoughts import store

    con = app.connect()  # a journal that cannot be opened fails before any question
    p = app.prompter
    total = len(domain.steps())
    if resumed:
        nxt = domain.first_empty_step(record)
        where = f"step {nxt.number} of {total}, {nxt.title.lower()}" if nxt else "the end"
        p.say(f"Picking up your draft of {_when(record)} (id {record['uuid'][:8]}) at {where}.")
    else:
        p.say(
            "A thought record: nine short steps to catch the thought behind a feeling or an "
            "urge and look at it fairly. Ctrl-C keeps what you typed as a draft."
        )
    if linked is not None:
        from relapse_cli.log.view.entries import detail, short_time

        p.say(_plain(f"About your {linked['kind']} {detail(linked)} at {short_time(linked)}."))
    try:
        for s in domain.steps():
            if domain.step_done(record, s.key):
                continue
            _header(p, s, total)
            ASK[s.key](p, record, s)
            if s.key != "next_step" and domain.has_content(record):
                store.save(con, record, status="draft")
    except Pause:
        return _stopped(app, record, interrupted=False)
    except (KeyboardInterrupt, EOFError) as stop:
        kept = isinstance(stop, Interrupted) and stop.kept
        return _stopped(app, record, interrupted=True, partial_kept=kept)
    store.save(con, record, status="complete")
    from relapse_cli.render.console import console
    from relapse_cli.thoughts.view import record_panel

    p.say("")
    console().print(record_panel(record, linked))
    say(f"Saved thought record {record['uuid'][:8]}. See them all with: relapse thoughts")
    return 0


def _when(record: dict) -> str:
    from relapse_cli.thoughts.view import when

    return when(record, "%a %-d %b %H:%M")


def _stopped(
    app: AppContext, record: dict, *, interrupted: bool, partial_kept: bool = False
) -> int:
    """Keep what was typed (if anything) and say how to continue."""
    p = app.prompter
    p.say("")
    if not domain.has_content(record):
        p.say("Nothing saved." if not record.get("uuid") else "Your draft is unchanged.")
        return EXIT_INTERRUPTED if interrupted else 0
    from relapse_cli.thoughts import store

    store.save(app.connect(), record, status="draft")
    short = record["uuid"][:8]
    if partial_kept:
        kept = "every answer is kept, the line you were still typing too"
    elif interrupted:
        kept = (
            "every answer you finished with Enter is kept (a line still being typed when "
            "you stopped is not)"
        )
    else:
        kept = "every answer so far is kept"
    p.say(
        f"Saved as a draft (id {short}); {kept}. "
        f"Continue any time with: relapse think --resume {short}"
    )
    return EXIT_INTERRUPTED if interrupted else 0


def _header(p: Prompter, s: domain.Step, total: int) -> None:
    column = f" (column {s.column})" if s.column else ""
    p.say("")
    p.say(f"Step {s.number} of {total} · {s.title}{column}")
    p.say(f"  Why: {s.why}")
    p.say(f"  Example: {s.example}")


def _text(
    p: Prompter, question: str, hint: str, what: str, keep: Callable[[str], None] | None = None
) -> str:
    """One line of text (may be empty); too long is said and asked again.

    ``keep``: where a line still being typed at Ctrl-C goes, so the draft holds it too."""
    while True:
        try:
            answer = p.ask(question, hint=hint).strip()
        except Interrupted as stop:
            if keep is not None and stop.partial.strip():
                try:
                    keep(domain.clean_text(stop.partial.strip(), what))
                    stop.kept = True
                except BadInput:
                    pass  # a line too long to keep: the answers before it are still kept
            raise
        try:
            return domain.clean_text(answer, what)
        except BadInput as exc:
            p.say(exc.line())


def _rating(p: Prompter, question: str, what: str) -> int:
    """A 0-100 rating; an empty answer pauses (it is required), a bad one is asked again."""
    while True:
        answer = p.ask(question, hint="0-100").strip()
        if not answer:
            raise Pause
        try:
            return domain.parse_rating(answer, what)
        except BadInput as exc:
            p.say(exc.line())


def _situation(p: Prompter, record: dict, s: domain.Step) -> None:
    answer = _text(
        p,
        s.prompt,
        "Enter to stop and keep a draft",
        "the situation",
        keep=lambda text: record.__setitem__("situation", text),
    )
    if not answer:
        raise Pause
    record["situation"] = answer


def _add_moods(p: Prompter, moods: dict, answer: str) -> bool:
    """Parse 'anxious=80, sad 40' into ``moods`` (asking a missing rating); False if refused."""
    try:
        parsed = [
            domain.parse_mood(part, rating_required=False)
            for part in answer.split(",")
            if part.strip()
        ]
    except BadInput as exc:
        p.say(exc.line())
        return False
    for name, value in parsed:
        if value is None:
            value = _rating(p, f"How strong is {_plain(name)}, 0-100?", f"the rating of {name}")
        same = next((m for m in moods if m.casefold() == name.casefold()), None)
        if same is not None:
            del moods[same]
        moods[name] = value
    return True


def _moods(p: Prompter, record: dict, s: domain.Step) -> None:
    moods = record["moods"]
    while True:
        first = not moods
        answer = p.ask(
            s.prompt if first else "Another feeling?",
            hint="e.g. anxious=80" if first else "e.g. ashamed=60; Enter when done",
        ).strip()
        if not answer:
            if first:
                raise Pause
            return
        _add_moods(p, moods, answer)


def _thoughts(p: Prompter, record: dict, s: domain.Step) -> None:
    thoughts = record["thoughts"]
    if thoughts:
        p.say("So far:")
        for i, t in enumerate(thoughts, start=1):
            p.say(_plain(f"  {i}. {t}"))
    while record.get("hot_index") is None:
        first = not thoughts
        answer = _text(
            p,
            s.prompt if first else "Another thought?",
            "Enter to stop and keep a draft" if first else "Enter when done",
            "a thought",
            keep=thoughts.append,
        )
        if answer:
            thoughts.append(answer)
            continue
        if first:
            raise Pause
        break
    domain.settle_hot(record)
    while record.get("hot_index") is None:
        p.say("Which one is the hot thought: the one most tied to the feeling or the urge?")
        for i, t in enumerate(thoughts, start=1):
            p.say(_plain(f"  {i}. {t}"))
        answer = p.ask("The hot thought", hint=f"1-{len(thoughts)}").strip()
        if not answer:
            raise Pause
        if answer.isascii() and answer.isdigit() and 1 <= int(answer) <= len(thoughts):
            record["hot_index"] = int(answer)
        else:
            p.say(f"Please type a number from 1 to {len(thoughts)}.")


def _traps(p: Prompter, record: dict, s: domain.Step) -> None:
    hot = domain.hot_thought(record)
    if hot:
        p.say(_plain(f'  Hot thought: "{hot}"'))
    for t in domain.traps():
        p.say(f"  {t.number:>2}. {t.name}: {t.description}")
        p.say(f"      e.g. \u201c{t.example}\u201d")
    while True:
        answer = p.ask(s.prompt, hint="e.g. 13, 6; Enter if none fit").strip()
        if not answer:
            record["traps"] = []
            return
        try:
            record["traps"] = domain.resolve_traps(answer.replace(" and ", ","))
            return
        except BadInput as exc:
            p.say(exc.line())


def _evidence(key: str):  # noqa: ANN202
    def ask(p: Prompter, record: dict, s: domain.Step) -> None:
        hot = domain.hot_thought(record)
        if hot:
            p.say(_plain(f'  Hot thought: "{hot}"'))
        items = record[key]
        while True:
            first = not items
            answer = _text(
                p,
                s.prompt if first else "Another one?",
                "Enter to stop and keep a draft" if first else "Enter when done",
                s.title.lower(),
                keep=items.append,
            )
            if not answer:
                if first:
                    raise Pause
                return
            items.append(answer)

    return ask


def _balanced(p: Prompter, record: dict, s: domain.Step) -> None:
    if not record.get("balanced_thought"):
        answer = _text(
            p,
            s.prompt,
            "Enter to stop and keep a draft",
            "the balanced thought",
            keep=lambda text: record.__setitem__("balanced_thought", text),
        )
        if not answer:
            raise Pause
        record["balanced_thought"] = answer
    if record.get("belief") is None:
        record["belief"] = _rating(
            p, "How much do you believe it, 0-100?", "how much you believe it"
        )


def _moods_after(p: Prompter, record: dict, s: domain.Step) -> None:
    after = record["moods_after"]
    before = record["moods"]
    for name in domain.unrated_after(record):
        after[name] = _rating(
            p,
            _plain(f"{name}: {before[name]} at the start. How strong now?"),
            f"the rating of {name}",
        )
    while True:
        answer = p.ask("Any new feeling now?", hint="e.g. hopeful=40; Enter to skip").strip()
        if not answer:
            return
        _add_moods(p, after, answer)


def _next_step(p: Prompter, record: dict, s: domain.Step) -> None:
    answer = _text(
        p,
        s.prompt,
        "Enter to skip",
        "the next step",
        keep=lambda text: record.__setitem__("next_step", text),
    )
    if answer:
        record["next_step"] = answer


ASK = {
    "situation": _situation,
    "moods": _moods,
    "thoughts": _thoughts,
    "traps": _traps,
    "evidence_for": _evidence("evidence_for"),
    "evidence_against": _evidence("evidence_against"),
    "balanced": _balanced,
    "moods_after": _moods_after,
    "next_step": _next_step,
}

"""``relapse plan build``: the guided plan builder.

Section by section, with examples; Enter on an empty answer moves to the next section (so any
section can be skipped), ``stop`` ends early. Each item is saved as soon as it is complete, so
Ctrl-C keeps everything typed so far (a half-typed person with a name is kept too). Triggers
and coping strategies already in the journal are offered as numbered suggestions.
"""

from __future__ import annotations

from relapse_cli.cli.context import AppContext
from relapse_cli.core.errors import BadInput
from relapse_cli.core.prompter import Prompter
from relapse_cli.core.text import plain_digits, say
from relapse_cli.plan.model import plan as P

STOP_WORDS = ("stop", "quit", "q")


# The two plans are built apart (plan/model/plan.py PARTS): the safety plan's steps are for a
# suicidal crisis, so relapse-plan answers (urge coping, lapse warning signs) never fill them.
PART_INTRO = {
    P.RELAPSE_SECTIONS[0]: "Part 1 of 2: your relapse-prevention plan, for urges, high-risk "
    "moments and lapses.",
    P.SAFETY_SECTIONS[0]: "Part 2 of 2: your safety plan, for a crisis with thoughts of suicide "
    "or of harming yourself (six steps, after Stanley & Brown). Its steps are only for that "
    "kind of crisis; your relapse plan above is kept apart from it.",
}


class _Stop(Exception):
    """The person typed ``stop``: save nothing more, finish kindly."""


def build(app: AppContext) -> int:
    if not app.interactive:
        raise BadInput(
            "relapse plan build asks questions on a terminal",
            'without one: relapse plan add coping "call Sam" (or relapse plan edit)',
        )
    from relapse_cli.plan.store.plan import add_item, list_items, suggestions

    con = app.connect()
    ask = app.prompter
    existing = P.grouped(list_items(con))
    hints = {"coping": suggestions(con, "coping"), "high_risk": suggestions(con, "triggers")}
    saved = 0
    ask.say(
        "Let's build your plan, one section at a time. Type one item per answer; press "
        "Enter on an empty answer to go to the next section (or to skip it). Type stop to "
        "finish early. Everything you type is saved as you go."
    )
    pending: dict[str, object] | None = None

    def keep(item: dict[str, object]) -> None:
        nonlocal saved
        fields = {k: v for k, v in item.items() if k != "section"}
        add_item(con, P.clean_item(str(item["section"]), fields))
        saved += 1

    from relapse_cli.render.access import screen_reader

    spoken = screen_reader()  # issue 20: a screen reader hears where the builder is
    try:
        for number, section in enumerate(P.SECTIONS, 1):
            if section.key in PART_INTRO:
                ask.say("")
                ask.say(PART_INTRO[section.key])
            ask.say("")
            if spoken:
                ask.say(f"Section {number} of {len(P.SECTIONS)}.")
            ask.say(f"{section.title}. {section.question}")
            have = existing.get(section.key, [])
            if have:
                ask.say(f"Already in your plan: {'; '.join(P.item_line(i) for i in have[:5])}")
            ask.say("For example: " + "; ".join(section.examples))
            if section.key == "warning_signs":
                ask.say(f"Each can be marked with {P.WARNING_STAGES_SOURCE}.")
            offered = hints.get(section.key) or []
            if offered:
                what = "coping strategies" if section.key == "coping" else "triggers"
                ask.say(
                    f"From your journal ({what}); type a number to use one: "
                    + ", ".join(f"{n}. {w}" for n, w in enumerate(offered, start=1))
                )
            if section.key == "safety_steps":
                for number, title, about in P.SAFETY_STEPS:
                    if spoken:  # where it is within the six steps, not only the section
                        ask.say(f"Safety plan step {number} of {len(P.SAFETY_STEPS)}.")
                    ask.say(f"Step {number}: {title} ({about}).")
                    while True:
                        text = _answer(ask, f"Step {number}")
                        if not text:
                            break
                        keep({"section": section.key, "step": number, "text": text})
                continue
            while True:
                pending = None
                first = _answer(ask, _first_question(section.key))
                if not first:
                    break
                if plain_digits(first) and offered and 1 <= int(first) <= len(offered):
                    first = offered[int(first) - 1]
                pending = _first_fields(section.key, first)
                try:
                    _more(ask, section.key, pending)
                    item, pending = pending, None
                    keep(item)
                except BadInput as exc:
                    pending = None
                    ask.say(f"Not saved: {exc.message}. Try again, or Enter to move on.")
    except _Stop:
        pass
    except (KeyboardInterrupt, EOFError) as exc:
        if pending is not None:
            try:
                keep(pending)
            except BadInput:
                pass
        _finish(app, saved)
        if isinstance(exc, KeyboardInterrupt):
            import sys

            sys.stderr.write("\nStopped. Saved what you typed so far.\n")
            return 130
        return 0
    _finish(app, saved)
    return 0


def _finish(app: AppContext, saved: int) -> None:
    from relapse_cli.plan.mirroring import sync_mirror

    sync_mirror(app)
    word = "item" if saved == 1 else "items"
    from relapse_cli.core.wrapping import fill

    say(
        fill(
            f"Saved {saved} {word} to your plan. See it with: relapse plan. In a hard "
            "moment: relapse sos"
        )
    )


def _answer(ask: Prompter, question: str, hint: str = "Enter for next section") -> str:
    text = ask.ask(question, hint=hint).strip()
    if text.lower() in STOP_WORDS:
        raise _Stop
    return text


def _first_question(key: str) -> str:
    return {
        "high_risk": "A situation",
        "people": "Name",
        "professionals": "Name or service",
        "warning_signs": "A warning sign",
        "coping": "Something that helps",
        "reasons": "A reason",
        "safe_places": "A place",
        "if_lapse": "I will",
        "matters_most": "What matters most",
    }.get(key, "Item")


def _first_fields(key: str, first: str) -> dict[str, object]:
    if key in ("people", "professionals"):
        return {"section": key, "name": first}
    return {"section": key, "text": first}


def _more(ask: Prompter, key: str, item: dict[str, object]) -> None:
    """The structured follow-up fields of an item (each can be skipped with Enter)."""
    if key == "warning_signs":
        while True:
            raw = ask.ask("Emotional, mental or physical?", hint="e/m/p, Enter to skip")
            kind = {"e": "emotional", "m": "mental", "p": "physical"}.get(
                raw.strip().lower()[:1], ""
            )
            if not raw.strip() or kind:
                if kind:
                    item["category"] = kind
                return
            ask.say("Please type e, m or p (or Enter to skip).")
    if key == "high_risk":
        response = ask.ask("What will you do in that situation?", hint="a concrete step").strip()
        if not response:
            response = ask.ask(
                "A situation needs a plan; what is one thing you could do?",
                hint="Enter to drop this situation",
            ).strip()
        item["response"] = response
        if not response:
            raise BadInput("a high-risk situation needs a response")
        return
    if key in ("people", "professionals"):
        item["phone"] = ask.ask("Phone", hint="Enter to skip").strip()
        item["best_times"] = ask.ask(
            "Best times to call", hint="e.g. evenings, Enter to skip"
        ).strip()
        item["text"] = ask.ask("Who they are", hint="e.g. sponsor, GP, Enter to skip").strip()

"""Guided ``relapse log`` on a terminal: required answer first, then skippable extras."""

from __future__ import annotations

from relapse_cli.core.errors import BadInput
from relapse_cli.core.prompter import Prompter, ask_number
from relapse_cli.log.model import entries as domain
from relapse_cli.log.model.lapse import HALT


def ask_for_entry(
    prompter: Prompter,
    kind: str,
    values: dict[str, object],
    triggers: list[str],
    coping: list[str],
) -> bool:
    """Fill ``values``/``triggers``/``coping`` in place. True if Ctrl-C cut it short.

    Ctrl-C after the required answer keeps what was typed; before it, nothing is kept.
    """
    try:
        _ask(prompter, kind, values, triggers, coping)
    except (KeyboardInterrupt, EOFError):
        prompter.say("")
        return True
    return False


def _text(prompter: Prompter, values: dict[str, object], field: str, question: str) -> None:
    if values.get(field) is None:
        answer = prompter.ask(question, hint="Enter to skip").strip()
        if answer:
            values[field] = answer


def _names(prompter: Prompter, into: list[str], question: str, what: str) -> None:
    while True:
        answer = prompter.ask(question, hint="commas between, Enter to skip").strip()
        if not answer:
            return
        try:
            names = domain.split_names([answer], what)
        except BadInput as exc:
            prompter.say(exc.line())
            continue
        keys = {domain.vocab_key(n) for n in into}
        into.extend(n for n in names if domain.vocab_key(n) not in keys)
        return


def _number(
    prompter: Prompter,
    values: dict,
    field: str,
    question: str,
    required: bool = False,
    integer: bool = True,
) -> None:
    if values.get(field) is None:
        low, high, _ = domain.RANGES[field]
        values[field] = ask_number(
            prompter, question, low, high, integer=integer, required=required
        )


def _ask(
    prompter: Prompter, kind: str, values: dict, triggers: list[str], coping: list[str]
) -> None:
    if kind == "craving":
        _number(prompter, values, "intensity", "How strong is the urge, 0-10?", required=True)
        _text(prompter, values, "substance", "For what (alcohol, cannabis, ...)?")
        _names(prompter, triggers, "What set it off?", "trigger")
        _halt(prompter, triggers)
        _text(prompter, values, "location", "Where are you?")
        _text(prompter, values, "company", "Who are you with?")
        _number(prompter, values, "mood", "Mood right now, 0 (very low) to 10 (very good)?")
        _names(prompter, coping, "What did you do (or will you do) to cope?", "coping strategy")
        while values.get("outcome") is None:
            answer = (
                prompter.ask(
                    "How did it end: resisted, used, ongoing?", hint="r/u/o, Enter to skip"
                )
                .strip()
                .lower()
            )
            if not answer:
                break
            match = [o for o in domain.OUTCOMES if o.startswith(answer)]
            if len(match) == 1:
                values["outcome"] = match[0]
            else:
                prompter.say("Type resisted, used or ongoing (or r, u, o).")
        if values.get("outcome") in ("resisted", "used"):
            _number(prompter, values, "intensity_after", "How strong is it now, 0-10?")
        _text(prompter, values, "note", "Anything else to note?")
    elif kind == "mood":
        _number(prompter, values, "mood", "Mood, 0 (very low) to 10 (very good)?", required=True)
        _number(prompter, values, "anxiety", "Anxiety, 0 (none) to 10?")
        _number(prompter, values, "sleep_hours", "Hours slept last night?", integer=False)
        _number(prompter, values, "energy", "Energy, 0 (none) to 10?")
        _text(prompter, values, "note", "Anything else to note?")
    elif kind == "trigger":
        while not triggers:
            _names(prompter, triggers, "What was the trigger?", "trigger")
            if not triggers:
                prompter.say("This one is needed: a few words are enough.")
        _number(prompter, values, "intensity", "How strong was the pull, 0-10?")
        _text(prompter, values, "location", "Where were you?")
        _text(prompter, values, "note", "Anything else to note?")
    else:
        while not values.get("substance"):
            answer = prompter.ask("What did you use?").strip()
            if answer:
                values["substance"] = answer
        _number(prompter, values, "amount", "How much (a number)?", integer=False)
        if values.get("amount") is not None:
            _text(prompter, values, "unit", "Unit (drinks, g, pills, ...)?")
        _names(prompter, triggers, "What set it off?", "trigger")
        _text(prompter, values, "context", "Where, with whom, what was happening?")
        _text(prompter, values, "led_up_to", "What led up to it?")
        _text(prompter, values, "note", "Anything else to note?")


def _halt(prompter: Prompter, triggers: list[str]) -> None:
    """HALT: Hungry, Angry, Lonely, Tired. Letters typed become triggers."""
    answer = (
        prompter.ask(
            "Quick HALT check: Hungry, Angry, Lonely, Tired? Type the letters that fit, e.g. lt",
            hint="Enter for none",
        )
        .strip()
        .lower()
    )
    keys = {domain.vocab_key(n) for n in triggers}
    for letter, word, _category in HALT:
        if letter in answer and word not in keys:
            triggers.append(word)

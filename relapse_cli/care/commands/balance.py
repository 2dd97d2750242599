"""``relapse think balance``: a motivational-interviewing decisional balance.

Four short lists (good and not-so-good things about using, and about not using) and two
rulers, importance and confidence (0-10), in the person's own words; stored, and shown beside
the plan's reasons for recovery (``--show``). The tool does not weigh or judge the lists.
Registered on the ``relapse think`` group by thoughts/commands.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from relapse_cli.cli.options import JsonOpt
from relapse_cli.cli.typer_build import app_context
from relapse_cli.core.errors import BadInput
from relapse_cli.core.text import say

if TYPE_CHECKING:
    from rich.columns import Columns
    from rich.console import RenderableType

    from relapse_cli.cli.context import AppContext

# key -> (flag, heading, guided question)
LISTS = {
    "using_good": ("--using-good", "Good things about using",
                   "A good thing about using, for you (Enter when done)"),
    "using_bad": ("--using-bad", "Not-so-good things about using",
                  "A not-so-good thing about using (Enter when done)"),
    "not_using_good": ("--not-using-good", "Good things about not using",
                       "A good thing about not using (Enter when done)"),
    "not_using_bad": ("--not-using-bad", "Not-so-good things about not using",
                      "A not-so-good thing about not using (Enter when done)"),
}  # fmt: skip
MAX_ITEMS = 12
MAX_LEN = 200
EXAMPLE = 'e.g. relapse think balance --using-good "it calms me" --not-using-good "mornings"'


def _clean(items: list[str] | None, flag: str) -> list[str]:
    from relapse_cli.core.text import has_control

    out = []
    for raw in items or []:
        text = " ".join(raw.split())
        if not text:
            continue
        if len(text) > MAX_LEN:
            raise BadInput(
                f"{flag}: keep each line short ({len(text)} characters, at most {MAX_LEN})"
            )
        if has_control(text):
            raise BadInput(f"{flag}: a line contains control characters")
        out.append(text)
    if len(out) > MAX_ITEMS:
        raise BadInput(f"{flag}: at most {MAX_ITEMS} lines ({len(out)} given)")
    return out


def _ruler(value: int | None, flag: str) -> int | None:
    if value is not None and not 0 <= value <= 10:
        raise BadInput(f"{flag} must be 0 to 10, not {value}", f"e.g. {flag} 7")
    return value


def _blank(row: dict) -> bool:
    """No line in any list and neither ruler rated: nothing to save."""
    return (
        not any(row[k] for k in LISTS) and row["importance"] is None and row["confidence"] is None
    )


def _guided(app: AppContext, row: dict) -> None:
    from relapse_cli.core.prompter import ask_number

    p = app.prompter
    p.say(
        "Decisional balance: the good and the not-so-good, about using and about not "
        "using. Your words; there are no right answers."
    )
    for key, (_flag, _heading, question) in LISTS.items():
        items: list[str] = []
        while len(items) < MAX_ITEMS:
            answer = p.ask(question).strip()
            if not answer:
                break
            items.extend(_clean([answer], _flag))
        row[key] = items
    row["importance"] = ask_number(p, "How important is it to you to change, 0-10", 0, 10)
    row["confidence"] = ask_number(p, "How confident are you that you could, 0-10", 0, 10)


def _reasons(app: AppContext) -> list[str]:
    try:
        from relapse_cli.plan.store.plan import list_items

        return [str(i["text"]) for i in list_items(app.connect()) if i["section"] == "reasons"]
    except Exception:  # noqa: BLE001 - no plan (yet): show the balance alone
        return []


def reflections(row: dict) -> list[str]:
    """Motivational-interviewing ruler questions, asked back (never a verdict)."""
    out = []
    imp, conf = row.get("importance"), row.get("confidence")
    if imp is not None and imp > 0:
        out.append(f"Why {imp} and not {max(0, imp - 3)}? What makes it that important?")
    if conf is not None and conf < 10:
        out.append(f"What would help you move from {conf} to {min(10, conf + 2)}?")
    return out


def view(item: dict | None, reasons: list[str]) -> Columns:
    from rich.columns import Columns
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from relapse_cli.core.timeparse import from_storage

    parts: list[RenderableType] = []
    if item is None:
        parts.append(Text("No decisional balance yet. Write one: relapse think balance"))
    else:
        when = from_storage(item["occurred_at"], item["utc_offset_min"])
        table = Table(
            title=f"Decisional balance, {when:%a %-d %b %Y}", title_justify="left", show_lines=True
        )
        table.add_column("")
        table.add_column("good things")
        table.add_column("not-so-good things")
        for side, label in (("using", "using"), ("not_using", "not using")):
            table.add_row(
                Text(label),
                Text("\n".join(f"• {t}" for t in item[f"{side}_good"]) or "–"),
                Text("\n".join(f"• {t}" for t in item[f"{side}_bad"]) or "–"),
            )
        rulers = []
        if item.get("importance") is not None:
            rulers.append(f"importance {item['importance']}/10")
        if item.get("confidence") is not None:
            rulers.append(f"confidence {item['confidence']}/10")
        from relapse_cli.render.console import Fitted

        parts.append(Fitted(table))  # every column is the balance itself: none is left out
        if rulers:
            parts.append(Text(" · ".join(rulers)))
    body = Text(
        "\n".join(f"• {r}" for r in reasons)
        if reasons
        else 'None in your plan yet: relapse plan add reasons "..."'
    )
    beside = Group(Text("Your reasons for recovery (plan)", style="bold"), body)
    return Columns([Group(*parts), beside], padding=(0, 4))


def balance_cmd(
    ctx: typer.Context,
    using_good: Annotated[
        list[str] | None,
        typer.Option("--using-good", metavar="TEXT", help="A good thing about using (repeat)."),
    ] = None,
    using_bad: Annotated[
        list[str] | None,
        typer.Option(
            "--using-bad", metavar="TEXT", help="A not-so-good thing about using (repeat)."
        ),
    ] = None,
    not_using_good: Annotated[
        list[str] | None,
        typer.Option(
            "--not-using-good", metavar="TEXT", help="A good thing about not using (repeat)."
        ),
    ] = None,
    not_using_bad: Annotated[
        list[str] | None,
        typer.Option(
            "--not-using-bad", metavar="TEXT", help="A not-so-good thing about not using (repeat)."
        ),
    ] = None,
    importance: Annotated[
        int | None,
        typer.Option(
            "--importance", metavar="0-10", help="How important changing is to you, 0-10."
        ),
    ] = None,
    confidence: Annotated[
        int | None,
        typer.Option(
            "--confidence", metavar="0-10", help="How confident you are that you could, 0-10."
        ),
    ] = None,
    substance: Annotated[
        str | None,
        typer.Option("--substance", "-s", metavar="NAME", help="What it is about, e.g. alcohol."),
    ] = None,
    show: Annotated[
        bool,
        typer.Option(
            "--show", help="Show your latest balance beside your plan's reasons for recovery."
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Decisional balance: the good and not-so-good things about using and about not
    using, with importance and confidence 0-10; shown beside your reasons for recovery."""
    from relapse_cli.care.store import balance as store

    a = app_context(ctx)
    given = {
        "using_good": using_good,
        "using_bad": using_bad,
        "not_using_good": not_using_good,
        "not_using_bad": not_using_bad,
    }
    if show or (as_json and not any(given.values()) and importance is None and confidence is None):
        item = store.latest(a.connect())
        reasons = _reasons(a)
        if as_json:
            from relapse_cli.render.console import print_json

            print_json({"balance": item, "reasons": reasons})
            return
        from relapse_cli.render.console import console

        console().print(view(item, reasons))
        return
    row: dict = {k: _clean(v, LISTS[k][0]) for k, v in given.items()}
    row["importance"] = _ruler(importance, "--importance")
    row["confidence"] = _ruler(confidence, "--confidence")
    from relapse_cli.log.model.entries import clean_name

    row["substance"] = clean_name(substance, "substance") if substance else None
    if _blank(row):
        if not a.interactive:
            raise BadInput("nothing to save: give the lists as flags", EXAMPLE)
        _guided(a, row)
        if _blank(row):
            say("Nothing saved.")
            return
    from relapse_cli.core.timeparse import to_storage

    row["occurred_at"], row["utc_offset_min"] = to_storage(a.clock.now())
    uuid = store.add(a.connect(), row)
    n = {k: len(row[k]) for k in LISTS}
    say(
        f"Saved your decisional balance (using: {n['using_good']} good, "
        f"{n['using_bad']} not-so-good; not using: {n['not_using_good']} good, "
        f"{n['not_using_bad']} not-so-good) · id {uuid[:8]}"
    )
    for line in reflections(row):
        say(line)
    say("See it beside your reasons for recovery: relapse think balance --show")


def register(think_app: typer.Typer) -> None:
    think_app.command("balance")(balance_cmd)

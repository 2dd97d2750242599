"""Plain-text screens for hard moments: ``relapse sos``, the safety screen, urgent help.

Plain text on purpose (no Rich): these must print fast and even when almost nothing else
works. At most bold/dim ANSI when stdout is a terminal and NO_COLOR is unset. Plan items are
plain dicts (domain/plan.py); crisis data is a ``CrisisInfo`` (domain/crisis.py). Every piece
of the person's own text goes through ``for_terminal`` so it can print but never act.
"""

from __future__ import annotations

from relapse_cli.domain import plan as P
from relapse_cli.text import for_terminal

BULLET = "  - "


class Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def bold(self, text: str) -> str:
        return f"\x1b[1m{text}\x1b[0m" if self.color else text

    def dim(self, text: str) -> str:
        return f"\x1b[2m{text}\x1b[0m" if self.color else text


def _u(text: object) -> str:
    return for_terminal(str(text), single_line=True)


def _items(groups: dict[str, list[dict]], key: str, limit: int | None = None) -> list[str]:
    chosen = groups.get(key, [])
    return [BULLET + _u(P.item_line(i)) for i in chosen[:limit]]


def crisis_block(info: object, style: Style, *, brief: bool = False) -> list[str]:
    """Crisis lines for the country (with the emergency sentence last); ``brief`` leaves out
    each line's other ways in (text, chat), never a number."""
    lines: list[str] = []
    crisis_lines = getattr(info, "lines", ())
    if crisis_lines:
        where = getattr(info, "country_name", None) or getattr(info, "country", "")
        lines.append(style.bold(f"Crisis lines ({where}):"))
        for line in crisis_lines:
            extra = f" ({line.hours})" if line.hours else ""
            lines.append(f"{BULLET}{line.name}: {style.bold(line.number)}{extra}")
            if line.text and not brief:
                lines.append(f"      {line.text}")
    lines.append(style.bold(getattr(info, "sentence", P_EMERGENCY)))
    if not getattr(info, "known", False) or not crisis_lines:
        lines.append(style.dim(advice_for(info)))
    return lines


def advice_for(info: object) -> str:
    """What to do when no lines are shown: set a country, or add local services."""
    from relapse_cli.domain.crisis import load_data

    data = load_data()["international"]
    code = getattr(info, "country", None)
    return data["advice_unlisted"].format(code=code) if code else data["advice"]


P_EMERGENCY = "If you are in danger now, call your local emergency number."


# Tighter and tighter forms of the sos screen, tried in turn until it fits the terminal:
# (brief crisis lines, coping, what matters most, reasons, people, care team, blank lines).
# Fewer plan items first; the crisis lines' other ways in (text HOME to 741741) go last; the
# crisis numbers and the emergency sentence are in every form.
FITS = (
    (False, 3, 1, 2, 3, 2, True),
    (False, 2, 1, 1, 2, 1, True),
    (False, 2, 1, 1, 2, 1, False),
    (True, 2, 1, 1, 2, 1, False),
)


def screen_rows(lines: list[str], cols: int) -> int:
    """Terminal rows these lines take when long ones wrap (ANSI styling takes no room)."""
    import re

    plain = (re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines)
    return sum(max(1, -(-len(text) // max(cols, 1))) for text in plain)


def sos_screen(items: list[dict] | None, info: object, *, color: bool,
               mirror_off: bool = False, rows: int | None = None,
               cols: int = 80) -> list[str]:  # fmt: skip
    """One screen: grounding, top coping and reasons, people, crisis lines, the sentence.

    ``rows``: the terminal's height to fit into (None: no limit, e.g. a pipe); the first form
    of ``FITS`` that fits is used, else the tightest.
    """
    from relapse_cli.wrapping import wrap_lines

    for fit in FITS:  # wrapped at word boundaries first: a number is never cut by the terminal
        out = wrap_lines(_sos_form(items, info, color=color, mirror_off=mirror_off, fit=fit), cols)
        if rows is None or screen_rows(out, cols) <= rows:
            break
    return out


def _sos_form(items: list[dict] | None, info: object, *, color: bool, mirror_off: bool,
              fit: tuple) -> list[str]:  # fmt: skip
    brief, n_coping, n_matters, n_reasons, n_people, n_team, blanks = fit
    style = Style(color)
    groups = P.grouped(items or [])
    out = [style.bold("SOS. " + P.GROUNDING[0]), P.GROUNDING[1]] + ([""] if blanks else [])
    coping = _items(groups, "coping", n_coping)
    reasons = _items(groups, "matters_most", n_matters) + _items(groups, "reasons", n_reasons)
    people = _items(groups, "people", n_people)
    team = _items(groups, "professionals", n_team)
    if coping:
        out += [style.bold("What helps you:"), *coping]
    if reasons:
        out += [style.bold("Why you are doing this:"), *reasons]
    if people:
        out += [style.bold("People to call:"), *people]
    if team:
        out += [style.bold("Your care team:"), *team]
    if not (coping or reasons or people or team):
        out.append(style.dim(
            "Your plan is not shown: its copy for sos is off. See it with: relapse plan"
            if mirror_off else "No plan saved yet. When things are calmer: relapse plan build"))  # fmt: skip
    if len(out) > 3 and blanks:
        out.append("")
    return out + crisis_block(info, style, brief=brief)


REASONS = {
    "phq9_item9": "You said you have had thoughts of being better off dead or of hurting "
    "yourself. Thank you for answering honestly. You do not have to carry that alone.",
    "withdrawal": "Some of what you describe can be a medical emergency during withdrawal.",
}


def _reason_line(reason: str) -> str:
    return REASONS.get(reason, _u(reason))


def safety_screen(items: list[dict] | None, info: object, reason: str, *,
                  color: bool) -> list[str]:  # fmt: skip
    """The six-step safety plan filled with the person's own items, then crisis lines."""
    style = Style(color)
    groups = P.grouped(items or [])
    out = [style.bold("Your safety plan")]
    if reason:
        out.append(_reason_line(reason))
    out.append("")
    by_step: dict[int, list[str]] = {}
    for item in groups.get("safety_steps", []):
        by_step.setdefault(int(item.get("step") or 0), []).append(BULLET + _u(item["text"]))
    extra = {1: _items(groups, "warning_signs", 3), 2: _items(groups, "coping", 3),
             3: _items(groups, "safe_places", 2), 4: _items(groups, "people", 3),
             5: _items(groups, "professionals", 3)}  # fmt: skip
    for number, title, about in P.SAFETY_STEPS:
        out.append(style.bold(f"{number}. {title}") + style.dim(f" ({about})"))
        shown = by_step.get(number, []) + [x for x in extra.get(number, [])
                                           if x not in by_step.get(number, [])]  # fmt: skip
        if number == 5:
            shown += ["    (crisis lines below)"]
        out += shown or [style.dim("    (not filled in yet: relapse plan build)")]
    matters = _items(groups, "matters_most", 2)
    if matters:
        out += [style.bold("What matters most to you:"), *matters]
    out.append("")
    return out + crisis_block(info, style)


def urgent_screen(items: list[dict] | None, info: object, reason: str, *,
                  color: bool) -> list[str]:  # fmt: skip
    """'Get urgent medical help now': the emergency number first, then the care team."""
    style = Style(color)
    groups = P.grouped(items or [])
    emergency = getattr(info, "emergency", None)
    call = (f"Call {emergency} now, or go to the nearest emergency department."
            if emergency else "Call your local emergency number now, or go to the nearest "
            "emergency department.")  # fmt: skip
    out = [style.bold("Get urgent medical help now.")]
    if reason:
        out.append(_reason_line(reason))
    out.append(style.bold(call))
    out.append("Do not stay alone: ask someone to be with you.")
    team = _items(groups, "professionals", 4)
    people = _items(groups, "people", 2)
    if team:
        out += [style.bold("Your care team:"), *team]
    if people:
        out += [style.bold("People to call:"), *people]
    out.append("")
    return out + crisis_block(info, style)

"""Plain-text screens for hard moments: ``relapse sos``, the safety screen, urgent help.

Plain text on purpose (no Rich): these must print fast and even when almost nothing else
works. At most bold/dim ANSI when stdout is a terminal and NO_COLOR is unset. Plan items are
plain dicts (plan/model/plan.py); crisis data is a ``CrisisInfo`` (plan/model/crisis.py). Every piece
of the person's own text goes through ``for_terminal`` so it can print but never act.
"""

from __future__ import annotations

from relapse_cli.core.text import for_terminal
from relapse_cli.plan.model import plan as P

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
    """One plan part as bullet lines; a part that cannot be drawn is one short line instead
    (a damaged part never takes the screen or the crisis lines with it)."""
    try:
        chosen = groups.get(key, [])
        return [BULLET + _u(P.item_line(i)) for i in chosen[:limit]]
    except Exception:  # noqa: BLE001 - skip the part, keep the screen
        return [BULLET + PART_SKIPPED]


PART_SKIPPED = "(this part of your plan could not be read, so it is skipped)"
MIRROR_SKIPPED = (
    "Part of your plan's copy for sos could not be read and is skipped "
    "(rewrite it: relapse plan mirror on)."
)
MIRROR_DAMAGED = (
    "Your plan's copy for sos could not be read, so it is skipped "
    "(rewrite it: relapse plan mirror on)."
)


def crisis_block(info: object, style: Style, *, brief: bool = False) -> list[str]:
    """Crisis lines for the country (with the emergency sentence last); ``brief`` leaves out
    each line's other ways in (text, chat), never a number. No country known at all: one
    line saying so and how to set it, then the main line of every shipped country, so the
    list is never empty. Never raises: at worst, the emergency sentence alone."""
    try:
        return _crisis_block(info, style, brief=brief)
    except Exception:  # noqa: BLE001 - the sentence must always print
        return [style.bold(P_EMERGENCY)]


def _crisis_block(info: object, style: Style, *, brief: bool) -> list[str]:
    lines: list[str] = []
    crisis_lines = getattr(info, "lines", ())
    code = getattr(info, "country", None)
    if crisis_lines:
        where = getattr(info, "country_name", None) or code or ""
        lines.append(style.bold(f"Crisis lines ({where}):"))
        for line in crisis_lines:
            extra = f" ({line.hours})" if line.hours else ""
            lines.append(f"{BULLET}{line.name}: {style.bold(line.number)}{extra}")
            if line.text and not brief:
                lines.append(f"      {line.text}")
    elif code is None:
        lines += _fallback_lines(style)
    lines.append(style.bold(getattr(info, "sentence", P_EMERGENCY)))
    if code is not None and (not getattr(info, "known", False) or not crisis_lines):
        lines.append(style.dim(advice_for(info)))
    return lines


def _fallback_lines(style: Style) -> list[str]:
    """No country known (issue 19): say so, how to set it, and every shipped country's line."""
    from relapse_cli.plan.model.crisis import fallback, load_data

    data = load_data()["international"]
    out = [style.dim(data["no_country"]), style.bold(data["fallback_title"])]
    for country, name, number, emergency in fallback():
        out.append(f"{BULLET}{country}: {name}, {style.bold(number)}; emergency {emergency}")
    return out


def has_lines_below(info: object) -> bool:
    """Whether ``crisis_block`` will list at least one line (a country's or the fallback)."""
    return bool(getattr(info, "lines", ())) or getattr(info, "country", None) is None


def advice_for(info: object) -> str:
    """What to do when no lines are shown: set a country, or add local services."""
    from relapse_cli.plan.model.crisis import load_data

    data = load_data()["international"]
    code = getattr(info, "country", None)
    return data["advice_unlisted"].format(code=code) if code else data["advice"]


P_EMERGENCY = "If you are in danger now, call your local emergency number."


# Tighter and tighter forms of the sos screen, tried in turn until it fits the terminal:
# (brief crisis lines, coping, what matters most, reasons, people, care team, blank lines,
# safety-plan steps). Fewer plan items first; the crisis lines' other ways in (text HOME to
# 741741) go last; the crisis numbers and the emergency sentence are in every form.
FITS = (
    (False, 3, 1, 2, 3, 2, True, 3),
    (False, 2, 1, 1, 2, 1, True, 2),
    (False, 2, 1, 1, 2, 1, False, 2),
    (True, 2, 1, 1, 2, 1, False, 1),
)


def screen_rows(lines: list[str], cols: int) -> int:
    """Terminal rows these lines take when long ones wrap (ANSI styling takes no room)."""
    import re

    plain = (re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines)
    return sum(max(1, -(-len(text) // max(cols, 1))) for text in plain)


def sos_screen(
    items: list[dict] | None,
    info: object,
    *,
    color: bool,
    mirror_off: bool = False,
    rows: int | None = None,
    cols: int = 80,
    skipped: int = 0,
    damaged: bool = False,
) -> list[str]:
    """One screen: grounding, top coping and reasons, people, crisis lines, the sentence.

    ``rows``: the terminal's height to fit into (None: no limit, e.g. a pipe); the first form
    of ``FITS`` that fits is used, else the tightest. ``skipped``/``damaged``: what reading
    the mirror lost (plan/store/mirror.py), said in one short line. If drawing the plan fails
    whatever the reason, the grounding line and the crisis block are still returned.
    """
    from relapse_cli.core.wrapping import wrap_lines

    try:
        for fit in FITS:  # wrapped at word boundaries first: a number is never cut by the terminal
            out = _sos_form(
                items,
                info,
                color=color,
                mirror_off=mirror_off,
                fit=fit,
                skipped=skipped,
                damaged=damaged,
            )
            out = wrap_lines(out, cols)
            if rows is None or screen_rows(out, cols) <= rows:
                break
        return out
    except Exception:  # noqa: BLE001 - the crisis lines must print whatever the plan holds
        style = Style(color)
        return wrap_lines(
            [
                style.bold("SOS. " + P.GROUNDING[0]),
                P.GROUNDING[1],
                style.dim(MIRROR_DAMAGED),
                *crisis_block(info, style, brief=True),
            ],
            cols,
        )


def _sos_form(
    items: list[dict] | None,
    info: object,
    *,
    color: bool,
    mirror_off: bool,
    fit: tuple,
    skipped: int = 0,
    damaged: bool = False,
) -> list[str]:
    brief, n_coping, n_matters, n_reasons, n_people, n_team, blanks, n_safety = fit
    style = Style(color)
    try:
        groups = P.grouped(items or [])
    except Exception:  # noqa: BLE001 - draw no plan rather than no screen
        groups, damaged = P.grouped([]), True
    out = [style.bold("SOS. " + P.GROUNDING[0]), P.GROUNDING[1]] + ([""] if blanks else [])
    # The relapse-prevention plan's parts, then the crisis safety plan's own items apart
    # (plan/model/plan.py PARTS): a safety step is never shown as an urge-coping step.
    # (What matters most, from the safety plan, stands first among the reasons: it is the
    # person's own reason for living, not an urge-coping step.)
    coping = _items(groups, "coping", n_coping)
    reasons = _items(groups, "matters_most", n_matters) + _items(groups, "reasons", n_reasons)
    people = _items(groups, "people", n_people)
    team = _items(groups, "professionals", n_team)
    safety = _items(groups, "safety_steps", n_safety)
    if coping:
        out += [style.bold("What helps you:"), *coping]
    if reasons:
        out += [style.bold("Why you are doing this:"), *reasons]
    if people:
        out += [style.bold("People to call:"), *people]
    if team:
        out += [style.bold("Your care team:"), *team]
    if safety:
        out += [style.bold("Your safety plan, for a crisis:"), *safety]
    if damaged:
        out.append(style.dim(MIRROR_DAMAGED))
    elif skipped:
        out.append(style.dim(MIRROR_SKIPPED))
    if not (coping or reasons or people or team or safety) and not damaged:
        out.append(
            style.dim(
                "Your plan is not shown: its copy for sos is off. See it with: relapse plan"
                if mirror_off
                else "No plan saved yet. When things are calmer: relapse plan build"
            )
        )
    if len(out) > 3 and blanks:
        out.append("")
    return out + crisis_block(info, style, brief=brief)


REASONS = {
    "phq9_item9": "You said you have had thoughts of being better off dead or of hurting "
    "yourself. Thank you for answering honestly. You do not have to carry that alone.",
    "self_harm": "You said you are having thoughts of harming yourself or of ending your life. "
    "Thank you for saying so. You do not have to carry that alone.",
    "withdrawal": "Some of what you describe can be a medical emergency during withdrawal.",
}


def _reason_line(reason: str) -> str:
    return REASONS.get(reason, _u(reason))


def safety_screen(
    items: list[dict] | None,
    info: object,
    reason: str,
    *,
    color: bool,
    skipped: int = 0,
    damaged: bool = False,
) -> list[str]:
    """The six-step suicide safety plan with the person's own safety-plan items only (never
    relapse-plan items: Stanley & Brown's step 1 is signs of a suicidal crisis, not of a
    lapse), what matters most, then crisis lines. An empty safety plan says so plainly and
    how to add to it."""
    style = Style(color)
    out = [style.bold("Your safety plan")]
    if reason:
        out.append(_reason_line(reason))
    out.append("")
    by_step: dict[int, list[str]] = {}
    matters: list[str] = []
    try:
        groups = P.grouped(items or [])
        for item in groups.get("safety_steps", []):
            by_step.setdefault(P.step_of(item), []).append(BULLET + _u(item.get("text", "")))
        matters = _items(groups, "matters_most", 2)
    except Exception:  # noqa: BLE001 - show the steps and the lines without the items
        by_step, damaged = {}, True
    filled = any(by_step.get(n) for n, _, _ in P.SAFETY_STEPS)
    if damaged:
        out.append(style.dim(MIRROR_DAMAGED))
    elif skipped:
        out.append(style.dim(MIRROR_SKIPPED))
    if not filled:
        out.append(P.SAFETY_EMPTY)
    lines_below = has_lines_below(info)
    for number, title, about in P.SAFETY_STEPS:
        out.append(style.bold(f"{number}. {title}") + style.dim(f" ({about})"))
        shown = list(by_step.get(number, []))
        if number == 5:
            shown.append(
                "    (crisis lines below)"
                if lines_below
                else "    (your local emergency number, below)"
            )
        elif filled and not shown:
            shown.append(style.dim("    (nothing here yet)"))
        out += shown
    if matters:
        out += [style.bold("What matters most to you:"), *matters]
    out.append("")
    return out + crisis_block(info, style)


def urgent_screen(items: list[dict] | None, info: object, reason: str, *, color: bool) -> list[str]:
    """'Get urgent medical help now': the emergency number first, then the care team."""
    style = Style(color)
    groups = P.grouped(items or [])
    emergency = getattr(info, "emergency", None)
    call = (
        f"Call {emergency} now, or go to the nearest emergency department."
        if emergency
        else "Call your local emergency number now, or go to the nearest emergency department."
    )
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

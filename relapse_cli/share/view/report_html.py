"""The session report: one self-contained HTML file, printable on one or two pages.

Plain data in (see ``share/formats/htmlfmt.py``), a string out. No script, no external asset, a
Content-Security-Policy that forbids both anyway, and every word that came from the person
escaped with ``esc``: a note holding ``<script>`` shows as that text and runs nothing.
Sections appear only when they have something to show.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING

from relapse_cli.core.text import for_terminal
from relapse_cli.core.timeparse import from_storage
from relapse_cli.render import describe
from relapse_cli.share.view import svg

if TYPE_CHECKING:
    from jinja2 import Template
    from markupsafe import Markup

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"
CRISIS = "If you are in danger now, call your local emergency number."
NOT_A_DIAGNOSIS = "These are screening scores, not a diagnosis; talk them over with your clinician."

STYLE = """
@page { margin: 10mm 12mm; }
* { box-sizing: border-box; }
body { font: 9pt/1.3 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1f2933;
       margin: 0 auto; max-width: 190mm; }
h1 { font-size: 14pt; margin: 0 0 1mm; }
h2 { font-size: 10.5pt; margin: 3mm 0 1mm; border-bottom: 0.6pt solid #cbd2d9;
     padding-bottom: 0.5mm; break-after: avoid; page-break-after: avoid; }
h3 { break-after: avoid; page-break-after: avoid; }
/* A section (heading, intro and its few rows) prints whole: no heading alone at a page's
   foot. Sections are short by design (SECTION_ROWS); a longer one breaks between rows. */
.sec { break-inside: avoid; page-break-inside: avoid; }
p { margin: 0.5mm 0; }
.muted { color: #616e7c; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 1.5mm; margin: 2mm 0; }
.figure { border: 0.6pt solid #cbd2d9; border-radius: 1.5mm; padding: 1.2mm 2mm; }
.figure b { display: block; font-size: 12pt; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 2mm 5mm; }
.chart { break-inside: avoid; }
.chart h3 { font-size: 9pt; margin: 1mm 0 0; }
table { border-collapse: collapse; width: 100%; break-inside: auto; }
th, td { text-align: left; padding: 0.6mm 1.5mm; border-bottom: 0.4pt solid #e4e7eb;
         vertical-align: top; }
th { font-weight: 600; color: #3e4c59; }
th[scope="row"] { font-weight: normal; color: inherit; }
/* Words for screen readers only (a blank header's meaning, "use" on a shaded day). */
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
      white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; }
.cal td { width: 14.2%; height: 4.5mm; border: 0.4pt solid #e4e7eb; font-size: 7.5pt; }
.cal td.use { background: #fbe9c9; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.cal .amt { display: block; font-weight: 600; font-size: 8.5pt; }
.note { white-space: pre-wrap; overflow-wrap: anywhere; }
.crisis { margin-top: 1.5mm; font-weight: 600; }
.kind { font-size: 8pt; line-height: 1.15; }
.kind h2 { font-size: 9.5pt; margin-top: 1.8mm; }
.kind p { margin: 0; }
.kind th, .kind td { padding: 0.1mm 1.2mm; }
td.s { white-space: nowrap; }
.keep { break-inside: avoid; }
.pairs { columns: 2; column-gap: 5mm; font-size: 7.5pt; line-height: 1.2;
         overflow-wrap: anywhere; }
footer { margin-top: 2mm; font-size: 7.5pt; color: #616e7c; }
"""


CHART_HEIGHT = 100  # of 340 wide: four charts in two rows leave room for every section


def esc(text: object) -> str:
    """Anything from the journal, made inert text: HTML-escaped, and control characters
    (ESC, BEL, C1, bidi overrides) shown as visible escapes as the Markdown export does, since
    a report is also read with ``cat`` or ``less`` (issue 22)."""
    return escape(for_terminal("" if text is None else str(text)), quote=True)


def _num(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.{digits}f}"


def _day(text: str) -> str:
    return f"{date.fromisoformat(text):%-d %b %Y}"


def _local(utc: str, offset: int) -> str:
    return f"{from_storage(utc, offset):%a %-d %b %H:%M}"


def _table(
    head: list[str],
    rows: list[list[object]],
    numeric: set[int] | None = None,
    short: set[int] | None = None,
) -> dict:
    """A table for the template's ``table`` macro: each header and cell with its class."""
    numeric, short = numeric or set(), short or set()

    def cls(i: int) -> str:
        return " ".join(n for n, on in (("n", i in numeric), ("s", i in short)) if on)

    return {
        "by_row": bool(head) and not str(head[0]).strip(),
        "head": [(h, cls(i)) for i, h in enumerate(head)],
        "rows": [[(c, cls(i)) for i, c in enumerate(r)] for r in rows],
    }


def _figures(summary: dict | None, ov: dict, uses_shown: bool) -> list[tuple[str, str]]:
    t = ov["totals"]
    days = ov["days"]
    use_days = t["use_days"]
    cells = []
    if not uses_shown:
        summary = None  # --kinds left uses out: no figures about them
    if summary is not None and summary.get("days_since_last_use") is not None:
        cells.append((f"{summary['days_since_last_use']} days", "since last use"))
        if summary.get("longest_streak") is not None:
            cells.append((f"{summary['longest_streak']} days", "longest streak"))
    if uses_shown:
        pda = round(100 * (days - use_days) / days) if days else 0
        cells.append((f"{pda} %", f"days abstinent ({days - use_days} of {days})"))
        cells.append((str(use_days), "use days in the period"))
    mean = t["mean_intensity"]
    trend = ""
    before = ov.get("previous_period")
    if before is not None and before["cravings"]:
        change = round(100 * (t["cravings"] - before["cravings"]) / before["cravings"])
        trend = f"; {'up' if change > 0 else 'down'} {abs(change)} % on the {days} days before"
        if change == 0:
            trend = f"; the same as the {days} days before"
    elif before is not None:
        trend = f"; none in the {days} days before"
    cells.append((str(t["cravings"]), f"cravings{trend}"))
    cells.append((f"{_num(mean)}/10" if mean is not None else "—", "mean craving intensity"))
    if t["cravings"]:
        share = round(100 * t["resisted"] / t["cravings"])
        cells.append((f"{share} %", f"of cravings resisted ({t['resisted']})"))
    if summary is not None and summary.get("sober_days") is not None:
        cells.append(
            (
                str(summary["sober_days"]),
                f"sober days of {summary.get('days_counted')} since "
                f"{summary.get('recovery_start')}",
            )
        )
    return cells[:8]


def _charts(ov: dict) -> list[tuple[str, Markup]]:
    """The charts as (heading, SVG): the SVG is ours (render/svg.py escapes its labels)."""
    from markupsafe import Markup

    per_day = ov["per_day"]
    days = [d["date"] for d in per_day]
    charts = []
    if ov["totals"]["cravings"]:
        counts = [d["cravings"] or 0 for d in per_day]
        charts.append(
            (
                "Cravings per day",
                svg.bars(
                    days,
                    counts,
                    "Cravings per day",
                    height=CHART_HEIGHT,
                    desc=describe.series("Cravings per day", days, counts),
                ),
            )
        )
        means = [d["mean_intensity"] for d in per_day]
        rolling: list[float | None] = []
        for i in range(len(means)):
            window = [m for m in means[max(0, i - 6) : i + 1] if m is not None]
            rolling.append(sum(window) / len(window) if window else None)
        charts.append(
            (
                "Craving intensity (0-10)",
                svg.lines(
                    days,
                    [
                        ("daily mean", means, svg.SOFT, False),
                        ("7-day mean", rolling, svg.BAR, True),  # dashed: not colour alone
                    ],
                    "Craving intensity per day and its 7-day mean",
                    height=CHART_HEIGHT,
                    desc=describe.series(
                        "Mean craving intensity per day", days, means, scale=" (0 to 10)"
                    ),
                ),
            )
        )
        charts.append(
            (
                "When cravings come: weekday by hour",
                svg.heatmap(
                    ov["heatmap"],
                    "Cravings by weekday and hour",
                    height=CHART_HEIGHT,
                    desc=describe.heatmap(ov["heatmap"]),
                ),
            )
        )
    if ov["totals"]["moods"]:
        mood, anxiety = [d["mood"] for d in per_day], [d["anxiety"] for d in per_day]
        said = (
            describe.series("Mood", days, mood, scale=" (0 to 10)")
            + " "
            + describe.series("Anxiety", days, anxiety, scale=" (0 to 10)")
        )
        charts.append(
            (
                "Mood and anxiety (0-10)",
                svg.lines(
                    days,
                    [("mood", mood, svg.BAR, False), ("anxiety", anxiety, svg.ALT, True)],
                    "Mood and anxiety per day",
                    height=CHART_HEIGHT,
                    desc=said,
                ),
            )
        )
    return [(t, Markup(c)) for t, c in charts]  # noqa: S704 - svg.py escapes every label


def _calendar(ov: dict) -> dict:
    """Timeline followback: each day of the period, with the amount on use days (None: a day
    outside the period, blank rather than a number greyed out by colour)."""
    per_day = {d["date"]: d for d in ov["per_day"]}
    first = date.fromisoformat(ov["first_day"])
    last = date.fromisoformat(ov["last_day"])
    day = date.fromordinal(first.toordinal() - first.weekday())
    weeks = []
    while day <= last:
        week: list[dict | None] = []
        for _ in range(7):
            info = per_day.get(day.isoformat())
            if info is None:
                week.append(None)
            elif info["uses"]:
                logged = info["amount"] is not None
                week.append(
                    {
                        "day": day.day,
                        "use": True,
                        "said": logged,
                        "amount": _num(info["amount"]) if logged else "use",
                    }
                )
            else:
                week.append({"day": day.day, "use": False})
            day = date.fromordinal(day.toordinal() + 1)
        weeks.append(week)
    return {"weeks": weeks, "head": list(zip(svg.WEEKDAYS, describe.WEEKDAY_NAMES, strict=True))}


def _triggers_and_coping(ov: dict) -> list[tuple[str, dict]]:
    parts = []
    if ov["top_triggers"]:
        rows = [
            [t["name"], str(t["count"]), _num(t["mean_intensity"]), str(t["uses"] or 0)]
            for t in ov["top_triggers"]
        ]
        parts.append(
            (
                "Top triggers",
                _table(["trigger", "times", "mean craving", "ended in use"], rows, {1, 2, 3}),
            )
        )
    if ov["coping"]:
        rows = [
            [
                c["name"],
                str(c["times"]),
                f"{round(100 * (c['resisted_share'] or 0))} %",
                _num(c["mean_drop"]),
            ]
            for c in ov["coping"]
        ]
        parts.append(
            (
                "What worked",
                _table(["coping strategy", "times", "resisted", "mean drop"], rows, {1, 2, 3}),
            )
        )
    return parts


def _uses(ov: dict, notes: bool) -> dict | None:
    if not ov["uses"]:
        return None
    rows = []
    for u in ov["uses"]:
        amount = f"{_num(u['amount'])} {u['unit'] or ''}".strip() if u["amount"] else ""
        said = {
            "said": [x for x in (u["context"], u["led_up_to"]) if x],
            "note": u["note"] if notes else None,
        }
        rows.append([_local(u["occurred_at"], u["utc_offset_min"]), u["substance"], amount, said])
    table = _table(["when", "substance", "amount", "what led up to it"], rows)
    return {"table": table, "whole": len(rows) <= SECTION_ROWS}  # a long list breaks, by row


SHORT_CELL = 12  # cells this short never wrap (dates, "not yet", scores)
NARROW = (6, 80)  # at most 6 columns whose widest cells add up to this many characters


PAIR_CHARS = 120  # a plan part longer than this is clipped: two columns of about two lines


def _clip(text: str) -> str:
    """At most PAIR_CHARS, cut at a word, with an ellipsis (the whole text is in -f md)."""
    if len(text) <= PAIR_CHARS:
        return text
    return text[: PAIR_CHARS - 1].rsplit(" ", 1)[0].rstrip(";, ") + " …"


SECTION_ROWS = 8  # a busy month's thought records or tasks: the rest are in `-f md`
TIMED_HEADS = ("when", "day", "date")  # a first column like these: rows in time order


def _fit(sec: dict) -> dict:
    """At most SECTION_ROWS rows: the latest ones when the rows run in time, else the first."""
    rows = sec["rows"]
    if len(rows) <= SECTION_ROWS:
        return sec
    timed = bool(sec["head"]) and str(sec["head"][0]).lower() in TIMED_HEADS
    kept = rows[-SECTION_ROWS:] if timed else rows[:SECTION_ROWS]
    which = "latest" if timed else "first"
    more = (
        f"The {which} {SECTION_ROWS} of {len(rows)}; all of them are in the Markdown "
        "journal (relapse export -f md)."
    )
    intro = f"{sec['intro']} {more}" if sec.get("intro") else more
    return {**sec, "rows": kept, "intro": intro}


def _note(text: str) -> dict:
    """A long cell: the template's ``cell`` shows it as a note (pre-wrap, breaks anywhere)."""
    return {"said": [text], "note": None}


def _section(sec: dict) -> dict:
    """A kind-specific section (see ``share/formats/sections.py``) for the template's ``section``."""
    if sec.get("layout") == "pairs":  # the plan's compact block: labelled parts as one flow
        return {
            "title": sec["title"],
            "pairs": [(k, _clip(str(v))) for k, v in sec["rows"]],
            "clipped": any(len(str(v)) > PAIR_CHARS for _k, v in sec["rows"]),
        }
    sec = _fit(sec)
    rows = [
        [c if not isinstance(c, str) or len(c) <= SHORT_CELL else _note(c) for c in row]
        for row in sec["rows"]
    ]
    short = {
        i
        for i, _ in enumerate(sec["head"])
        if all(len(str(r[i])) <= SHORT_CELL for r in sec["rows"] if i < len(r))
    }
    table = _table(list(sec["head"]), rows, set(sec.get("numeric", ())), short)
    return {"title": sec["title"], "intro": sec.get("intro"), "table": table}


def _narrow(sec: dict) -> bool:
    columns, width = NARROW
    sec = _fit(sec)
    columns_text = zip(sec["head"], *sec["rows"], strict=False)
    widths = [max(len(str(c)) for c in column) for column in columns_text]
    return len(sec["head"]) <= columns and sum(widths) <= width


def _sections(sections: list[dict]) -> list[list[dict]]:
    """Kind sections in a compact type; narrow ones two to a row (the next narrow one moves up
    beside it), so a month with every kind of record still prints on two pages."""
    out: list[list[dict]] = []
    waiting: list[dict] = list(sections)
    while waiting:
        sec = waiting.pop(0)
        partner = next((s for s in waiting if _narrow(s)), None) if _narrow(sec) else None
        if partner is None:
            out.append([_section(sec)])
            continue
        waiting.remove(partner)
        out.append([_section(sec), _section(partner)])
    return out


REPORT_NOTES = 3  # the latest notes that fit the two printed pages; all are in `-f md`


def _notes(items: list[dict], total: int) -> dict | None:
    if not items:
        return None
    items = items[-REPORT_NOTES:]
    rows = [
        [_local(n["occurred_at"], n["utc_offset_min"]), n["kind"], _note(n["note"])] for n in items
    ]
    return {
        "table": _table(["when", "entry", "note"], rows),
        "shown": len(items),
        "total": total,
        "more": total > len(items),
    }


def _finalize(value: object) -> Markup:
    """Every ``{{ }}`` of the template: Markup (charts, style) as it is, anything else through
    ``esc`` (autoescape's own escaping, plus control characters shown)."""
    from markupsafe import Markup

    return value if isinstance(value, Markup) else Markup(esc(value))  # noqa: S704 - escaped


def _template() -> Template:
    """The report template (share/view/templates/report.html). Jinja2 is imported here only: the
    report and HTML export paths load it, never ``relapse log`` or ``sos``."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("relapse_cli.share.view", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template("report.html")


def report(data: dict) -> str:
    from markupsafe import Markup

    ov = data["overview"]
    title = f"Session report: {data['person']}" if data.get("person") else "Session report"
    period = f"{_day(ov['first_day'])} – {_day(ov['last_day'])} ({ov['days']} days)"
    empty = ov["totals"]["entries"] == 0 and not data.get("sections")
    kinds = data.get("kinds")
    uses_shown = kinds is None or "use" in kinds
    notes_included = data["notes_included"]
    page = _template().render(
        csp=Markup(CSP),  # noqa: S704 - ours
        style=Markup(STYLE),  # noqa: S704 - ours
        title=title,
        period=period,
        generated=data["generated"],
        empty=empty,
        crisis=CRISIS,
        notes_included=notes_included,
        figures=[] if empty else _figures(data.get("summary"), ov, uses_shown),
        charts=[] if empty else _charts(ov),
        calendar=_calendar(ov) if uses_shown and not empty else None,
        ranked=[] if empty else _triggers_and_coping(ov),
        lapses=None if empty else _uses(ov, notes_included),
        sections=[] if empty else _sections(data.get("sections", [])),
        notes=_notes(*data["notes"]) if notes_included and not empty else None,
    )
    return for_terminal(page)  # the whole page: no path (svg labels, section cells) can miss it

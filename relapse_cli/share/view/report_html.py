"""The session report: one self-contained HTML file, printable on one or two pages.

Plain data in (see ``share/formats/htmlfmt.py``), a string out. No script, no external asset, a
Content-Security-Policy that forbids both anyway, and every word that came from the person
escaped with ``esc``: a note holding ``<script>`` shows as that text and runs nothing.
Sections appear only when they have something to show.
"""

from __future__ import annotations

from datetime import date
from html import escape

from relapse_cli.core.text import for_terminal
from relapse_cli.core.timeparse import from_storage
from relapse_cli.render import describe
from relapse_cli.share.view import svg

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"
CRISIS = "If you are in danger now, call your local emergency number."
NOT_A_DIAGNOSIS = ("These are screening scores, not a diagnosis; talk them over with your "
                   "clinician.")  # fmt: skip

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


def _figure(value: str, label: str) -> str:
    return f'<div class="figure"><b>{value}</b>{label}</div>'


def _table(head: list[str], rows: list[list[str]], numeric: set[int] | None = None,
           short: set[int] | None = None) -> str:  # fmt: skip
    numeric, short = numeric or set(), short or set()

    def cls(i: int) -> str:
        names = " ".join(n for n, on in (("n", i in numeric), ("s", i in short)) if on)
        return f' class="{names}"' if names else ""

    # A blank first header means the first column names each row ("mean mood", "using"):
    # those cells are row headers and the corner stays an empty data cell, so no header is
    # ever empty for a screen reader (axe-core: empty-table-header).
    by_row = bool(head) and not str(head[0]).strip()
    th = "".join("<td></td>" if by_row and i == 0 else f'<th scope="col"{cls(i)}>{h}</th>'
                 for i, h in enumerate(head))  # fmt: skip

    def cell(i: int, c: str) -> str:
        tag, scope = ("th", ' scope="row"') if by_row and i == 0 else ("td", "")
        return f"<{tag}{scope}{cls(i)}>{c}</{tag}>"

    body = "".join("<tr>" + "".join(cell(i, c) for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _figures(summary: dict | None, ov: dict, uses_shown: bool) -> str:
    t = ov["totals"]
    days = ov["days"]
    use_days = t["use_days"]
    cells = []
    if not uses_shown:
        summary = None  # --kinds left uses out: no figures about them
    if summary is not None and summary.get("days_since_last_use") is not None:
        cells.append(_figure(f"{summary['days_since_last_use']} days", "since last use"))
        if summary.get("longest_streak") is not None:
            cells.append(_figure(f"{summary['longest_streak']} days", "longest streak"))
    if uses_shown:
        pda = round(100 * (days - use_days) / days) if days else 0
        cells.append(_figure(f"{pda} %", f"days abstinent ({days - use_days} of {days})"))
        cells.append(_figure(str(use_days), "use days in the period"))
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
    cells.append(_figure(str(t["cravings"]), f"cravings{esc(trend)}"))
    cells.append(_figure(f"{_num(mean)}/10" if mean is not None else "—", "mean craving intensity"))
    if t["cravings"]:
        share = round(100 * t["resisted"] / t["cravings"])
        cells.append(_figure(f"{share} %", f"of cravings resisted ({t['resisted']})"))
    if summary is not None and summary.get("sober_days") is not None:
        cells.append(_figure(str(summary["sober_days"]),
                             f"sober days of {summary.get('days_counted')} since "
                             f"{esc(summary.get('recovery_start'))}"))  # fmt: skip
    return '<div class="figures">' + "".join(cells[:8]) + "</div>"


def _charts(ov: dict) -> str:
    per_day = ov["per_day"]
    days = [d["date"] for d in per_day]
    charts = []
    if ov["totals"]["cravings"]:
        charts.append(
            (
                "Cravings per day",
                svg.bars(
                    days,
                    [d["cravings"] or 0 for d in per_day],
                    "Cravings per day",
                    height=CHART_HEIGHT,
                    desc=describe.series(
                        "Cravings per day", days, [d["cravings"] or 0 for d in per_day]
                    ),  # fmt: skip
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
                    ),  # fmt: skip
                ),
            )
        )
        charts.append(("When cravings come: weekday by hour",
                       svg.heatmap(ov["heatmap"], "Cravings by weekday and hour",
                                   height=CHART_HEIGHT,
                                   desc=describe.heatmap(ov["heatmap"]))))  # fmt: skip
    if ov["totals"]["moods"]:
        mood, anxiety = [d["mood"] for d in per_day], [d["anxiety"] for d in per_day]
        said = (describe.series("Mood", days, mood, scale=" (0 to 10)") + " "
                + describe.series("Anxiety", days, anxiety, scale=" (0 to 10)"))  # fmt: skip
        charts.append(("Mood and anxiety (0-10)", svg.lines(
            days, [("mood", mood, svg.BAR, False), ("anxiety", anxiety, svg.ALT, True)],
            "Mood and anxiety per day", height=CHART_HEIGHT, desc=said)))  # fmt: skip
    if not charts:
        return ""
    cells = [f'<div class="chart"><h3>{t}</h3>{c}</div>' for t, c in charts]
    # The heading prints with the first row of charts, never alone at a page's foot.
    rest = f'<div class="grid2">{"".join(cells[2:])}</div>' if cells[2:] else ""
    return (f'<div class="sec"><h2>Patterns</h2><div class="grid2">{"".join(cells[:2])}</div>'
            f"</div>{rest}")  # fmt: skip


def _calendar(ov: dict) -> str:
    """Timeline followback: each day of the period, with the amount on use days."""
    per_day = {d["date"]: d for d in ov["per_day"]}
    first = date.fromisoformat(ov["first_day"])
    last = date.fromisoformat(ov["last_day"])
    start = date.fromordinal(first.toordinal() - first.weekday())
    rows = []
    day = start
    while day <= last:
        cells = []
        for _ in range(7):
            info = per_day.get(day.isoformat())
            if info is None:  # outside the period: blank, not a number greyed out by colour
                cells.append("<td></td>")
            elif info["uses"]:
                amount = _num(info["amount"]) if info["amount"] is not None else "use"
                said = ('<span class="vh"> logged, a use day</span>'
                        if info["amount"] is not None else "")  # fmt: skip
                cells.append(f'<td class="use">{day.day}<span class="amt">{amount}</span>'
                             f"{said}</td>")  # fmt: skip
            else:
                cells.append(f"<td>{day.day}</td>")
            day = date.fromordinal(day.toordinal() + 1)
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f'<th scope="col"><abbr title="{name}">{d}</abbr></th>'
                   for d, name in zip(svg.WEEKDAYS, describe.WEEKDAY_NAMES, strict=True))  # fmt: skip
    return ('<div class="sec"><h2>Timeline followback</h2><p class=muted>Shaded days had a '
            "use (with the amount logged); the other days in the period had none logged; "
            "blank days are outside it.</p>"
            f'<table class="cal"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
            "</table></div>")  # fmt: skip


def _triggers_and_coping(ov: dict) -> str:
    parts = []
    if ov["top_triggers"]:
        rows = [[esc(t["name"]), str(t["count"]), _num(t["mean_intensity"]), str(t["uses"] or 0)]
                for t in ov["top_triggers"]]  # fmt: skip
        parts.append(
            '<div class="sec"><h2>Top triggers</h2>'
            + _table(["trigger", "times", "mean craving", "ended in use"], rows, {1, 2, 3})
            + "</div>"
        )
    if ov["coping"]:
        rows = [[esc(c["name"]), str(c["times"]),
                 f"{round(100 * (c['resisted_share'] or 0))} %", _num(c["mean_drop"])]
                for c in ov["coping"]]  # fmt: skip
        parts.append(
            '<div class="sec"><h2>What worked</h2>'
            + _table(["coping strategy", "times", "resisted", "mean drop"], rows, {1, 2, 3})
            + "</div>"
        )
    return f'<div class="grid2">{"".join(parts)}</div>' if parts else ""


def _uses(ov: dict, notes: bool) -> str:
    if not ov["uses"]:
        return ""
    rows = []
    for u in ov["uses"]:
        amount = f"{_num(u['amount'])} {esc(u['unit'] or '')}".strip() if u["amount"] else ""
        said = [esc(x) for x in (u["context"], u["led_up_to"]) if x]
        if notes and u["note"]:
            said.append(f"<i>{esc(u['note'])}</i>")
        rows.append([_local(u["occurred_at"], u["utc_offset_min"]), esc(u["substance"]), amount,
                     '<span class="note">' + " — ".join(said) + "</span>"])  # fmt: skip
    table = _table(["when", "substance", "amount", "what led up to it"], rows)
    keep = ' class="sec"' if len(rows) <= SECTION_ROWS else ""  # a long list breaks, after a row
    return f"<div{keep}><h2>Lapses</h2>{table}</div>"


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
    more = (f"The {which} {SECTION_ROWS} of {len(rows)}; all of them are in the Markdown "
            "journal (relapse export -f md).")  # fmt: skip
    intro = f"{sec['intro']} {more}" if sec.get("intro") else more
    return {**sec, "rows": kept, "intro": intro}


def _section(sec: dict) -> str:
    """A kind-specific section (see ``share/formats/sections.py``); every cell is escaped here."""
    if sec.get("layout") == "pairs":  # the plan's compact block: labelled parts as one flow
        parts = [f"<b>{esc(k)}:</b> {esc(_clip(str(v)))}" for k, v in sec["rows"]]
        if any(len(str(v)) > PAIR_CHARS for _k, v in sec["rows"]):
            parts.append('<span class="muted">(all of it: relapse plan, or -f md)</span>')
        flow = " <span class=muted>·</span> ".join(parts)
        return f'<div class="sec"><h2>{esc(sec["title"])}</h2><p class="pairs">{flow}</p></div>'
    sec = _fit(sec)
    body = f"<h2>{esc(sec['title'])}</h2>"
    if sec.get("intro"):
        body += f"<p class=muted>{esc(sec['intro'])}</p>"
    rows = [[esc(c) if not isinstance(c, str) or len(c) <= SHORT_CELL
             else f'<span class="note">{esc(c)}</span>' for c in row]
            for row in sec["rows"]]  # fmt: skip
    short = {i for i, _ in enumerate(sec["head"])
             if all(len(str(r[i])) <= SHORT_CELL for r in sec["rows"] if i < len(r))}  # fmt: skip
    head = [esc(h) for h in sec["head"]]
    table = _table(head, rows, set(sec.get("numeric", ())), short)
    return f'<div class="sec">{body}{table}</div>'


def _narrow(sec: dict) -> bool:
    columns, width = NARROW
    sec = _fit(sec)
    columns_text = zip(sec["head"], *sec["rows"], strict=False)
    widths = [max(len(str(c)) for c in column) for column in columns_text]
    return len(sec["head"]) <= columns and sum(widths) <= width


def _sections(sections: list[dict]) -> str:
    """Kind sections in a compact type; narrow ones two to a row (the next narrow one moves up
    beside it), so a month with every kind of record still prints on two pages."""
    out: list[str] = []
    waiting: list[dict] = list(sections)
    while waiting:
        sec = waiting.pop(0)
        partner = next((s for s in waiting if _narrow(s)), None) if _narrow(sec) else None
        if partner is None:
            out.append(_section(sec))
            continue
        waiting.remove(partner)
        out.append(f'<div class="grid2">{_section(sec)}{_section(partner)}</div>')
    return f'<div class="kind">{"".join(out)}</div>' if out else ""


REPORT_NOTES = 3  # the latest notes that fit the two printed pages; all are in `-f md`


def _notes(items: list[dict], total: int) -> str:
    if not items:
        return ""
    items = items[-REPORT_NOTES:]
    rows = [[_local(n["occurred_at"], n["utc_offset_min"]), esc(n["kind"]),
             f'<span class="note">{esc(n["note"])}</span>'] for n in items]  # fmt: skip
    more = (f' <span class="muted">(the latest {len(items)} of {total}; all of them are in '
            "the Markdown journal: relapse export -f md)</span>"
            if total > len(items) else "")  # fmt: skip
    return (
        f'<div class="kind sec"><h2>Notes{more}</h2>'
        + _table(["when", "entry", "note"], rows)
        + "</div>"
    )


def report(data: dict) -> str:
    ov = data["overview"]
    title = f"Session report: {data['person']}" if data.get("person") else "Session report"
    period = f"{_day(ov['first_day'])} – {_day(ov['last_day'])} ({ov['days']} days)"
    # Landmarks (axe-core: landmark-one-main, region): the title in <header>, everything the
    # report says in <main>, the note about left-out notes in <footer>.
    body = [
        f"<header><h1>{esc(title)}</h1>",
        f"<p class=muted>{esc(period)}. Made {esc(data['generated'])} with relapse-cli from the "
        "person's own journal.</p></header><main>",
    ]
    if ov["totals"]["entries"] == 0 and not data.get("sections"):
        body.append("<p>Nothing was logged in this period.</p>")
    else:
        kinds = data.get("kinds")
        uses_shown = kinds is None or "use" in kinds
        body.append(_figures(data.get("summary"), ov, uses_shown))
        body.append(_charts(ov))
        if uses_shown:
            body.append(_calendar(ov))
        body.append(_triggers_and_coping(ov))
        body.append(_uses(ov, data["notes_included"]))
        body.append(_sections(data.get("sections", [])))
        if data["notes_included"]:
            body.append(_notes(*data["notes"]))
    body.append(f'<p class="crisis">{CRISIS}</p></main>')
    if not data["notes_included"]:
        body.append("<footer>Notes were left out of this report at the person's choice.</footer>")
    return for_terminal(  # the whole page: no path (svg labels, section cells) can miss it
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}: {esc(period)}</title><style>{STYLE}</style></head>\n<body>\n"
        + "\n".join(b for b in body if b)
        + "\n</body></html>\n"
    )

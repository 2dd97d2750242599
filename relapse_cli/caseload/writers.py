"""The caseload as a printable HTML page, as JSON for the clinic's own tools, and as CSV.

The page is one table; each person's name links to their one-page report (the single
review's ``--html`` report, written beside the page). Like that report it holds no script,
loads nothing (a Content-Security-Policy forbids both) and escapes every word from an export.
"""

from __future__ import annotations

import csv
import io
import json

from relapse_cli.caseload.model import (
    COLUMNS,
    RULES,
    Row,
    Unreadable,
    as_data,
    cells,
    not_a_diagnosis,
)
from relapse_cli.share.view.report_html import CSP, STYLE, esc

PAGE_STYLE = (
    STYLE
    + """
body { max-width: none; margin: 0 6mm; }
@page { size: A4 landscape; margin: 8mm; }
table.caseload { font-size: 8pt; }
table.caseload td, table.caseload th { border-bottom: 0.4pt solid #9aa5b1; }
tr.flag th[scope="row"] { font-weight: 600; }
a { color: #1f4e8c; }
ol.rules { margin: 1mm 0 2mm 5mm; padding: 0; }
"""
)


def page(items: list[Row | Unreadable], generated: str) -> str:
    """The caseload page: the order's rules, the table, the not-a-diagnosis line."""
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in COLUMNS if c != "Person")
    rows = []
    for item in items:
        c = cells(item)
        person = esc(c["Person"])
        if isinstance(item, Row) and item.latest.report:
            person = f'<a href="{esc(item.latest.report)}">{person}</a>'
        flag = ' class="flag"' if isinstance(item, Row) and item.rule is not None else ""
        tds = "".join(f"<td>{esc(c[k])}</td>" for k in COLUMNS if k != "Person")
        rows.append(f'<tr{flag}><th scope="row">{person}</th>{tds}</tr>')
    rules = "".join(f"<li>{esc(r.text)}</li>" for r in RULES)
    people = sum(isinstance(i, Row) for i in items)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Caseload: {people} people, {esc(generated)}</title>"
        f"<style>{PAGE_STYLE}</style></head>\n<body>\n"
        f'<header><h1>Caseload: who needs attention first</h1><p class="muted">{people} '
        f"people, made {esc(generated)} from the exports they chose to share.</p></header>\n"
        "<main><h2>Order</h2><p>Rows are ordered by these stated rules, in this order (not a "
        f'score that predicts), then by name:</p><ol class="rules">{rules}</ol>'
        "<p>Then everyone else, by name; files that could not be read come last with the "
        "reason.</p>\n"
        '<table class="caseload"><caption class="vh">The caseload, one row per person</caption>'
        f'<thead><tr><th scope="col">Person</th>{head}</tr></thead><tbody>\n'
        + "\n".join(rows)
        + f"\n</tbody></table>\n<p>{esc(not_a_diagnosis())}</p></main>\n"
        "<footer>Each name links to that person's one-page report from their newest export."
        "</footer>\n</body></html>\n"
    )


def as_json(items: list[Row | Unreadable], generated: str) -> dict:
    return {
        "generated": generated,
        "rules": [{"rule": r.key, "text": r.text} for r in RULES],
        "not_a_diagnosis": not_a_diagnosis(),
        "rows": [as_data(i) for i in items],
    }


def as_csv(items: list[Row | Unreadable]) -> str:
    """One line per row, the table's columns; each cell through ``csv_cell`` so a name that
    starts like a formula stays text in a spreadsheet."""
    from relapse_cli.share.formats.csvfmt import csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for item in items:
        c = cells(item)
        w.writerow([csv_cell(c[k]) for k in COLUMNS])
    return buf.getvalue()


def dumps(data: dict) -> str:
    from relapse_cli.core.text import json_safe

    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"

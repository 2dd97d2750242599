"""The relapse-prevention and safety plan in the session report, as one compact block.

Read through the plan's own store (``journal.plan.list_items``) and grouped by its sections
(``domain.plan.grouped``), one row per section that has items, so a change to where the
sections are kept stays in the plan modules. Registered in ``share/formats/sections.py``; chosen
with ``--kinds plan`` (the table ``plan_items``). The plan is not a note: ``--no-notes``
keeps it (it is what the person and their clinician plan from).
"""

from __future__ import annotations

from relapse_cli.share.formats.job import ExportJob

PLAN_TABLE = "plan_items"


def plan_section(job: ExportJob) -> dict | None:
    kinds = job.selection.kinds
    if kinds is not None and PLAN_TABLE not in kinds:
        return None
    from relapse_cli.plan.model.plan import BY_KEY, PARTS, grouped, item_line
    from relapse_cli.plan.store.plan import list_items

    by_key = grouped(list_items(job.con))
    # The relapse-prevention part, then the safety plan for a crisis (plan.PARTS), each in
    # its own labelled rows so the two are never read as one; one block keeps two pages.
    order = [k for _, keys in PARTS for k in keys]
    rows = []
    for key in [*order, *(k for k in by_key if k not in order)]:
        items = by_key.get(key)
        if items:
            title = BY_KEY[key].title if key in BY_KEY else key.replace("_", " ")
            rows.append([title, "; ".join(item_line(i) for i in items)])
    # "pairs": the HTML report prints it as labelled paragraphs in two columns (no table
    # head), the compact block that keeps the report on two pages; Markdown keeps a table.
    return {
        "title": "Relapse-prevention and safety plan (as it stands today)",
        "head": ["part", "what it says"],
        "rows": rows,
        "layout": "pairs",
    }

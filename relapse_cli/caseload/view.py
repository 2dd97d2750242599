"""The caseload in the terminal: one table, narrowest form by leaving columns out (Fitted),
plain "label: value" lines for a screen reader (render/console.py prints through speech)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from relapse_cli.caseload.model import COLUMNS, RULES, Row, Unreadable, cells, not_a_diagnosis
from relapse_cli.render.console import Fitted, Wrapped, safe

# Left out first when the terminal is narrow; Attention, Person and Why always stay.
DROP = (
    "GAD-7",
    "Missed appointments",
    "Medication",
    "Strongest",
    "Export",
    "Homework",
    "Withdrawal red flags",
    "Cravings a day",
    "Since last use",
    "PHQ-9",
)


def caseload_view(items: list[Row | Unreadable], json_hint: str) -> Group:
    table = Table(
        title="Caseload: who needs attention first", title_justify="left", show_lines=True
    )
    for name in COLUMNS:
        table.add_column(name, no_wrap=name in ("Attention",), overflow="fold")
    for item in items:
        row = cells(item)
        table.add_row(*(safe(row[c]) for c in COLUMNS))
    people = sum(isinstance(i, Row) for i in items)
    bad = len(items) - people
    head = f"{people} {'person' if people == 1 else 'people'}"
    if bad:
        head += f", {bad} file{'s' * (bad != 1)} that could not be read (last, with the reason)"
    rules = (
        "Order: "
        + "; ".join(f"{n}. {r.text}" for n, r in enumerate(RULES, 1))
        + ("; then everyone else, by name. Stated rules, not a prediction.")
    )
    return Group(
        Wrapped(Text(head + ". Your own journal was not touched.")),
        Fitted(table, DROP),
        Wrapped(Text(rules)),
        Wrapped(Text(not_a_diagnosis())),
        Wrapped(Text(f"Every figure, as data: {json_hint}")),
    )

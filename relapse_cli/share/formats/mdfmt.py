"""A readable Markdown journal, grouped by day (oldest first), streamed.

The person's words are escaped for Markdown and for any HTML a Markdown viewer allows:
``<script>`` shows as text, ``*`` and ``[link](...)`` stay literal, and terminal control
characters show as visible escapes (``\\x1b``), since the journal is often printed to a terminal.
"""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING, BinaryIO

from relapse_cli.core.text import for_terminal
from relapse_cli.core.timeparse import from_storage
from relapse_cli.insights import period
from relapse_cli.share.formats.job import ExportJob

if TYPE_CHECKING:
    import sqlite3

DESCRIPTION = "a readable journal in Markdown, grouped by day"
SUFFIX = ".md"
TO_STDOUT = True

_SPECIAL = {c: "\\" + c for c in "\\`*_[]#|~"}  # enough to keep links and emphasis literal
_SPECIAL.update({"<": "&lt;", ">": "&gt;", "&": "&amp;"})
_TABLE = str.maketrans(_SPECIAL)


def md(text: object) -> str:
    """A person's words as inert Markdown (one line)."""
    return for_terminal(" ".join(str(text).split())).translate(_TABLE)


def _n(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _line(row: sqlite3.Row, notes: bool) -> list[str]:
    kind = row["kind"]
    when = from_storage(row["occurred_at"], row["utc_offset_min"])
    r = row
    bits: list[str] = []
    if kind == "craving":
        head = f"craving {r['intensity']}/10"
        if r["outcome"]:
            after = f", {r['intensity_after']}/10 after" if r["intensity_after"] is not None else ""
            bits.append(f"{r['outcome']}{after}")
        if r["duration_min"] is not None:
            bits.append(f"{r['duration_min']} min")
    elif kind == "mood":
        head = f"mood {r['mood']}/10"
        if r["anxiety"] is not None:
            bits.append(f"anxiety {r['anxiety']}/10")
        if r["sleep_hours"] is not None:
            bits.append(f"slept {_n(r['sleep_hours'])} h")
        if r["energy"] is not None:
            bits.append(f"energy {r['energy']}/10")
    elif kind == "trigger":
        head = "trigger met" + (f", pull {r['intensity']}/10" if r["intensity"] is not None else "")
    else:
        amount = f" {_n(r['amount'])} {md(r['unit'] or '')}".rstrip() if r["amount"] else ""
        head = "use" + amount
    if r["substance"]:
        bits.append(md(r["substance"]))
    if r["trigger_names"]:
        bits.append("triggers: " + md(r["trigger_names"]))
    if r["coping_names"]:
        bits.append("coped: " + md(r["coping_names"]))
    for label, col in (("where", "location"), ("with", "company"), ("mood", "mood")):
        if kind == "craving" and r[col] is not None:
            bits.append(f"{label} {md(r[col]) if col != 'mood' else str(r[col]) + '/10'}")
    if kind == "use":
        bits += [
            f"{label}: {md(r[col])}"
            for label, col in (("context", "context"), ("led up to it", "led_up_to"))
            if r[col]
        ]
    out = [f"- **{when:%H:%M}** {head}" + (" — " + "; ".join(bits) if bits else "")]
    if notes and r["note"]:
        out.append(f"  > {md(r['note'])}")
    return out


def markdown_section(section: dict) -> str:
    """A kind-specific section as a Markdown table (cells escaped)."""
    lines = [f"\n## {md(section['title'])}\n"]
    if section.get("intro"):
        lines.append(md(section["intro"]) + "\n")
    lines.append("| " + " | ".join(md(h) for h in section["head"]) + " |")
    lines.append("|" + "---|" * len(section["head"]))
    lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in section["rows"]]
    return "\n".join(lines) + "\n"


def export(job: ExportJob, out: BinaryIO) -> None:
    w = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    try:
        first = period.first_day(job.con, job.since, job.until)
        name = str(job.settings.get("name") or "").strip()
        whose = f" of {md(name)}" if name else ""
        w.write(f"# Journal{whose}, {first:%-d %B %Y} to {job.until:%-d %B %Y}\n\n")
        w.write(
            f"Exported {job.now:%-d %B %Y %H:%M} with relapse-cli."
            + ("" if job.notes else " Notes were left out.")
            + "\n"
        )
        kinds = job.selection.kinds
        chosen = [k for k in kinds if k in ("craving", "mood", "trigger", "use")] if kinds else None
        day = None
        count = 0
        if chosen != []:
            for row in period.entries_by_day(job.con, job.since, job.until, chosen):
                if row["local_day"] != day:
                    day = row["local_day"]
                    w.write(f"\n## {date.fromisoformat(day):%A %-d %B %Y}\n\n")
                w.write("\n".join(_line(row, job.notes)) + "\n")
                count += 1
        if count == 0:
            w.write("\nNothing was logged in this period.\n")
        from relapse_cli.share.formats import sections

        for section in sections.sections(job):
            w.write(markdown_section(section))
        w.write("\n---\nIf you are in danger now, call your local emergency number.\n")
        w.flush()
    finally:
        w.detach()

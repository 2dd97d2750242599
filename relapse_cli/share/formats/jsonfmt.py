"""The complete journal as JSON: versioned, every record with its uuid, re-importable.

Written row by row (each record on its own line, the whole still one JSON document), so a
journal of any size exports in constant memory. The shape is generated from the journal's
schema (see ``share/store/portable.py``) and described by ``data/export.schema.json``.
"""

from __future__ import annotations

import io
import json
from typing import BinaryIO

from relapse_cli import __version__
from relapse_cli.core.errors import BadInput
from relapse_cli.core.text import json_safe
from relapse_cli.core.timeparse import to_storage
from relapse_cli.share.formats.job import ExportJob
from relapse_cli.share.store import portable
from relapse_cli.storage.version import SCHEMA_VERSION

DESCRIPTION = "the complete journal for the period, re-importable (relapse import)"
SUFFIX = ".json"
TO_STDOUT = True
FORMAT = "relapse-cli journal export"
FORMAT_VERSION = 1


def header(job: ExportJob) -> dict:
    sel = job.selection
    stamp, offset = to_storage(job.now)
    from relapse_cli.storage.identity import journal_id

    settings = {
        k: job.settings[k] for k in ("recovery_start", "substances", "name") if k in job.settings
    }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "app_version": __version__,
        "journal_id": journal_id(job.con),
        "exported_at": stamp,
        "utc_offset_min": offset,
        "period": {"since": sel.since, "until": sel.until},
        "kinds": sel.kinds,
        "notes_included": sel.notes,
        "hidden_included": sel.hidden,
        "settings": settings,
    }


def export(job: ExportJob, out: BinaryIO) -> None:
    w = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=False)
    try:
        w.write("{\n")
        for key, value in header(job).items():
            w.write(f"  {json.dumps(key)}: {json_safe(json.dumps(value, ensure_ascii=False))},\n")
        w.write('  "tables": {')
        for n, (table, where) in enumerate(portable.plan(job.con, job.selection)):
            w.write(("\n" if n == 0 else ",\n") + f"    {json.dumps(table.name)}: [")
            first = True
            for row in portable.rows(job.con, table, where, job.selection):
                w.write("\n      " if first else ",\n      ")
                w.write(json_safe(json.dumps(row, ensure_ascii=False)))
                first = False
            w.write("]" if first else "\n    ]")
        w.write("\n  }\n}\n")
        w.flush()
    finally:
        w.detach()


def read(data: bytes, source: str) -> dict:
    """Parse and check an export's envelope; the records are checked by the import itself."""
    from relapse_cli.core.limits import NotUnicode, TooDeep, json_loads

    try:
        doc = json_loads(data.decode("utf-8-sig"))  # a BOM (Windows editors) is not content
    except (TooDeep, NotUnicode) as exc:
        raise BadInput(f"{source} is not a relapse-cli export ({exc})") from None
    except UnicodeDecodeError:
        raise BadInput(f"{source} is not a relapse-cli export (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise BadInput(
            f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BadInput(
            f"{source} is not a relapse-cli JSON export",
            "make one with: relapse export --format json -o FILE",
        )
    version = doc.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BadInput(
            f"{source} uses export format {version!r}; this relapse-cli reads {FORMAT_VERSION}",
            "upgrade relapse-cli",
        )
    schema = doc.get("schema_version")
    if not isinstance(schema, int) or schema < 1:
        raise BadInput(f"{source} has no valid schema_version")
    if schema > SCHEMA_VERSION:
        raise BadInput(
            f"{source} was exported from a newer journal (schema {schema}; this relapse-cli "
            f"knows {SCHEMA_VERSION})",
            "upgrade relapse-cli, then import again; nothing was changed",
        )
    if not isinstance(doc.get("tables"), dict):
        raise BadInput(f"{source} has no tables of records")
    why = envelope_problem(doc)
    if why:
        raise BadInput(
            f"{source} is not a usable export: {why}",
            "make a new one with: relapse export --format json -o FILE",
        )
    return doc


def envelope_problem(doc: dict) -> str | None:
    """What is wrong with the export's header fields (the envelope around the tables), in the
    words of data/export.schema.json's rules for them, or None. Every reader (import,
    review, the caseload) uses these fields, so a damaged one is refused here, in one line,
    rather than met as a KeyError deep in a view."""
    from relapse_cli.domain.rules import OFFSET_MIN, is_utc

    def stamp(value: object) -> bool:
        return is_utc(value)  # the stored form exactly, as the schema's pattern says

    if not stamp(doc.get("exported_at")):
        return "exported_at must be UTC time like 2026-11-24T18:30:00Z"
    offset = doc.get("utc_offset_min", 0)
    if type(offset) is not int or not OFFSET_MIN[0] <= offset <= OFFSET_MIN[1]:
        return (
            f"utc_offset_min must be a whole number of minutes from {OFFSET_MIN[0]} "
            f"to {OFFSET_MIN[1]}"
        )
    period = doc.get("period", {})
    if not isinstance(period, dict):
        return "period must be a table with since and until"
    for end in ("since", "until"):
        if period.get(end) is not None and not stamp(period.get(end)):
            return f"period.{end} must be UTC time like 2026-11-24T18:30:00Z, or null"
    if period.get("since") and period.get("until") and period["since"] > period["until"]:
        return "period.since is after period.until"
    kinds = doc.get("kinds")
    if kinds is not None and not (
        isinstance(kinds, list) and all(isinstance(k, str) for k in kinds)
    ):
        return "kinds must be a list of names, or null"
    for flag in ("notes_included", "hidden_included"):
        if flag in doc and type(doc[flag]) is not bool:
            return f"{flag} must be true or false"
    if not isinstance(doc.get("settings", {}), dict):
        return "settings must be a table"
    journal_id = doc.get("journal_id")
    if journal_id is not None and not portable.is_uuid(journal_id):
        return "journal_id must be a uuid, or null"
    return None

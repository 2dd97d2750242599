"""The JSON Schema of a JSON export, generated from a freshly migrated journal.

The shipped file (``relapse_cli/data/export.schema.json``) is this function's output; a test
regenerates it and compares, so it cannot drift from the tables. After a new migration run:
``python -m relapse_cli.share.formats.schema`` (rewrites the file).
"""

from __future__ import annotations

import json
import os
import sqlite3

from relapse_cli.core.paths import DATA_DIR
from relapse_cli.domain import rules
from relapse_cli.share.store import portable

PATH = os.path.join(DATA_DIR, "export.schema.json")
UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
UTC_PATTERN = rules.UTC_PATTERN
SCHEMA_ID = "urn:relapse-cli:schema:export:v{}"  # absolute (RFC 3986), names no web address
_TYPES = {"integer": "integer", "real": "number", "text": "string"}


def _column(table: portable.Table, col: portable.Column) -> dict:
    if col.name in table.fks:
        spec: dict = {
            "type": "string",
            "pattern": UUID_PATTERN,
            "description": f"uuid of the {table.fks[col.name]} record",
        }
    elif col.name == "uuid":
        spec = {"type": "string", "pattern": UUID_PATTERN}
    elif col.type in _TYPES:
        spec = {"type": _TYPES[col.type]}
    else:
        spec = {}
    spec.update(_rule(table.name, col.name))
    if spec.get("type") in ("integer", "number") and "minimum" not in spec and "enum" not in spec:
        spec.update({"minimum": rules.STORABLE[0], "maximum": rules.STORABLE[1]})
    if not col.notnull and "type" in spec:
        spec["type"] = [spec["type"], "null"]
        if "enum" in spec:
            spec["enum"] = [*spec["enum"], None]
    return spec


def _rule(table: str, column: str) -> dict:
    """The column's rule from domain/rules.py, in JSON Schema words (the importer and the
    journal's CHECK constraints enforce the same table)."""
    if column.endswith("_at"):
        return {"format": "date-time", "pattern": UTC_PATTERN}
    if column.endswith("_date"):
        return {"format": "date", "pattern": rules.DAY_PATTERN}
    if column == "utc_offset_min":
        return {"minimum": rules.OFFSET_MIN[0], "maximum": rules.OFFSET_MIN[1]}
    rule = rules.RULES.get(table, {}).get(column)
    if rule is None:
        return {}
    if rules.is_enum(rule):
        return {"enum": list(rule)}
    return {"minimum": rule[0], "maximum": rule[1]}


def generate(con: sqlite3.Connection) -> dict:
    from relapse_cli.share.formats.jsonfmt import FORMAT, FORMAT_VERSION

    tables = portable.describe(con)
    defs = {}
    for t in tables:
        defs[t.name] = {
            "type": "object",
            "additionalProperties": False,
            "required": [c.name for c in t.portable_columns if c.notnull],
            "properties": {c.name: _column(t, c) for c in t.portable_columns},
        }
    nullable_utc = {"type": ["string", "null"], "format": "date-time", "pattern": UTC_PATTERN}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID.format(FORMAT_VERSION),
        "title": "relapse-cli journal export",
        "description": "Every record of a relapse-cli journal for a period, keyed by uuid. "
        "Times are UTC (ISO 8601, Z) with the local offset in minutes beside them; references "
        "between records are the referenced record's uuid.",
        "type": "object",
        "required": ["format", "format_version", "schema_version", "exported_at", "tables"],
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"type": "integer", "minimum": 1},
            "schema_version": {"type": "integer", "minimum": 1},
            "app_version": {"type": "string"},
            "journal_id": {
                "type": ["string", "null"],
                "pattern": UUID_PATTERN,
                "description": "the exporting journal's random id: exports with the same id "
                "are one person's series (relapse review DIR)",
            },
            "exported_at": {"type": "string", "format": "date-time", "pattern": UTC_PATTERN},
            "utc_offset_min": {
                "type": "integer",
                "minimum": rules.OFFSET_MIN[0],
                "maximum": rules.OFFSET_MIN[1],
            },
            "period": {
                "type": "object",
                "properties": {"since": nullable_utc, "until": nullable_utc},
            },
            "kinds": {"type": ["array", "null"], "items": {"type": "string"}},
            "notes_included": {"type": "boolean"},
            "hidden_included": {"type": "boolean"},
            "settings": {"type": "object"},
            "tables": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    t.name: {"type": "array", "items": {"$ref": f"#/$defs/{t.name}"}}
                    for t in tables
                },
            },
        },
        "$defs": defs,
    }


def fresh_schema() -> dict:
    """The schema of a journal migrated from nothing, as this version creates it."""
    from relapse_cli.storage.migrations import migrate

    con = sqlite3.connect(":memory:", isolation_level=None)
    con.row_factory = sqlite3.Row
    try:
        migrate(con, ":memory:", from_version=0)
        return generate(con)
    finally:
        con.close()


def dumps(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def shipped() -> dict:
    with open(PATH, encoding="utf-8") as fh:
        return json.load(fh)


if __name__ == "__main__":
    with open(PATH, "w", encoding="utf-8") as fh:
        fh.write(dumps(fresh_schema()))
    print(f"wrote {PATH}")

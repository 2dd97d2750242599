"""The import's column-by-column check (portable._all_pass) is only a faster way to the same
answer: for any damaged export, ``validate`` says exactly what the record-by-record loop says
(the same first bad record, in the same words), and passes exactly the files it passes."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relapse_cli.share.store import portable
from relapse_cli.storage.migrations import migrate
from tests.test_import_fuzz import damage, export_doc  # noqa: F401 (a fixture)

NOT_AFTER = "2030-01-01T00:00:00Z"
# Values each column kind meets in a hostile file, besides hypothesis's own.
EDGE = st.sampled_from([None, True, 0, -1, 2**63, 1.5, float("nan"), float("inf"), "", "\x00",
                        "2026-11-24T18:30:00Z", "2026-11-24T18:30:00", "2099-01-01T00:00:00Z",
                        "2026-11-24", "2026-02-30", "2026-W48-2", 961, -961, [], {}, "abc",
                        "6BDDD1DF-4400-4B30-B812-D50AAC00842F",
                        "0b1f5e36-8d0f-4d59-9d2b-2f4a1c1e0a11"])  # fmt: skip


@pytest.fixture(scope="module")
def tables() -> list[portable.Table]:
    con = sqlite3.connect(":memory:", isolation_level=None)
    migrate(con, ":memory:", from_version=0)
    return portable.describe(con)


def answer(tables: list[portable.Table], data: object, fast: bool) -> str | None:
    saved = portable._all_pass
    if not fast:
        portable._all_pass = lambda *a: False  # type: ignore[assignment]
    try:
        portable.validate(tables, data, NOT_AFTER)  # type: ignore[arg-type]
    except portable.Invalid as exc:
        return exc.line()
    finally:
        portable._all_pass = saved
    return None


def fitting(column: str) -> st.SearchStrategy:
    """Values aimed at one column's own rules: stamps for a time, uuids for a link, numbers
    at and beyond the bounds a journal can hold."""
    if column.endswith("_at"):
        return st.sampled_from(["2026-11-24T18:30:00Z", "2029-12-31T23:59:59Z",
                                "2030-01-01T00:10:01Z", "2099-01-01T00:00:00Z",
                                "2026-11-24 18:30:00Z", "2026-13-01T00:00:00Z"])  # fmt: skip
    if column.endswith(("_id", "uuid")):
        return st.uuids().map(str) | st.sampled_from(
            ["abc", "6BDDD1DF-4400-4B30-B812-D50AAC00842F"]
        )
    return st.integers(-(2**64), 2**64) | st.floats() | st.text(max_size=5)


@st.composite
def damaged(draw: st.DrawFn, doc: dict, columns: dict[str, list[str]]) -> dict:
    """Sometimes test_import_fuzz's damage, then one to three values set, each in a column of
    its table's own (present or not) to a value that breaks one rule or passes them all."""
    doc = draw(damage(doc)) if draw(st.booleans()) else json.loads(json.dumps(doc))
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        return doc
    names = [n for n, v in tables.items() if isinstance(v, list) and v and n in columns]
    for _ in range(draw(st.integers(1, 3)) if names else 0):
        name = draw(st.sampled_from(names))
        row = draw(st.sampled_from(tables[name]))
        if isinstance(row, dict):
            row[draw(st.sampled_from(columns[name]))] = draw(
                EDGE
                | st.sampled_from(
                    [str(v) for r in tables[name] if isinstance(r, dict) for v in r.values()]
                    or [""]
                )
            )
    return json.loads(json.dumps(doc, allow_nan=True))


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.data())
def test_column_check_says_what_the_loop_says(tables, export_doc, data):  # noqa: F811
    columns = {t.name: [c.name for c in t.portable_columns] for t in tables}
    doc = data.draw(damaged(export_doc, columns))
    assert answer(tables, doc.get("tables"), fast=True) == answer(
        tables, doc.get("tables"), fast=False
    )


def test_an_intact_export_passes_column_by_column(tables, export_doc):  # noqa: F811
    data = export_doc["tables"]
    assert answer(tables, data, fast=True) is None
    for name, rows in data.items():  # the quick path, not the loop, said yes
        table = next(t for t in tables if t.name == name)
        allowed = {c.name: c for c in table.portable_columns}
        checks = portable._column_checks(table, NOT_AFTER)
        from relapse_cli.domain import rules

        ruled = {c: rules.checker(name, c) for c in portable._ruled_columns(name, allowed)}
        hooks = portable.validators().get(name, ())
        assert portable._all_pass(rows, allowed, checks, table.has_uuid, hooks, ruled, NOT_AFTER)


CATALOG = [None, True, False, 0, 7, -1, 10, 11, 2**63, -(2**63) - 1, 1.5, float("nan"),
           float("inf"), "", "\x00", "a\x00b", "abc", "walk", "2026-11-24T18:30:00Z",
           "2029-12-31T23:59:59Z", "2030-01-01T00:10:01Z", "2099-01-01T00:00:00Z",
           "2026-11-24 18:30:00Z", "2026-11-24T18:30:00", "2026-11-24", "2026-02-30",
           "2026-W48-2", 960, 961, -961, [], {}, [1], {"a": 1},
           "6BDDD1DF-4400-4B30-B812-D50AAC00842F", "0b1f5e36-8d0f-4d59-9d2b-2f4a1c1e0a11"]  # fmt: skip


def test_every_column_and_value_of_the_catalog(tables, export_doc):  # noqa: F811
    """A table over every column of every kind in the export and each value of the catalog,
    set on one record (first and last): the quick path and the loop agree each time."""
    data = export_doc["tables"]
    checked = 0
    for table in tables:
        rows = data.get(table.name)
        if not rows:
            continue
        for column in [c.name for c in table.portable_columns]:
            for where in (0, -1):
                for value in [*CATALOG, "missing"]:
                    edited = json.loads(json.dumps(data))
                    row = edited[table.name][where]
                    if value == "missing":
                        row.pop(column, None)
                    else:
                        row[column] = value
                    fast, slow = answer(tables, edited, True), answer(tables, edited, False)
                    assert fast == slow, (table.name, column, value)
                    checked += 1
    assert checked > 500


def _entry_check_as_written(row: dict) -> str | None:
    """The entry hook as it was before it remembered answers: every field to build_entry."""
    from relapse_cli.core.errors import BadInput
    from relapse_cli.log.model.entries import build_entry, check_text

    try:
        build_entry(str(row.get("kind")), {k: v for k, v in row.items() if k != "kind"})
        check_text("note", row.get("note"))
    except BadInput as exc:
        return exc.message
    if not portable._is_stamp(row.get("occurred_at")):
        return "occurred_at must be UTC time like 2026-11-24T18:30:00Z"
    offset = row.get("utc_offset_min")
    if isinstance(offset, int) and not -16 * 60 <= offset <= 16 * 60:
        return "utc_offset_min is out of range"
    return None


NUMBERS = st.sampled_from([None, 0, 5, 10, 11, -1, 2.5, 0.5, 999, float("nan")])
TEXTS = st.sampled_from([None, "", " ", "home", "Alcohol", "a\x00", "x" * 201, "x" * 3000,
                         "resisted", "r", "u", "maybe"])  # fmt: skip


@st.composite
def entry_rows(draw: st.DrawFn) -> dict:
    """An entry row as an export holds it: each field of its kind with a value of its type
    (in range or not, good text or not), sometimes a field of another kind or a bad kind."""
    from relapse_cli.log.model.entries import FIELDS, RANGES

    kind = draw(st.sampled_from([*FIELDS, "banana"]))
    row: dict[str, object] = {"kind": kind, "occurred_at": "2026-11-24T18:30:00Z",
                              "utc_offset_min": 0}  # fmt: skip
    for field in FIELDS.get(kind, FIELDS["craving"]):
        if draw(st.booleans()):
            row[field] = draw(NUMBERS if field in RANGES else TEXTS)
    if draw(st.integers(0, 4)) == 0:
        other = draw(st.sampled_from(sorted({f for fs in FIELDS.values() for f in fs})))
        row[other] = draw(NUMBERS if other in RANGES else TEXTS)
    return row


@settings(max_examples=500, deadline=None)
@given(row=entry_rows())
def test_the_remembering_entry_check_says_what_build_entry_says(row):
    try:
        expected = _entry_check_as_written(row)
    except TypeError:
        return  # a wrong type: the column checks refuse it before any hook runs
    assert portable._entry_check(row) == expected
    assert portable._entry_check(row) == expected  # asked again: from the memory

"""One source of value rules (domain/rules.py): the export JSON Schema, the importer, the
journal's CHECK constraints and `relapse doctor` all refuse the same values."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from conftest import records
from hypothesis import given, settings
from hypothesis import strategies as st
from test_report_html import add_every_other_kind

from relapse_cli.domain import rules
from relapse_cli.share.formats import schema as export_schema
from relapse_cli.share.store import portable

CHECKER = jsonschema.Draft202012Validator.FORMAT_CHECKER
VALIDATOR = jsonschema.Draft202012Validator(export_schema.shipped(), format_checker=CHECKER)


_BASE: list[dict] = []


@pytest.fixture
def base(cli, tmp_path) -> dict:
    """A real export holding every kind of record (built once per run: a demo takes seconds)."""
    if not _BASE:
        path, out = str(tmp_path / "demo.db"), str(tmp_path / "a.json")
        assert cli("demo", "--out", path).code == 0
        add_every_other_kind(cli, path)
        assert cli("--journal", path, "export", "-o", out).code == 0
        with open(out, encoding="utf-8") as fh:
            _BASE.append(json.load(fh))
    return copy.deepcopy(_BASE[0])


def importer_refuses(doc: dict, tmp_path) -> str | None:
    from relapse_cli.storage.db import open_journal

    con = open_journal(str(tmp_path / "fresh.db"))
    try:
        portable.validate(portable.describe(con), doc["tables"])
    except portable.Invalid as exc:
        return exc.message
    finally:
        con.close()
    return None


def schema_refuses(doc: dict) -> str | None:
    error = jsonschema.exceptions.best_match(VALIDATOR.iter_errors(doc))
    return None if error is None else error.message


# Every refusal class of the importer that is about one value (the cross-field rules are
# the importer's alone, by design: a screener's total and band must be its answers' score, a
# vocabulary key must match its name, a thought record's hot thought must be one of its
# thoughts, JSON-in-text columns must have their shape, a kind's required fields).
CLASSES = [
    ("entries", "kind", "banana"),
    ("entries", "intensity", 42),
    ("entries", "intensity", "very"),
    ("entries", "outcome", "maybe"),
    ("entries", "occurred_at", "yesterday"),
    ("entries", "occurred_at", "2026-11-30 10:00"),
    ("entries", "occurred_at", "2026-13-45T99:99:99Z"),
    ("entries", "utc_offset_min", 5000),
    ("entries", "uuid", "not-a-uuid"),
    ("entries", "banana", 1),  # an unknown field
    ("entries", "mood", True),
    ("entries", "amount", -1),
    ("checkins", "mood", 99),
    ("checkins", "local_date", "24/11/2026"),
    ("checkins", "local_date", "2026-02-30"),
    ("checkins", "medication", "sometimes"),
    ("checkins", "lonely", 2),
    ("screenings", "total", -5),
    ("screenings", "instrument", "bdi"),
    ("withdrawal_checks", "tremor", 7),
    ("withdrawal_checks", "total", 99),
    ("thought_records", "belief", 120),
    ("thought_records", "status", "finished"),
    ("thought_records", "created_at", "2026-11-24 18:30"),
    ("exercise_sessions", "urge_before", 11),
    ("decisional_balance", "importance", 11),
    ("appointments", "status", "postponed"),
    ("appointments", "kind", "astrology"),
    ("plan_items", "section", "banana"),
    ("entry_triggers", "trigger_id", "nope"),
]


def test_the_base_export_passes_both(base, tmp_path):
    assert schema_refuses(base) is None
    assert importer_refuses(base, tmp_path) is None
    assert set(VALIDATOR.schema["$id"].split(":")[:1]) == {"urn"}  # absolute, not relative


@pytest.mark.parametrize(("table", "field", "value"), CLASSES)
def test_every_importer_refusal_is_a_schema_refusal(base, tmp_path, table, field, value):
    doc = base
    assert doc["tables"][table], f"the base export has no {table}"
    doc["tables"][table][0][field] = value
    assert importer_refuses(doc, tmp_path), "the importer took it"
    assert schema_refuses(doc), "the schema took it"


def test_the_issue_examples_are_refused_by_the_cli_import(base, tmp_path, cli, journal):
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    for table, field, value in [("entries", "intensity", 42), ("entries", "kind", "banana"),
                                ("entries", "occurred_at", "yesterday"),
                                ("screenings", "total", -5)]:  # fmt: skip
        doc = copy.deepcopy(base)
        doc["tables"][table][0][field] = value
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(doc))
        result = cli("import", str(path))
        assert result.code == 2 and result.err.count("\n") == 1, result.err
        assert field in result.err
    assert records(journal) == before


def test_no_number_beyond_what_sqlite_holds_passes_either(base, tmp_path, cli, journal):
    """The class behind an OverflowError found by the fuzzer (a plan item's position 10**30):
    every numeric column of every table, at either side of SQLite's 64-bit range, is refused
    by the importer and the schema alike, and `import` / `review` say so in one line."""
    from relapse_cli.storage.db import open_journal

    con = open_journal(str(tmp_path / "shape.db"))
    tables = portable.describe(con)
    con.close()
    numeric = [(t.name, c.name) for t in tables for c in t.portable_columns
               if c.type in ("integer", "real") and c.name not in t.fks]  # fmt: skip
    tried = 0
    for table, column in numeric:
        if not base["tables"].get(table):
            continue
        for value in (rules.STORABLE[1] + 1, rules.STORABLE[0] - 1, 10**30, 1e300):
            doc = copy.deepcopy(base)
            doc["tables"][table][0][column] = value
            assert importer_refuses(doc, tmp_path), (table, column, value)
            assert schema_refuses(doc), (table, column, value)
            tried += 1
    assert tried >= 40, tried  # the base export holds most tables: the table is really walked
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    doc = copy.deepcopy(base)
    doc["tables"]["plan_items"][0]["position"] = 10**30
    (tmp_path / "big.json").write_text(json.dumps(doc))
    for command in (["import"], ["review", "--json"]):
        result = cli(*command, str(tmp_path / "big.json"))
        assert result.code == 2 and result.err.count("\n") == 1, result.err
        assert "position" in result.err and "unexpected" not in result.err
    assert records(journal) == before


RULED = [(t, c) for t, cols in rules.RULES.items() for c, r in cols.items()]


@pytest.mark.parametrize(("table", "column"), RULED)
@settings(max_examples=25, deadline=None)
@given(value=st.one_of(st.integers(-2000, 12000), st.floats(allow_nan=False, width=32),
                       st.text(max_size=12), st.sampled_from(["craving", "draft", "planned"])))  # fmt: skip
def test_schema_and_rules_agree_value_by_value(table, column, value):
    """For any value, the column's schema entry refuses it exactly when the rule does (the
    type aside: a text where a number goes is the type check's, in both)."""
    spec = export_schema.shipped()["$defs"][table]["properties"][column]
    rule = rules.RULES[table][column]
    if rules.is_enum(rule) != isinstance(value, str):
        return  # a type error in both; test_every_importer_refusal_is_a_schema_refusal
    by_rule = rules.check(table, column, value) is not None
    sub = {k: v for k, v in spec.items() if k != "type"}
    by_schema = not jsonschema.Draft202012Validator(sub, format_checker=CHECKER).is_valid(value)
    assert by_rule == by_schema, (value, spec)


@given(st.text(max_size=25) | st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")))
@settings(max_examples=60, deadline=None)
def test_utc_times_agree(text):
    spec = {"format": "date-time", "pattern": rules.UTC_PATTERN}
    ok = jsonschema.Draft202012Validator(spec, format_checker=CHECKER).is_valid(text)
    assert ok == rules.is_utc(text)


def _strptime_utc(text: str) -> bool:
    """The reference the importer used: datetime.strptime with the stored format."""
    from datetime import datetime

    try:
        datetime.strptime(text, rules.UTC_FORMAT)
    except ValueError:
        return False
    return True


# Text of the stored shape with any two digits in each field (month 00-99, second 60...),
# real moments, and free text (lower-case z, one-digit fields, other digits fall to strptime).
_STAMP_SHAPED = st.builds(
    "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}".format,
    st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99),
    st.integers(0, 99), st.integers(0, 99), st.sampled_from(["Z", "z", "", "ZZ", " "]),
)  # fmt: skip


@given(st.text(max_size=25) | st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ"))
       | _STAMP_SHAPED | st.from_regex(r"\A\d{1,4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}[Zz]\Z"))  # fmt: skip
@settings(max_examples=400, deadline=None)
def test_fast_utc_is_strptime(text):
    """rules.parses_as_utc (the importer's fast stamp check) accepts exactly what strptime does."""
    assert rules.parses_as_utc(text) == _strptime_utc(text)


@pytest.mark.parametrize("text", ["2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
    "0000-01-01T00:00:00Z", "2026-11-24T18:30:60Z", "2026-11-24T24:00:00Z",
    "2026-11-24t18:30:00z", "2026-1-4T8:3:0Z", "2026-11-24T18:30:00Z\n", "٢٠٢٦-11-24T18:30:00Z",
    "9999-12-31T23:59:59Z", "2026-04-31T00:00:00Z"])  # fmt: skip
def test_fast_utc_edges(text):
    assert rules.parses_as_utc(text) == _strptime_utc(text)


def _uuid_by_parts(value: object) -> bool:
    """The reference the importer used: five groups of lower-case hex, 8-4-4-4-12."""
    if not isinstance(value, str) or len(value) != 36:
        return False
    parts = value.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12] and all(set(p) <= set("0123456789abcdef")
                                                               for p in parts)  # fmt: skip


@given(st.uuids().map(str) | st.uuids().map(lambda u: str(u).upper()) | st.text(max_size=40)
       | st.from_regex(r"\A[0-9a-fA-F\-٣]{36}\Z") | st.integers())  # fmt: skip
@settings(max_examples=300, deadline=None)
def test_uuid_check_is_the_group_rule(value):
    assert portable.is_uuid(value) == _uuid_by_parts(value)

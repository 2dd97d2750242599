"""Fuzzing the import codec: a damaged or hostile export never crashes `relapse import` and
never half-writes. Either the whole file merges, or one line names the problem (exit 2) and
the journal is exactly as it was."""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relapse_cli.core.clock import FakeClock
from relapse_cli.entry import main
from tests.conftest import LONDON, NOW, records

json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args), clock=FakeClock(NOW, tz=LONDON), interactive=False)
    return code, err.getvalue()


@pytest.fixture(scope="module")
def export_doc() -> dict:
    """A real export of a small journal with every entry kind, triggers and coping."""
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "source.db")
        for args in (
            ("log", "craving", "7", "-t", "stress", "-c", "walk", "-o", "resisted", "--note", "n"),
            ("log", "mood", "4", "--anxiety", "6", "--sleep", "6.5"),
            ("log", "trigger", "payday"),
            ("log", "use", "-s", "alcohol", "--amount", "2", "--unit", "drinks"),
        ):
            assert _run("--journal", source, *args)[0] == 0
        out = os.path.join(folder, "export.json")
        assert _run("--journal", source, "export", "-f", "json", "-o", out)[0] == 0
        with open(out, encoding="utf-8") as fh:
            return json.load(fh)


@st.composite
def damage(draw, doc: dict) -> dict:
    """One to three edits: a value replaced, a key removed or added, a row duplicated."""
    doc = json.loads(json.dumps(doc))
    tables = [name for name, rows in doc["tables"].items() if rows]
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(tables))
        rows = doc["tables"][name]
        row = draw(st.sampled_from(rows))
        action = draw(st.sampled_from(["set", "drop", "add", "dup", "top"]))
        if action == "set":
            row[draw(st.sampled_from(sorted(row)))] = draw(json_value)
        elif action == "drop":
            row.pop(draw(st.sampled_from(sorted(row))), None)
        elif action == "add":
            row[draw(st.text(max_size=10))] = draw(json_value)
        elif action == "dup":
            rows.append(dict(row))
        else:
            doc[draw(st.sampled_from(sorted(doc)))] = draw(json_value)
            break  # the top level may no longer hold tables to edit
    return doc


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.data())
def test_damaged_exports_merge_whole_or_not_at_all(export_doc, data):
    doc = data.draw(damage(export_doc))
    with tempfile.TemporaryDirectory() as folder:
        target = os.path.join(folder, "mine.db")
        assert _run("--journal", target, "log", "craving", "3", "-t", "boredom")[0] == 0
        before = records(target)
        path = os.path.join(folder, "damaged.json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(doc, fh)
        code, err = _run("--journal", target, "import", path)
        assert code in (0, 2), err
        if code == 2:
            assert err.startswith("relapse: ") and err.count("\n") == 1, err
            assert records(target) == before
        else:
            assert _run("--journal", target, "doctor")[0] == 0

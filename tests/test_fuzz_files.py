"""Fuzzing the files relapse reads from others: exports (plain and sealed), assignment files,
the plan as `plan edit` reads it back, settings.toml and thought records (`think --from`).

Each starts from a real file the tool wrote, is damaged (bytes flipped, inserted, cut; bytes
that are not UTF-8; NUL; nesting thousands deep; a huge line) and is read by the commands that
read it. The same three assertions as tests/test_fuzz_cli.py: exit 0, 1 or 2; no
"unexpected" and no traceback; a failed command leaves the journal's rows as they were. The
crisis screen additionally always works (exit 0, with the emergency sentence), whatever
settings.toml holds.

A thought-record file is refused in one line on stderr, naming what is wrong (exit 2), or
saved whole (exit 0): never a second line, never a partial record.

``RELAPSE_FUZZ_EXAMPLES=N`` runs N examples per format instead of the CI budget.
"""

from __future__ import annotations

import datetime
import json
import os
import shlex
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import records
from tests.test_fuzz_cli import EXAMPLES, check, run

CI_EXAMPLES = 40
PASSPHRASE = "correct horse battery staple"
EMERGENCY = "If you are in danger now, call your local emergency number"  # (999 in ...) when known

HOSTILE_BYTES = [
    b"\xff", b"\xfe\xff", b"\x00", b"\xed\xa0\x80", b"\xc3", b"\x1b[2J", b"\r", b"\t=1",
    b'"', b"'", b"[", b"]", b"{", b"}", b"=", b",", b"\n", b"[[", b"]]", b"\\u0000", b"1e999",
    b"-" * 3, b"9" * 400, b"[" * 3000, b"{" * 3000, b'{"a":' * 2000, b"x" * 100_000,
    b"[a" + b".a" * 3000 + b"]\n", b"a = " + b"[" * 3000 + b"\n", b"\xef\xbb\xbf",
]  # fmt: skip


@st.composite
def damaged(draw, seed: bytes) -> bytes:
    """One to four edits of a real file's bytes."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "insert", "flip", "cut", "truncate", "dup"]))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(HOSTILE_BYTES) | st.binary(max_size=8))
        elif action == "flip" and data:
            i = min(at, len(data) - 1)
            data[i] = data[i] ^ draw(st.integers(1, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "truncate":
            del data[at:]
        elif action == "dup":
            data[at:at] = data[max(0, at - 60) : at]
    return bytes(data)


@pytest.fixture(scope="module")
def seeds():
    """Real files as the tool writes them, and a seeded journal to read them into."""
    folder = tempfile.mkdtemp(prefix="relapse-fuzzfiles-")
    journal = os.path.join(folder, "seed.db")
    old = {k: os.environ.get(k) for k in ("RELAPSE_JOURNAL", "EDITOR", "VISUAL")}
    os.environ["RELAPSE_JOURNAL"] = journal
    os.environ.pop("VISUAL", None)
    try:
        for args in (
            ["log", "craving", "7", "-t", "stress", "-c", "walk", "-o", "resisted", "-n", "n"],
            ["log", "mood", "4", "--anxiety", "6", "--sleep", "6.5"],
            ["log", "use", "-s", "alcohol", "--amount", "2", "--unit", "drinks"],
            ["checkin", "phq9", "--answers", "1,1,1,1,1,1,1,1,0"],
            ["plan", "add", "warning-signs", "skipping meals"],
            ["config", "country", "GB"],
            ["config", "substances", "alcohol, nicotine"],
            ["config", "name", "Jordan"],
        ):
            code, _out, err = run(args)
            assert code == 0, (args, err)
        out: dict[str, bytes | str] = {"journal": journal, "folder": folder}
        export = os.path.join(folder, "export.json")
        assert run(["export", "-f", "json", "-o", export])[0] == 0
        with open(export, "rb") as fh:
            out["export"] = fh.read()
        secret = os.path.join(folder, "passphrase")
        with open(secret, "w") as fh:
            fh.write(PASSPHRASE + "\n")
        out["secret"] = secret
        sealed = os.path.join(folder, "export.age")
        code, _out, err = run(["export", "-f", "json", "--encrypt", "--passphrase-file",
                               secret, "-o", sealed])  # fmt: skip
        assert code == 0, err
        with open(sealed, "rb") as fh:
            out["sealed"] = fh.read()
        code, text, _err = run(["homework", "example"])
        assert code == 0
        out["homework"] = text.encode("utf-8")
        captured = os.path.join(folder, "plan.toml")
        copy_out = 'cp "$0" ' + shlex.quote(captured)  # the "editor" keeps a copy of the text
        os.environ["EDITOR"] = "sh -c " + shlex.quote(copy_out)
        assert run(["plan", "edit"])[0] == 0
        with open(captured, "rb") as fh:
            out["plan"] = fh.read()
        with open(os.path.join(folder, "settings.toml"), "rb") as fh:
            out["settings"] = fh.read()
        yield out
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(folder, ignore_errors=True)


def _fresh(seeds: dict, here: str, monkeypatch) -> tuple[str, list]:
    journal = os.path.join(here, "journal.db")
    shutil.copy(seeds["journal"], journal)
    shutil.copy(os.path.join(seeds["folder"], "settings.toml"), os.path.join(here, "settings.toml"))
    monkeypatch.setenv("RELAPSE_JOURNAL", journal)
    monkeypatch.chdir(here)
    return journal, records(journal)


def _budget(n: int = CI_EXAMPLES) -> settings:
    return settings(max_examples=EXAMPLES or n, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))  # fmt: skip


@pytest.mark.slow
@_budget()
@given(data=st.data())
def test_damaged_exports_are_refused_or_merged_whole(seeds, data, monkeypatch):
    doc = data.draw(damaged(seeds["export"]), label="export")
    reader = data.draw(st.sampled_from([["import"], ["import", "--dry-run"], ["review"],
                                        ["review", "--json"]]), label="command")  # fmt: skip
    with tempfile.TemporaryDirectory(dir=seeds["folder"]) as here:
        journal, before = _fresh(seeds, here, monkeypatch)
        path = os.path.join(here, "in.json")
        with open(path, "wb") as fh:
            fh.write(doc)
        check([*reader, path], journal, before)


@pytest.mark.slow
@_budget(4)  # each try runs scrypt (~1 s); the parser behind it is fuzzed above
@given(data=st.data())
def test_damaged_sealed_exports_are_refused(seeds, data, monkeypatch):
    blob = data.draw(damaged(seeds["sealed"]), label="sealed")
    reader = data.draw(st.sampled_from(["import", "review"]), label="command")
    with tempfile.TemporaryDirectory(dir=seeds["folder"]) as here:
        journal, before = _fresh(seeds, here, monkeypatch)
        path = os.path.join(here, "in.age")
        with open(path, "wb") as fh:
            fh.write(blob)
        check([reader, path, "--passphrase-file", seeds["secret"]], journal, before)


@pytest.mark.slow
def test_a_sealed_export_of_a_deep_document_is_refused(seeds, monkeypatch):
    """Sealing does not let a hostile document past the depth bound."""
    from relapse_cli.share.formats.sealed import seal

    with tempfile.TemporaryDirectory(dir=seeds["folder"]) as here:
        journal, before = _fresh(seeds, here, monkeypatch)
        path = os.path.join(here, "deep.age")
        with open(path, "wb") as fh:
            fh.write(seal(b"[" * 5000 + b"]" * 5000, PASSPHRASE))
        code, err = check(["import", path, "--passphrase-file", seeds["secret"]], journal, before)
        assert code == 2 and "nested more than" in err, err


@pytest.mark.slow
@_budget()
@given(data=st.data())
def test_damaged_assignment_files_are_refused_or_loaded(seeds, data, monkeypatch):
    text = data.draw(damaged(seeds["homework"]), label="homework")
    reader = data.draw(st.sampled_from([["homework", "check"], ["homework", "load", "--yes"],
                                        ["homework", "load"]]), label="command")  # fmt: skip
    via_stdin = data.draw(st.booleans(), label="stdin")
    with tempfile.TemporaryDirectory(dir=seeds["folder"]) as here:
        journal, before = _fresh(seeds, here, monkeypatch)
        path = os.path.join(here, "week.toml")
        with open(path, "wb") as fh:
            fh.write(text)
        if via_stdin:  # stdin as text, the way the in-process runner can pass it
            check([*reader, "-"], journal, before, text.decode("utf-8", "replace"))
        else:
            check([*reader, path], journal, before)


@pytest.mark.slow
@_budget()
@given(data=st.data())
def test_a_damaged_plan_from_the_editor_is_refused_or_saved(seeds, data, monkeypatch):
    text = data.draw(damaged(seeds["plan"]), label="plan")
    with tempfile.TemporaryDirectory(dir=seeds["folder"]) as here:
        journal, before = _fresh(seeds, here, monkeypatch)
        path = os.path.join(here, "edited.toml")
        with open(path, "wb") as fh:
            fh.write(text)
        monkeypatch.setenv("EDITOR", f"cp {shlex.quote(path)}")  # the "editor" saves our bytes
        check(["plan", "edit"], journal, before)


@pytest.mark.slow
@_budget()
@given(data=st.data())
def test_damaged_settings_never_crash_and_sos_always_answers(seeds, data, monkeypatch):
    text = data.draw(damaged(seeds["settings"]), label="settings")
    command = data.draw(st.sampled_from([["config"], ["config", "country"], ["summary"],
                                         ["history"], ["log", "craving", "5"], ["sos"],
                                         ["config", "name", "Sam"]]), label="command")  # fmt: skip
    with tempfile.TemporaryDirectory(dir=seeds["folder"]) as here:
        journal, before = _fresh(seeds, here, monkeypatch)
        with open(os.path.join(here, "settings.toml"), "wb") as fh:
            fh.write(text)
        code, _err = check(command, journal, before)
        if command == ["sos"]:
            _code, out, _ = run(["sos"])
            assert code == 0 and EMERGENCY in out


HOSTILE_VALUES = st.sampled_from([
    "a\ud800b", "\udcff", "\x00", "x\x1b[2J", "=cmd", "\t=1", "9" * 400, "", " ", "2999-01-01T00:00:00Z",
    "2026-11-24T21:30:00Z", "1899-01-01T00:00:00Z", "2026-02-30", "[" * 50, 10**30, -(10**30),
    2**63, -1, 1e308, 0.5, True, None, [], {}, [[[[[[]]]]]], {"a": {"b": {"c": {}}}},
])  # fmt: skip


@st.composite
def structurally_damaged(draw, seed: bytes) -> bytes:
    """The export parsed, then one to three values replaced by hostile ones, and written back."""
    import json

    doc = json.loads(seed)
    tables = [name for name, rows in doc["tables"].items() if rows]
    for _ in range(draw(st.integers(1, 3))):
        rows = doc["tables"][draw(st.sampled_from(tables))]
        row = draw(st.sampled_from(rows))
        key = draw(st.sampled_from(sorted(row)) | st.sampled_from(["\ud800", "x" * 100]))
        row[key] = draw(HOSTILE_VALUES)
    return json.dumps(doc).encode("utf-8")


@pytest.mark.slow
@_budget()
@given(data=st.data())
def test_exports_with_hostile_values_are_refused_or_merged_whole(seeds, data, monkeypatch):
    doc = data.draw(structurally_damaged(seeds["export"]), label="export")
    reader = data.draw(st.sampled_from([["import"], ["review", "--json"]]), label="command")
    with tempfile.TemporaryDirectory(dir=seeds["folder"]) as here:
        journal, before = _fresh(seeds, here, monkeypatch)
        path = os.path.join(here, "in.json")
        with open(path, "wb") as fh:
            fh.write(doc)
        code, _err = check([*reader, path], journal, before)
        if code == 0 and reader == ["import"]:
            assert run(["doctor"])[0] == 0


# --- thought records: relapse think --from FILE ----------------------------------------------

THOUGHT_RECORD = {
    "situation": "alone after work", "mood": ["anxious=80", "ashamed=60"],
    "thoughts": ["I can't cope", "nobody would notice"], "hot": 1, "trap": ["relief", 6],
    "for": "I drank last time", "against": ["I ran on Thursday", "it passed"],
    "balanced": "it is hard and it passes", "belief": 70,
    "mood_after": {"anxious": 40, "ashamed": 50}, "next": "text Sam",
}  # fmt: skip
THOUGHT_HOSTILE = HOSTILE_VALUES | st.sampled_from([
    5, 2.5, -0.0, float("inf"), "x" * 5000, "a" + " " * 3000 + "=80", "anxious=" + "9" * 5000,
    "9" * 5000, [5], [[1]], [[]], [{"a": 1}], [True], {"a": [1]}, {"a": "x"}, {"": 1},
    {"a" * 100: 1}, {"anxious": 80, "ANXIOUS": 70}, ["anxious=80", 5],
    datetime.date(1979, 5, 27), datetime.datetime(1979, 5, 27, 7, 32), datetime.time(7, 32),
])  # fmt: skip


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)  # inf and nan are TOML too
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string (a lone \\ud800: refused)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, list):  # TOML has no null: a None is left out, here and in a table
        return "[" + ", ".join(_toml_value(v) for v in value if v is not None) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()
                           if v is not None) + "}"  # fmt: skip


def thought_file(record: object, as_json: bool) -> bytes:
    """The record as the --from file: JSON, or TOML (every value inline; null left out)."""
    if as_json:
        return json.dumps(record, default=str).encode("utf-8")
    assert isinstance(record, dict)
    return "".join(f"{json.dumps(k)} = {_toml_value(v)}\n" for k, v in record.items()
                   if v is not None).encode("utf-8")  # fmt: skip


@st.composite
def hostile_thought_record(draw) -> object:
    """The record with one to three fields given a wrong (or no) value, renamed, doubled or
    left out, or the whole record nested inside something else."""
    record: dict = dict(THOUGHT_RECORD)
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["value", "value", "value", "drop", "rename", "twice"]))
        key = draw(st.sampled_from(sorted(record) or ["situation"]))
        if action == "value":
            record[key] = draw(THOUGHT_HOSTILE)
        elif action == "drop":
            record.pop(key, None)
        elif action == "rename":
            record[draw(st.sampled_from(["feeling", "Thought", "MOODS", "hot_index", ""]))] = (
                record.pop(key, None)
            )
        else:  # the same field under two of its names
            record |= {"moods": ["sad=50"], "mood": ["anxious=80"]}
    nest = draw(st.sampled_from([None, None, None, None, "record", "list"]))
    if nest == "record":
        return {"record": record}
    return [record] if nest == "list" else record


def _thought_check(args: list[str], journal: str, before: list, stdin: str = "") -> int:
    """check(), and: refused (exit 2) in exactly one line on stderr, or saved (exit 0)."""
    code, err = check(args, journal, before, stdin)
    assert code in (0, 2), (code, err)
    if code == 2:
        assert err.strip() and "\n" not in err.strip(), err
    else:
        assert records(journal) != before, err  # saved, as a whole record
    return code


@pytest.fixture
def think_journal(tmp_path, monkeypatch) -> tuple[str, list]:
    journal = str(tmp_path / "journal.db")
    monkeypatch.setenv("RELAPSE_JOURNAL", journal)
    monkeypatch.chdir(tmp_path)
    assert run(["log", "craving", "5"])[0] == 0
    return journal, records(journal)


@pytest.mark.parametrize("as_json", [False, True], ids=["toml", "json"])
def test_the_thought_record_seed_is_saved(think_journal, tmp_path, as_json):
    journal, before = think_journal
    path = tmp_path / ("r.json" if as_json else "r.toml")
    path.write_bytes(thought_file(THOUGHT_RECORD, as_json))
    assert _thought_check(["think", "--from", str(path)], journal, before) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("thoughts", 5), ("mood", 5), ("trap", 5.5), ("trap", True), ("for", {"a": 1}),
        ("against", [[1]]), ("mood", [{"a": 1}]), ("mood_after", {"anxious": [1]}),
        ("hot", [1]), ("hot", "9" * 5000), ("belief", [70]), ("belief", "9" * 5000),
        ("belief", datetime.date(1979, 5, 27)), ("situation", 5), ("next", ["text Sam"]),
        ("trap", [[1]]), ("trap", {"relief": 1}), ("mood", "a" + " " * 3000 + "x"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("as_json", [False, True], ids=["toml", "json"])
def test_a_wrong_type_in_a_thought_record_names_the_field(think_journal, tmp_path, field,
                                                          value, as_json):  # fmt: skip
    journal, before = think_journal
    path = tmp_path / ("r.json" if as_json else "r.toml")
    path.write_bytes(thought_file(THOUGHT_RECORD | {field: value}, as_json))
    code, _out, err = run(["think", "--from", str(path)])
    assert code == 2, err
    assert err.startswith(f"relapse: {path}: {field}") and err.count("\n") == 1, err
    assert records(journal) == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'situation = "\xff\xfe"\n', "is not UTF-8 text"),
        (b"thoughts = " + b"[" * 3000 + b"]" * 3000 + b"\n", "nested more than"),
        (b'{"thoughts": ' + b"[" * 3000 + b"]" * 3000 + b"}", "nested more than"),
        (b'situation = "' + b"x" * 300_000 + b'"\n', "larger than 256 KB"),
        (b'{"situation": "a\\ud800b"}', "not valid Unicode"),
        (b"[1, 2]", "must hold one record"),
        (b'{"record": {"situation": "x"}}', "unknown field 'record'"),
        (b"", "still needs --situation"),
        (b'situation = "alone"\n', "still needs --mood"),
    ],
)
def test_a_thought_record_file_that_cannot_be_one_is_refused(think_journal, tmp_path, content,
                                                             words):  # fmt: skip
    journal, before = think_journal
    path = tmp_path / ("r.json" if content.startswith((b"{", b"[1")) else "r.toml")
    path.write_bytes(content)
    code, _out, err = run(["think", "--from", str(path)])
    assert code == 2 and words in err and err.count("\n") == 1, err
    assert "unexpected" not in err.lower()
    assert records(journal) == before


@pytest.mark.slow
@_budget()
@given(data=st.data())
def test_damaged_thought_record_files_are_refused_or_saved(seeds, data, monkeypatch):
    as_json = data.draw(st.booleans(), label="json")
    text = data.draw(damaged(thought_file(THOUGHT_RECORD, as_json)), label="record")
    via_stdin = data.draw(st.booleans(), label="stdin")
    with tempfile.TemporaryDirectory(dir=seeds["folder"]) as here:
        journal, before = _fresh(seeds, here, monkeypatch)
        if via_stdin:  # stdin as text, the way the in-process runner can pass it
            _thought_check(["think", "--from", "-"], journal, before,
                           text.decode("utf-8", "replace"))  # fmt: skip
        else:
            path = os.path.join(here, "record.json" if as_json else "record.toml")
            with open(path, "wb") as fh:
                fh.write(text)
            _thought_check(["think", "--from", path], journal, before)


@pytest.mark.slow
@_budget()
@given(data=st.data())
def test_thought_records_with_hostile_values_are_refused_or_saved(seeds, data, monkeypatch):
    as_json = data.draw(st.booleans(), label="json")
    record = data.draw(hostile_thought_record(), label="record")
    if not as_json and not isinstance(record, dict):
        record = {"record": record}  # a TOML document is always a table
    with tempfile.TemporaryDirectory(dir=seeds["folder"]) as here:
        journal, before = _fresh(seeds, here, monkeypatch)
        path = os.path.join(here, "record.json" if as_json else "record.toml")
        with open(path, "wb") as fh:
            fh.write(thought_file(record, as_json))
        _thought_check(["think", "--from", path], journal, before)


ENVELOPE = [("exported_at", None), ("exported_at", "yesterday"), ("exported_at", 5),
            ("utc_offset_min", "60"), ("utc_offset_min", 5000), ("utc_offset_min", True),
            ("period", []), ("period", {"since": "last week"}), ("period", {"until": 3}),
            ("kinds", "craving"), ("kinds", [1]), ("notes_included", "yes"),
            ("hidden_included", 0), ("settings", []), ("journal_id", "abc"),
            ("journal_id", 7), ("exported_at", "2026-1-1T1:1:1Z"),
            ("exported_at", "２０２６-11-24T18:30:00Z"),
            ("period", {"since": "2026-11-24T00:00:00Z", "until": "2026-11-01T00:00:00Z"})]  # fmt: skip


@pytest.mark.parametrize(("field", "value"), [*ENVELOPE, ("exported_at", "missing")])
@pytest.mark.parametrize("reader", [["import"], ["review"], ["review", "--json"]])
def test_a_damaged_envelope_is_one_line(seeds, tmp_path, monkeypatch, field, value, reader):
    """Every header field around the tables, wrong or missing: one line naming it, exit 2,
    the journal untouched (the fuzzer found `review` failing on a missing exported_at)."""
    import json

    doc = json.loads(seeds["export"])
    if value == "missing":
        doc.pop(field)
    else:
        doc[field] = value
    with tempfile.TemporaryDirectory(dir=seeds["folder"]) as here:
        journal, before = _fresh(seeds, here, monkeypatch)
        path = os.path.join(here, "in.json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(doc, fh)
        code, _out, err = run([*reader, path])
        assert code == 2 and err.count("\n") == 1 and field in err, err
        assert records(journal) == before

"""Assignment files: the packaged schema and example, and a dozen malformed files, each named
with its line and a fix, exit 2, nothing loaded."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
from conftest import records

from relapse_cli.homework.model.file import key_lines, line_of, read, schema

EXAMPLE = resources.files("relapse_cli.data").joinpath("homework_example.toml").read_text("utf-8")
TRACKER_LABELS = 'labels = { 0 = "no pain", 5 = "moderate", 10 = "worst imaginable" }\n'


def test_schema_is_valid_draft_2020_12_and_names_every_kind():
    s = schema()
    jsonschema.Draft202012Validator.check_schema(s)
    kinds = s["properties"]["tasks"]["items"]["properties"]["kind"]["enum"]
    assert kinds == ["cravings", "checkin", "thought_records", "breathing", "screener", "plan",
                     "reflection", "tracker"]  # fmt: skip


def test_the_packaged_example_is_valid(cli, tmp_path):
    assignment, problems, data = read(EXAMPLE)
    assert problems == [] and assignment is not None
    assert [t.id for t in assignment.tasks] == ["cravings", "checkin", "thoughts", "breathing",
                                               "phq9", "coping-plan", "pull", "pain"]  # fmt: skip
    assert assignment.assigned_by["name"] == "Alex Rivera"
    path = tmp_path / "week.toml"
    path.write_text(EXAMPLE)
    result = cli("homework", "check", str(path))
    assert (
        result.code == 0 and "a valid assignment, 8 tasks, 2026-11-23 to 2026-12-06" in result.out
    )


def test_example_command_prints_the_packaged_example(cli):
    result = cli("homework", "example")
    assert result.code == 0 and result.out == EXAMPLE


def test_readme_example_is_the_packaged_one():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    assert EXAMPLE.strip() in readme


def test_key_lines_find_tables_keys_and_skip_multiline_strings():
    lines = key_lines(EXAMPLE)
    assert lines[("title",)] == 4 and lines[("message",)] == 7
    assert lines[("assigned_by", "name")] == 12
    assert lines[("tasks", 0)] == 16 and lines[("tasks", 7, "max")] == 60
    assert line_of(lines, ("tasks", 7, "labels", "10")) == 61  # inside an inline table
    text = '[[tasks]]\nid = "a"\n[tasks.labels]\n"1" = "x"\n[[tasks]]\nid = "b"\n'
    assert key_lines(text)[("tasks", 0, "labels", "1")] == 4
    assert key_lines(text)[("tasks", 1, "id")] == 6


def _swap(old: str, new: str):
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return change


MALFORMED = [
    ("unknown task kind", _swap('kind = "checkin"', 'kind = "journaling"'),
     ":22: unknown task kind 'journaling'. Fix: use one of: cravings, checkin, thought_records"),
    ("due before start", _swap("due = 2026-12-06", "due = 2026-11-16"),
     ":6: due (2026-11-16) is before start (2026-11-23). Fix: make due the same day as start"),
    ("range 10-0", _swap("min = 0\nmax = 10\n" + TRACKER_LABELS, "min = 10\nmax = 0\n"),
     ":60: the range 10 to 0 is backwards or empty. Fix: min must be below max, e.g. min = 0, "
     "max = 10"),
    ("missing title", _swap('title = "Weeks 3-4: noticing the pull"      # required\n', ""),
     ":1: the file is missing `title`. Fix: add a line near the top: title = "),
    ("impossible date", _swap("due = 2026-12-06", "due = 2026-02-30"),
     ":6: due is not a real date: 2026-02-30. Fix: write it as YYYY-MM-DD with a real day"),
    ("month 13", _swap("start = 2026-11-23", "start = 2026-13-45"),
     ":5: start is not a real date: 2026-13-45. Fix: write it as YYYY-MM-DD with a real day"),
    ("date in short form", _swap("due = 2026-12-06", "due = 2026-12-6"),
     ":6: due is not a real date: 2026-12-6. Fix: write it as YYYY-MM-DD with a real day"),
    ("date as bad text", _swap("start = 2026-11-23", 'start = "23/11/2026"'),
     ":5: start is not a real date: '23/11/2026'. Fix: write it as YYYY-MM-DD"),
    ("date with a time", _swap("start = 2026-11-23", "start = 2026-11-23T09:00:00"),
     ":5: start has a time (2026-11-23T09:00:00); it should be a date. Fix: start = 2026-11-23"),
    ("duplicate task ids", _swap('id = "thoughts"', 'id = "cravings"'),
     ":26: task id 'cravings' is used twice (first by task 1). Fix: give each task its own id"),
    ("not TOML at all", lambda _t: "Hi Sam,\nplease log your cravings every day.\nAlex\n",
     ":1: not valid TOML (expected '=' after a key in a key/value pair). Fix: each line is "
     "key = value"),
    ("unknown key", _swap('instrument = "phq9"', 'instrument = "phq9"\ncolour = "blue"'),
     ":42: `colour` is not a key of a screener task. Fix: remove it or use one of: "
     "id, kind, title, note, remind_at, remind_days, instrument, by, every_weeks"),
    ("screener both ways", _swap("by = 2026-11-30", "by = 2026-11-30\nevery_weeks = 2"),
     ":43: a screener is either `by` a date or `every_weeks`, not both. Fix: keep one"),
    ("screener by outside", _swap("by = 2026-11-30", "by = 2026-12-24"),
     ":42: by (2026-12-24) is outside the assignment (2026-11-23 to 2026-12-06)"),
    ("per_week zero", _swap("per_week = 2", "per_week = 0"),
     ":28: task 3: per_week = 0 is out of range. Fix: use a number from 1 to 21"),
    ("per_week as words", _swap("per_week = 2", 'per_week = "two"'),
     ":28: task 3: per_week should be a whole number, not 'two'. Fix: write per_week as a "
     "whole number"),
    ("tracker named like a kind", _swap('name = "pain"', 'name = "craving"'),
     ":58: tracker name 'craving' collides with the built-in kind 'craving'"),
    ("tracker named like a kind's plural", _swap('name = "pain"', 'name = "cravings"'),
     ":58: tracker name 'cravings' collides with the built-in kind 'craving' (relapse log "
     "craving)"),
    ("label outside the range", _swap('10 = "worst imaginable"', '11 = "worst imaginable"'),
     ":61: label 11 is outside the range 0 to 10. Fix: label values within the range"),
    ("missing assigned_by name", _swap('name = "Alex Rivera"\n', ""),
     ":11: assigned_by is missing `name`. Fix: add: name = "),
    ("bad reminder time", _swap('"21:00"', '"9pm"'),
     ":23: task 2: remind_at = '9pm' is not allowed. Fix: use 24-hour HH:MM"),
    ("no tasks", lambda t: t.split("[[tasks]]")[0],
     ":1: the file is missing `tasks`. Fix: add at least one task: [[tasks]] with id and kind"),
    ("minutes the exercise never lasts", _swap('exercise = "box"', 'exercise = "478"'),
     ":34: 4-7-8 breathing lasts at most 2 min 32 s, so 4 minutes could never be done. "
     "Fix: use minutes = 2 or less, or another exercise"),
    ("unknown exercise", _swap('exercise = "box"', 'exercise = "boxes"'),
     ":33: task 4: exercise = 'boxes' is not one of the choices. Fix: use one of: any, box, 478"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "change", "expected"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_file_names_the_line_and_a_fix(cli, journal, tmp_path, case, change, expected):
    path = tmp_path / "week.toml"
    path.write_text(change(EXAMPLE))
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    checked = cli("homework", "check", str(path))
    assert checked.code == 2
    lines = checked.err.splitlines()
    assert lines[0] == f"{path}{expected}" or lines[0].startswith(f"{path}{expected}"), lines
    assert lines[-1].startswith("relapse: 1 problem in ") and "nothing was loaded" in lines[-1]
    loaded = cli("homework", "load", str(path), "--yes")
    assert loaded.code == 2 and loaded.err.splitlines()[0] == lines[0]
    assert records(journal) == before


def test_every_problem_is_named_not_just_the_first(cli, tmp_path):
    text = _swap("per_week = 2", "per_week = 0")(
        _swap('id = "thoughts"', 'id = "cravings"')(EXAMPLE)
    )
    path = tmp_path / "two.toml"
    path.write_text(text)
    result = cli("homework", "check", str(path), "--json")
    assert result.code == 2
    assert [p["line"] for p in result.json()["problems"]] == [26, 28]


def test_binary_and_missing_files(cli, tmp_path):
    pdf = tmp_path / "week.pdf"
    pdf.write_bytes(b"%PDF-1.4\n\x00\x01\x02")
    result = cli("homework", "check", str(pdf))
    assert result.code == 2 and ":1: this is not a text file" in result.err
    result = cli("homework", "load", str(tmp_path / "nope.toml"), "--yes")
    assert (
        result.code == 2
        and result.err
        == f"relapse: no such file: {tmp_path / 'nope.toml'} (check the name and folder)\n"
    )


def test_check_reads_stdin(cli):
    result = cli("homework", "check", "-", input=EXAMPLE)
    assert result.code == 0 and result.out.startswith("<stdin>: a valid assignment")


def test_check_from_stdin_names_the_real_problem(cli):
    """stdin is read once: the problems shown are those of the text given, not of an empty
    second read (which reported `title`, `start`... as missing)."""
    result = cli(
        "homework", "check", "-", input=EXAMPLE.replace("start = 2026-11-23", "start = 2026-13-45")
    )
    assert result.code == 2
    assert result.err.splitlines() == [
        "<stdin>:5: start is not a real date: 2026-13-45. Fix: write it as YYYY-MM-DD with a "
        "real day, e.g. start = 2026-11-30",
        "relapse: 1 problem in <stdin>; nothing was loaded",
    ]


def test_json_check_output(cli, tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text(EXAMPLE)
    assert json.loads(cli("homework", "check", str(path), "--json").out) == {
        "file": str(path), "ok": True, "problems": []}  # fmt: skip

"""Shell completion completes values, through the real bash protocol of the installed
command: fixed vocabularies from the domain, the person's own words from the journal
(read-only: a Tab press never creates, migrates or changes a journal)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import records

from relapse_cli.cli import complete

# The console script of the Python running the tests (CI runs other Pythons' venvs without
# activating them, so PATH may hold another install's `relapse`, or none).
_BESIDE = os.path.join(os.path.dirname(sys.executable), "relapse")
RELAPSE = _BESIDE if os.path.exists(_BESIDE) else shutil.which("relapse")


def tab(line: str) -> list[str]:
    """What bash would offer after ``line`` (the word being typed is its last one)."""
    words = line.split(" ")
    env = {**os.environ, "_RELAPSE_COMPLETE": "complete_bash", "COMP_WORDS": line,
           "COMP_CWORD": str(len(words) - 1)}  # fmt: skip
    done = subprocess.run([RELAPSE], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [w for w in done.stdout.split("\n") if w]


@pytest.mark.slow
def test_values_complete_through_bash(cli, journal):
    assert cli("log", "craving", "5", "-t", "stress", "-t", "payday", "-c", "called Sam").code == 0
    assert cli("meds", "add", "Naltrexone", "--times", "08:00").code == 0
    before = records(journal)
    table = [
        ("relapse log craving 5 --outcome r", ["resisted"]),
        ("relapse log craving 5 -o ", ["resisted", "used", "ongoing"]),
        ("relapse export -f ", ["json", "csv", "md", "html", "tlfb", "fhir"]),
        ("relapse export --format f", ["fhir"]),
        ("relapse breathe b", ["box", "body"]),
        ("relapse log craving 5 -t pa", ["payday"]),
        ("relapse log craving 5 -t stress,p", ["stress,payday"]),
        ("relapse log trigger x -t s", ["stress"]),
        ("relapse log craving 5 --coped c", ["called Sam"]),
        ("relapse meds take N", ["Naltrexone"]),
        ("relapse meds take ", ["Naltrexone"]),
        ("relapse plan add re", ["reasons"]),
    ]
    for line, offered in table:
        assert tab(line) == offered, line
    assert records(journal) == before


def test_completion_never_creates_or_migrates(tmp_path, monkeypatch):
    missing = tmp_path / "none.db"
    monkeypatch.setenv("RELAPSE_JOURNAL", str(missing))
    assert complete.triggers("s") == [] and complete.medications("") == []
    assert not os.path.exists(missing) and os.listdir(tmp_path) == ["home"]
    monkeypatch.setenv("RELAPSE_JOURNAL", str(tmp_path / "old.db"))
    (tmp_path / "old.db").write_bytes(b"not a journal at all")
    assert complete.coping("") == []
    assert (tmp_path / "old.db").read_bytes() == b"not a journal at all"


@pytest.mark.parametrize(
    ("completer", "typed", "offered"),
    [(complete.outcomes, "", ["resisted", "used", "ongoing"]), (complete.outcomes, "U", ["used"]),
     (complete.formats, "t", ["tlfb"]), (complete.plan_sections, "people", ["people"]),
     (complete.exercises, "4", ["478"]), (complete.exercises, "zz", [])],
)  # fmt: skip
def test_fixed_vocabularies(completer, typed, offered):
    assert completer(typed) == offered


def test_names_with_like_wildcards_are_literal(cli, journal):
    assert cli("log", "trigger", "x", "-t", "100% tired", "-t", "1_0 stress").code == 0
    assert complete.triggers("100%") == ["100% tired"]
    assert complete.triggers("1_") == ["1_0 stress"]
    assert complete.triggers("1%") == []

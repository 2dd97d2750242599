"""Every note option keeps private words out of shell history: `--note -` reads stdin and a
bare `--note` asks at a prompt (without a terminal it says how to use stdin instead)."""

from __future__ import annotations

import sqlite3

import pytest

from relapse_cli.core.prompter import ScriptedPrompter

COMMANDS = [
    (("log", "craving", "5"), "entries"),
    (("log", "withdrawal", "--tremor", "1"), "withdrawal_checks"),
    (("checkin", "--mood", "5"), "checkins"),
    (("appointments", "add", "therapy", "2026-12-01 14:00"), "appointments"),
    (("meds", "add", "naltrexone", "--dose", "50 mg"), "medications"),
]


def _notes(journal: str, table: str) -> list[str]:
    con = sqlite3.connect(journal)
    try:
        return [r[0] for r in con.execute(f"SELECT note FROM {table}")]  # noqa: S608
    finally:
        con.close()


@pytest.mark.parametrize(("args", "table"), COMMANDS, ids=[" ".join(a[:2]) for a, _ in COMMANDS])
def test_note_dash_reads_stdin(cli, journal, args, table):
    result = cli(*args, "--note", "-", input="words I would not put in shell history")
    assert result.code == 0, result.err
    assert _notes(journal, table) == ["words I would not put in shell history"]


@pytest.mark.parametrize(("args", "table"), COMMANDS, ids=[" ".join(a[:2]) for a, _ in COMMANDS])
def test_bare_note_asks_at_a_prompt(cli, journal, args, table):
    prompter = ScriptedPrompter(["typed at the prompt"])
    result = cli(*args, "--note", prompter=prompter, interactive=True)
    assert result.code == 0, result.err
    assert _notes(journal, table) == ["typed at the prompt"]


@pytest.mark.parametrize(("args", "table"), COMMANDS, ids=[" ".join(a[:2]) for a, _ in COMMANDS])
def test_bare_note_without_a_terminal_is_one_clear_line(cli, journal, args, table):
    result = cli(*args, "--note")
    assert result.code == 2
    assert "--note -" in result.err and result.err.count("\n") == 1

"""Line editing in guided prompts (issue 19, item 4): Left, Home and friends edit the line, as
in a shell, on a real pseudo-terminal; no escape code is ever saved."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from relapse_cli.core.prompter import strip_keys

LEFT, HOME, END = "\x1b[D", "\x1b[H", "\x1b[F"


def _env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELAPSE_")}
    env |= {"RELAPSE_JOURNAL": str(tmp_path / "journal.db"), "HOME": str(tmp_path),
            "NO_COLOR": "1", "TERM": "xterm", "INPUTRC": "/dev/null", "COLUMNS": "100"}  # fmt: skip
    return env


def _entries(tmp_path) -> list[dict]:
    con = sqlite3.connect(tmp_path / "journal.db")
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM entries")]
    finally:
        con.close()


@pytest.mark.slow
def test_left_and_home_edit_the_line_in_a_guided_log(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(sys.executable, ["-m", "relapse_cli", "log", "craving"],
                          env=_env(tmp_path), timeout=20, encoding="utf-8")  # fmt: skip
    answers = [
        ("How strong", "7"),
        ("For what", "lcohol" + HOME + "a"),  # Home, then the missing first letter
        ("What set it off", "stess" + LEFT * 3 + "r" + END + ", boredom"),  # Left edits mid-word
        ("HALT", ""),
        ("Where are you", "ome" + HOME + "h"),
        ("Who are you with", ""),
        ("Mood right now", ""),
        ("cope", ""),
        ("How did it end", "r"),
        ("How strong is it now", ""),
        ("Anything else", "walk" + LEFT * 4 + "a long " + END + " helped"),
        ("thought record", "n"),
    ]
    for question, typed in answers:
        child.expect_exact(question)
        child.send(typed + "\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    (row,) = _entries(tmp_path)
    assert (row["substance"], row["location"], row["note"]) == ("alcohol", "home",
                                                                 "a long walk helped")  # fmt: skip
    saved = json.dumps(row)
    assert "\\u001b" not in saved and "[D" not in saved
    con = sqlite3.connect(tmp_path / "journal.db")
    names = sorted(n for (n,) in con.execute("SELECT name FROM triggers"))
    con.close()
    assert names == ["boredom", "stress"]


@pytest.mark.slow
def test_the_log_fast_path_never_loads_readline(tmp_path):
    code = ("import sys; from relapse_cli.entry import main; "
            "rc = main(['log', 'craving', '6', '-s', 'alcohol']); "
            "print('readline' in sys.modules); sys.exit(rc)")  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", code], env=_env(tmp_path), capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("ab\x1b[Dc", "abc"),  # Left
        ("\x1b[1~home", "home"),  # Home (vt220)
        ("\x1b[Hhome\x1b[F", "home"),  # Home, End (xterm)
        ("a\x1bOHb", "ab"),  # Home (application mode)
        ("x\x1b[3~y", "xy"),  # Delete
        ("\x1b[1;5Cword", "word"),  # Ctrl-Right
        ("plain words", "plain words"),
    ],
)
def test_key_sequences_never_reach_an_answer_read_without_editing(typed, saved):
    """Where readline cannot serve input() (stdout piped), the keys are dropped, not saved."""
    assert strip_keys(typed) == saved


@pytest.mark.slow
def test_ctrl_c_keeps_the_line_still_being_typed_in_a_thought_record(tmp_path):
    """Ctrl-C in `think` mid-line: the draft holds that half-typed line too (issue 19, 19)."""
    pexpect = pytest.importorskip("pexpect")
    import time

    child = pexpect.spawn(sys.executable, ["-m", "relapse_cli", "think"],
                          env=_env(tmp_path), timeout=20, encoding="utf-8")  # fmt: skip
    child.expect_exact("Situation")
    child.send("At the bus stop after wor")
    time.sleep(0.3)  # the keys reach readline before the interrupt does
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130, child.before
    assert "the line you were still typing too" in " ".join(child.before.split())
    con = sqlite3.connect(tmp_path / "journal.db")
    try:
        ((status, situation),) = con.execute("SELECT status, situation FROM thought_records")
    finally:
        con.close()
    assert status == "draft" and situation == "At the bus stop after wor"

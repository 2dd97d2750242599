"""Every line a command prints outside Rich goes through one writer (core.wrapping.say): on a
60-column terminal no line is wider than the terminal and no word, id or number is cut; through
a pipe the lines stay whole, as scripts read them (issue 19, item 14)."""

from __future__ import annotations

import io
import re
import sys

import pytest

from relapse_cli.core import text as text_module
from relapse_cli.core import wrapping
from relapse_cli.entry import main


class Terminal(io.StringIO):
    """stdout as a terminal shows it (COLUMNS gives its width), for the in-process runner."""

    def isatty(self) -> bool:
        return True


def on_terminal(clock, *args: str) -> tuple[int, str, str]:
    out, err = Terminal(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), out, err
    try:
        code = main(list(args), clock=clock, interactive=False)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


LONG_TRIGGER = "payday at the end of the month"

# Commands that confirm in one or a few lines, each made long on purpose.
COMMANDS = [
    ("log", "craving", "7", "-t", "stress", "-t", LONG_TRIGGER, "-s", "alcohol", "--coped",
     "called Sam", "--coped", "went for a long walk", "--outcome", "resisted", "--after", "3"),
    ("log", "mood", "4", "--anxiety", "7", "--sleep-hours", "5.5", "--energy", "3"),
    ("log", "use", "-s", "alcohol", "--amount", "4", "--unit", "drinks", "-n", "after the match"),
    ("log", "trigger", "walked past the bar on the way home from work", "-i", "6"),
    ("log", "withdrawal", "--anxiety", "2", "--tremor", "1", "--sweating", "1", "--craving", "2"),
    ("checkin", "--mood", "6", "--anxiety", "3", "--sleep-hours", "7", "--note", "a quiet day"),
    ("config", "name", "Jordan Alexander Example-Longname"),
    ("plan", "add", "warning_signs", "skipping meals and staying up late on my own again"),
    ("meds", "add", "naltrexone", "--dose", "50 mg tablet", "--schedule", "once a day with food"),
    ("appointments", "add", "therapy", "tomorrow 14:00"),
    ("homework", "load", "--yes", "{homework}"),
]  # fmt: skip

_ID = re.compile(r"\b[0-9a-f]{8}(?:-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?\b")


def _tokens(text: str) -> list[str]:
    return _ID.sub("ID", text).split()


def _run(cli, clock, tmp_path, name: str, columns: str, monkeypatch) -> list[str]:
    monkeypatch.setenv("COLUMNS", columns)
    journal = str(tmp_path / f"{name}.db")
    homework = tmp_path / "week.toml"
    homework.write_text(cli("homework", "example").out, encoding="utf-8")
    outs = []
    for args in COMMANDS:
        args = tuple(a.replace("{homework}", str(homework)) for a in args)
        code, out, err = on_terminal(clock, "--journal", journal, *args)
        assert code == 0, (args, err)
        outs.append(out)
    return outs


def test_confirmations_fit_60_columns_and_no_word_is_cut(cli, clock, tmp_path, monkeypatch):
    narrow = _run(cli, clock, tmp_path, "narrow", "60", monkeypatch)
    wide = _run(cli, clock, tmp_path, "wide", "1000", monkeypatch)
    for args, at60, at1000 in zip(COMMANDS, narrow, wide, strict=True):
        if args[0] == "homework":  # its preview table wraps cells side by side: words interleave
            at60, at1000 = at60.split("Loaded ", 1)[1], at1000.split("Loaded ", 1)[1]
            assert "020 7946 0000" in narrow[-1]  # the counselor's phone number stays whole
        assert _tokens(at60) == _tokens(at1000), args  # only the spaces between words moved
        for line in at60.splitlines():
            assert len(line) <= 60 or " " not in line.strip(), (args, line)
    assert any(len(line) > 60 for out in wide for line in out.splitlines())  # the table bites


def test_through_a_pipe_lines_stay_whole(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")  # even with a width set: a pipe is not a screen
    long = "Saved craving 7/10 · " + "word " * 30 + "· id 1234abcd"
    pipe = io.StringIO()
    text_module.say(long, pipe)
    assert pipe.getvalue() == long + "\n"
    result = cli("log", "craving", "7", "-t", "stress", "-t", LONG_TRIGGER, "--coped", "a walk")
    assert len(result.out.splitlines()[0]) > 60  # the confirmation is one line for a script


@pytest.mark.parametrize(("text", "wholes"), [
    ("Crisis lines: Samaritans 116 123, NHS 111 (option 2), or call 999 now if you are in danger",
     ["116 123"]),
    ("Saved craving 8/10 · alcohol · Tue 24 Nov 21:00 · id 0a1b2c3d · see it: relapse show 0a1b2c3d",
     ["0a1b2c3d", "relapse show 0a1b2c3d"]),
    ("Your plan has 3 warning signs now. To change them: relapse plan edit (or relapse plan show)",
     ["relapse plan edit", "relapse plan show"]),
    ("Sleep 87.5 % of the nights you logged; cravings went 8 → 3 after the walk, most days",
     ["87.5 %", "8 → 3"]),
])  # fmt: skip
def test_say_never_splits_a_phone_number_an_id_or_a_command(text, wholes, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    out = Terminal()
    text_module.say(text, out)
    lines = out.getvalue().splitlines()
    assert " ".join(lines).split() == text.split() and len(lines) > 1
    assert all(len(line) <= 40 for line in lines), lines
    for whole in wholes:
        assert any(whole in line for line in lines), (whole, lines)


def test_say_writes_the_text_when_wrapping_fails(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setattr(wrapping, "wrap", lambda *a, **k: 1 / 0)
    out = Terminal()
    text_module.say("the words matter more than their layout", out)
    assert out.getvalue() == "the words matter more than their layout\n"

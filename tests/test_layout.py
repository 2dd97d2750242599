"""Terminal layout at 60 columns (issue 19, items 14-16): words and numbers are never cut by the
terminal, every table keeps the columns that identify its rows, and the live breathing frame
leaves nothing behind when stopped."""

from __future__ import annotations

import os
import re
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relapse_cli.core.prompter import TerminalPrompter  # noqa: F401 - subclassed below
from relapse_cli.core.wrapping import wrap

EXAMPLES = int(os.environ.get("LAYOUT_EXAMPLES", "60"))

# --- the one wrapping rule --------------------------------------------------------------------

WORD = st.text(alphabet="abcdefghijklmnop", min_size=1, max_size=14)
NUMBERS = ["116 123", "0800 58 58 58", "87.5 %", "8 → 3", "1-800-662-4357"]
NUMBER = st.sampled_from(NUMBERS)
# A command ends at punctuation (lowercase words after it could belong to it).
COMMAND = st.sampled_from(["relapse plan build;", 'relapse plan add people "Sam" --phone 07700;'])


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.one_of(WORD, NUMBER, COMMAND), min_size=1, max_size=40),
       st.integers(min_value=24, max_value=100), st.sampled_from(["", "  ", "  - ", "12. "]))  # fmt: skip
def test_wrap_fits_keeps_every_word_and_never_splits_a_number(parts, width, lead):
    text = lead + " ".join(parts)
    lines = wrap(text, width)
    assert " ".join(" ".join(lines).split()) == " ".join(text.split())  # nothing lost or cut
    assert all(len(line) <= width for line in lines)
    joined = "\n".join(lines)
    for i, part in enumerate(parts):
        # Two numbers side by side read as one longer number (which may wrap if too wide).
        beside = parts[max(i - 1, 0) : i] + parts[i + 1 : i + 2]
        if any(b in NUMBERS for b in beside) and part in NUMBERS:
            continue
        if " " in part and len(part) <= width - len(lead):  # a number or command: whole
            assert part in joined.replace("\n" + " " * len(lead), "\n")
    if lead.strip() and len(lines) > 1:  # a list item's lines hang under its text
        assert all(line.startswith(" " * len(lead)) for line in lines[1:])


def test_styled_lines_wrap_by_what_shows():
    bold = "\x1b[1m116 123\x1b[0m"
    lines = wrap(f"  - Samaritans: {bold} (24 hours, every day, free from any phone)", 40)
    assert lines[0] == f"  - Samaritans: {bold} (24 hours, every"
    assert lines[1] == "    day, free from any phone)"


# --- every guided flow: prompts and guidance fit, no word or number split ----------------------

FLOWS = [
    ("think",),
    ("checkin", "phq9"),
    ("checkin", "gad7"),
    ("checkin",),
    ("plan", "build"),
    ("homework", "new"),
    ("log", "craving"),
]


class EchoingPrompter(TerminalPrompter):
    """The terminal prompter, with the answer echoed as a terminal would show it."""

    def ask(self, question: str, *, hint: str = "") -> str:
        try:
            answer = super().ask(question, hint=hint)
        except EOFError:
            sys.stderr.write("\n")  # the end of input ends the line, as on a terminal
            raise
        sys.stderr.write(answer + "\n")
        return answer


@pytest.mark.parametrize("args", FLOWS, ids=" ".join)
def test_every_guided_flow_wraps_to_the_width(cli, monkeypatch, args):
    """The same flow at 60 columns and at 1000: the same words in the same order (wrapping
    only moved line breaks), and at 60 no line is wider than 60."""
    answers = "\n" * 12  # Enter through the first questions, then end of input

    def run(columns: str) -> str:
        monkeypatch.setenv("COLUMNS", columns)
        res = cli(*args, input=answers, prompter=EchoingPrompter(), interactive=True)
        assert "Traceback" not in res.err
        return res.err + res.out

    wide, narrow = run("1000"), run("60")
    assert narrow.split() == wide.split()
    long = [
        line
        for line in narrow.splitlines()  # an error stays one line (the standard)
        if len(line) > 60 and "relapse: " not in line
    ]
    assert not long, long


# --- every table at 60 columns: identifying columns stay, no "…" ------------------------------

TABLES = [
    (("trends",), ("Week of", "Cravings", "Sober")),
    (("breathe", "--history"), ("when", "exercise")),
    (("thoughts",), ("id", "when", "situation")),
    (("checkin", "history"), ("when", "score", "mood")),
    (("history",), ("id", "when", "kind", "what")),
    (("breathe",), ("exercise",)),
    (("meds",), ("medication", "taken", "days")),
    (("meds", "list"), ("name", "dose")),
    (("appointments",), ("id", "when", "kind")),
    (("withdrawal",), ("day", "symptoms", "red flags", "fluids")),
    (("think", "balance", "--show"), ("using", "good things", "not-so-good things")),
    (("triggers",), ("name", "times logged")),
    (("coping",), ("name", "times logged")),
    (("homework",), ("cravings:", "checkin:")),
    (("homework", "load", "second.toml", "--yes"), ("task", "what it asks")),
    (("homework", "list"), ("no", "id", "title", "Weeks 5-6")),
]

LONG = "Riverside Community Recovery and Wellbeing Service, second floor, room 3"


@pytest.fixture
def demo_journal(cli, tmp_path, monkeypatch):
    path = tmp_path / "demo.db"
    assert cli("demo", "--out", str(path)).code == 0
    monkeypatch.setenv("RELAPSE_JOURNAL", str(path))
    return path


@pytest.fixture
def full_journal(cli, demo_journal, tmp_path, monkeypatch):
    """The demo journal, plus what it lacks, written with the real commands and long words:
    medications, appointments, withdrawal checks, a decisional balance and homework."""
    for args in (
        ("meds", "add", "Acamprosate", "--dose", "333 mg, two tablets", "--times",
         "08:00,13:00,20:00", "--schedule", "three times a day with meals", "--prescriber",
         "Dr Okafor at the " + LONG, "--start", "2026-10-01"),
        ("meds", "add", "Sertraline", "--dose", "50 mg", "--times", "08:00"),
        ("meds", "take", "Sertraline", "--at", "08:30"),
        ("appointments", "add", "therapy", "yesterday 14:00", "--with", "Maya, keyworker",
         "--where", LONG),
        ("appointments", "add", "mat", "thu 9am", "--with", "Dr Okafor", "--where", LONG),
        ("log", "withdrawal", "--tremor", "2", "--nausea", "1", "--runny-nose", "2",
         "--sleep-trouble", "3", "--at", "2 days ago 18:00"),
        ("log", "withdrawal", "--anxiety", "2", "--no-fluids", "--fever", "--at", "09:00"),
        ("think", "balance", "--using-good", "it calms me down after a long shift",
         "--using-bad", "I miss mornings with the kids", "--not-using-good",
         "more money for the holiday", "--not-using-bad", "evenings feel long and empty",
         "--importance", "8", "--confidence", "5"),
    ):  # fmt: skip
        res = cli(*args)
        assert res.code == 0, (args, res.err)
    monkeypatch.chdir(tmp_path)
    example = cli("homework", "example").out
    (tmp_path / "first.toml").write_text(example, encoding="utf-8")
    assert cli("homework", "load", "first.toml", "--yes").code == 0
    second = example.replace('title = "Weeks 3-4', 'title = "Weeks 5-6 of the ' + LONG, 1)
    (tmp_path / "second.toml").write_text(second, encoding="utf-8")
    return demo_journal


@pytest.mark.parametrize("width", [60, 80])
def test_every_table_fits_and_keeps_what_identifies_a_row(cli, full_journal, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))  # 80: what a pipe gets
    for args, keep in TABLES:
        res = cli(*args)
        assert res.code == 0, (args, res.err)
        lines = res.out.splitlines()
        assert "…" not in res.out, (args, res.out)
        assert all(len(line.rstrip()) <= width for line in lines), (args, res.out)
        for head in keep:
            assert head in res.out, (args, head, res.out)


def test_a_narrow_table_says_what_it_left_out(cli, demo_journal, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    out = cli("breathe", "--history").out
    assert "Left out at this width: mood" in " ".join(out.split())
    monkeypatch.setenv("COLUMNS", "200")
    assert "Left out" not in cli("breathe", "--history").out


def test_summary_at_60_keeps_numbers_whole_and_the_indent(cli, demo_journal, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    out = cli("summary").out
    lines = out.splitlines()
    assert all(len(line) <= 60 for line in lines)
    for above, below in zip(lines, lines[1:], strict=False):
        inner_a, inner_b = above.strip("│ "), below.strip("│ ")
        assert not (re.search(r"\d$", inner_a) and inner_b.startswith("%")), (above, below)
    legend = next(i for i, line in enumerate(lines) if "each column is an hour" in line)
    assert lines[legend + 1].startswith("│   ")  # the legend's second line keeps its indent


# --- a real terminal: sos at 60x24 and Ctrl-C in the live breathing frame ---------------------


def _spawn(args, env, cols):
    pexpect = pytest.importorskip("pexpect")
    return pexpect, pexpect.spawn(sys.executable, ["-m", "relapse_cli", *args], env=env,
                                  dimensions=(24, cols), encoding="utf-8", timeout=20)  # fmt: skip


@pytest.mark.slow
def test_sos_at_60_by_24_splits_no_number_or_the_sentence(tmp_path):
    env = dict(os.environ, RELAPSE_JOURNAL=str(tmp_path / "j.db"), NO_COLOR="1")
    env.pop("COLUMNS", None)
    pexpect, child = _spawn(["sos", "--country", "US"], env, 60)
    child.expect_exact("[Enter] close")
    shown = (child.before + "[Enter] close").replace("\r", "").split("\n")
    child.send("\r")
    child.expect(pexpect.EOF)
    assert all(len(line) <= 60 for line in shown)
    for number in ("988", "1-800-662-4357", "741741"):
        assert any(f": {number} (" in line for line in shown), number
    assert "If you are in danger now, call your local emergency number" in "\n".join(shown)


@pytest.mark.slow
@pytest.mark.parametrize("slow_reader", [False, True])
@pytest.mark.parametrize("cols", [60, 100])
def test_ctrl_c_in_sober_leaves_no_frame_on_screen(tmp_path, cols, slow_reader):
    """The frame goes and everything above it stays. ``slow_reader``: a terminal that has not
    yet drawn the last frames when Ctrl-C comes (tmux under load); the driver used to discard
    them, and the erase, counted for a whole frame, took the intro and cautions with it."""
    pyte = pytest.importorskip("pyte")
    env = dict(os.environ, RELAPSE_JOURNAL=str(tmp_path / "j.db"), TERM="xterm-256color")
    env.pop("COLUMNS", None)
    env.pop("NO_COLOR", None)
    pexpect, child = _spawn(["breathe", "sober", "--quiet"], env, cols)
    seen, end = "", time.monotonic() + 20  # every byte, for the emulator
    while "Ctrl-C stops" not in seen and time.monotonic() < end:
        try:
            seen += child.read_nonblocking(65536, timeout=0.2)
        except pexpect.TIMEOUT:
            pass
    # a few frames drawn in place; a slow reader leaves them unread in the pty until Ctrl-C
    end = time.monotonic() + 1.5
    if slow_reader:
        time.sleep(1.5)
        end = 0.0
    while time.monotonic() < end:
        try:
            seen += child.read_nonblocking(65536, timeout=0.2)
        except pexpect.TIMEOUT:
            pass
    child.sendintr()
    try:
        while True:
            seen += child.read_nonblocking(65536, timeout=5)
    except pexpect.EOF:
        pass
    screen = pyte.Screen(cols, 24)
    pyte.Stream(screen).feed(seen)
    text = "\n".join(line.rstrip() for line in screen.display)
    assert "Stopped early; saved as a partial session" in " ".join(text.split())
    assert not set("╭╮╰╯│─") & set(text), repr(seen[-3000:])
    flat = " ".join(text.split())
    for kept in ("A short pause you can take anywhere. Keep your eyes open or closed, whatever "
                 "feels right.", "Paying attention inside can bring up strong feelings"):  # fmt: skip
        assert kept in flat, text

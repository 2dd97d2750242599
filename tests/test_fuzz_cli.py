"""Fuzzing every command from its own spec: no input ends in "unexpected", a traceback or a
changed journal after a failure.

The command lines are built by walking the Click tree the Typer app is made of (every command,
every option and argument), with values that mix the valid, the boundary and the hostile:
bytes that are not UTF-8 (as argv delivers them: lone surrogates), NUL, control characters,
huge numbers, deep nesting, times out of range and paths to hostile files. Each runs in-process
against a copy of a small journal, with no terminal and empty stdin (a guided flow must refuse,
never wait), and must end with exit 0, 1 or 2, no "unexpected" and no traceback; when it fails
the journal's rows must be exactly as they were.

CI runs a few hundred examples; ``RELAPSE_FUZZ_EXAMPLES=5000 python -m pytest
tests/test_fuzz_cli.py tests/test_fuzz_files.py`` runs a longer search.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import sys
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relapse_cli.core.clock import FakeClock
from relapse_cli.entry import main
from tests.conftest import LONDON, NOW, records

EXAMPLES = int(os.environ.get("RELAPSE_FUZZ_EXAMPLES", "0") or 0)
CI_EXAMPLES = 250
SECONDS_PER_RUN = 20  # a command that takes longer is waiting for input: a hang, a failure


class Hang(BaseException):
    """Raised by the alarm; a BaseException so the CLI's boundary does not turn it into a line."""


def _alarm(_signum: int, _frame: object) -> None:
    raise Hang


def run(args: list[str], stdin: str = "") -> tuple[int, str, str]:
    """``relapse ARGS`` in-process: no terminal, the given stdin, a fake clock."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS_PER_RUN)
    try:
        code = main(list(args), clock=FakeClock(NOW, tz=LONDON), interactive=False)
    except Hang:
        raise AssertionError(f"hung waiting for input: {args!r}") from None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        sys.stdin, sys.stdout, sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


def check(args: list[str], journal: str, before: list, stdin: str = "") -> tuple[int, str]:
    """The three assertions every fuzzed run must pass."""
    code, out, err = run(args, stdin)
    log = os.environ.get("RELAPSE_FUZZ_LOG")  # figures for a long run: exit code per command
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{code}\t{' '.join(a for a in args[:2] if a.isidentifier())}\t"
                     f"{err.splitlines()[0][:90] if err else ''}\n".encode("utf-8", "replace")
                     .decode("utf-8"))  # fmt: skip
    shown = repr(args)[:400]
    assert code in (0, 1, 2), (shown, code, err)
    for stream in (out, err):
        assert "unexpected" not in stream.lower(), (shown, err)
        assert "Traceback" not in stream, (shown, err)
    if code != 0 and os.path.exists(journal):
        assert records(journal) == before, (shown, err)
    return code, err


# --- the command tree, from the app itself --------------------------------------------------


def commands() -> list[tuple[tuple[str, ...], object]]:
    """(path, click command) for every leaf command of ``relapse``."""
    from relapse_cli.cli.app import build_click

    found: list[tuple[tuple[str, ...], object]] = []

    def walk(path: tuple[str, ...], cmd: object) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in sorted(subs.items()):
                walk((*path, name), sub)
            if getattr(cmd, "invoke_without_command", False):
                found.append((path, cmd))
        else:
            found.append((path, cmd))

    walk((), build_click())
    return found


# Too slow or too broad for a few hundred examples, each with its reason; they are still
# in the tree walk (their options are fuzzed through `--help`-free paths elsewhere).
SLOW = {
    ("demo",): "builds a throwaway journal of months of entries (seconds)",
}


# --- values ---------------------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\udcff",
    "note \udcfe\udcff",
    "\ud800",
    "\x1b[31mred",
    "\x1b]0;t\x07",
    "\r",
    "\t=1+1",
    "\r=cmd",
    "=HYPERLINK(1)",
    "@SUM(1)",
    "-",
    "--",
    "-1",
    "-0",
    "+5",
    "1_0",
    "\u0661\u0662",
    "\uff15",
    "\u00b2",
    "nan",
    "inf",
    "-inf",
    "1e309",
    str(2**64),
    "9" * 400,
    "0x10",
    "5.5",
    "7.",
    ".5",
    "99999999h ago",
    "1e9 days ago",
    "0001-01-01",
    "1899-12-31",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "2026-11-24",
    "2026-11-24 25:00",
    "tomorrow",
    "[" * 40,
    "{" * 40,
    "x" * 3000,
    "\u202eevil",
    "a,b,,c",
    ",",
    "null",
    "[]",
    "{}",
    "true",
]
VALID = [
    "now", "2h ago", "yesterday 18:30", "mon 9pm", "2026-11-20 07:15", "2026-11-01", "0", "1",
    "3", "5", "7", "10", "12", "100", "stress", "walk", "alcohol", "drinks", "resisted", "used",
    "ongoing", "r", "json", "csv", "md", "html", "tlfb", "fhir", "craving", "mood", "trigger",
    "use", "phq9", "gad7", "pacs", "box", "4-7-8", "sober", "GB", "US", "name", "country",
    "substances", "week", "month", "day", "triggers", "coping", "yes", "all", "1,2,3",
    "2,2,2,1,2,1,1,0,2", "0,0,0,0,0,0,0", "08:00", "calm", "home",
]  # fmt: skip


def _number_values(kind: str) -> st.SearchStrategy[str]:
    if kind in ("integer", "integer range"):
        nums = st.integers(-3, 15) | st.integers(-(2**70), 2**70)
    else:
        nums = st.floats(allow_nan=True, allow_infinity=True) | st.floats(-5, 30)
    return nums.map(str)


@st.composite
def value_for(draw, param: object, files: dict[str, str]) -> str:
    """A value for one parameter: its own choices and type, and hostile text."""
    type_name = getattr(getattr(param, "type", None), "name", "text")
    pools = [st.sampled_from(HOSTILE)] * 2 + [st.sampled_from(VALID)] * 3 + [st.text(max_size=12)]
    choices = getattr(getattr(param, "type", None), "choices", None)
    if choices:
        pools += [st.sampled_from(list(choices))] * 3
    if type_name in ("integer", "float", "integer range", "float range"):
        pools += [_number_values(type_name)] * 2
    name = (getattr(param, "name", "") or "").lower()
    if any(w in name for w in ("file", "output", "source", "path", "journal", "html", "folder")):
        pools += [st.sampled_from(sorted(files.values()))] * 3
    return draw(st.one_of(pools))


@st.composite
def command_line(draw, tree: list, files: dict[str, str]) -> list[str]:
    path, cmd = draw(st.sampled_from(tree))
    params = [p for p in getattr(cmd, "params", []) if p.name not in ("help",)]
    options = [p for p in params if getattr(p, "param_type_name", "") == "option"]
    arguments = [p for p in params if getattr(p, "param_type_name", "") == "argument"]
    args: list[str] = []
    args += list(path)
    for p in arguments:
        if draw(st.integers(0, 5)) > 0:
            args.append(draw(value_for(p, files)))
    for p in draw(st.lists(st.sampled_from(options), max_size=4)) if options else []:
        decl = draw(st.sampled_from(sorted(p.opts)))
        if p.is_flag or getattr(p, "count", False):
            args.append(decl)
        elif draw(st.integers(0, 7)) == 0:
            args.append(decl)  # the option with its value missing
        else:
            args += [decl, draw(value_for(p, files))]
    if draw(st.integers(0, 19)) == 0:  # a stray word anywhere, or a global option misplaced
        extra = draw(st.sampled_from([*HOSTILE, *VALID, "--journal"]))
        args.insert(draw(st.integers(0, len(args))), extra)
    return args


# --- fixtures: a small journal and the hostile files ------------------------------------------


@pytest.fixture(scope="module")
def world():
    """A seeded journal (copied fresh for every example) and files to point options at."""
    folder = tempfile.mkdtemp(prefix="relapse-fuzz-")
    journal = os.path.join(folder, "seed.db")
    old = os.environ.get("RELAPSE_JOURNAL")
    os.environ["RELAPSE_JOURNAL"] = journal
    try:
        for args in (
            ["log", "craving", "7", "-t", "stress", "-c", "walk", "-o", "resisted", "-n", "n"],
            ["log", "mood", "4", "--anxiety", "6", "--sleep", "6.5"],
            ["log", "use", "-s", "alcohol", "--amount", "2", "--unit", "drinks"],
            ["checkin", "phq9", "--answers", "1,1,1,1,1,1,1,1,0"],
            ["plan", "add", "warning-signs", "skipping meals"],
        ):
            code, _out, err = run(args)
            assert code == 0, (args, err)
        export = os.path.join(folder, "export.json")
        assert run(["export", "-f", "json", "-o", export])[0] == 0
        files = {
            "export": export,
            "deep_json": os.path.join(folder, "deep.json"),
            "deep_toml": os.path.join(folder, "deep.toml"),
            "random": os.path.join(folder, "random.bin"),
            "latin1": os.path.join(folder, "latin1.txt"),
            "folder": os.path.join(folder, "a-folder"),
            "missing": os.path.join(folder, "missing.json"),
            "new": os.path.join(folder, "new-output.json"),
            "homework": os.path.join(folder, "homework.toml"),
        }
        with open(files["deep_json"], "w") as fh:
            fh.write("[" * 5000 + "]" * 5000)
        with open(files["deep_toml"], "w") as fh:
            fh.write("a = " + "[" * 5000 + "]" * 5000 + "\n")
        with open(files["random"], "wb") as fh:
            fh.write(os.urandom(2000))
        with open(files["latin1"], "wb") as fh:
            fh.write("caf\u00e9 \u00e0 5\n".encode("latin-1"))
        os.mkdir(files["folder"])
        code, out, _err = run(["homework", "example"])
        with open(files["homework"], "w") as fh:
            fh.write(out if code == 0 else "")
        yield journal, files, folder
    finally:
        if old is None:
            os.environ.pop("RELAPSE_JOURNAL", None)
        else:
            os.environ["RELAPSE_JOURNAL"] = old
        shutil.rmtree(folder, ignore_errors=True)


TREE = [(path, cmd) for path, cmd in commands() if path not in SLOW]


def test_the_tree_has_every_command():
    """The walk reaches the commands people use most (so the fuzzer cannot silently shrink)."""
    paths = {" ".join(p) for p, _ in TREE}
    for needed in ("log craving", "log mood", "sos", "import", "review", "export",
                   "homework check", "homework load", "think", "checkin phq9", "plan edit",
                   "summary", "history", "config"):  # fmt: skip
        assert needed in paths, needed
    assert len(TREE) >= 60


@pytest.fixture(scope="module")
def files(world):
    return world[1]


@pytest.mark.slow
@settings(max_examples=EXAMPLES or CI_EXAMPLES, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(data=st.data())
def test_no_command_line_crashes(world, data, monkeypatch):
    seed, files, folder = world
    args = data.draw(command_line(TREE, files), label="argv")
    stdin = data.draw(st.sampled_from(["", "5\n", "a\udcff\n", "\x00\n", "y\n" * 3]), label="stdin")
    with tempfile.TemporaryDirectory(dir=folder) as here:
        journal = os.path.join(here, "journal.db")
        shutil.copy(seed, journal)
        monkeypatch.setenv("RELAPSE_JOURNAL", journal)
        monkeypatch.setenv("EDITOR", "true")  # `plan edit`, `edit`: an editor that changes nothing
        monkeypatch.chdir(here)  # outputs named without a folder land here
        before = records(journal)
        check(args, journal, before, stdin)

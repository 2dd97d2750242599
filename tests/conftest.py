"""Shared test seams: a temp journal for every test, a fake clock, and a CLI runner.

No test can touch a real home: the autouse fixture points RELAPSE_JOURNAL, HOME and
XDG_DATA_HOME into tmp_path.
"""

from __future__ import annotations

import gc
import io
import json
import os
import sqlite3
import sys
import traceback
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import hypothesis
import pytest

from relapse_cli.core.clock import FakeClock
from relapse_cli.entry import main

# Property tests are deterministic by default (the same examples every run, so CI is red only
# for a change, not for the luck of a seed); a long search with any RELAPSE_*EXAMPLES variable
# (README, "Fuzzing") or RELAPSE_HYPOTHESIS_RANDOM=1 draws fresh random examples instead.
_EXPLORE = any(k.startswith(("RELAPSE_", "LAYOUT_")) and k.endswith("EXAMPLES") and v
               for k, v in os.environ.items()) or os.environ.get("RELAPSE_HYPOTHESIS_RANDOM") == "1"  # fmt: skip
hypothesis.settings.register_profile("deterministic", derandomize=True, database=None)
hypothesis.settings.register_profile("explore", derandomize=False)
hypothesis.settings.load_profile("explore" if _EXPLORE else "deterministic")

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 24, 21, 0)  # a Tuesday evening, local time in London


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


class _TrackedConnection(sqlite3.Connection):
    """A connection that remembers where it was opened and whether it was closed."""

    opened_at = ""
    closed = False

    def close(self) -> None:
        self.closed = True
        super().close()

    def __del__(self) -> None:
        if not self.closed:
            _LEAKS.append(self.opened_at)


_LEAKS: list[str] = []
_real_connect = sqlite3.connect


def _tracking_connect(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
    if "factory" in kwargs:
        return _real_connect(*args, **kwargs)
    con = _real_connect(*args, factory=_TrackedConnection, **kwargs)
    stack = [f for f in traceback.format_stack()[:-1] if "site-packages" not in f]
    con.opened_at = "".join(stack[-6:])
    return con


sqlite3.connect = _tracking_connect  # every connection, the package's and the tests'


@pytest.fixture(autouse=True)
def no_unclosed_connections():
    """A connection left open fails its test on every Python (3.13 turns it into a
    ResourceWarning, an error under filterwarnings=error): close what you open."""
    _LEAKS.clear()
    yield
    gc.collect()
    leaks, _LEAKS[:] = list(_LEAKS), []
    if leaks:
        pytest.fail(f"{len(leaks)} sqlite connection(s) never closed; opened at:\n" + leaks[0])


@pytest.fixture(autouse=True)
def private_env(tmp_path, monkeypatch):
    """Every test gets its own journal path and home; colour and width are fixed."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("RELAPSE_JOURNAL", str(tmp_path / "journal.db"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("RELAPSE_DEBUG", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)


@pytest.fixture
def journal(tmp_path) -> str:
    return str(tmp_path / "journal.db")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW, tz=LONDON)


@pytest.fixture
def cli(clock):
    """Run ``relapse ARGS`` in-process: ``cli("log", "craving", "7", input="...")``.

    ``prompter=ScriptedPrompter([...])`` drives guided flows; stdin is never a terminal.
    """

    def run(*args: str, input: str = "", prompter=None, interactive=None, use_clock=None) -> Result:
        out, err = io.StringIO(), io.StringIO()
        saved = sys.stdin, sys.stdout, sys.stderr
        sys.stdin, sys.stdout, sys.stderr = io.StringIO(input), out, err
        try:
            code = main(
                list(args),
                clock=use_clock or clock,
                prompter=prompter,
                interactive=interactive,
            )
        finally:
            sys.stdin, sys.stdout, sys.stderr = saved
        return Result(code, out.getvalue(), err.getvalue())

    return run


def records(path: str) -> list[tuple]:
    """Every row of every table, for 'the journal is exactly as it was' checks."""
    import sqlite3

    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]  # fmt: skip
        return [(t, *row) for t in tables for row in con.execute(f"SELECT * FROM {t}")]  # noqa: S608
    finally:
        con.close()

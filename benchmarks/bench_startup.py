"""Whole-process start-up of everyday commands, against two floors (issue 17).

Floors:
- framework floor: a script that imports Typer and Rich, opens the journal with the same
  pragmas as ``storage/db.py`` (busy timeout, WAL, synchronous=FULL, foreign keys, the
  ``user_version`` read) and prints a five-row Rich table: the least a Typer + Rich tool can
  do to answer a reading command. The read commands are compared with it.
- insert floor: bare Python opening the journal with the same pragmas and inserting one row
  (as ``bench_log.py``). ``relapse log`` and ``relapse sos`` are compared with it.

Runs alternate (every command once, then again, every other pass backwards) so drift and
order effects hit all alike; medians are reported. The journal is small: a few dozen entries,
a plan, a check-in, so the figures are start-up, not query work.

Measured as on a user's machine, where the installed modules have their .pyc files: every
process (floors, relapse, the baseline) runs with ``PYTHONDONTWRITEBYTECODE`` removed from its
environment (a test or CI environment often sets it, and then every process recompiles the
editable install's modules), the package's sources are byte-compiled first
(``compileall``), and every command runs once as a warm-up before the timed runs.

usage: python benchmarks/bench_startup.py [--runs 15] [--relapse PATH] [--baseline PATH]
The floors run under the relapse script's own interpreter. An editable install with the test
extra adds tens of ms of .pth and import hooks to every process: for the issue's figures use a
regular install (``pip install .``) in a scratch venv and pass its ``relapse`` with --relapse.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from bench_log import FLOOR  # run as a script: benchmarks/ is on sys.path
from bench_sos import timed

FRAMEWORK_FLOOR = r"""
import sqlite3, sys
import typer
from rich.console import Console
from rich.table import Table

def main(journal: str) -> None:
    con = sqlite3.connect(journal, timeout=10, isolation_level=None)
    con.execute("PRAGMA busy_timeout=10000")
    con.execute("PRAGMA user_version").fetchone()
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA foreign_keys=ON")
    rows = con.execute(
        "SELECT kind, occurred_at, intensity FROM entries ORDER BY occurred_at DESC LIMIT 5"
    ).fetchall()
    table = Table("kind", "when", "intensity")
    for kind, when, value in rows:
        table.add_row(str(kind), str(when), str(value))
    Console().print(table)

typer.run(main)
"""

INSERT_FLOOR = FLOOR  # the bare-Python insert floor, the same script bench_log.py times

FRAMEWORK = "framework floor (typer+rich+table)"
INSERT = "insert floor (python+sqlite3)"

# (name, argv after `relapse`, which floor it is held against)
COMMANDS: tuple[tuple[str, list[str], str], ...] = (
    ("relapse plan", ["plan"], FRAMEWORK),
    ("relapse history --limit 5", ["history", "--limit", "5"], FRAMEWORK),
    ("relapse summary", ["summary"], FRAMEWORK),
    ("relapse checkin --help", ["checkin", "--help"], FRAMEWORK),
    ("relapse --help", ["--help"], FRAMEWORK),
    ("relapse log craving 6 -t stress", ["log", "craving", "6", "-t", "stress"], INSERT),
    ("relapse sos", ["sos"], INSERT),
)


def seed(relapse: str, env: dict[str, str]) -> None:
    """A small journal: 30 entries of several kinds, one plan step and reason."""
    runs = [["log", "mood", "5"]]
    for i in range(10):
        runs += [["log", "craving", str(i % 10), "-t", "stress", "--at", f"{i + 1}h ago"],
                 ["log", "mood", str((i + 3) % 10), "--at", f"{i + 2}h ago"],
                 ["log", "trigger", "payday", "--at", f"{i + 3}h ago"]]  # fmt: skip
    runs += [["plan", "add", "coping", "walk around the block"],
             ["plan", "add", "reasons", "my kids"]]  # fmt: skip
    for argv in runs:
        subprocess.run([relapse, *argv], env=env, check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def interpreter(relapse: str) -> str:
    """The Python that runs the relapse script (its shebang): the floors must start the same
    interpreter with the same site-packages, or a test venv's .pth files (an editable install,
    namespace packages) would be counted against the floors and not against relapse."""
    with open(relapse, "rb") as fh:
        first = fh.readline().decode(errors="replace").strip()
    if first.startswith("#!") and os.path.exists(first[2:].split()[0]):
        return first[2:].split()[0]
    return sys.executable


def compile_package(python: str, env: dict[str, str]) -> None:
    """Byte-compile the relapse_cli that ``python`` imports (an editable install's sources
    too), as pip does for a regular install, so no timed run compiles a module. Run in the
    scratch HOME, so a checkout in the current directory is not the one found."""
    code = ("import compileall, os, relapse_cli; "
            "compileall.compile_dir(os.path.dirname(relapse_cli.__file__), quiet=1)")  # fmt: skip
    subprocess.run([python, "-c", code], env=env, check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, cwd=env["HOME"])  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument(
        "--relapse", default=shutil.which("relapse", path=os.path.dirname(sys.executable))
    )
    ap.add_argument(
        "--baseline",
        help="another relapse executable (e.g. an install of main), "
        "timed in the same alternating runs: rows marked 'base'",
    )
    args = ap.parse_args()
    if not args.relapse:
        print("no relapse executable found; pip install . first", file=sys.stderr)
        return 2
    tmp = tempfile.mkdtemp(prefix="relapse-bench-")
    try:
        journal = os.path.join(tmp, "journal.db")
        env = dict(os.environ, RELAPSE_JOURNAL=journal, HOME=tmp, NO_COLOR="1", COLUMNS="100")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's install has its .pyc files
        seed(args.relapse, env)
        scripts = {}
        for name, text in ((FRAMEWORK, FRAMEWORK_FLOOR), (INSERT, INSERT_FLOOR)):
            scripts[name] = os.path.join(tmp, f"floor{len(scripts)}.py")
            with open(scripts[name], "w") as fh:
                fh.write(text)
        python = interpreter(args.relapse)
        for exe in filter(None, (args.relapse, args.baseline)):  # .pyc files before timing
            compile_package(interpreter(exe), env)
        cmds = {name: [python, path, journal] for name, path in scripts.items()}
        floor_of = {}
        for name, argv, floor in COMMANDS:
            cmds[name] = [args.relapse, *argv]
            floor_of[name] = floor
            if args.baseline:
                cmds[f"  base: {name}"] = [args.baseline, *argv]
                floor_of[f"  base: {name}"] = floor
        times: dict[str, list[float]] = {name: [] for name in cmds}
        for cmd in cmds.values():  # warm-up: the page cache, and any .pyc not written yet
            timed(cmd, env)
        passes = list(cmds.items())
        for i in range(args.runs):
            # every other pass runs backwards, so no command always follows the same one
            for name, cmd in passes if i % 2 == 0 else passes[::-1]:
                times[name].append(timed(cmd, env))
        medians = {name: statistics.median(ts) * 1000 for name, ts in times.items()}
        print(f"{'command':42} {'median ms':>10} {'x floor':>8}  floor"
              f"   ({args.runs} runs each, alternating)")  # fmt: skip
        for name, ms in medians.items():
            floor = floor_of.get(name)
            ratio = f"{ms / medians[floor]:8.2f}" if floor else f"{'':8}"
            print(f"{name:42} {ms:10.1f} {ratio}  {floor or ''}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

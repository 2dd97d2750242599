"""Time `relapse log NAME VALUE` (a homework tracker) against `relapse log craving`, and
`relapse homework` (progress computed from the journal) on journals of 10k and 100k entries.

Journals come from bench_summary.build (a realistic mix over 1 and 4 years, cached in --dir);
a copy gets the packaged example assignment loaded, with its dates moved to run from a week
ago to six days ahead. Every command is a whole child process; medians of --runs runs, the
commands alternating so drift hits all alike.

usage: python benchmarks/bench_homework.py [--sizes 10000 100000] [--runs 15]
                                            [--dir /tmp/relapse-bench-summary]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from importlib import resources


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)  # fmt: skip
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {proc.stderr.decode()}")
    return time.perf_counter() - started


def assignment(today: date) -> str:
    text = resources.files("relapse_cli.data").joinpath("homework_example.toml").read_text()
    return (text.replace("start = 2026-11-23", f"start = {today - timedelta(days=7)}")
            .replace("due = 2026-12-06", f"due = {today + timedelta(days=6)}")
            .replace("by = 2026-11-30", f"by = {today + timedelta(days=2)}"))  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--dir", default=os.path.join(tempfile.gettempdir(),
                                                      "relapse-bench-summary"))  # fmt: skip
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    relapse = shutil.which("relapse") or sys.exit("relapse is not on PATH (pip install .)")
    env = dict(os.environ, COLUMNS="100")
    rows = []
    for n in args.sizes:
        source = os.path.join(args.dir, f"journal-{n}.db")
        if not os.path.exists(source):
            code = (f"import sys; sys.path.insert(0, {os.path.dirname(__file__)!r}); "
                    f"import bench_summary; bench_summary.build({source!r}, {n})")  # fmt: skip
            subprocess.run([sys.executable, "-c", code], check=True)
        work = tempfile.mkdtemp()
        journal = os.path.join(work, "journal.db")
        shutil.copy(source, journal)
        task_file = os.path.join(work, "week.toml")
        with open(task_file, "w", encoding="utf-8") as fh:
            fh.write(assignment(date.today()))
        base = [relapse, "--journal", journal]
        timed([*base, "homework", "load", task_file, "--yes"], env)
        commands = {
            "log craving 6": [*base, "log", "craving", "6"],
            "log pain 4 (tracker)": [*base, "log", "pain", "4"],
            "homework": [*base, "homework"],
            "homework --json": [*base, "homework", "--json"],
        }
        for cmd in commands.values():
            timed(cmd, env)  # warm the page cache
        times: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(args.runs):
            for label, cmd in commands.items():
                times[label].append(timed(cmd, env))
        for label in commands:
            median = statistics.median(times[label]) * 1000
            rows.append((n, label, median))
            print(f"{n:>9} {label:22} {median:7.1f} ms", file=sys.stderr, flush=True)
        shutil.rmtree(work)
    print("\n| entries | command | median (ms) |\n|---:|---|---:|")
    for n, label, ms in rows:
        print(f"| {n:,} | `relapse {label}` | {ms:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

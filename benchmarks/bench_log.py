"""Time `relapse log craving 6 -t stress` against a floor, as whole processes.

The floor is the least any Python tool can do for the same job: a process that opens the same
SQLite journal with the same pragmas (WAL, synchronous=FULL, foreign keys, busy timeout) and
inserts one row. Runs alternate (floor, relapse, jrnl, floor, ...) so drift hits all alike;
medians are reported. jrnl is timed when a `jrnl` executable is given or on PATH.

usage: python benchmarks/bench_log.py [--runs 40] [--relapse PATH] [--jrnl PATH]
Use a regular (non-editable) install: an editable install adds ~9 ms of import hooks.
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

FLOOR = r"""
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
con.execute("PRAGMA busy_timeout=10000")
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA synchronous=FULL")
con.execute("PRAGMA foreign_keys=ON")
con.execute("PRAGMA user_version").fetchone()
con.execute("BEGIN IMMEDIATE")
con.execute(
    "INSERT INTO entries (uuid, kind, occurred_at, utc_offset_min, intensity, created_at, "
    "updated_at) VALUES (lower(hex(randomblob(16))), 'craving', '2026-11-24T18:00:00Z', 0, 6, "
    "'2026-11-24T18:00:00Z', '2026-11-24T18:00:00Z')"
)
con.execute("COMMIT")
"""

JRNL_CONFIG = """\
colors: {body: none, date: none, tags: none, title: none}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default: {journal: %s}
linewrap: 79
tagsymbols: '@'
template: false
timeformat: '%%Y-%%m-%%d %%H:%%M'
version: v4.6
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   stdin=subprocess.DEVNULL, check=True)  # fmt: skip
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument(
        "--relapse", default=shutil.which("relapse", path=os.path.dirname(sys.executable))
    )
    ap.add_argument("--jrnl", default=shutil.which("jrnl"))
    args = ap.parse_args()
    if not args.relapse:
        print("no relapse executable found; pip install . first", file=sys.stderr)
        return 2
    tmp = tempfile.mkdtemp(prefix="relapse-bench-")
    journal = os.path.join(tmp, "journal.db")
    env = dict(os.environ, RELAPSE_JOURNAL=journal, HOME=tmp, NO_COLOR="1")
    subprocess.run([args.relapse, "log", "craving", "1"], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    floor_script = os.path.join(tmp, "floor.py")
    with open(floor_script, "w") as fh:
        fh.write(FLOOR)
    cmds = {
        "floor (python + sqlite3 insert)": [sys.executable, floor_script, journal],
        "relapse log craving 6 -t stress": [args.relapse, "log", "craving", "6", "-t", "stress"],
    }
    if args.jrnl:
        os.makedirs(os.path.join(tmp, ".config", "jrnl"))
        with open(os.path.join(tmp, ".config", "jrnl", "jrnl.yaml"), "w") as fh:
            fh.write(JRNL_CONFIG % os.path.join(tmp, "jrnl.txt"))
        cmds['jrnl "text"'] = [args.jrnl, "Craving 6 at the bar @stress"]
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for cmd in cmds.values():  # warm caches once
        timed(cmd, env)
    for _ in range(args.runs):
        for name, cmd in cmds.items():
            times[name].append(timed(cmd, env))
    medians = {name: statistics.median(ts) * 1000 for name, ts in times.items()}
    floor = medians["floor (python + sqlite3 insert)"]
    print(f"{'command':34} {'median ms':>10} {'x floor':>8}   ({args.runs} runs each, alternating)")
    for name, ms in medians.items():
        print(f"{name:34} {ms:10.1f} {ms / floor:8.2f}")
    if args.jrnl:
        ratio = medians['jrnl "text"'] / medians["relapse log craving 6 -t stress"]
        print(f"relapse log is {ratio:.1f}x faster than jrnl's add")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time and peak memory of `relapse export` on large journals (whole processes).

Builds a journal of N entries (cravings with triggers and coping, moods, uses, notes) spread
over three years, then runs `relapse --journal J export -f FORMAT -o OUT --since ...` for each
format as a child process and reads that child's own peak RSS (wait4). Exports stream row by
row, so memory should stay flat as the journal grows; the target is < 200 MB at 1M entries.

usage: python benchmarks/bench_export.py [--sizes 100000 1000000] [--formats json csv ...]
                                          [--dir /tmp/relapse-bench] [--import]
Journals are kept in --dir and reused on the next run.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

FORMATS = ["json", "csv", "md", "html", "tlfb", "fhir"]
TRIGGERS = ["stress", "payday", "loneliness", "boredom", "evening", "tiredness", "party"]
COPING = ["called Sam", "went for a walk", "urge surfing", "ate something", "watched TV"]


def entries(n: int, seed: int = 1):  # noqa: ANN201 - a generator of insert_many items
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    span = 3 * 365 * 24 * 3600
    for i in range(n):
        when = start + timedelta(seconds=span * i // n)
        roll = rng.random()
        if roll < 0.6:
            yield {"kind": "craving", "when": when, "intensity": rng.randint(0, 10),
                   "outcome": rng.choice(["resisted", "ongoing", "used"]),
                   "substance": "alcohol", "triggers": rng.sample(TRIGGERS, 2),
                   "coping": rng.sample(COPING, 1),
                   "note": "Hard evening, but I got through it." if rng.random() < 0.3 else None}  # fmt: skip
        elif roll < 0.9:
            yield {"kind": "mood", "when": when, "mood": rng.randint(0, 10),
                   "anxiety": rng.randint(0, 10), "sleep_hours": 7.5}  # fmt: skip
        elif roll < 0.97:
            yield {"kind": "trigger", "when": when, "triggers": [rng.choice(TRIGGERS)]}
        else:
            yield {"kind": "use", "when": when, "substance": "alcohol", "amount": 3.0,
                   "unit": "drinks", "triggers": ["payday"]}  # fmt: skip


def build(path: str, n: int) -> float:
    from relapse_cli.log.store.bulk import insert_many
    from relapse_cli.storage.db import open_journal

    started = time.perf_counter()
    con = open_journal(path)
    insert_many(con, entries(n))
    con.close()
    return time.perf_counter() - started


def measure(cmd: list[str]) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--formats", nargs="+", default=FORMATS)
    parser.add_argument("--dir", default="/tmp/relapse-bench")
    parser.add_argument("--import", dest="do_import", action="store_true",
                        help="also time importing the JSON export into an empty journal")  # fmt: skip
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    relapse = shutil.which("relapse") or sys.exit("relapse is not on PATH (pip install .)")
    print(f"{'entries':>9} {'format':7} {'seconds':>8} {'peak MB':>8} {'output MB':>9}")
    for n in args.sizes:
        journal = os.path.join(args.dir, f"journal-{n}.db")
        if not os.path.exists(journal):
            # Built in a child: a child forked from a big parent would report the parent's
            # pages as its own peak.
            started = time.perf_counter()
            code = (
                f"import sys; sys.path.insert(0, {os.path.dirname(__file__)!r}); "
                f"import bench_export; bench_export.build({journal!r}, {n})"
            )
            subprocess.run([sys.executable, "-c", code], check=True)
            took = time.perf_counter() - started
            print(f"built {journal} in {took:.1f} s", file=sys.stderr)
        for fmt in args.formats:
            out = os.path.join(args.dir, f"out-{n}.{'zip' if fmt == 'csv' else fmt}")
            cmd = [relapse, "--journal", journal, "export", "-f", fmt, "-o", out, "--force",
                   "--since", "2024-01-01", "--until", "2027-01-01"]  # fmt: skip
            seconds, peak, code = measure(cmd)
            size = os.path.getsize(out) / 1e6 if os.path.exists(out) else 0
            mark = "" if code == 0 else f"  (exit {code})"
            print(f"{n:>9} {fmt:7} {seconds:8.1f} {peak:8.0f} {size:9.1f}{mark}", flush=True)
        if args.do_import:
            out = os.path.join(args.dir, f"out-{n}.json")
            target = os.path.join(args.dir, f"imported-{n}.db")
            for stale in (target, target + "-wal", target + "-shm"):
                if os.path.exists(stale):
                    os.unlink(stale)
            seconds, peak, code = measure([relapse, "--journal", target, "import", out])
            print(f"{n:>9} {'import':7} {seconds:8.1f} {peak:8.0f} {'':>9}"
                  + ("" if code == 0 else f"  (exit {code})"), flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

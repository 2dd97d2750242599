"""Time and peak memory of ``relapse review DIR`` (the counselor's caseload, issue 18) on 300
exports of a year each.

The exports are made fast but real: a few journals of a year (bench_summary's realistic
generator: cravings with triggers and coping, moods, lapses on about 7 % of days), each with
two PHQ-9 results and a GAD-7 through ``relapse checkin``, exported by ``relapse export``;
then each export is copied to 300 people by giving it a new random journal id and name in
its header (the records stay: each file is read into its own in-memory journal, so uuids
shared between files do not matter). Every run is the whole ``relapse`` process; the table
shows its wall time and peak RSS (``wait4``), for 100 and 300 exports: memory stays flat when
the exports are streamed.

Target: 300 exports in under 10 s here; peak memory about the same for 100 and 300.

usage: python benchmarks/bench_caseload.py [--people 300] [--entries 1500] [--bases 6]
                                            [--dir /tmp/relapse-bench-caseload] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_summary import build, measure  # noqa: E402


def relapse() -> list[str]:
    return [sys.executable, "-m", "relapse_cli"]


def make_bases(folder: str, bases: int, entries: int) -> list[str]:
    """``bases`` real exports of a year's journal each."""
    out = []
    for n in range(bases):
        journal = os.path.join(folder, f"base{n}", "journal.db")
        os.makedirs(os.path.dirname(journal), mode=0o700)
        build(journal, entries, seed=n + 1)
        for answers, when in (("1,1,1,0,1,0,1,0,0", "2026-10-01 10:00"),
                              (f"2,2,1,2,{n % 3},1,2,1,{int(n == 0)}", "2026-11-20 10:00")):  # fmt: skip
            subprocess.run([*relapse(), "--journal", journal, "checkin", "phq9", "--answers",
                            answers, "--at", when], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        subprocess.run([*relapse(), "--journal", journal, "checkin", "gad7", "--answers",
                        "1,1,1,1,0,0,1", "--at", "2026-11-20 10:05"], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        path = os.path.join(folder, f"base{n}.json")
        subprocess.run([*relapse(), "--journal", journal, "export", "-f", "json", "-o", path],
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        out.append(path)
    return out


def fan_out(bases: list[str], target: str, people: int) -> int:
    """``people`` exports in ``target``: copies of the bases with their own id and name."""
    from relapse_cli.core.ids import new_uuid

    os.makedirs(target, mode=0o700)
    docs = []
    for path in bases:
        with open(path, encoding="utf-8") as fh:
            docs.append(json.load(fh))
    size = 0
    for n in range(people):
        doc = docs[n % len(docs)]
        doc["journal_id"] = new_uuid()
        doc["settings"] = {**doc.get("settings", {}), "name": f"Person {n:03d}"}
        path = os.path.join(target, f"person{n:03d}.json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(doc, fh)
        os.chmod(path, 0o600)
        size += os.path.getsize(path)
    return size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=300)
    ap.add_argument("--entries", type=int, default=1500, help="entries per year's journal")
    ap.add_argument("--bases", type=int, default=6)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/relapse-bench-caseload")
    args = ap.parse_args()
    if os.path.exists(args.dir):
        shutil.rmtree(args.dir)
    os.makedirs(args.dir, mode=0o700)
    bases = make_bases(args.dir, args.bases, args.entries)
    env = {**os.environ, "RELAPSE_JOURNAL": os.path.join(args.dir, "counselor", "journal.db"),
           "COLUMNS": "200"}  # fmt: skip
    print(f"{'exports':>8} {'MB on disk':>11} {'median s':>9} {'peak RSS MB':>12}")
    for people in sorted({max(1, args.people // 3), args.people}):
        folder = os.path.join(args.dir, f"caseload{people}")
        size = fan_out(bases, folder, people)
        times, peaks = [], []
        for _ in range(args.runs):
            elapsed, peak, code = measure([*relapse(), "review", folder], env)
            if code != 0:
                print(f"relapse review exited {code}", file=sys.stderr)
                return 1
            times.append(elapsed)
            peaks.append(peak)
        print(f"{people:>8} {size / 2**20:>11.1f} {statistics.median(times):>9.2f} "
              f"{max(peaks):>12.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

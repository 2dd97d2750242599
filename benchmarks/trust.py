"""Nothing lost: crash safety under SIGKILL and two writers at once.

    python benchmarks/trust.py crash --kills 200
    python benchmarks/trust.py concurrent --each 300

`crash` starts `relapse log craving ...` again and again and kills it with SIGKILL at a random
moment; afterwards the journal must pass `PRAGMA integrity_check` and hold every entry whose
confirmation line reached us. `concurrent` runs two processes that each log N entries into one
journal at the same time; all 2N must be there and no "database is locked" may reach the user.
The test suite runs both in a short form (tests/test_trust.py).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time


def relapse_cmd() -> list[str]:
    exe = shutil.which("relapse", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "relapse_cli"]


def crash(journal: str, kills: int, seed: int = 1) -> dict[str, int]:
    """Kill `relapse log` at random moments; count confirmations, losses and integrity."""
    rng = random.Random(seed)
    env = dict(os.environ, RELAPSE_JOURNAL=journal)
    subprocess.run([*relapse_cmd(), "log", "mood", "5"], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    confirmed: set[str] = set()
    killed = finished = 0
    for i in range(kills):
        marker = f"crash-test-{seed}-{i}"
        proc = subprocess.Popen([*relapse_cmd(), "log", "craving", "6", "-t", "stress",
                                 "--note", marker], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0, 0.045))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        else:
            finished += 1
        out, _ = proc.communicate()
        if b"Saved craving" in out:
            confirmed.add(marker)
    con = sqlite3.connect(journal)
    integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    present = {r[0] for r in con.execute("SELECT note FROM entries WHERE note LIKE 'crash-test-%'")}
    con.close()
    return {"runs": kills, "killed_mid_run": killed, "finished_before_kill": finished,
            "confirmed": len(confirmed), "present": len(present),
            "lost": len(confirmed - present), "integrity_ok": int(integrity == "ok")}  # fmt: skip


WORKER = """
import sys
from relapse_cli.entry import main
failures = 0
for i in range(int(sys.argv[1])):
    if main(["log", "craving", "5", "-t", "load", "--note", f"{sys.argv[2]}-{i}"]) != 0:
        failures += 1
sys.exit(1 if failures else 0)
"""


def concurrent(journal: str, each: int) -> dict[str, int]:
    """Two processes logging ``each`` entries at once into one journal."""
    env = dict(os.environ, RELAPSE_JOURNAL=journal)
    subprocess.run([*relapse_cmd(), "log", "mood", "5"], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(each), name], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for name in ("a", "b")]  # fmt: skip
    errors = 0
    locked = 0
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        errors += proc.returncode != 0
        locked += err.count(b"locked") + err.count(b"busy")
    con = sqlite3.connect(journal)
    written = con.execute("SELECT count(*) FROM entries WHERE kind = 'craving'").fetchone()[0]
    con.close()
    return {"expected": 2 * each, "written": written, "failed_processes": errors,
            "locked_messages": locked}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["crash", "concurrent"])
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--each", type=int, default=300)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="relapse-trust-")
    journal = os.path.join(tmp, "journal.db")
    start = time.perf_counter()
    result = crash(journal, args.kills) if args.what == "crash" else concurrent(journal, args.each)
    result["seconds"] = round(time.perf_counter() - start, 1)  # type: ignore[assignment]
    print(result)
    shutil.rmtree(tmp, ignore_errors=True)
    ok = result.get("lost", 0) == 0 and result.get("integrity_ok", 1) == 1
    if args.what == "concurrent":
        ok = result["written"] == result["expected"] and not result["locked_messages"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

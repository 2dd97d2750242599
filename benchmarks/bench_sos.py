"""Time `relapse sos` as a whole process, next to `relapse log` and a bare interpreter.

`relapse sos` is for a hard moment: it must answer at once (target under 150 ms here) and be
no slower than `relapse log`. It reads the plan's mirror (sos.toml) and the packaged crisis
lines and imports no Typer, Rich or SQLite. Runs alternate (python, sos, log, ...) so drift
hits all alike; medians are reported. A plan of 20 items and country GB are set up first;
`sos (corrupt journal)` times it with the journal overwritten by random bytes.

usage: python benchmarks/bench_sos.py [--runs 40] [--relapse PATH]
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


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   stdin=subprocess.DEVNULL, check=True)  # fmt: skip
    return time.perf_counter() - start


def setup(relapse: str, env: dict[str, str]) -> None:
    def run(*args: str) -> None:
        subprocess.run([relapse, *args], env=env, check=True, stdout=subprocess.DEVNULL)

    run("config", "country", "GB")
    for n in range(5):
        run("plan", "add", "coping", f"coping step {n}")
        run("plan", "add", "reasons", f"reason {n}")
    for n in range(4):
        run("plan", "add", "people", f"Person {n}", "--phone", f"07700 90012{n}")
        run("plan", "add", "if_lapse", f"next step {n}")
    run("plan", "add", "professionals", "GP", "--phone", "020 7946 0000")
    run("plan", "add", "safe_places", "the library")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument(
        "--relapse", default=shutil.which("relapse", path=os.path.dirname(sys.executable))
    )
    args = ap.parse_args()
    if not args.relapse:
        print("no relapse executable found; pip install . first", file=sys.stderr)
        return 2
    tmp = tempfile.mkdtemp(prefix="relapse-bench-sos-")
    env = dict(os.environ, RELAPSE_JOURNAL=os.path.join(tmp, "journal.db"), HOME=tmp,
               NO_COLOR="1")  # fmt: skip
    setup(args.relapse, env)
    broken = os.path.join(tmp, "broken")
    os.makedirs(broken)
    shutil.copy(os.path.join(tmp, "sos.toml"), broken)
    shutil.copy(os.path.join(tmp, "settings.toml"), broken)
    with open(os.path.join(broken, "journal.db"), "wb") as fh:
        fh.write(os.urandom(65536))
    broken_env = dict(env, RELAPSE_JOURNAL=os.path.join(broken, "journal.db"))
    cmds = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "relapse sos": ([args.relapse, "sos"], env),
        "relapse sos (corrupt journal)": ([args.relapse, "sos"], broken_env),
        "relapse log craving 6 -t stress": (
            [args.relapse, "log", "craving", "6", "-t", "stress"],
            env,
        ),  # fmt: skip
        "relapse plan (Typer + Rich)": ([args.relapse, "plan"], env),
    }
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for cmd, e in cmds.values():  # warm caches once
        timed(cmd, e)
    for _ in range(args.runs):
        for name, (cmd, e) in cmds.items():
            times[name].append(timed(cmd, e))
    medians = {name: statistics.median(ts) * 1000 for name, ts in times.items()}
    print(f"{'command':34} {'median ms':>10}   ({args.runs} runs each, alternating)")
    for name, ms in medians.items():
        print(f"{name:34} {ms:10.1f}")
    ratio = medians["relapse sos"] / medians["relapse log craving 6 -t stress"]
    print(f"relapse sos takes {ratio:.2f}x the time of relapse log")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Nothing lost: crash safety under SIGKILL, two writers at once, and whole-file swaps.

    python benchmarks/trust.py crash --kills 200
    python benchmarks/trust.py concurrent --each 300
    python benchmarks/trust.py swap --op all --trials 30 --entries 20000 --writes 20

`crash` starts `relapse log craving ...` again and again and kills it with SIGKILL at a random
moment; afterwards the journal must pass `PRAGMA integrity_check` and hold every entry whose
confirmation line reached us. `concurrent` runs two processes that each log N entries into one
journal at the same time; all 2N must be there and no "database is locked" may reach the user.
`swap` runs `relapse lock`, `unlock` or `restore` on a journal of N entries while writers log
into it, and kills the operation at many points: with strace's fault injection (SIGKILL on
the k-th write/fsync/rename/unlink/ftruncate of the operation, k swept over the whole run)
where strace works, else SIGKILL at a random moment. After each trial the next relapse command
runs (it clears up after a killed operation), then the journal must open (plain or with the
passphrase, whatever its header says), pass `integrity_check`, hold every seed entry and every
entry whose "Saved" line a writer received (for restore: in the journal or in the copy restore
keeps aside), and for unlock no file beside the journal may hold its plaintext, neither right
after the kill nor after the next command (`plaintext_left`, trials that had one).
The test suite runs all three in a short form (tests/test_trust.py).
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


PASSPHRASE = "trust harness passphrase"  # noqa: S105 - a throwaway test journal's
SWAP_SYSCALLS = (
    "write,pwrite64,fsync,fdatasync,rename,renameat,renameat2,unlink,unlinkat,"
    "ftruncate,link,linkat"
)  # every call that changes a file or a name


def _seed(folder: str, entries: int, env: dict[str, str]) -> None:
    """A journal with ``entries`` cravings noted seed-<i> (migrated by relapse itself)."""
    journal = os.path.join(folder, "journal.db")
    subprocess.run([*relapse_cmd(), "log", "mood", "5", "-n", "seed-first"], check=True,
                   env=dict(env, RELAPSE_JOURNAL=journal), stdout=subprocess.DEVNULL)  # fmt: skip
    con = sqlite3.connect(journal)
    stamp = "2026-11-24T18:00:00Z"
    con.executemany(
        "INSERT INTO entries (uuid, kind, occurred_at, utc_offset_min, intensity, note, "
        "created_at, updated_at) VALUES (?, 'craving', ?, 0, 6, ?, ?, ?)",
        [(f"seed-{i:06d}", stamp, f"seed-{i} a private sentence", stamp, stamp)
         for i in range(entries)],
    )  # fmt: skip
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def _copy_journal(src: str, dst: str) -> None:
    os.makedirs(dst, mode=0o700, exist_ok=True)
    for name in os.listdir(src):
        if name.startswith("journal.db"):
            shutil.copy2(os.path.join(src, name), os.path.join(dst, name))


def _read(journal: str) -> tuple[set[str] | None, str]:
    """(notes, state) of a journal, opened as its header says; notes None when unreadable."""
    with open(journal, "rb") as fh:
        plain = fh.read(16) == b"SQLite format 3\x00"
    try:
        if plain:
            con = sqlite3.connect(f"file:{journal}?mode=ro", uri=True)
        else:
            import sqlcipher3

            con = sqlcipher3.connect(journal)
            con.execute("PRAGMA cipher_log_level = NONE")
            con.execute(f"PRAGMA key = '{PASSPHRASE}'")
        try:
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return None, "damaged"
            notes = {r[0] for r in con.execute("SELECT note FROM entries WHERE note IS NOT NULL")}
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - any failure to read counts as unreadable
        return None, "unreadable"
    return notes, "plain" if plain else "locked"


def _writer(env: dict[str, str], name: str, count: int, acked: list[str], stop_after: list) -> None:
    for i in range(count):
        note = f"race-{name}-{i}"
        proc = subprocess.run([*relapse_cmd(), "log", "craving", "5", "-n", note], env=env,
                              capture_output=True, timeout=300)  # fmt: skip
        if b"Saved craving" in proc.stdout:
            acked.append(note)
        elif proc.returncode == 0:
            stop_after.append(f"exit 0 without Saved: {proc.stdout!r}")
        else:
            stop_after.append(proc.stderr.decode(errors="replace").strip())


def _kill_points(cmd: list[str], env: dict[str, str]) -> list[tuple[str, int]]:
    """Every injectable call one uninterrupted run of ``cmd`` makes, as (syscall, k): strace
    counts each syscall separately for ``inject=...:when=k`` (strace -c gives the counts)."""
    out = subprocess.run(["strace", "-f", "-qq", "-c", "-e", f"trace={SWAP_SYSCALLS}", *cmd],
                         env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
    names = SWAP_SYSCALLS.split(",")
    rows = [line.split() for line in out.stderr.splitlines()]
    return [(row[-1], k) for row in rows if len(row) >= 5 and row[-1] in names
            for k in range(1, int(row[3]) + 1)]  # fmt: skip


def _plaintext_copies(folder: str) -> int:
    """Files in a trial's folder holding a locked journal's plaintext besides the journal
    itself (and its -wal/-shm): a plain SQLite header, or a seed sentence in clear."""
    found = 0
    for name in os.listdir(folder):
        if name in ("journal.db", "journal.db-wal", "journal.db-shm"):
            continue
        try:
            with open(os.path.join(folder, name), "rb") as fh:
                data = fh.read()
        except OSError:
            continue  # gone between listdir and open (the next command cleared it)
        found += data.startswith(b"SQLite format 3\x00") or b"a private sentence" in data
    return found


def strace_works() -> bool:
    if not shutil.which("strace"):
        return False
    probe = subprocess.run(["strace", "-qq", "-o", os.devnull, "true"], capture_output=True)
    return probe.returncode == 0


def swap(op: str, trials: int, entries: int, writes: int, seed: int = 1) -> dict[str, object]:
    """lock/unlock/restore under concurrent writers, killed at many points (see module doc)."""
    import threading

    rng = random.Random(seed)
    root = tempfile.mkdtemp(prefix="relapse-swap-")
    passfile = os.path.join(root, "pass.txt")
    with open(passfile, "w", encoding="utf-8") as fh:
        fh.write(PASSPHRASE + "\n")
    base_env = dict(os.environ, RELAPSE_PASSPHRASE_FILE=passfile)
    base_env.pop("RELAPSE_DEBUG", None)
    template = os.path.join(root, "template")
    os.makedirs(template, mode=0o700)
    _seed(template, entries, base_env)
    if op == "unlock":
        subprocess.run([*relapse_cmd(), "lock", "--passphrase-file", passfile], check=True,
                       env=dict(base_env, RELAPSE_JOURNAL=os.path.join(template, "journal.db")),
                       stdout=subprocess.DEVNULL)  # fmt: skip
    backup = os.path.join(root, "backup.db")
    if op == "restore":
        subprocess.run([*relapse_cmd(), "backup", "-o", backup], check=True,
                       env=dict(base_env, RELAPSE_JOURNAL=os.path.join(template, "journal.db")),
                       stdout=subprocess.DEVNULL)  # fmt: skip
    args = {"lock": ["lock", "--passphrase-file", passfile],
            "unlock": ["unlock", "--passphrase-file", passfile],
            "restore": ["restore", backup, "--yes"]}[op]  # fmt: skip
    cmd = [*relapse_cmd(), *args]
    use_strace = strace_works()
    points: list[tuple[str, int]] = []
    if use_strace:
        probe = os.path.join(root, "probe")
        _copy_journal(template, probe)
        points = _kill_points(
            cmd, dict(base_env, RELAPSE_JOURNAL=os.path.join(probe, "journal.db"))
        )
        use_strace = bool(points)
    seeds = {f"seed-{i} a private sentence" for i in range(entries)} | {"seed-first"}
    totals = {"op": op, "trials": trials, "entries": entries, "kill": "strace" if use_strace
              else "sigkill", "syscalls_per_run": len(points), "killed": 0, "op_ok": 0,
              "op_refused": 0, "acknowledged": 0, "lost": 0, "unreadable": 0,
              "seed_lost": 0, "plaintext_left": 0, "leftovers": 0, "writer_errors": 0}  # fmt: skip
    errors: list[str] = []
    for t in range(trials):
        folder = os.path.join(root, f"t{t}")
        _copy_journal(template, folder)
        journal = os.path.join(folder, "journal.db")
        env = dict(base_env, RELAPSE_JOURNAL=journal)
        acked: list[str] = []
        problems: list[str] = []
        workers = [threading.Thread(target=_writer, args=(env, f"{t}{w}", writes, acked, problems))
                   for w in "ab"]  # fmt: skip
        for w in workers:
            w.start()
        time.sleep(rng.uniform(0, 0.3))
        kill = t % 4 != 3  # every fourth trial runs to the end
        if kill and use_strace:
            call, at = points[int(len(points) * (((t + 1) * 0.6180339887) % 1))]  # spread out
            run = ["strace", "-f", "-qq", "-o", os.devnull, "-e", f"trace={SWAP_SYSCALLS}",
                   "-e", f"inject={call}:signal=KILL:when={at}", *cmd]  # fmt: skip
            proc = subprocess.run(run, env=env, capture_output=True, timeout=600)
            code = proc.returncode
        else:
            popen = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if kill:
                time.sleep(rng.uniform(0.05, 1.5))
                popen.send_signal(signal.SIGKILL)
            _, err = popen.communicate(timeout=600)
            code = popen.returncode
        if code == 0:
            totals["op_ok"] += 1  # type: ignore[operator]
        elif code in (-9, 137):
            totals["killed"] += 1  # type: ignore[operator]
        else:
            totals["op_refused"] += 1  # type: ignore[operator]
        plain_at_kill = _plaintext_copies(folder) if op == "unlock" else 0  # writers may
        for w in workers:  # have cleared up already: a lower bound, the test sweeps each call
            w.join()
        _writer(env, f"{t}next", 1, acked, problems)  # the next command clears up
        notes, state = _read(journal)
        present = set(notes or ())
        if op == "restore":
            for name in os.listdir(folder):
                if name.endswith(".bak") and "before-restore" in name:
                    kept, _ = _read(os.path.join(folder, name))
                    present |= kept or set()
        lost = [a for a in acked if a not in present]
        totals["acknowledged"] += len(acked)  # type: ignore[operator]
        totals["lost"] += len(lost)  # type: ignore[operator]
        totals["unreadable"] += notes is None  # type: ignore[operator]
        totals["seed_lost"] += len(seeds - present) if notes is not None else 0  # type: ignore[operator]
        plain_left = _plaintext_copies(folder) if op == "unlock" else 0
        totals["plaintext_left"] += bool(plain_at_kill or plain_left)  # type: ignore[operator]
        totals["leftovers"] += sum(  # type: ignore[operator]
            n.endswith((".locking", ".unlocking", ".partial", ".locked-aside"))
            for n in os.listdir(folder)
        )
        totals["writer_errors"] += len(problems)  # type: ignore[operator]
        errors += problems
        if lost or notes is None:
            errors.append(f"trial {t}: state {state}, lost {lost[:3]}")
        shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(root, ignore_errors=True)
    if errors:
        totals["first_errors"] = sorted(set(errors))[:3]
    return totals


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["crash", "concurrent", "swap"])
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--each", type=int, default=300)
    ap.add_argument("--op", choices=["lock", "unlock", "restore", "all"], default="all")
    ap.add_argument("--trials", type=int, default=12)
    ap.add_argument("--entries", type=int, default=2000)
    ap.add_argument("--writes", type=int, default=10, help="entries each of two writers logs")
    args = ap.parse_args()
    if args.what == "swap":
        start = time.perf_counter()
        ok = True
        for op in ("lock", "unlock", "restore") if args.op == "all" else (args.op,):
            result = swap(op, args.trials, args.entries, args.writes)
            result["seconds"] = round(time.perf_counter() - start, 1)
            print(result, flush=True)
            ok = ok and not (result["lost"] or result["unreadable"] or result["seed_lost"]
                             or result["plaintext_left"] or result["writer_errors"]
                             or result["leftovers"])  # fmt: skip
        return 0 if ok else 1
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

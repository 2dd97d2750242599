"""Time and peak memory of `relapse summary` on journals of 10k, 100k and 1M entries.

Each journal holds a realistic mix of record kinds (cravings with triggers, HALT answers and
coping strategies, moods, triggers met, and lapses on about 7 % of days) spread over 1, 4 and 10 years, with the
local offset changing for summer time and a two-week trip abroad every year. Journals are
built once with plain ``executemany`` (a few seconds per 100k rows) and cached in --dir.

Every command runs as a whole child process (what a person waits for), several times; the
table shows the median wall time and the largest peak RSS of the child (``wait4``).

Targets (issue 5): the 30-day summary on 1M entries within 20 % of the 10k one; ``--all`` on
100k within 2x the 30-day summary on the same journal; peak memory under 150 MB on 1M.

usage: python benchmarks/bench_summary.py [--sizes 10000 100000 1000000] [--runs 7]
                                           [--dir /tmp/relapse-bench-summary]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

YEARS = {10_000: 1, 100_000: 4, 1_000_000: 10}
END = datetime(2026, 11, 24, 21, 0, tzinfo=timezone.utc)  # the journals end "now"
HOME = ZoneInfo("Europe/London")
TRIGGERS = ["stress", "payday", "loneliness", "boredom", "evening", "conflict", "party",
            "sight of alcohol", "weekend", "pain"]  # fmt: skip
HALT = ["hungry", "angry", "lonely", "tired"]
COPING = {"called Sam": 0.9, "went for a walk": 0.8, "urge surfing": 0.75, "ate something": 0.6,
          "played a game": 0.5, "watched TV": 0.4, "cold shower": 0.7}  # fmt: skip
CRAVING_HOURS = [7, 8, 12, 13, 16, 17, 17, 18, 18, 19, 19, 20, 20, 21, 21, 22, 23]
NOTES = ["Long day at work.", "Felt it pass after about twenty minutes.", None, None, None]


def _offset(day: date, trips: set[date]) -> int:
    if day in trips:
        return -300  # two weeks in New York each year
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=HOME)
    return int(noon.utcoffset().total_seconds() // 60)


def build(path: str, n: int, seed: int = 5) -> None:
    """Write a journal of ``n`` entries at ``path`` (schema from the app, rows by executemany)."""
    from relapse_cli.core.ids import new_uuid
    from relapse_cli.log.model.entries import vocab_key
    from relapse_cli.storage.db import open_journal

    rng = random.Random(seed)
    years = YEARS.get(n, max(1, min(10, n // 100_000)))
    days = years * 365
    first = (END - timedelta(days=days)).date()
    trips = {first + timedelta(days=365 * y + 200 + k) for y in range(years) for k in range(14)}
    stamp = "2026-11-24T21:00:00Z"
    con = open_journal(path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("BEGIN")
    vocab: dict[str, dict[str, int]] = {"triggers": {}, "coping": {}}
    for table, names in (("triggers", TRIGGERS + HALT), ("coping", list(COPING))):
        for i, name in enumerate(names, start=1):
            con.execute(f"INSERT INTO {table} (id, uuid, name, key, created_at) "
                        "VALUES (?, ?, ?, ?, ?)", (i, new_uuid(), name, vocab_key(name), stamp))  # fmt: skip
            vocab[table][name] = i
    entries, links_t, links_c = [], [], []
    offsets: dict[date, int] = {}
    for i in range(1, n + 1):
        day = first + timedelta(days=(i - 1) * days // n)
        if day not in offsets:
            offsets[day] = _offset(day, trips)
        off = offsets[day]
        roll = rng.random()
        # Lapses are rare days, not a share of entries: about 4 % of days have a logged use
        # and 3 % a craving that ended in use, however much else the person logs.
        lapse = rng.random() < 0.04 * days / n
        row = dict.fromkeys(("intensity", "intensity_after", "outcome", "duration_min",
                             "substance", "mood", "anxiety", "sleep_hours", "amount", "unit",
                             "note"))  # fmt: skip
        if lapse:
            kind, hour = "use", rng.choice([19, 20, 21, 22, 23])
            row.update(substance="alcohol", amount=float(rng.randint(1, 8)), unit="drinks",
                       note=rng.choice(NOTES))  # fmt: skip
            links_t.append((i, vocab["triggers"][rng.choice(TRIGGERS)]))
        elif roll < 0.5:
            kind, hour = "craving", rng.choice(CRAVING_HOURS)
            coping = rng.sample(list(COPING), rng.choice([1, 1, 2]))
            resisted = rng.random() < max(COPING[c] for c in coping)
            used = rng.random() < 0.03 * days / (0.5 * n)
            outcome = "used" if used else "resisted" if resisted else "ongoing"
            intensity = rng.randint(2, 10)
            row.update(intensity=intensity, outcome=outcome, substance="alcohol",
                       intensity_after=max(0, intensity - rng.randint(1, 6)) if resisted else None,
                       duration_min=rng.choice([10, 20, 30, None]), mood=rng.randint(1, 7),
                       note=rng.choice(NOTES))  # fmt: skip
            names = rng.sample(TRIGGERS, rng.choice([1, 1, 2]))
            if rng.random() < 0.3:
                names.append(rng.choice(HALT))
            links_t += [(i, vocab["triggers"][t]) for t in names]
            links_c += [(i, vocab["coping"][c], p) for p, c in enumerate(coping)]
        elif roll < 0.82:
            kind, hour = "mood", rng.choice([8, 9, 9, 10, 21, 22])
            row.update(mood=rng.randint(1, 9), anxiety=rng.randint(1, 9),
                       sleep_hours=rng.choice([5.5, 6.0, 7.0, 7.5, 8.0]))  # fmt: skip
        else:
            kind, hour = "trigger", rng.choice([8, 13, 17, 18])
            row.update(intensity=rng.randint(1, 7))
            links_t.append((i, vocab["triggers"][rng.choice(TRIGGERS)]))
        local = datetime(day.year, day.month, day.day, hour, rng.randint(0, 59))
        utc = local - timedelta(minutes=off)
        entries.append((i, new_uuid(), kind, utc.strftime("%Y-%m-%dT%H:%M:%SZ"), off,
                        *row.values(), stamp, stamp))  # fmt: skip
        if len(entries) >= 50_000:
            _flush(con, entries, links_t, links_c)
    _flush(con, entries, links_t, links_c)
    con.execute("COMMIT")  # no ANALYZE: a person's journal never has planner statistics
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def _flush(con, entries: list, links_t: list, links_c: list) -> None:  # noqa: ANN001
    cols = ("id, uuid, kind, occurred_at, utc_offset_min, intensity, intensity_after, outcome, "
            "duration_min, substance, mood, anxiety, sleep_hours, amount, unit, note, "
            "created_at, updated_at")  # fmt: skip
    con.executemany(f"INSERT INTO entries ({cols}) VALUES ({', '.join('?' * 18)})", entries)
    con.executemany("INSERT INTO entry_triggers (entry_id, trigger_id) VALUES (?, ?)", links_t)
    con.executemany(
        "INSERT INTO entry_coping (entry_id, coping_id, position) VALUES (?, ?, ?)", links_c
    )
    entries.clear()
    links_t.clear()
    links_c.clear()


def measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dir", default=os.path.join(tempfile.gettempdir(),
                                                      "relapse-bench-summary"))  # fmt: skip
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    relapse = shutil.which("relapse") or sys.exit("relapse is not on PATH (pip install .)")
    env = dict(os.environ, TZ="Europe/London", COLUMNS="100")
    rows = []
    for n in args.sizes:
        journal = os.path.join(args.dir, f"journal-{n}.db")
        if not os.path.exists(journal):
            started = time.perf_counter()
            # Built in a child: a child forked from a big parent would report its pages.
            code = (f"import sys; sys.path.insert(0, {os.path.dirname(__file__)!r}); "
                    f"import bench_summary; bench_summary.build({journal!r}, {n})")  # fmt: skip
            subprocess.run([sys.executable, "-c", code], check=True)
            print(f"built {journal} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        # The period ends where the journal does, so "the last 30 days" is full.
        for label, extra in (("summary", []), ("summary --all", ["--all"])):
            cmd = [relapse, "--journal", journal, "summary", "--until", "2026-11-24", *extra]
            measure(cmd, env)  # warm the page cache
            times, peaks = [], []
            for _ in range(args.runs):
                seconds, peak, code = measure(cmd, env)
                if code != 0:
                    sys.exit(f"{' '.join(cmd)} failed with exit {code}")
                times.append(seconds)
                peaks.append(peak)
            rows.append((n, label, statistics.median(times), max(peaks)))
            print(f"{n:>9} {label:15} {statistics.median(times) * 1000:8.0f} ms "
                  f"{max(peaks):6.0f} MB", file=sys.stderr, flush=True)  # fmt: skip
    print("\n| entries | command | median (ms) | peak RSS (MB) |\n|---:|---|---:|---:|")
    for n, label, seconds, peak in rows:
        print(f"| {n:,} | `relapse summary{label[7:]}` | {seconds * 1000:.0f} | {peak:.0f} |")
    base = {label: t for n, label, t, _ in rows if n == min(args.sizes)}
    for n, label, seconds, _ in rows:
        if label == "summary" and n != min(args.sizes) and base.get("summary"):
            print(f"30-day summary on {n:,} vs {min(args.sizes):,}: "
                  f"{100 * (seconds / base['summary'] - 1):+.0f} %")  # fmt: skip
    by = {(n, label): t for n, label, t, _ in rows}
    for n in args.sizes:
        if (n, "summary") in by and (n, "summary --all") in by:
            print(
                f"--all vs 30 days on {n:,}: {by[(n, 'summary --all')] / by[(n, 'summary')]:.2f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

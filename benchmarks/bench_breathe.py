"""Real timing drift of the breathing guide's runner (domain/breathing.run) on the real clock.

A box-breathing session is scaled down (each 4 s phase becomes 4 / SCALE s) so that many
phase boundaries happen in a short run; the runner uses the real monotonic clock and real
sleeps, exactly as `relapse breathe` does. For every boundary we record how late the runner
got there (actual minus deadline) and the overrun at the end. Three ways are compared:

- plain:   the runner as `--plain` uses it (one wake-up per phase)
- live:    the runner with a Rich Live frame redrawn every 0.1 s to a terminal console
           (written to /dev/null), as on a terminal
- summing: the naive way, sleep(phase seconds) one after another (what we avoid)

usage: python benchmarks/bench_breathe.py [--seconds 60] [--scale 16] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from relapse_cli.breathing import model as breathing  # noqa: E402
from relapse_cli.core.clock import SystemClock  # noqa: E402


def scaled_steps(seconds: float, scale: float) -> tuple[breathing.Step, ...]:
    box = breathing.find("box")
    phases = tuple(
        breathing.Phase(p.name, p.action, p.seconds / scale, p.text, p.to) for p in box.phases
    )
    return breathing.breath_schedule(phases, seconds)


def run_plain(steps: tuple[breathing.Step, ...]) -> breathing.RunResult:
    return breathing.run(steps, SystemClock())


def run_live(steps: tuple[breathing.Step, ...]) -> breathing.RunResult:
    from rich.console import Console

    from relapse_cli.breathing.commands import LiveView

    with open(os.devnull, "w") as sink:
        view = LiveView(bell=False, title="Box breathing",
                        console=Console(file=sink, force_terminal=True, width=80))  # fmt: skip
        plan = breathing.Plan(breathing.find("box"), tuple(s.phase for s in steps[:4]), steps,
                              steps[-1].end)  # fmt: skip
        view.begin(plan)
        try:
            return breathing.run(steps, SystemClock(), on_phase=view.phase, on_tick=view.tick,
                                 tick=view.tick_s)  # fmt: skip
        finally:
            view.end()


def run_summing(steps: tuple[breathing.Step, ...]) -> breathing.RunResult:
    start = time.monotonic()
    lateness = []
    for step in steps:
        lateness.append(time.monotonic() - (start + step.start))
        time.sleep(step.seconds)
    lateness.append(time.monotonic() - (start + steps[-1].end))
    return breathing.RunResult(time.monotonic() - start, len(steps), 0, True, lateness)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="session length (s)")
    parser.add_argument("--scale", type=float, default=16.0, help="phases are 4 / SCALE s")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    steps = scaled_steps(args.seconds, args.scale)
    print(f"box breathing, {args.seconds:g} s on the real clock, phases of "
          f"{4 / args.scale:g} s: {len(steps)} boundaries per run, {args.runs} runs each")  # fmt: skip
    print(f"{'way':8} {'mean late ms':>13} {'max late ms':>12} {'end overrun ms':>15}")
    for name, way in (("plain", run_plain), ("live", run_live), ("summing", run_summing)):
        late: list[float] = []
        ends: list[float] = []
        for _ in range(args.runs):
            result = way(steps)
            late.extend(result.lateness[1:])  # the first boundary is the start itself
            ends.append(result.elapsed - steps[-1].end)
        print(f"{name:8} {1000 * statistics.mean(late):13.2f} {1000 * max(late):12.2f} "
              f"{1000 * max(ends):15.2f}")  # fmt: skip


if __name__ == "__main__":
    main()

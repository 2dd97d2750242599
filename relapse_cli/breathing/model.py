"""Breathing and mindfulness exercises: the patterns (packaged data), the schedule, the runner.

The schedule is pure: every phase gets an absolute start and end, in seconds from the start
of the session, computed by multiplication (cycle number x cycle length + the phase's offset
in the cycle), never by adding up sleeps. The runner waits for each deadline on a monotonic
clock, so a late wake-up (a busy machine, a slow terminal) delays one boundary and is not
carried into the next: a 5-minute session ends at 300 s however many phases it holds.

The clock is any object with ``monotonic()`` and ``sleep(seconds)`` (``relapse_cli.core.clock``):
tests pass a FakeClock and run whole sessions in no real time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from relapse_cli.core.errors import BadInput

ACTIONS = ("in", "hold", "out", "hold_out", "guide")
KINDS = ("breath", "guided", "surf")
MIN_MINUTES, MAX_MINUTES = 1, 60  # what --minutes accepts for any exercise
EVERY_RANGE = (0.5, 10.0)  # urge surfing: minutes between ratings


@dataclass(frozen=True)
class Phase:
    name: str  # shown: "Breathe in", "Hold", "Observe"
    action: str  # in | hold | out | hold_out | guide
    seconds: float
    text: tuple[str, ...] = ()  # guided steps: said when the step starts
    to: float | None = None  # how full the breath bar is at the end (None: the action's own)

    @property
    def target(self) -> float | None:
        if self.to is not None:
            return self.to
        return {"in": 1.0, "out": 0.0}.get(self.action)


@dataclass(frozen=True)
class Exercise:
    key: str
    title: str
    summary: str
    kind: str  # breath | guided | surf
    source: str
    phases: tuple[Phase, ...] = ()
    default_minutes: float | None = None
    default_cycles: int | None = None
    min_minutes: float = MIN_MINUTES
    max_minutes: float = MAX_MINUTES
    max_cycles: int | None = None
    intro: str = ""
    outro: str = ""
    # Urge surfing: closing words that follow the last rating (issue 15): ``outro`` only when
    # the urge has come down to ``settle_at`` or below; ``outro_strong`` at ``strong_at`` or
    # above; ``outro_middle`` between; ``outro_unrated`` with no rating at all.
    outro_strong: str = ""
    outro_middle: str = ""
    outro_unrated: str = ""
    strong_at: int = 7
    cautions: tuple[str, ...] = ()  # from the exercise's source, shown before it starts
    guidance: tuple[str, ...] = ()
    every_minutes: float = 1.0
    settle_at: int = 2
    settle_count: int = 3
    breath_range: tuple[float, float] | None = None
    hold_range: tuple[float, float] | None = None
    prompt_range: tuple[float, float] | None = None  # guided: each step lasts within this
    advised_cycles: int | None = None  # the source's advice for beginners (4-7-8: 4)
    advised_note: str = ""  # said when more than ``advised_cycles`` are asked for
    rate_range: tuple[float, float] | None = None  # breaths a minute the source gives
    rate_note: str = ""  # said when a paced pattern falls outside ``rate_range``

    @property
    def cycle_s(self) -> float:
        return sum(p.seconds for p in self.phases)

    @property
    def pattern(self) -> str:
        """'in 4, hold 4, out 4, hold 4' (breathing) or the step names (guided)."""
        return pattern_text(self.phases) if self.kind == "breath" else ""


def pattern_text(phases: tuple[Phase, ...]) -> str:
    words = {"in": "in", "hold": "hold", "out": "out", "hold_out": "hold"}
    return ", ".join(f"{words.get(p.action, p.name)} {p.seconds:g}" for p in phases)


def _phase(raw: dict) -> Phase:
    if raw["action"] not in ACTIONS:
        raise ValueError(f"unknown action {raw['action']!r} in exercises.toml")
    return Phase(
        name=raw["name"],
        action=raw["action"],
        seconds=float(raw["seconds"]),
        text=tuple(raw.get("text", ())),
        to=raw.get("to"),
    )


def _range(raw: dict, key: str) -> tuple[float, float] | None:
    """A [low, high] pair of the exercise's entry (None when it has none)."""
    if key not in raw:
        return None
    low, high = (float(x) for x in raw[key])
    return low, high


def _exercise(key: str, raw: dict) -> Exercise:
    if raw["kind"] not in KINDS:
        raise ValueError(f"unknown kind {raw['kind']!r} in exercises.toml")
    return Exercise(
        key=key,
        title=raw["title"],
        summary=raw["summary"],
        kind=raw["kind"],
        source=raw["source"],
        phases=tuple(_phase(p) for p in raw.get("phases", ())),
        default_minutes=raw.get("default_minutes"),
        default_cycles=raw.get("default_cycles"),
        min_minutes=raw.get("min_minutes", MIN_MINUTES),
        max_minutes=raw.get("max_minutes", MAX_MINUTES),
        max_cycles=raw.get("max_cycles"),
        intro=raw.get("intro", ""),
        outro=raw.get("outro", ""),
        outro_strong=raw.get("outro_strong", ""),
        outro_middle=raw.get("outro_middle", ""),
        outro_unrated=raw.get("outro_unrated", ""),
        strong_at=int(raw.get("strong_at", 7)),
        cautions=tuple(raw.get("cautions", ())),
        advised_cycles=raw.get("advised_cycles"),
        advised_note=raw.get("advised_note", ""),
        rate_note=raw.get("rate_note", ""),
        guidance=tuple(raw.get("guidance", ())),
        every_minutes=float(raw.get("every_minutes", 1.0)),
        settle_at=int(raw.get("settle_at", 2)),
        settle_count=int(raw.get("settle_count", 3)),
        breath_range=_range(raw, "breath_range"),
        hold_range=_range(raw, "hold_range"),
        prompt_range=_range(raw, "prompt_range"),
        rate_range=_range(raw, "rate_range"),
    )


def closing_words(ex: Exercise, last: int | None) -> str:
    """The words after an exercise. For urge surfing they follow the last rating, so a
    person still at 10/10 is never told they "rode this one out"."""
    if ex.kind != "surf" or not ex.outro_strong:
        return ex.outro
    if last is None:
        return ex.outro_unrated or ex.outro
    if last <= ex.settle_at:
        return ex.outro
    if last >= ex.strong_at:
        return ex.outro_strong.format(last=last)
    return (ex.outro_middle or ex.outro_strong).format(last=last)


def still_strong(ex: Exercise, last: int | None) -> bool:
    """Whether the last urge rating is at or above the exercise's ``strong_at``."""
    return last is not None and last >= ex.strong_at


@cache
def exercises() -> dict[str, Exercise]:
    """Every exercise from the packaged ``data/exercises.toml``, in the file's order."""
    from importlib.resources import files

    from relapse_cli.core.tomlread import loads

    text = files("relapse_cli").joinpath("data/exercises.toml").read_text(encoding="utf-8")
    return {key: _exercise(key, raw) for key, raw in loads(text).items()}


def exercise_titles() -> dict[str, str]:
    """Exercise key -> title, for tables of stored sessions."""
    return {key: ex.title for key, ex in exercises().items()}


def find(name: str) -> Exercise:
    key = name.strip().lower()
    key = {"4-7-8": "478", "sighing": "sigh", "scan": "body", "surf": "urge"}.get(key, key)
    found = exercises().get(key)
    if found is None:
        raise BadInput(
            f"unknown exercise {name!r}",
            "choose one of: " + ", ".join(exercises()) + "; e.g. relapse breathe box",
        )
    return found


# --- the schedule -------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    index: int
    cycle: int  # which cycle (breathing) or 0 (a guided exercise runs once)
    phase: Phase
    start: float  # seconds from the start of the session
    end: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Plan:
    exercise: Exercise
    phases: tuple[Phase, ...]  # one cycle as it will run (paced overrides applied)
    steps: tuple[Step, ...]
    planned_s: float  # when the last step ends
    every_s: float | None = None  # urge surfing: seconds between ratings
    cap_s: float | None = None  # urge surfing: the longest it runs
    notes: tuple[str, ...] = ()  # said before it starts: a limit the source advises, passed

    @property
    def pattern(self) -> str:
        return pattern_text(self.phases) if self.exercise.kind == "breath" else ""


def cycle_offsets(phases: tuple[Phase, ...]) -> list[float]:
    """Where each phase starts within one cycle (seconds)."""
    offsets, at = [], 0.0
    for p in phases:
        offsets.append(at)
        at += p.seconds
    return offsets


def breath_schedule(phases: tuple[Phase, ...], total_s: float) -> tuple[Step, ...]:
    """Repeat the cycle within ``total_s``, whole phases only, ending after a full breath out.

    Phase j of cycle k starts at ``k * cycle + offset[j]``: a product, so the thousandth
    phase is as exact as the first. The session never stops in the middle of a breath or on
    a held breath: when the length does not divide into whole cycles, it ends after the
    last breath out that fits (a 1-minute sigh session: six sighs, 54 s).
    """
    cycle = sum(p.seconds for p in phases)
    offsets = cycle_offsets(phases)
    steps: list[Step] = []
    for k in range(math.floor(total_s / cycle + 1e-9) + 1):
        for j, phase in enumerate(phases):
            start = k * cycle + offsets[j]
            end = start + phase.seconds
            if end > total_s + 1e-9:
                break
            steps.append(Step(len(steps), k, phase, start, end))
    if any(p.action == "out" for p in phases):  # a part cycle ends on its breath out
        while (
            steps
            and steps[-1].phase.action != "out"
            and (steps[-1].index % len(phases) != len(phases) - 1)
        ):
            steps.pop()
    return tuple(steps)


def guided_schedule(
    phases: tuple[Phase, ...], total_s: float, within: tuple[float, float] | None = None
) -> tuple[Step, ...]:
    """Each step once, stretched or shrunk in proportion so the whole lasts ``total_s``; with
    ``within`` (low, high), no step goes outside it (the others take up the difference)."""
    lengths = fit_lengths([p.seconds for p in phases], total_s, within)
    steps, at = [], 0.0
    for j, (phase, length) in enumerate(zip(phases, lengths, strict=True)):
        end = total_s if j == len(phases) - 1 else at + length
        steps.append(Step(j, 0, phase, at, end))
        at = end
    return tuple(steps)


def fit_lengths(
    base: list[float], total_s: float, within: tuple[float, float] | None = None
) -> list[float]:
    """Scale ``base`` to add up to ``total_s``. With ``within``, a step the scaling would push
    outside (low, high) is held at that limit and the rest are scaled again (so the body
    scan's prompts stay 20-40 s apart at any length it allows); proportional if it cannot."""
    scaled = [b * total_s / sum(base) for b in base]
    if within is None:
        return scaled
    low, high = within
    held: dict[int, float] = {}
    while True:
        free = [i for i in range(len(base)) if i not in held]
        if not free:  # every step at a limit: exact only if the limits add up to the total
            exact = abs(sum(held.values()) - total_s) <= 1e-6
            return [held[i] for i in range(len(base))] if exact else scaled
        k = (total_s - sum(held.values())) / sum(base[i] for i in free)
        out = {
            i: (low if base[i] * k < low else high)
            for i in free
            if not low - 1e-9 <= base[i] * k <= high + 1e-9
        }
        if not out:
            return [held.get(i, base[i] * k) for i in range(len(base))]
        held.update(out)


def _number(value: float | None, flag: str, low: float, high: float, example: str) -> None:
    if value is None:
        return
    if not math.isfinite(value) or not low <= value <= high:
        raise BadInput(
            f"{flag} must be from {low:g} to {high:g} (got {value:g})", f"e.g. {example}"
        )


def make_plan(
    ex: Exercise,
    *,
    minutes: float | None = None,
    cycles: int | None = None,
    breath_in: float | None = None,
    hold: float | None = None,
    breath_out: float | None = None,
    hold_out: float | None = None,
    every: float | None = None,
) -> Plan:
    """Check the options against the exercise and lay out the session (BadInput if unusable)."""
    cmd = f"relapse breathe {ex.key}"
    if minutes is not None and cycles is not None:
        raise BadInput("choose --minutes or --cycles, not both", f"e.g. {cmd} --minutes 3")
    _number(minutes, "--minutes", MIN_MINUTES, MAX_MINUTES, f"{cmd} --minutes 5")
    if minutes is not None and not ex.min_minutes <= minutes <= ex.max_minutes:
        raise BadInput(
            f"{ex.title} runs from {ex.min_minutes:g} to {ex.max_minutes:g} minutes "
            f"(got {minutes:g})",
            f"e.g. {cmd} --minutes {ex.default_minutes or ex.min_minutes:g}",
        )
    overrides = {"--in": breath_in, "--hold": hold, "--out": breath_out, "--hold-out": hold_out}
    given = [flag for flag, v in overrides.items() if v is not None]
    if given and ex.breath_range is None:
        raise BadInput(
            f"{given[0]} is for paced breathing only", "e.g. relapse breathe paced --in 4 --out 6"
        )
    if every is not None and ex.kind != "surf":
        raise BadInput("--every is for urge surfing only", "e.g. relapse breathe urge --every 2")
    if ex.kind == "surf":
        if cycles is not None:
            raise BadInput(
                "urge surfing has no cycles: it goes at your pace",
                "e.g. relapse breathe urge --every 2",
            )
        _number(every, "--every", *EVERY_RANGE, "relapse breathe urge --every 2")
        every_s = (every if every is not None else ex.every_minutes) * 60
        cap_s = (minutes if minutes is not None else ex.max_minutes) * 60
        return Plan(ex, (), (), 0.0, every_s=every_s, cap_s=cap_s)
    if ex.kind == "guided":
        if cycles is not None:
            raise BadInput(
                f"{ex.title} is a set of steps, not cycles; set its length instead",
                f"e.g. {cmd} --minutes {ex.default_minutes:g}",
            )
        total = (minutes if minutes is not None else float(ex.default_minutes or 3)) * 60
        return Plan(ex, ex.phases, guided_schedule(ex.phases, total, ex.prompt_range), total)
    phases = _paced(ex, breath_in, hold, breath_out, hold_out) if given else ex.phases
    cycle = sum(p.seconds for p in phases)
    if cycles is not None:
        if cycles < 1:
            raise BadInput(f"--cycles must be 1 or more (got {cycles})", f"e.g. {cmd} --cycles 4")
        if ex.max_cycles is not None and cycles > ex.max_cycles:
            raise BadInput(
                f"{ex.title} is kept to at most {ex.max_cycles} cycles (got {cycles})",
                f"e.g. {cmd} --cycles {ex.default_cycles or ex.max_cycles}",
            )
        if cycles * cycle > MAX_MINUTES * 60:
            raise BadInput(
                f"{cycles} cycles would take more than {MAX_MINUTES} minutes",
                f"e.g. {cmd} --cycles {int(MAX_MINUTES * 60 // cycle)}",
            )
        total = cycles * cycle
    elif minutes is not None:
        total = minutes * 60
        if ex.max_cycles is not None and total > ex.max_cycles * cycle + 1e-9:
            raise BadInput(
                f"{ex.title} is kept to at most {ex.max_cycles} cycles "
                f"({_mmss(ex.max_cycles * cycle)})",
                f"e.g. {cmd} --cycles {ex.max_cycles}",
            )
    elif ex.default_cycles is not None:
        total = ex.default_cycles * cycle
    else:
        total = float(ex.default_minutes or 1) * 60
    steps = breath_schedule(phases, total)
    return Plan(ex, phases, steps, steps[-1].end, notes=_notes(ex, phases, steps))


def _notes(ex: Exercise, phases: tuple[Phase, ...], steps: tuple[Step, ...]) -> tuple[str, ...]:
    """What the exercise's source advises about this length or pace, when it is passed:
    more 4-7-8 cycles than Weil's four for beginners; a paced pattern outside the resonance
    range of Lehrer & Gevirtz (2014)."""
    notes: list[str] = []
    n = completed_cycles(steps, len(steps))
    if ex.advised_cycles is not None and n > ex.advised_cycles and ex.advised_note:
        notes.append(ex.advised_note.format(cycles=n, advised=ex.advised_cycles))
    if ex.rate_range is not None and ex.rate_note:
        rate = 60.0 / sum(p.seconds for p in phases)
        low, high = ex.rate_range
        if not low - 1e-9 <= rate <= high + 1e-9:
            notes.append(ex.rate_note.format(rate=rate, low=low, high=high))
    return tuple(notes)


def _paced(
    ex: Exercise,
    breath_in: float | None,
    hold: float | None,
    breath_out: float | None,
    hold_out: float | None,
) -> tuple[Phase, ...]:
    lo, hi = ex.breath_range or (1, 10)
    hlo, hhi = ex.hold_range or (0, 0)
    example = f"relapse breathe {ex.key} --in 4 --out 6"
    _number(breath_in, "--in", lo, hi, example)
    _number(breath_out, "--out", lo, hi, example)
    _number(hold, "--hold", hlo, hhi, f"relapse breathe {ex.key} --in 5 --hold 2 --out 5")
    _number(
        hold_out, "--hold-out", hlo, hhi, f"relapse breathe {ex.key} --in 5 --out 5 --hold-out 2"
    )
    base = {p.action: p.seconds for p in ex.phases}
    wanted = [
        ("Breathe in", "in", breath_in if breath_in is not None else base.get("in", 5.0)),
        ("Hold", "hold", hold if hold is not None else base.get("hold", 0.0)),
        ("Breathe out", "out", breath_out if breath_out is not None else base.get("out", 5.0)),
        ("Hold", "hold_out", hold_out if hold_out is not None else base.get("hold_out", 0.0)),
    ]
    return tuple(Phase(name, action, float(s)) for name, action, s in wanted if s > 0)


def _mmss(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60} s" if whole % 60 else f"{whole // 60} min"


def breath_level(step: Step, into: float, start_level: float) -> float:
    """How full the bar is ``into`` seconds into a step (0..1), moving from ``start_level``."""
    length = step.seconds
    frac = min(max(into / length, 0.0), 1.0) if length > 0 else 1.0
    if step.phase.action == "guide":
        return frac
    target = step.phase.target
    if target is None:  # a hold keeps the level it started at
        return start_level
    return start_level + (target - start_level) * frac


def start_levels(steps: tuple[Step, ...]) -> list[float]:
    """The bar's level at the start of each step (where the previous one left it)."""
    levels, level = [], 0.0
    for step in steps:
        levels.append(level)
        if step.phase.action != "guide":
            level = breath_level(step, step.phase.seconds, level)
    return levels


# --- the runner ---------------------------------------------------------------------------


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


@dataclass
class RunResult:
    elapsed: float  # seconds from the start to the end (or to Ctrl-C)
    steps_done: int  # steps that ran to their end
    cycles: int  # whole cycles (breathing) or steps (guided) completed
    finished: bool  # False: stopped early (Ctrl-C)
    lateness: list[float] = field(default_factory=list)  # per boundary: actual - deadline (s)


def wait_until(clock: Clock, deadline: float) -> None:
    """Sleep until the monotonic clock reaches ``deadline`` (a sleep may end early: loop)."""
    while (now := clock.monotonic()) < deadline:
        clock.sleep(deadline - now)


def run(
    steps: tuple[Step, ...],
    clock: Clock,
    *,
    on_phase: Callable[[Step], None] | None = None,
    on_tick: Callable[[Step, float], None] | None = None,
    tick: float | None = None,
) -> RunResult:
    """Run the steps against their deadlines. Ctrl-C ends the run early (not an error).

    ``on_phase(step)`` at each boundary; ``on_tick(step, elapsed)`` every ``tick`` seconds in
    between (for a live display). ``lateness`` holds, for each boundary and the final end,
    how late the clock was when the runner got there.
    """
    t0 = clock.monotonic()
    lateness: list[float] = []
    done = 0
    finished = False
    try:
        for step in steps:
            lateness.append(clock.monotonic() - (t0 + step.start))
            if on_phase is not None:
                on_phase(step)
            end = t0 + step.end
            if on_tick is None or tick is None:
                wait_until(clock, end)
            else:
                while (now := clock.monotonic()) < end:
                    on_tick(step, now - t0)
                    # wake on the tick grid of this step, never past its end
                    # (the epsilon: 0.1 is not exact in binary; never aim at "now" again)
                    n = math.floor((now - t0 - step.start) / tick + 1e-6) + 1
                    wait_until(clock, min(end, t0 + step.start + n * tick))
            done += 1
        if steps:
            lateness.append(clock.monotonic() - (t0 + steps[-1].end))
        finished = True
    except KeyboardInterrupt:
        pass
    elapsed = clock.monotonic() - t0
    return RunResult(elapsed, done, completed_cycles(steps, done), finished, lateness)


def completed_cycles(steps: tuple[Step, ...], done: int) -> int:
    """Whole cycles among the first ``done`` steps (a session may end part-way through its
    last cycle, after the breath out); for a guided exercise (one pass), the steps done."""
    if not steps:
        return 0
    if steps[0].phase.action == "guide":
        return done
    per_cycle = sum(1 for s in steps if s.cycle == 0)
    counts: dict[int, int] = {}
    for s in steps[:done]:
        counts[s.cycle] = counts.get(s.cycle, 0) + 1
    return sum(1 for n in counts.values() if n == per_cycle)


# --- urge surfing -------------------------------------------------------------------------


def settled(ratings: list[int], at: int = 2, count: int = 3) -> bool:
    """True when the last ``count`` ratings are all at or below ``at``."""
    return len(ratings) >= count and all(r <= at for r in ratings[-count:])


def urge_drop(before: int | None, after: int | None) -> int | None:
    return None if before is None or after is None else before - after

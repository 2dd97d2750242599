"""The exercise patterns (data), the schedule (deadlines by multiplication) and the runner
(a monotonic clock, no drift), all on fake clocks: nothing here sleeps for real."""

from __future__ import annotations

from datetime import datetime

import pytest

from relapse_cli.breathing import model as b
from relapse_cli.core.clock import FakeClock
from relapse_cli.core.errors import BadInput
from tests.conftest import LONDON

NOW = datetime(2026, 11, 24, 21, 0)


def fake() -> FakeClock:
    return FakeClock(NOW, tz=LONDON)


class JitteryClock(FakeClock):
    """Every sleep overshoots by ``late`` seconds, like a busy machine."""

    def __init__(self, late: float) -> None:
        super().__init__(NOW, tz=LONDON)
        self.late = late
        self.sleeps = 0

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        super().sleep(seconds + self.late)


class StopAt(FakeClock):
    """Ctrl-C arrives ``after`` seconds into the session (inside a sleep)."""

    def __init__(self, after: float) -> None:
        super().__init__(NOW, tz=LONDON)
        self.stop = self.monotonic() + after

    def sleep(self, seconds: float) -> None:
        if self.monotonic() + seconds > self.stop:
            self.advance(self.stop - self.monotonic())
            raise KeyboardInterrupt
        super().sleep(seconds)


# --- the data ---------------------------------------------------------------------------


def test_patterns_keep_the_clinical_timings():
    ex = b.exercises()
    assert list(ex) == ["box", "478", "paced", "sigh", "sober", "urge", "body"]
    seconds = {k: [p.seconds for p in e.phases] for k, e in ex.items()}
    assert seconds["box"] == [4, 4, 4, 4]
    assert seconds["478"] == [4, 7, 8]
    assert seconds["paced"] == [5, 5]
    assert seconds["sigh"] == [2, 1, 6]
    assert [p.name for p in ex["sober"].phases] == ["Stop", "Observe", "Breathe", "Expand",
                                                     "Respond"]  # fmt: skip
    assert ex["box"].default_minutes == 4 and ex["paced"].default_minutes == 5
    assert ex["478"].default_cycles == 4 and ex["478"].max_cycles == 8
    assert ex["sigh"].default_minutes == 1 and ex["sober"].default_minutes == 3
    assert (ex["body"].min_minutes, ex["body"].max_minutes) == (5, 10)
    assert ex["paced"].breath_range == (4, 7) and ex["body"].prompt_range == (20, 40)
    assert all(e.source and e.intro and e.summary for e in ex.values())
    assert all(p.text for k in ("sober", "body") for p in ex[k].phases)
    assert ex["urge"].guidance and ex["urge"].kind == "surf"
    # body scan: prompts every 20-40 s at its default length
    assert all(20 <= p.seconds <= 40 for p in ex["body"].phases)


def test_wording_is_not_stigmatizing():
    words = ("addict", "alcoholic", "junkie", "clean", "dirty", "failure", "relapsed")
    for ex in b.exercises().values():
        texts = [ex.title, ex.summary, ex.intro, ex.outro, *ex.guidance]
        texts += [t for p in ex.phases for t in (p.name, *p.text)]
        for text in texts:
            assert not any(w in text.lower() for w in words), text


def test_find_accepts_the_usual_spellings():
    assert b.find("4-7-8").key == "478" and b.find(" BOX ").key == "box"
    with pytest.raises(BadInput, match="unknown exercise 'yoga'"):
        b.find("yoga")


# --- the schedule -------------------------------------------------------------------------


def test_five_minute_box_schedule_is_exact():
    plan = b.make_plan(b.find("box"), minutes=5)
    steps = plan.steps
    # 300 s / 16 s = 18 whole cycles (288 s), then in, hold, out: 75 phases, ending at 300 s
    assert len(steps) == 75 and plan.planned_s == 300
    assert [s.phase.name for s in steps[-3:]] == ["Breathe in", "Hold", "Breathe out"]
    assert [(s.start, s.end) for s in steps[-3:]] == [(288, 292), (292, 296), (296, 300)]
    assert all(s.start == 4 * s.index for s in steps)


def test_a_session_ends_after_a_whole_breath_out():
    plan = b.make_plan(b.find("sigh"))  # 1 min of 9 s sighs: 6 (54 s); never half a breath
    last = plan.steps[-1]
    assert (last.phase.name, last.start, last.end) == ("Long breath out", 48, 54)
    assert len(plan.steps) == 18 and plan.planned_s == 54
    four78 = b.make_plan(b.find("478"), minutes=2)  # 6 cycles of 19 s; no ending on a hold
    assert four78.planned_s == 114 and four78.steps[-1].phase.action == "out"


def test_whole_phases_only():
    phases = (b.Phase("Breathe in", "in", 3), b.Phase("Breathe out", "out", 3))
    assert [(s.start, s.end) for s in b.breath_schedule(phases, 8.5)] == [(0, 3), (3, 6)]
    assert [(s.start, s.end) for s in b.breath_schedule(phases, 12)][-1] == (9, 12)


def test_cycles_and_paced_overrides():
    plan = b.make_plan(b.find("paced"), breath_in=4, breath_out=6)
    assert plan.pattern == "in 4, out 6" and plan.planned_s == 300 and len(plan.steps) == 60
    held = b.make_plan(b.find("paced"), breath_in=5, hold=2, breath_out=5, hold_out=0, cycles=3)
    assert held.pattern == "in 5, hold 2, out 5" and held.planned_s == 36
    assert b.make_plan(b.find("478")).planned_s == 76  # 4 cycles of 19 s
    assert b.make_plan(b.find("478"), cycles=8).planned_s == 152


def test_guided_steps_stretch_to_the_chosen_length():
    sober = b.make_plan(b.find("sober"))
    assert [(s.start, s.end) for s in sober.steps] == [(0, 30), (30, 75), (75, 120), (120, 150),
                                                       (150, 180)]  # fmt: skip
    longer = b.make_plan(b.find("sober"), minutes=6)
    assert [(s.start, s.end) for s in longer.steps] == [(0, 60), (60, 150), (150, 240),
                                                        (240, 300), (300, 360)]  # fmt: skip
    assert b.make_plan(b.find("body")).planned_s == 360


def test_body_scan_prompts_stay_20_to_40_s_apart_at_any_length():
    """CLINICAL.md §6: a prompt every 20-40 s, 5-10 minutes. 15 steps: 5 min is 15 x 20 s and
    10 min is 15 x 40 s; in between, a step scaling would push past a limit is held there."""

    def lengths(minutes: float) -> list[float]:
        steps = b.make_plan(b.find("body"), minutes=minutes).steps
        assert steps[0].start == 0 and steps[-1].end == minutes * 60
        assert all(a.end == c.start for a, c in zip(steps, steps[1:], strict=False))  # no gaps
        return [round(s.seconds, 2) for s in steps]

    assert lengths(5) == [20.0] * 15 and lengths(10) == [40.0] * 15
    assert lengths(6) == [30, 20, 26, 22, 22, 22, 26, 22, 20, 26, 22, 22, 20, 30, 30]
    # 5.5 min (330 s), by hand: x 330/360 puts the 20 s steps at 18.3 -> held at 20 (3 of
    # them); then x 270/300 puts the 22 s steps at 19.8 -> held at 20 (6); the 26 s and 30 s
    # steps share the 150 s left: x 150/168 -> 23.21 and 26.79.
    assert lengths(5.5) == [26.79, 20, 23.21, 20, 20, 20, 23.21, 20, 20, 23.21, 20, 20, 20,
                            26.79, 26.79]  # fmt: skip
    for minutes in (5, 5.25, 6.5, 7, 8, 9, 9.75, 10):
        assert all(20 - 1e-9 <= x <= 40 + 1e-9 for x in lengths(minutes)), minutes
    # sober has no range: plain proportional stretching (as before)
    assert b.fit_lengths([30, 45], 150) == [60, 90]
    # a total the limits cannot reach falls back to proportional
    assert b.fit_lengths([20, 40], 30, (20, 40)) == [10, 20]


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("box", {"minutes": 0}, "--minutes must be from 1 to 60 (got 0)"),
        ("box", {"minutes": 600}, "--minutes must be from 1 to 60 (got 600)"),
        ("box", {"minutes": float("nan")}, "--minutes must be from 1 to 60"),
        ("paced", {"breath_in": -1}, "--in must be from 4 to 7 (got -1)"),
        ("paced", {"breath_out": 12}, "--out must be from 4 to 7 (got 12)"),
        ("paced", {"hold": 9}, "--hold must be from 0 to 7 (got 9)"),
        ("box", {"breath_in": 4}, "--in is for paced breathing only"),
        ("box", {"minutes": 2, "cycles": 3}, "choose --minutes or --cycles, not both"),
        ("box", {"cycles": 0}, "--cycles must be 1 or more (got 0)"),
        ("box", {"cycles": 300}, "300 cycles would take more than 60 minutes"),
        ("478", {"cycles": 9}, "at most 8 cycles (got 9)"),
        ("478", {"minutes": 3}, "at most 8 cycles (2 min 32 s)"),
        ("body", {"minutes": 3}, "Body scan runs from 5 to 10 minutes (got 3)"),
        ("sober", {"cycles": 2}, "a set of steps, not cycles"),
        ("urge", {"cycles": 2}, "urge surfing has no cycles"),
        ("urge", {"every": 0.1}, "--every must be from 0.5 to 10 (got 0.1)"),
        ("box", {"every": 2}, "--every is for urge surfing only"),
    ],
)
def test_bad_options_are_refused(name, options, message):
    with pytest.raises(BadInput) as info:
        b.make_plan(b.find(name), **options)
    assert message in info.value.line() and "e.g. relapse breathe" in info.value.line()


# --- the bar ------------------------------------------------------------------------------


def test_the_bar_grows_holds_and_shrinks():
    steps = b.make_plan(b.find("box"), cycles=1).steps
    levels = b.start_levels(steps)
    assert levels == [0.0, 1.0, 1.0, 0.0]
    assert b.breath_level(steps[0], 2, levels[0]) == 0.5
    assert b.breath_level(steps[1], 3, levels[1]) == 1.0
    assert b.breath_level(steps[2], 1, levels[2]) == 0.75
    assert b.breath_level(steps[3], 2, levels[3]) == 0.0
    sigh = b.make_plan(b.find("sigh"), cycles=1).steps
    assert b.start_levels(sigh) == [0.0, 0.8, 1.0]
    assert b.breath_level(sigh[1], 0.5, 0.8) == pytest.approx(0.9)


# --- the runner ---------------------------------------------------------------------------


def test_five_minute_box_session_ends_on_time_and_every_boundary_on_its_deadline():
    clock = fake()
    plan = b.make_plan(b.find("box"), minutes=5)
    starts: list[float] = []
    t0 = clock.monotonic()
    result = b.run(plan.steps, clock, on_phase=lambda s: starts.append(clock.monotonic() - t0))
    assert result.finished and result.steps_done == 75 and result.cycles == 18
    assert abs(result.elapsed - 300.0) <= 0.050
    assert starts == [s.start for s in plan.steps]  # each boundary exactly on its deadline
    assert len(result.lateness) == 76 and max(abs(x) for x in result.lateness) < 1e-9


def test_late_wakeups_do_not_add_up():
    """Each sleep overshoots by 3 ms (75 phases): deadlines from the start keep the end within
    3 ms of 300 s, where summing the sleeps would drift by 75 x 3 ms = 225 ms."""
    clock = JitteryClock(late=0.003)
    plan = b.make_plan(b.find("box"), minutes=5)
    result = b.run(plan.steps, clock)
    assert result.elapsed == pytest.approx(300.003, abs=1e-6)
    assert max(result.lateness) == pytest.approx(0.003, abs=1e-6)
    summed = JitteryClock(late=0.003)
    start = summed.monotonic()
    for step in plan.steps:
        summed.sleep(step.seconds)
    assert summed.monotonic() - start == pytest.approx(300.225, abs=1e-6)


def test_ticks_land_on_a_grid_and_still_end_on_time():
    clock = fake()
    plan = b.make_plan(b.find("sigh"), cycles=1)
    seen: list[float] = []
    result = b.run(plan.steps, clock, on_tick=lambda s, t: seen.append(round(t, 6)), tick=0.25)
    assert result.elapsed == pytest.approx(9.0)
    assert len(seen) == 36 and seen[:3] == [0.0, 0.25, 0.5] and seen[-1] == 8.75


def test_ctrl_c_ends_the_run_early_and_counts_whole_cycles():
    clock = StopAt(after=37.0)  # box: 2 whole cycles (32 s), then in (32-36), hold (36-40)
    result = b.run(b.make_plan(b.find("box"), minutes=5).steps, clock)
    assert not result.finished
    assert result.elapsed == pytest.approx(37.0) and result.steps_done == 9 and result.cycles == 2


def test_cycles_of_a_partial_or_guided_session():
    box = b.make_plan(b.find("box"), minutes=5).steps  # 18 cycles, then in, hold, out
    assert b.completed_cycles(box, len(box)) == 18 and b.completed_cycles(box, 71) == 17
    sober = b.make_plan(b.find("sober")).steps
    assert b.completed_cycles(sober, 3) == 3  # guided: steps done
    one = b.make_plan(b.find("box"), cycles=1).steps
    assert b.completed_cycles(one, 4) == 1 and b.completed_cycles(one, 3) == 0


def test_urge_settles_after_three_low_ratings():
    assert not b.settled([5, 2, 2])
    assert b.settled([2, 2, 2])
    assert b.settled([8, 3, 1, 2, 0])
    assert not b.settled([2, 2])
    assert not b.settled([1, 3, 1, 1], at=2, count=4)
    assert b.urge_drop(7, 3) == 4 and b.urge_drop(None, 3) is None


def test_a_tick_that_is_not_exact_in_binary_still_moves_on():
    """0.1 s ticks: n x 0.1 can land a hair below the grid point; the runner must not spin."""
    clock = fake()
    plan = b.make_plan(b.find("box"), cycles=2)
    count = 0

    def tick(step: b.Step, elapsed: float) -> None:
        nonlocal count
        count += 1
        assert count < 10_000

    result = b.run(plan.steps, clock, on_tick=tick, tick=0.1)
    assert result.elapsed == pytest.approx(32.0) and count == 320

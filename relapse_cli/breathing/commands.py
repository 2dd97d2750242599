"""``relapse breathe``: guided breathing, mindfulness and urge surfing, with their effect on urges.

The patterns live in data/exercises.toml; the schedule and the runner in breathing/model.py;
the frames and charts in breathing/view.py; storage in breathing/store.py. This module asks
the before/after questions, picks the display (a transient Rich Live frame on a terminal, one
plain line per phase otherwise) and saves the session.

Ctrl-C stops an exercise gracefully: the after questions are still offered (Enter skips,
another Ctrl-C skips them all), the session is saved as partial, and the command exits 130
so a script can tell a stopped session from a finished one.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import typer

from relapse_cli.cli import complete
from relapse_cli.cli.options import JsonOpt, SinceOpt, UntilOpt
from relapse_cli.core.errors import BadInput, NeedsTerminal

if TYPE_CHECKING:
    from datetime import datetime

    from rich.console import Console
    from rich.live import Live

    from relapse_cli.breathing.model import Exercise, Plan, Step
    from relapse_cli.cli.context import AppContext
    from relapse_cli.core.prompter import Prompter

EXIT_STOPPED = 130
QUIT_WORDS = frozenset({"q", "quit", "done", "stop", "end", "finish", "finished"})
LIVE_TICK = 0.1  # seconds between frames of the live guide

ExerciseArg = Annotated[
    str | None,
    typer.Argument(
        help="box, 478, paced, sigh, sober, urge or body. Leave out to see the list.",
        metavar="[EXERCISE]",
        show_default=False,
        autocompletion=complete.exercises,
    ),
]


def _opt(*flags: str, help: str, metavar: str) -> typer.models.OptionInfo:
    """A valued option with no default shown (the numbers of a session)."""
    return typer.Option(*flags, help=help, metavar=metavar, show_default=False)


def breathe(
    ctx: typer.Context,
    exercise: ExerciseArg = None,
    minutes: Annotated[
        float | None, _opt("--minutes", "-m", help="How long (1-60 minutes).", metavar="MIN")
    ] = None,
    cycles: Annotated[
        int | None,
        _opt(
            "--cycles",
            "-c",
            help="How many breathing cycles (instead of --minutes).",
            metavar="N",
        ),
    ] = None,
    breath_in: Annotated[
        float | None, _opt("--in", help="paced: seconds breathing in (4-7).", metavar="S")
    ] = None,
    hold: Annotated[
        float | None,
        _opt("--hold", help="paced: seconds holding after breathing in (0-7).", metavar="S"),
    ] = None,
    breath_out: Annotated[
        float | None, _opt("--out", help="paced: seconds breathing out (4-7).", metavar="S")
    ] = None,
    hold_out: Annotated[
        float | None,
        _opt("--hold-out", help="paced: seconds holding after breathing out (0-7).", metavar="S"),
    ] = None,
    every: Annotated[
        float | None,
        _opt(
            "--every",
            help="urge: minutes between urge ratings (0.5-10, default 1).",
            metavar="MIN",
        ),
    ] = None,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="No animation: one line per phase (screen readers; "
            "automatic when output is not a terminal or TERM=dumb).",
        ),
    ] = False,
    bell: Annotated[
        bool, typer.Option("--bell", help="Ring the terminal bell at each phase.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Skip the urge and mood questions before and after."),
    ] = False,
    history: Annotated[
        bool,
        typer.Option("--history", help="Past sessions and the mean urge drop by exercise."),
    ] = False,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-l", help="--history: at most this many sessions.", min=1, max=1_000_000
        ),
    ] = 20,
    as_json: JsonOpt = False,
) -> int:
    """Guided breathing, mindfulness and urge surfing; asks your urge before and after.

    Ctrl-C stops at any time: the session is saved as partial (exit code 130).
    """
    from relapse_cli.cli.typer_build import app_context

    app = app_context(ctx)
    if history:
        return show_history(app, exercise, since, until, limit, as_json)
    if since or until:
        raise BadInput(
            "--since/--until go with --history", "e.g. relapse breathe --history --since 7d"
        )
    if exercise is None:
        return list_exercises(as_json)
    if as_json:
        raise BadInput(
            "--json goes with the list or --history", "e.g. relapse breathe --history --json"
        )
    from relapse_cli.breathing import model as breathing

    plan = breathing.make_plan(
        breathing.find(exercise),
        minutes=minutes,
        cycles=cycles,
        breath_in=breath_in,
        hold=hold,
        breath_out=breath_out,
        hold_out=hold_out,
        every=every,
    )
    return run_session(app, plan, plain=plain, bell=bell, quiet=quiet)


def register(app: typer.Typer) -> None:
    """Add ``relapse breathe`` (the registry imports this module only when it runs)."""
    app.command("breathe")(breathe)


def start_exercise(app: AppContext, name: str) -> int:
    """Run one exercise with its default options and save it; returns the exit code.

    For ``relapse sos``: asks the before/after questions when there is a terminal (quiet
    otherwise); urge surfing needs a terminal (NeedsTerminal otherwise).
    """
    from relapse_cli.breathing import model as breathing

    plan = breathing.make_plan(breathing.find(name))
    quiet = not app.interactive
    return run_session(app, plan, plain=False, bell=False, quiet=quiet)


# --- listing and history ------------------------------------------------------------------


def _length(ex: Exercise) -> str:
    """The default length as it will run: '4 min (15 cycles)', '54 s (6 cycles)'."""
    from relapse_cli.breathing.model import completed_cycles, make_plan
    from relapse_cli.breathing.view import length_text

    if ex.kind == "surf":
        return "at your pace"
    plan = make_plan(ex)
    if ex.kind == "guided":
        return f"{length_text(plan.planned_s)} ({len(plan.steps)} steps)"
    cycles = completed_cycles(plan.steps, len(plan.steps))
    return f"{length_text(plan.planned_s)} ({cycles} cycles)"


def list_exercises(as_json: bool) -> int:
    from relapse_cli.breathing.model import exercises

    items = []
    for ex in exercises().values():
        items.append(
            {
                "key": ex.key,
                "title": ex.title,
                "summary": ex.summary,
                "kind": ex.kind,
                "length": _length(ex),
                "default_minutes": ex.default_minutes,
                "default_cycles": ex.default_cycles,
                "pattern": ex.pattern or None,
                "phases": [
                    {"name": p.name, "action": p.action, "seconds": p.seconds} for p in ex.phases
                ],
                "source": ex.source,
            }
        )
    if as_json:
        from relapse_cli.render.console import print_json

        print_json(items)
        return 0
    from relapse_cli.breathing.view import exercise_table
    from relapse_cli.render.console import console

    out = console()
    out.print(exercise_table(items))
    out.print(
        "\nStart one with: relapse breathe box   (or --minutes 3, --plain, --quiet; "
        "Ctrl-C stops and still saves)"
    )
    return 0


def show_history(
    app: AppContext,
    exercise: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    as_json: bool,
) -> int:
    from relapse_cli.breathing.model import exercise_titles, find
    from relapse_cli.breathing.store import by_exercise, list_sessions
    from relapse_cli.cli.inputs import window

    key = find(exercise).key if exercise else None
    lo, hi = window(app, since, until)
    con = app.connect()
    sessions = list_sessions(con, since=lo, until=hi, exercise=key, limit=limit)
    drops = [r for r in by_exercise(con, since=lo, until=hi) if key is None or r["exercise"] == key]
    if as_json:
        from relapse_cli.render.console import print_json

        print_json({"sessions": sessions, "by_exercise": drops})
        return 0
    from relapse_cli.breathing.view import drop_table, history_table
    from relapse_cli.render.console import console

    out = console()
    if not sessions:
        out.print("No exercise sessions yet for that view. Try one: relapse breathe box")
        return 0
    titles = exercise_titles()
    out.print(history_table(sessions, titles))
    out.print()
    out.print(drop_table(drops, titles))
    out.print("Urge drop: the mean of (urge before - urge after) over sessions rated both times.")
    return 0


# --- running a session --------------------------------------------------------------------


@dataclass
class Ratings:
    urge_before: int | None = None
    mood_before: int | None = None
    urge_after: int | None = None
    mood_after: int | None = None
    wave: list[list[float]] = field(default_factory=list)  # urge surfing: [seconds, urge]


def _ask(app: AppContext, question: str) -> int | None:
    from relapse_cli.core.prompter import ask_number

    value = ask_number(app.prompter, question, 0, 10)
    return None if value is None else int(value)


URGE_Q = "Urge right now (0 none, 10 strongest)"
MOOD_Q = "Mood right now (0 very low, 10 very good)"


def _plain_wanted(plain: bool) -> bool:
    from relapse_cli.render.access import screen_reader

    if plain or screen_reader():  # RELAPSE_SCREEN_READER, TERM=dumb or the setting
        return True
    out = sys.stdout
    return not (hasattr(out, "isatty") and out.isatty())


def run_session(app: AppContext, plan: Plan, *, plain: bool, bell: bool, quiet: bool) -> int:
    """Ask before, guide, ask after, save. Everything is checked before anything waits."""
    ex = plan.exercise
    interactive = app.interactive
    if ex.kind == "surf" and not interactive:
        raise NeedsTerminal(
            "urge surfing asks for your urge rating as it goes, so it needs a terminal",
            "try a timed one instead: relapse breathe box --quiet",
        )
    if not quiet and not interactive:
        raise NeedsTerminal(
            "breathe asks your urge and mood before and after",
            f"add --quiet to run without questions: relapse breathe {ex.key} --quiet",
        )
    app.connect()  # a journal problem shows before, not after
    view = make_view(plain=_plain_wanted(plain), bell=bell, title=ex.title)
    ratings = Ratings()
    if not quiet:
        try:
            ratings.urge_before = _ask(app, URGE_Q)
            ratings.mood_before = _ask(app, MOOD_Q)
        except (KeyboardInterrupt, EOFError):
            sys.stderr.write("\nStopped before the exercise began; nothing was saved.\n")
            return EXIT_STOPPED
    for line in (*plan.notes, *ex.cautions):  # the source's limits and cautions, first
        view.say(line)
    started = app.clock.now()
    if ex.kind == "surf":
        outcome = _surf(app, plan, view, ratings)
    else:
        outcome = _guide(app, plan, view)
    stopped = outcome.reason == "stopped"
    if ex.kind == "surf" and ratings.wave:
        ratings.urge_after = int(ratings.wave[-1][1])
        from relapse_cli.breathing.view import wave

        view.say("")
        for line in wave(ratings.wave, before=ratings.urge_before):
            view.say(line)
    from relapse_cli.breathing.store import save_session, set_after

    # Saved before the after questions: closing the window there keeps the practice.
    uuid = save_session(app.connect(), _row(plan, started, outcome, ratings))
    if not quiet:
        _after(app, ratings, ask_urge=not (ex.kind == "surf" and ratings.wave))
        set_after(app.connect(), uuid, urge_after=ratings.urge_after, mood_after=ratings.mood_after)
    view.say(_saved_line(plan, outcome, ratings))
    return EXIT_STOPPED if stopped else 0


def _after(app: AppContext, ratings: Ratings, *, ask_urge: bool) -> None:
    """The after questions; Ctrl-C or end of input skips the rest (what was given is kept)."""
    try:
        if ask_urge:
            ratings.urge_after = _ask(app, URGE_Q)
        ratings.mood_after = _ask(app, MOOD_Q)
    except (KeyboardInterrupt, EOFError):
        sys.stderr.write("\n")


@dataclass
class Outcome:
    elapsed: float
    cycles: int
    reason: str  # finished | stopped | settled | done | time_limit


def _guide(app: AppContext, plan: Plan, view: View) -> Outcome:
    from relapse_cli.breathing.model import run

    ex = plan.exercise
    view.say(ex.intro)
    view.begin(plan)
    try:
        result = run(
            plan.steps, app.clock, on_phase=view.phase, on_tick=view.tick, tick=view.tick_s
        )
    finally:
        view.end()
    if result.finished:
        view.say(ex.outro)
    return Outcome(result.elapsed, result.cycles, "finished" if result.finished else "stopped")


def _surf(app: AppContext, plan: Plan, view: View, ratings: Ratings) -> Outcome:
    """Guidance, a pause, a rating; again, until the person is done or the urge settles."""
    from relapse_cli.breathing.model import Phase, Step, run, settled

    ex = plan.exercise
    clock = app.clock
    prompter = app.prompter
    every, cap = plan.every_s, plan.cap_s
    assert every is not None and cap is not None  # an urge-surfing plan has both (make_plan)
    view.say(ex.intro)
    view.say("Press Ctrl-C at any time to stop; type q at a rating when you are done.")
    t0 = clock.monotonic()
    in_session: list[int] = []
    turn = 0
    reason = "stopped"
    try:
        while True:
            elapsed = clock.monotonic() - t0
            if elapsed >= cap - 1e-9:
                reason = "time_limit"
                view.say("That is as long as this session goes. You can start another any time.")
                break
            wait = min(every, cap - elapsed)
            line = ex.guidance[turn % len(ex.guidance)] if ex.guidance else ""
            turn += 1
            step = Step(turn - 1, 0, Phase("Notice the wave", "guide", wait, (line,)), 0.0, wait)
            view.begin_wait(step)
            try:
                result = run(
                    (step,), clock, on_phase=view.phase, on_tick=view.tick, tick=view.tick_s
                )
            finally:
                view.end()
            if not result.finished:
                break
            answer = _rating(prompter)
            if isinstance(answer, str):  # "done"
                reason = "done"
                break
            if answer is None:
                continue
            ratings.wave.append([round(clock.monotonic() - t0), answer])
            in_session.append(answer)
            if settled(in_session, ex.settle_at, ex.settle_count):
                reason = "settled"
                view.say(
                    f"Your urge has stayed at {ex.settle_at} or below for "
                    f"{ex.settle_count} ratings: the wave has passed for now."
                )
                break
    except (KeyboardInterrupt, EOFError):
        reason = "stopped"
    from relapse_cli.breathing.model import closing_words, still_strong

    last = in_session[-1] if in_session else None
    if reason != "stopped" or still_strong(ex, last):
        view.say(closing_words(ex, last))
        if still_strong(ex, last):
            for line in _people_to_call(app):
                view.say(line)
    return Outcome(clock.monotonic() - t0, len(in_session), reason)


def _people_to_call(app: AppContext) -> list[str]:
    """Up to two people from the plan, to call while the urge is still strong."""
    try:
        from relapse_cli.core.text import for_terminal
        from relapse_cli.plan.model.plan import grouped, item_line
        from relapse_cli.plan.safety import plan_items

        people = grouped(plan_items(app) or [])["people"][:2]
    except Exception:  # noqa: BLE001 - the words above already point to relapse sos
        return []
    return [f"From your plan: {for_terminal(item_line(p), single_line=True)}" for p in people]


def _rating(prompter: Prompter) -> int | str | None:
    """An urge rating 0-10, 'done', or None (Enter: no rating this time)."""
    while True:
        raw = prompter.ask("Urge now", hint="0-10, Enter to skip, q when you are done").strip()
        if not raw:
            return None
        if raw.lower() in QUIT_WORDS:
            return "done"
        if raw.isascii() and raw.isdigit() and 0 <= int(raw) <= 10:
            return int(raw)
        prompter.say("Please type a number from 0 to 10, or q when you are done.")


def _row(plan: Plan, started: datetime, outcome: Outcome, ratings: Ratings) -> dict:
    from relapse_cli.core.timeparse import to_storage

    ex = plan.exercise
    started_at, offset = to_storage(started)
    surf = ex.kind == "surf"
    pattern = plan.pattern or None
    if surf:
        assert plan.every_s is not None  # an urge-surfing plan has it (make_plan)
        pattern = f"rating every {plan.every_s / 60:g} min"
    return {
        "exercise": ex.key,
        "started_at": started_at,
        "utc_offset_min": offset,
        "planned_s": None if surf else round(plan.planned_s, 1),
        "actual_s": round(outcome.elapsed, 1),
        "cycles": outcome.cycles,
        "completed": int(outcome.reason != "stopped"),
        "end_reason": outcome.reason,
        "pattern": pattern,
        "urge_before": ratings.urge_before,
        "urge_after": ratings.urge_after,
        "mood_before": ratings.mood_before,
        "mood_after": ratings.mood_after,
        "ratings": ratings.wave if surf else None,
    }


def _saved_line(plan: Plan, outcome: Outcome, ratings: Ratings) -> str:
    from relapse_cli.breathing.view import length_text

    ex = plan.exercise
    what = {"breath": "cycle", "guided": "step", "surf": "rating"}[ex.kind]
    bits = [length_text(outcome.elapsed), f"{outcome.cycles} {what}{'s' * (outcome.cycles != 1)}"]
    if ratings.urge_before is not None and ratings.urge_after is not None:
        bits.append(f"urge {ratings.urge_before} → {ratings.urge_after}")
    detail = ", ".join(bits)
    if outcome.reason == "stopped":
        return (
            f"Stopped early; saved as a partial session ({ex.title}, {detail}). "
            "Every bit of practice counts."
        )
    return f"Saved: {ex.title}, {detail}."


# --- displays -----------------------------------------------------------------------------


class View:
    """Plain: one line per phase (screen readers, pipes, TERM=dumb); waits without ticking."""

    tick_s: float | None = None

    def __init__(self, *, bell: bool, title: str) -> None:
        self.bell = bell
        self.title = title
        self.plan: Plan | None = None
        self.where = ""

    def say(self, text: str) -> None:
        from relapse_cli.render.access import screen_reader

        if screen_reader():  # issue 20: a sentence is one line, never broken at the width
            sys.stdout.write(text + "\n")
        else:
            from relapse_cli.core.wrapping import fill, terminal_width

            sys.stdout.write(fill(text, terminal_width(sys.stdout)) + "\n")
        sys.stdout.flush()

    def begin(self, plan: Plan) -> None:
        self.plan = plan

    def begin_wait(self, step: Step) -> None:
        self.plan = None
        self.where = "then rate your urge"

    def _where(self, step: Step) -> str:
        plan = self.plan
        if plan is None:
            return self.where
        kind = plan.exercise.kind
        if kind == "guided":
            return f"step {step.index + 1} of {len(plan.steps)}"
        cycles = plan.steps[-1].cycle + 1
        if step.index % len(plan.phases) == 0:
            return f"cycle {step.cycle + 1} of {cycles}"
        return ""

    def phase(self, step: Step) -> None:
        from relapse_cli.breathing.view import plain_line

        self.say(plain_line(step.phase.name, step.seconds, self._where(step)))
        for line in step.phase.text:
            self.say(f"  {line}")
        self._ring()

    def _ring(self) -> None:
        if self.bell:
            sys.stdout.write("\a")
            sys.stdout.flush()

    def tick(self, step: Step, elapsed: float) -> None:
        return None

    def end(self) -> None:
        return None


class LiveView(View):
    """A transient Rich Live frame: redrawn in place, gone from the scrollback when done."""

    tick_s = LIVE_TICK

    def __init__(self, *, bell: bool, title: str, console: Console | None = None) -> None:
        super().__init__(bell=bell, title=title)
        from relapse_cli.render.console import console as make_console

        self.console = console or make_console()
        self.live: Live | None = None
        self._echo: tuple[int, list] | None = None
        self.levels: list[float] = []
        self.step: Step | None = None

    def say(self, text: str) -> None:
        from rich.text import Text

        from relapse_cli.render.console import Wrapped

        self.console.print(Wrapped(Text(text)))

    def _start(self) -> None:
        from rich.live import Live

        self.live = Live(
            console=self.console,
            transient=True,
            auto_refresh=False,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._echo = _quiet_ctrl_echo()
        self.live.start()

    def begin(self, plan: Plan) -> None:
        from relapse_cli.breathing.model import start_levels

        super().begin(plan)
        self.levels = start_levels(plan.steps)
        self._start()

    def begin_wait(self, step: Step) -> None:
        super().begin_wait(step)
        self.levels = [0.0] * (step.index + 1)
        self._start()

    def phase(self, step: Step) -> None:
        self.step = step
        self._ring()
        self.tick(step, step.start)

    def tick(self, step: Step, elapsed: float) -> None:
        from relapse_cli.breathing.model import breath_level
        from relapse_cli.breathing.view import frame

        into = elapsed - step.start
        level = breath_level(step, into, self.levels[step.index])
        plan = self.plan
        left = None if plan is None else plan.planned_s - elapsed
        lines = tuple(step.phase.text)
        view = frame(
            self.title,
            step.phase.name,
            level,
            step.end - elapsed,
            left,
            lines=lines,
            where=self._where(step),
        )
        assert self.live is not None  # frames come between begin() and end()
        with _interrupt_after():  # a frame drawn halfway could not be erased by stop()
            self.live.update(view, refresh=True)

    def _ring(self) -> None:
        if self.bell:
            self.console.bell()

    def end(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None
            _restore_echo(self._echo)


# Ctrl-C during the live frame. The terminal echoes "^C" where the cursor is, the end of the
# frame's last line: at a terminal as wide as the frame (60 columns) that pushes the cursor
# onto a new line, so the transient frame's erase starts one line low and leaves a border on
# screen (stray keys typed during the frame do the same). And Ctrl-C makes the terminal driver
# discard output not yet drawn (unless NOFLSH): with a slow terminal (tmux under load) that
# drops the tail of the last frames, the cursor sits higher than Rich counts, and the erase
# takes the intro and cautions above with it. While the frame is up the terminal echoes
# nothing and keeps its output (ECHO and ECHOCTL off, NOFLSH on; Ctrl-C still interrupts;
# restored for the ratings), and an interrupt arriving mid-draw waits until the frame is whole.


def _quiet_ctrl_echo() -> tuple[int, list] | None:
    """Turn the terminal's echo and its output flush on Ctrl-C off; what to restore (None:
    nothing to)."""
    try:
        import termios

        fd = sys.stdin.fileno()
        if not os.isatty(fd):
            return None
        old = termios.tcgetattr(fd)
        new = list(old)
        new[3] &= ~(termios.ECHO | termios.ECHOCTL)
        new[3] |= termios.NOFLSH  # Ctrl-C must not discard frames the terminal has yet to draw
        termios.tcsetattr(fd, termios.TCSANOW, new)
        return (fd, old)
    except (ImportError, AttributeError, ValueError, OSError):
        return None


def _restore_echo(saved: tuple[int, list] | None) -> None:
    if saved is None:
        return
    import termios

    fd, old = saved
    try:
        termios.tcsetattr(fd, termios.TCSANOW, old)
    except (termios.error, OSError):
        pass


class _interrupt_after:
    """Hold a Ctrl-C that arrives inside the block and raise it once the block is done."""

    def __enter__(self) -> None:
        import signal
        import threading

        self.hit = False
        self.old = None
        if threading.current_thread() is not threading.main_thread():
            return
        if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
            return  # someone else handles Ctrl-C (a test, an embedding program): leave it

        def hold(signum: int, frame: object) -> None:
            self.hit = True

        self.old = signal.signal(signal.SIGINT, hold)

    def __exit__(self, *exc: object) -> None:
        import signal

        if self.old is not None:
            signal.signal(signal.SIGINT, self.old)
        if self.hit:
            raise KeyboardInterrupt


def make_view(*, plain: bool, bell: bool, title: str) -> View:
    return View(bell=bell, title=title) if plain else LiveView(bell=bell, title=title)

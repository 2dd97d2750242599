"""Asking a person questions, one seam for every guided flow.

``TerminalPrompter`` reads a line with shell-like editing: on a terminal it loads the
standard ``readline`` module (GNU readline or libedit, with the person's ~/.inputrc), so
Left/Right, Home/End, Ctrl-A/Ctrl-E and Up (earlier answers of this session; nothing is
written to a history file) edit the line instead of landing in the answer as escape codes
(issue 19, item 4). ``readline`` is imported on the first question only, never on the
``relapse log`` fast path that asks nothing. Where readline cannot serve the line (no
readline module, or stdout is not the terminal, where ``input()`` bypasses it), the line is
read plainly and terminal key sequences are removed from it, so they are never saved.
``ScriptedPrompter`` replays answers in tests. Ctrl-C raises KeyboardInterrupt to the flow,
which decides what to keep as a draft.
"""

from __future__ import annotations

import sys
from typing import Protocol

_readline_state: list[bool] = []  # [True] once readline is loaded and set up, [False]: none


def _line_editing() -> bool:
    """Load and set up readline once; False where it is unavailable or cannot serve input()
    (input() uses readline only when stdin and stdout are both the terminal)."""
    try:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            return False
        if sys.stdin.fileno() != 0 or sys.stdout.fileno() != 1:
            return False
    except (AttributeError, OSError, ValueError):  # a replaced stream (tests, IDEs)
        return False
    if not _readline_state:
        try:
            import readline
        except ImportError:  # Windows without pyreadline, a Python built without it
            _readline_state.append(False)
        else:
            readline.set_completer(lambda _text, _state: None)  # Tab completes nothing
            readline.set_auto_history(True)
            _readline_state.append(True)
    return _readline_state[0]


def strip_keys(line: str) -> str:
    """Remove terminal key sequences (arrows, Home, End, function keys: ``ESC [ ... X``,
    ``ESC O X``, a lone ``ESC x``) that a terminal sent into a line read without editing."""
    import re

    return re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[O\]].|\x1b.?", "", line)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C at a question, carrying the line the person was still typing (``partial``), so
    a flow can keep it in the draft: "Ctrl-C keeps what you typed" includes that line."""

    def __init__(self, partial: str = "") -> None:
        super().__init__()
        self.partial = partial
        self.kept = False  # set by the flow once the partial line is in the draft


class Prompter(Protocol):
    def ask(self, question: str, *, hint: str = "") -> str:
        """One line of answer; '' means the person pressed Enter to skip."""
        ...

    def say(self, text: str) -> None:
        """Show a line of guidance."""
        ...


class TerminalPrompter:
    """Questions on stderr so that stdout stays clean for pipes."""

    def ask(self, question: str, *, hint: str = "") -> str:
        from relapse_cli.core.wrapping import fill, terminal_width

        shown = f"{question} [{hint}]:" if hint else f"{question}:"
        shown = fill(shown, terminal_width(sys.stderr) - 1) + " "  # room for the cursor
        if _line_editing():
            # readline draws the prompt itself (it must know its width to redraw the line);
            # stdout is the terminal here, so nothing reaches a pipe.
            sys.stderr.flush()
            try:
                return input(shown)
            except KeyboardInterrupt:
                import readline

                raise Interrupted(readline.get_line_buffer()) from None
        sys.stderr.write(shown)
        sys.stderr.flush()
        line = sys.stdin.readline()
        if line == "":
            raise EOFError
        return strip_keys(line.rstrip("\n"))

    def say(self, text: str) -> None:
        from relapse_cli.core.wrapping import fill, terminal_width

        sys.stderr.write(fill(text, terminal_width(sys.stderr)) + "\n")


class ScriptedPrompter:
    """Replays answers; the answer ``KeyboardInterrupt`` acts as Ctrl-C at that question."""

    def __init__(self, answers: list[str | type[BaseException] | BaseException]) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []
        self.said: list[str] = []

    def ask(self, question: str, *, hint: str = "") -> str:
        self.asked.append(question)
        if not self.answers:
            raise AssertionError(f"no scripted answer left for: {question}")
        answer = self.answers.pop(0)
        if isinstance(answer, type):
            raise answer()
        if isinstance(answer, BaseException):  # e.g. Interrupted("half a line")
            raise answer
        return answer

    def say(self, text: str) -> None:
        self.said.append(text)


def ask_number(
    prompter: Prompter,
    question: str,
    low: float,
    high: float,
    *,
    integer: bool = True,
    required: bool = False,
    skip: str = "Enter to skip",
) -> float | int | None:
    """Ask until the answer is a number in range (or blank when optional).

    ``skip`` is what the hint says Enter does; a question that already says it ("Enter: every
    day") passes ``skip=""`` so the hint does not contradict it. A range with a negative end
    reads "-5 to 5": "-1000-100000" looks like a subtraction.
    """
    span = f"{low:g} to {high:g}" if low < 0 else f"{low:g}-{high:g}"
    hint = span + ("" if required or not skip else f", {skip}")
    while True:
        raw = prompter.ask(question, hint=hint).strip()
        if not raw:
            if required:
                prompter.say("This one is needed; type a number.")
                continue
            return None
        try:
            from relapse_cli.core.text import plain_number

            value = plain_number(int if integer else float, raw)
        except ValueError:
            prompter.say(f"Please type a number from {low:g} to {high:g}.")
            continue
        if low <= value <= high:
            return value
        prompter.say(f"Please type a number from {low:g} to {high:g}.")

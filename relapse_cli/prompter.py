"""Asking a person questions, one seam for every guided flow.

``TerminalPrompter`` uses plain ``input()`` (works in any terminal and in a pseudo-terminal,
costs no imports); ``ScriptedPrompter`` replays answers in tests. Ctrl-C raises
KeyboardInterrupt to the flow, which decides what to keep as a draft.
"""

from __future__ import annotations

import sys
from typing import Protocol


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
        from relapse_cli.wrapping import fill, terminal_width

        shown = f"{question} [{hint}]:" if hint else f"{question}:"
        sys.stderr.write(fill(shown, terminal_width(sys.stderr) - 1) + " ")  # room for the cursor
        sys.stderr.flush()
        line = sys.stdin.readline()
        if line == "":
            raise EOFError
        return line.rstrip("\n")

    def say(self, text: str) -> None:
        from relapse_cli.wrapping import fill, terminal_width

        sys.stderr.write(fill(text, terminal_width(sys.stderr)) + "\n")


class ScriptedPrompter:
    """Replays answers; the answer ``KeyboardInterrupt`` acts as Ctrl-C at that question."""

    def __init__(self, answers: list[str | type[BaseException]]) -> None:
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
            value = int(raw) if integer else float(raw)
        except ValueError:
            prompter.say(f"Please type a number from {low:g} to {high:g}.")
            continue
        if low <= value <= high:
            return value
        prompter.say(f"Please type a number from {low:g} to {high:g}.")

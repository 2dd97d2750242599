"""The one exception family the domain raises; the CLI edge maps it to exit codes.

Keeping every expected failure in this hierarchy is what lets ``entry.main`` promise a single
line on stderr and never a traceback (journal text is private, so tracebacks must not leak it).
"""

from __future__ import annotations


class RelapseError(Exception):
    """Base class: an expected failure with a message meant for the person."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def line(self) -> str:
        """The single stderr line: the message, then the hint if there is one."""
        return f"{self.message} ({self.hint})" if self.hint else self.message


class BadInput(RelapseError):
    """The person typed something we cannot use: exit 2, nothing written."""

    exit_code = 2


class NotFound(BadInput):
    """An id or name that matches nothing (or too much)."""


class EnvironmentFault(RelapseError):
    """The machine, not the person: missing folder, read-only disk, foreign file (exit 1)."""

    exit_code = 1


class NeedsTerminal(BadInput):
    """A guided flow was asked for without a terminal; the message names the flags to use."""

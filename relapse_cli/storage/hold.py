"""The journal's hold: ``lock``, ``unlock`` and ``restore`` change the file only when no one
else has it open.

Why: SQLite's own locks protect a file's pages, not the file's name. ``lock``/``unlock``
replace ``journal.db`` with another file and ``restore`` rewrites it whole; a ``relapse log``
that opened the old file a moment earlier would commit into a file that is no longer the
journal (entries acknowledged, then gone) or into a WAL that belongs to another file (a journal
neither sqlite3 nor SQLCipher can open). So every journal open first takes a *shared* advisory
lock (``flock``) on a small file beside the journal (``journal.db.hold``, 0600) and keeps it for
the rest of the process; the three whole-file operations take it *exclusive*. A command that
finds the journal held waits with one line on stderr and gives up with one line after a while.

The hold file also records which whole-file operation is running. If that operation is killed,
the note survives it, and the next command to open the journal (any command: the hold is
taken by every open) removes what the interrupted operation left behind (see
``locked.recover``) before it goes on.

Cost on the hot path: one ``open``, one ``flock`` and one ``pread`` of an empty file (a few
microseconds; ``benchmarks/bench_log.py``). Platforms without ``fcntl`` (Windows) get no hold.
"""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False  # not `from typing import`: this module is on the hot path
if TYPE_CHECKING:
    from types import ModuleType

HOLD_SUFFIX = ".hold"
SHARED_WAIT_S = 120.0  # a whole-file operation on a 20k-entry journal takes about a second
EXCLUSIVE_WAIT_S = 30.0  # others may be in a guided exercise that keeps the journal open
POLL_S = 0.02

_shared: dict[str, int] = {}  # journal path -> fd of this process's shared hold
_exclusive: set[str] = set()  # journals this process holds exclusively (opens inside are free)


def hold_path(journal: str) -> str:
    return journal + HOLD_SUFFIX


def _fcntl() -> ModuleType | None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    return fcntl


def _open(journal: str) -> int | None:
    """The hold file's descriptor; None where none can exist (read-only folder without one:
    no other relapse command can replace the journal there either)."""
    flags = os.O_CLOEXEC if hasattr(os, "O_CLOEXEC") else 0
    try:
        return os.open(hold_path(journal), os.O_RDWR | os.O_CREAT | flags, 0o600)
    except OSError:
        try:
            return os.open(hold_path(journal), os.O_RDONLY | flags)
        except OSError:
            return None


def _note(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _acquire(fd: int, mode: int, wait_s: float, waiting: str, refusal: tuple[str, str]) -> None:
    """flock ``mode`` on ``fd``: at once if free, else say ``waiting`` once and poll until
    ``wait_s`` has passed, then refuse with one line (EnvironmentFault, exit 1)."""
    fcntl = _fcntl()
    assert fcntl is not None  # called only where shared()/exclusive found fcntl
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    sys.stderr.write(f"relapse: {waiting}\n")
    sys.stderr.flush()
    deadline = time.monotonic() + wait_s
    while True:
        time.sleep(POLL_S)
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                from relapse_cli.core.errors import EnvironmentFault

                raise EnvironmentFault(*refusal) from None


def shared(journal: str) -> None:
    """Take this process's shared hold on ``journal`` (once; kept until ``release``).

    Waits while ``lock``/``unlock``/``restore`` runs. When the note of an interrupted one is
    found, clears up after it first (under the exclusive hold, so only one process does).
    """
    if journal in _shared or journal in _exclusive:
        return
    fcntl = _fcntl()
    if fcntl is None:
        return
    fd = _open(journal)
    if fd is None:
        return
    busy = (
        "the journal is still held by another relapse command "
        f"({_note(fd) or 'lock, unlock or restore'})",
        "try again when it has finished",
    )
    _acquire(
        fd,
        fcntl.LOCK_SH,
        SHARED_WAIT_S,
        f"waiting for `relapse {_note(fd) or 'lock/unlock/restore'}` to finish...",
        busy,
    )
    if _note(fd):
        _recover(fd, journal)
    _shared[journal] = fd


def _recover(fd: int, journal: str) -> None:
    """An operation was killed while it held the journal: undo its leftovers, clear its note."""
    fcntl = _fcntl()
    assert fcntl is not None  # called only from shared(), after it found fcntl
    fcntl.flock(fd, fcntl.LOCK_UN)
    _acquire(
        fd,
        fcntl.LOCK_EX,
        EXCLUSIVE_WAIT_S,
        "finishing an interrupted lock/unlock...",
        ("the journal is in use by another relapse command", "try again in a moment"),
    )
    note = _note(fd)
    if note:
        from relapse_cli.storage.locked import recover

        recover(journal, note)
        try:
            os.ftruncate(fd, 0)
            os.fsync(fd)
        except OSError:
            pass  # read-only: the leftovers could not be removed either; doctor reports them
    fcntl.flock(fd, fcntl.LOCK_SH)


def release(journal: str) -> None:
    """Give up this process's shared hold (the connection to ``journal`` was closed)."""
    fd = _shared.pop(journal, None)
    if fd is not None:
        os.close(fd)  # closing the only descriptor drops the flock


def release_all() -> None:
    """Give up every shared hold (end of a command; its connections are closed)."""
    for journal in list(_shared):
        release(journal)


class exclusive:  # noqa: N801 - used as ``with exclusive(path, "unlock"):``
    """The exclusive hold for a whole-file operation, named in the hold file while it runs.

    Waits (with one line) for other relapse commands to close the journal, and refuses with
    one line after ``EXCLUSIVE_WAIT_S``. This process's own shared hold is given up first.
    The note is cleared on the way out, also after an error: the operation's own ``finally``
    blocks clear up what a Python-level failure leaves; only a kill leaves the note behind.
    """

    def __init__(self, journal: str, operation: str) -> None:
        self.journal = journal
        self.operation = operation
        self.fd: int | None = None

    def __enter__(self) -> exclusive:
        release(self.journal)
        fcntl = _fcntl()
        if fcntl is None:
            return self
        fd = os.open(hold_path(self.journal), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        _acquire(
            fd,
            fcntl.LOCK_EX,
            EXCLUSIVE_WAIT_S,
            "waiting for other relapse commands to close the journal...",
            (
                "the journal is open in another relapse command",
                f"close it (e.g. a guided exercise), then run relapse {self.operation} again",
            ),
        )
        note = _note(fd)
        if note:  # an earlier operation was killed: clear up after it first
            from relapse_cli.storage.locked import recover

            recover(self.journal, note)
        os.ftruncate(fd, 0)
        os.pwrite(fd, self.operation.encode("utf-8"), 0)
        os.fsync(fd)
        self.fd = fd
        _exclusive.add(self.journal)
        return self

    def __exit__(self, *exc: object) -> None:
        _exclusive.discard(self.journal)
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            os.fsync(self.fd)
            os.close(self.fd)
            self.fd = None

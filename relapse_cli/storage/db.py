"""Opening the journal: the one function that makes connections.

Hot path: ``relapse log`` calls ``open_journal`` which costs one ``sqlite3.connect``, a few
pragmas and a ``PRAGMA user_version`` read. Only when that version is behind do we import the
migrations (and sqlite-utils). Durability: WAL with ``synchronous=FULL`` so a commit the CLI
reported survives a power cut; a busy timeout so two processes logging at once wait, not fail.
"""

from __future__ import annotations

import os
import sqlite3
import sys

from relapse_cli.core.errors import EnvironmentFault
from relapse_cli.core.files import ensure_private_dir, tighten_own
from relapse_cli.storage import hold
from relapse_cli.storage.version import SCHEMA_VERSION

BUSY_TIMEOUT_MS = 10_000


def _connect(path: str) -> tuple[sqlite3.Connection, int]:
    """Connect and read the schema version *before* any pragma writes to the file, so a
    foreign or newer file is refused byte-for-byte untouched (WAL mode rewrites the header)."""
    if os.path.exists(path + ".locked") and _encrypted(path):  # one stat() when unlocked
        from relapse_cli.storage.locked import connect_locked, passphrase_for_open

        con = connect_locked(path, passphrase_for_open(), BUSY_TIMEOUT_MS / 1000)
    else:
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        con.row_factory = sqlite3.Row
    try:
        return _prepare(con, path)
    except BaseException:
        con.close()  # every way out of here closes what it opened (Python 3.13 warns)
        raise


def _prepare(con: sqlite3.Connection, path: str) -> tuple[sqlite3.Connection, int]:
    con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise EnvironmentFault(
            f"this journal was written by a newer relapse-cli (schema {version}, "
            f"this one knows {SCHEMA_VERSION})",
            "upgrade relapse-cli; the journal was not changed",
        )
    if version == 0 and _has_foreign_tables(con):
        raise EnvironmentFault(f"{path} is an SQLite file but not a relapse journal")
    mode = _wal(con)
    if mode != "wal":
        raise sqlite3.OperationalError("journal_mode")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA foreign_keys=ON")
    return con, version


def _encrypted(path: str) -> bool:
    from relapse_cli.storage.locked import encrypted_header

    return encrypted_header(path)


def open_journal(path: str, *, create: bool = True, make_dirs: bool = False) -> sqlite3.Connection:
    """Open (creating if asked) and migrate the journal at ``path``; connections come from here.

    Folders are created only for the default location (``make_dirs``): a ``--journal`` path in
    a folder that does not exist is more likely a typo than a wish for a new folder.

    Raises EnvironmentFault for a missing or read-only folder, a file that is not a journal,
    or a journal written by a newer relapse-cli.
    """
    directory = os.path.dirname(path) or "."
    exists = os.path.exists(path)
    aside = path + ".locked-aside"  # locked.aside(): where unlock keeps the locked journal
    if not exists and os.path.exists(aside):  # an unlock was killed mid-swap:
        hold.shared(path)  # the hold's recovery puts the locked journal back
        exists = os.path.exists(path)
        if not exists:  # no note to recover by: never start an empty journal beside it
            raise EnvironmentFault(
                f"the journal was set aside as {aside} by an interrupted unlock",
                "relapse doctor --fix puts it back",
            )
    if os.path.isdir(path):
        raise EnvironmentFault(f"the journal path is a folder, not a file: {path}")
    if make_dirs and exists:
        tighten_own(directory)  # one stat(): an existing 0755 folder of ours becomes 0700
    if not exists:
        if not create:
            raise EnvironmentFault(
                f"no journal at {path}", "log something first, or check --journal"
            )
        if make_dirs:
            ensure_private_dir(directory)
        elif not os.path.isdir(directory):
            raise EnvironmentFault(
                f"the folder for the journal does not exist: {directory}",
                "create it first, or check --journal",
            )
    hold.shared(path)  # waits while lock/unlock/restore replaces the file (storage/hold.py)
    if not exists:
        old_umask = os.umask(0o077)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
        except FileExistsError:
            pass  # another process created it a moment ago: just use it
        except OSError as exc:
            raise EnvironmentFault(f"cannot create the journal at {path}: {exc.strerror}") from None
        finally:
            os.umask(old_umask)
    try:
        con, version = _connect(path)
    except database_errors() as exc:
        if not (exists and read_only_place(path)):
            raise _explain(path, exc) from None
        con, version = _connect_read_only(path)
    if version != SCHEMA_VERSION:
        from relapse_cli.storage.migrations import migrate

        try:
            migrate(con, path, from_version=version)
        except BaseException as exc:
            con.close()
            if isinstance(exc, database_errors()):
                raise _explain(path, exc) from None
            raise
    return con


def read_only_place(path: str) -> bool:
    """Is the journal on read-only media (or in a folder/file we may not write)? access(2)
    says EROFS for W_OK on a read-only mount even to root."""
    return not (os.access(path, os.W_OK) and os.access(os.path.dirname(path) or ".", os.W_OK))


def connect_read_only(path: str) -> sqlite3.Connection:
    """A read-only connection that also opens a WAL journal on read-only media.

    ``mode=ro`` first; when SQLite cannot create the -shm it needs for a WAL file there,
    ``immutable=1`` (nothing can change a file on read-only media, so no locking is needed).
    """
    uri_path = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    last: Exception | None = None
    for query in ("mode=ro", "immutable=1"):
        con = sqlite3.connect(f"file:{uri_path}?{query}", uri=True, isolation_level=None)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            con.close()
            last = exc
            continue
        con.row_factory = sqlite3.Row
        return con
    assert last is not None  # the loop returns, or it failed both ways and kept the error
    raise last


def _connect_read_only(path: str) -> tuple[sqlite3.Connection, int]:
    """Reading commands on read-only media: they work; a write fails with one clear line."""
    try:
        con = connect_read_only(path)
        version = con.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise _explain(path, exc) from None
    if version != SCHEMA_VERSION:
        con.close()
        raise EnvironmentFault(
            f"the journal at {path} is read-only and needs an upgrade "
            f"(schema {version}, this relapse-cli writes {SCHEMA_VERSION})",
            "copy it somewhere writable, or use a matching relapse-cli",
        )
    return con, version


def database_errors() -> tuple[type[Exception], ...]:
    """sqlite3's errors, plus SQLCipher's when a locked journal loaded it (not a subclass)."""
    cipher = sys.modules.get("sqlcipher3")
    return (sqlite3.DatabaseError,) + ((cipher.DatabaseError,) if cipher is not None else ())


def _wal(con: sqlite3.Connection) -> str:
    """``PRAGMA journal_mode=WAL``, waiting like the busy timeout does. Switching a journal
    that is not yet in WAL (one just restored, or a locked one put back after an interrupted
    unlock) needs SQLite's exclusive lock, and two commands opening it at once made one of
    them answer "busy" instead of waiting (found by benchmarks/trust.py swap)."""
    for attempt in range(BUSY_TIMEOUT_MS // 20):
        try:
            return str(con.execute("PRAGMA journal_mode=WAL").fetchone()[0])
        except Exception as exc:  # sqlite3's or SQLCipher's OperationalError
            text = str(exc)
            if (
                "locked" not in text and "busy" not in text
            ) or attempt + 1 >= BUSY_TIMEOUT_MS // 20:
                raise
        import time

        time.sleep(0.02)
    raise AssertionError("unreachable")


def _has_foreign_tables(con: sqlite3.Connection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()
    return bool(row[0])


def _explain(path: str, exc: Exception) -> EnvironmentFault:
    text = str(exc)
    if "not a database" in text or "malformed" in text or "journal_mode" in text:
        return EnvironmentFault(f"{path} is not a relapse journal (or it is damaged)")
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return EnvironmentFault(f"cannot write the journal at {path} (read-only or missing folder)")
    if "locked" in text or "busy" in text:
        return EnvironmentFault("the journal is busy in another program; try again in a moment")
    return EnvironmentFault(f"cannot use the journal at {path}: {text}")


def explain(path: str, exc: Exception) -> EnvironmentFault:
    """Public face of the error mapping, for stores that hit an error mid-command."""
    return _explain(path, exc)

"""The optional locked journal: the same SQLite file, encrypted at rest with SQLCipher.

Threat model: protects a journal on a lost or stolen laptop, or from another account on a
shared computer. It does not protect against someone using your unlocked session, malware
running as you, or the plaintext plan mirror that ``relapse sos`` keeps for emergencies.

A locked journal has a marker file beside it (``journal.db.locked``): one stat() tells the
hot path that the journal may be encrypted, so unlocked journals never import sqlcipher3 or
derive a key. Whether it *is* encrypted is read from the file's header (``is_locked``), so the
moment the state changes is the one rename of the file itself, not the marker's creation or
removal. Both whole-file changes run under the exclusive hold (``storage/hold.py``).
The passphrase comes from ``RELAPSE_PASSPHRASE_FILE`` or is asked on the terminal.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from relapse_cli.core.errors import BadInput, EnvironmentFault

ENV_PASSPHRASE_FILE = "RELAPSE_PASSPHRASE_FILE"  # noqa: S105 - a variable name, not a secret
MIN_PASSPHRASE = 8


def marker(path: str) -> str:
    return path + ".locked"


SQLITE_HEADER = b"SQLite format 3\x00"
LEFTOVERS = (".locking", ".unlocking")  # temporary files of lock/unlock (plaintext: unlocking)


def encrypted_header(path: str) -> bool:
    """Is the file's first page not plain SQLite? (SQLCipher starts with a random salt.)"""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return len(head) == 16 and head != SQLITE_HEADER


def is_locked(path: str) -> bool:
    """Locked = the marker says so AND the file's header agrees.

    The marker alone is not trusted: ``lock`` writes it before the file is replaced and
    ``unlock`` removes it after, so a crash between the two leaves a marker beside a plain
    file; the header is what the file really is. Without a marker a non-SQLite file is simply
    damaged (not asked for a passphrase).
    """
    return os.path.exists(marker(path)) and encrypted_header(path)


def driver() -> Any:
    """The sqlcipher3 module, or a clear line on how to get it."""
    try:
        import sqlcipher3
    except ImportError:
        raise EnvironmentFault(
            "locking needs the optional SQLCipher driver",
            "pip install 'relapse-cli[lock]'",
        ) from None
    return sqlcipher3


def read_passphrase_file(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read(64 * 1024).rstrip("\n")  # bounded: a passphrase, not /dev/zero
    except OSError as exc:
        raise BadInput(f"cannot read the passphrase file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise BadInput(f"the passphrase file {path} is not UTF-8 text") from None
    if not text:
        raise BadInput(f"the passphrase file {path} is empty")
    return text


def passphrase_for_open() -> str:
    """The passphrase to open a locked journal: from the env file, else asked on a terminal."""
    env_file = os.environ.get(ENV_PASSPHRASE_FILE)
    if env_file:
        return read_passphrase_file(env_file)
    import sys

    if sys.stdin is None or not sys.stdin.isatty():
        raise BadInput(
            "the journal is locked and there is no terminal to ask for the passphrase",
            f"set {ENV_PASSPHRASE_FILE} to a file holding it",
        )
    import getpass

    return getpass.getpass("Journal passphrase: ")


def quiet(con: Any) -> None:
    """Silence SQLCipher's own log (process-wide): a wrong passphrase otherwise prints three
    "ERROR CORE ... hmac check failed" lines on stderr before relapse's one line. Kept with
    RELAPSE_DEBUG=1 for whoever is debugging the driver."""
    if os.environ.get("RELAPSE_DEBUG") != "1":
        con.execute("PRAGMA cipher_log_level = NONE")


def _key(con: Any, passphrase: str) -> None:
    con.execute("PRAGMA key = " + _quote(passphrase))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect_locked(path: str, passphrase: str, timeout: float) -> Any:
    """An SQLCipher connection to a locked journal, checked to open with this passphrase."""
    sqlcipher3 = driver()
    con = sqlcipher3.connect(path, timeout=timeout, isolation_level=None)
    quiet(con)
    _key(con, passphrase)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        con.close()
        raise BadInput("wrong passphrase (or the locked journal is damaged)") from None
    con.row_factory = sqlcipher3.Row
    _KEYS[path] = passphrase
    return con


_KEYS: dict[str, str] = {}  # for this command only: copies it must open with the same key


def attach_clause(journal: str, copy: str) -> str:
    """The KEY clause to ATTACH ``copy`` to a connection to ``journal`` ("" for a plain
    journal and a plain copy). Each encrypted file has its own salt, so attaching without
    a KEY (reuse the main key) does not open a copy encrypted separately."""
    plain_copy = not encrypted_header(copy)
    if journal not in _KEYS:
        if plain_copy:
            return ""
        raise EnvironmentFault(f"{copy} is encrypted (made while the journal was locked)",
                               "delete that copy yourself, or lock, purge again, unlock")  # fmt: skip
    return " KEY ''" if plain_copy else " KEY " + _quote(_KEYS[journal])


def _convert(source: str, target: str, *, src_key: str | None, dst_key: str | None) -> None:
    """Copy a whole journal between plaintext and encrypted form (sqlcipher_export)."""
    sqlcipher3 = driver()
    con = sqlcipher3.connect(source, isolation_level=None)
    quiet(con)
    try:
        if src_key is not None:
            _key(con, src_key)
        version = con.execute("PRAGMA user_version").fetchone()[0]
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute(f"ATTACH DATABASE ? AS target KEY {_quote(dst_key or '')}", (target,))
        con.execute("SELECT sqlcipher_export('target')")
        con.execute(f"PRAGMA target.user_version = {int(version)}")
        con.execute("DETACH DATABASE target")
    except sqlcipher3.DatabaseError as exc:
        raise EnvironmentFault(f"could not convert the journal: {exc}") from None
    finally:
        con.close()
    os.chmod(target, 0o600)


def _fsync_path(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap(path: str, new_file: str) -> None:
    """Put ``new_file`` in the journal's place in one rename, durably.

    Runs under the exclusive hold, so nobody else has the journal open; the old file was
    checkpointed, so its -wal is empty and goes first (a crash before the rename then loses
    nothing, and the new file never meets the old file's WAL).
    """
    _fsync_path(new_file)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    os.replace(new_file, path)
    _fsync_path(os.path.dirname(path) or ".")


def _checkpoint_plain(path: str) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def _remove(path: str) -> bool:
    try:
        os.remove(path)
    except FileNotFoundError:
        return False
    return True


def lock(path: str, passphrase: str) -> None:
    """Encrypt the journal in place (through a temporary file beside it).

    Crash points: before the rename the journal is still plain (the marker, written first,
    only means "check the header"); after it, the journal is encrypted. Either opens.
    The caller holds the exclusive hold (``hold.exclusive``).
    """
    if is_locked(path):
        raise BadInput("the journal is already locked")
    check_passphrase(passphrase)
    _checkpoint_plain(path)
    tmp = path + ".locking"
    _remove(tmp)
    old = os.umask(0o077)
    try:
        _convert(path, tmp, src_key=None, dst_key=passphrase)
        with open(marker(path), "w", encoding="utf-8") as fh:
            fh.write("This journal is encrypted with SQLCipher. Unlock: relapse unlock\n")
            fh.flush()
            os.fsync(fh.fileno())
        _swap(path, tmp)
    except BaseException:
        _remove(tmp)
        if not encrypted_header(path):
            _remove(marker(path))
        raise
    finally:
        os.umask(old)


def unlock(path: str, passphrase: str) -> None:
    """Decrypt the journal in place; the marker goes last, once the plain file is in place.

    The plain temporary copy (``.unlocking``) is the one place plaintext of a locked journal
    is written; a Python-level failure removes it here, a kill leaves the hold's note behind
    and the next relapse command (or ``doctor``) removes it (``recover``).
    The caller holds the exclusive hold (``hold.exclusive``).
    """
    if not is_locked(path):
        raise BadInput("the journal is not locked")
    connect_locked(path, passphrase, 10).close()  # wrong passphrase: nothing changes
    tmp = path + ".unlocking"
    _remove(tmp)
    old = os.umask(0o077)
    try:
        _convert(path, tmp, src_key=passphrase, dst_key=None)
        _swap(path, tmp)
        _remove(marker(path))
    except BaseException:
        _remove(tmp)
        raise
    finally:
        os.umask(old)


def encrypt_copies(copies: list[str], passphrase: str) -> list[str]:
    """``lock``: encrypt the plain copies the tool keeps (backups/, before-restore,
    pre-migration) with the same passphrase, each in one rename; returns those encrypted.

    A plain copy beside a locked journal would leave every word readable on a lost laptop.
    """
    done = []
    old = os.umask(0o077)
    try:
        for copy in copies:
            if encrypted_header(copy):
                continue
            tmp = copy + ".locking"
            _remove(tmp)
            try:
                _convert(copy, tmp, src_key=None, dst_key=passphrase)
                _fsync_path(tmp)
                for suffix in ("-wal", "-shm"):
                    _remove(copy + suffix)
                os.replace(tmp, copy)
            finally:
                _remove(tmp)
            done.append(copy)
    finally:
        os.umask(old)
    return done


def leftovers(path: str) -> list[str]:
    """Files an interrupted lock/unlock/restore left beside the journal, and a stale marker."""
    import glob

    found = [path + s for s in LEFTOVERS if os.path.exists(path + s)]
    found += sorted(glob.glob(glob.escape(path) + ".before-restore-*.bak.partial*"))  # restore
    if os.path.exists(marker(path)) and not encrypted_header(path):
        found.append(marker(path))
    return found


def recover(path: str, operation: str) -> list[str]:
    """After a killed lock/unlock/restore: remove its temporary files (the journal itself is
    always whole: every step that changes it is one rename). Says so on stderr."""
    import sys

    removed = [p for p in leftovers(path) if _remove(p)]
    if removed:
        names = ", ".join(os.path.basename(p) for p in removed)
        sys.stderr.write(f"relapse: an interrupted `relapse {operation}` left {names}; removed "
                         "(the journal is whole)\n")  # fmt: skip
    return removed


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BadInput(f"choose a passphrase of at least {MIN_PASSPHRASE} characters")


def encrypted_copy(con: Any, target: str) -> None:
    """Back up a locked journal without ever writing it in plaintext (same passphrase)."""
    con.execute("ATTACH DATABASE ? AS copy", (target,))  # no KEY: SQLCipher reuses the main key
    try:
        con.execute("SELECT sqlcipher_export('copy')")
        version = con.execute("PRAGMA user_version").fetchone()[0]
        con.execute(f"PRAGMA copy.user_version = {int(version)}")
    finally:
        con.execute("DETACH DATABASE copy")
    os.chmod(target, 0o600)


def is_encrypted(con: object) -> bool:
    """Whether a connection is SQLCipher's (a locked journal's), by its class's module."""
    return type(con).__module__.startswith("sqlcipher3")

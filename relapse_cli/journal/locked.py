"""The optional locked journal: the same SQLite file, encrypted at rest with SQLCipher.

Threat model: protects a journal on a lost or stolen laptop, or from another account on a
shared computer. It does not protect against someone using your unlocked session, malware
running as you, or the plaintext plan mirror that ``relapse sos`` keeps for emergencies.

A locked journal has a marker file beside it (``journal.db.locked``): one stat() tells the
hot path which driver to use, so unlocked journals never import sqlcipher3 or derive a key.
The passphrase comes from ``RELAPSE_PASSPHRASE_FILE`` or is asked on the terminal.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from relapse_cli.errors import BadInput, EnvironmentFault

ENV_PASSPHRASE_FILE = "RELAPSE_PASSPHRASE_FILE"  # noqa: S105 - a variable name, not a secret
MIN_PASSPHRASE = 8


def marker(path: str) -> str:
    return path + ".locked"


def is_locked(path: str) -> bool:
    return os.path.exists(marker(path))


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


def _key(con: Any, passphrase: str) -> None:
    con.execute("PRAGMA key = " + _quote(passphrase))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect_locked(path: str, passphrase: str, timeout: float) -> Any:
    """An SQLCipher connection to a locked journal, checked to open with this passphrase."""
    sqlcipher3 = driver()
    con = sqlcipher3.connect(path, timeout=timeout, isolation_level=None)
    _key(con, passphrase)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        con.close()
        raise BadInput("wrong passphrase (or the locked journal is damaged)") from None
    con.row_factory = sqlcipher3.Row
    return con


def _convert(source: str, target: str, *, src_key: str | None, dst_key: str | None) -> None:
    """Copy a whole journal between plaintext and encrypted form (sqlcipher_export)."""
    sqlcipher3 = driver()
    con = sqlcipher3.connect(source, isolation_level=None)
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


def _swap(path: str, new_file: str) -> None:
    for suffix in ("-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    os.replace(new_file, path)


def lock(path: str, passphrase: str) -> None:
    """Encrypt the journal in place (through a temporary file beside it)."""
    if is_locked(path):
        raise BadInput("the journal is already locked")
    check_passphrase(passphrase)
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    tmp = path + ".locking"
    if os.path.exists(tmp):
        os.remove(tmp)
    old = os.umask(0o077)
    try:
        _convert(path, tmp, src_key=None, dst_key=passphrase)
        _swap(path, tmp)
        with open(marker(path), "w", encoding="utf-8") as fh:
            fh.write("This journal is encrypted with SQLCipher. Unlock: relapse unlock\n")
    finally:
        os.umask(old)


def unlock(path: str, passphrase: str) -> None:
    """Decrypt the journal in place; the marker goes last, once the plain file is in place."""
    if not is_locked(path):
        raise BadInput("the journal is not locked")
    connect_locked(path, passphrase, 10).close()  # wrong passphrase: nothing changes
    tmp = path + ".unlocking"
    if os.path.exists(tmp):
        os.remove(tmp)
    old = os.umask(0o077)
    try:
        _convert(path, tmp, src_key=passphrase, dst_key=None)
        _swap(path, tmp)
        os.remove(marker(path))
    finally:
        os.umask(old)


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

"""The optional locked journal: the same SQLite file, encrypted at rest with SQLCipher.

Threat model: protects a journal on a lost or stolen laptop, or from another account on a
shared computer. It does not protect against someone using your unlocked session, malware
running as you, or the plaintext plan mirror that ``relapse sos`` keeps for emergencies.

A locked journal has a marker file beside it (``journal.db.locked``): one stat() tells the
hot path that the journal may be encrypted, so unlocked journals never import sqlcipher3 or
derive a key. Whether it *is* encrypted is read from the file's header (``is_locked``), so the
moment the state changes is the one rename of the file itself, not the marker's creation or
removal. Both whole-file changes run under the exclusive hold (``storage/hold.py``).
``unlock`` never gives the plaintext of a locked journal a name of its own where it can (Linux:
decrypted in memory, an unnamed file, linked in as the journal in one step); only where it
cannot does it fall back to a named plain copy that a kill can leave (see ``unlock``).
The passphrase comes from ``RELAPSE_PASSPHRASE_FILE`` or is asked on the terminal.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any, NoReturn

from relapse_cli.core.errors import BadInput, EnvironmentFault

ENV_PASSPHRASE_FILE = "RELAPSE_PASSPHRASE_FILE"  # noqa: S105 - a variable name, not a secret
MIN_PASSPHRASE = 8


def marker(path: str) -> str:
    return path + ".locked"


SQLITE_HEADER = b"SQLite format 3\x00"
LEFTOVERS = (".locking", ".unlocking")  # temporary files of lock/unlock (plaintext: unlocking,
# written only where unlock cannot use an unnamed file; see ``unlock``)


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
        raise EnvironmentFault(
            f"{copy} is encrypted (made while the journal was locked)",
            "delete that copy yourself, or lock, purge again, unlock",
        )
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
    """Decrypt the journal in place, never writing its plaintext under any other name.

    The plaintext is made in memory (``_decrypted``), written to an unnamed file in the
    journal's folder (``O_TMPFILE``: a kill leaves nothing to find) and given the journal's
    name in one step at the swap (``_swap_unnamed``). ``serialize`` comes from SQLCipher's
    C library (sqlcipher3 has no ``Connection.serialize``), so Python 3.10 takes this path too.
    Where the C API, ``O_TMPFILE`` or the ``/proc`` link is missing (not Linux, some file
    systems, a container without /proc), the old path: a named plain copy (``.unlocking``)
    swapped in by one rename, which a kill can leave behind; the next relapse command (or
    ``doctor``) removes it (``recover``).
    The caller holds the exclusive hold (``hold.exclusive``).
    """
    if not is_locked(path):
        raise BadInput("the journal is not locked")
    con = connect_locked(path, passphrase, 10)  # wrong passphrase: nothing changes
    try:
        version = int(con.execute("PRAGMA user_version").fetchone()[0])
    finally:
        con.close()
    old = os.umask(0o077)
    try:
        fd = _unnamed_file(os.path.dirname(path) or ".")
        if fd is None:
            _unlock_through_named_copy(path, passphrase)
            return
        try:
            plain = _decrypted(path, passphrase, version)
            if plain is None:
                _unlock_through_named_copy(path, passphrase)
                return
            try:
                _write_all(fd, plain)
            except OSError as exc:  # a full disk: the unnamed file vanishes with its fd
                raise EnvironmentFault(
                    f"cannot write the unlocked journal: {exc.strerror}",
                    "free some disk space; the journal is still locked and unchanged",
                ) from None
            del plain
            if not _swap_unnamed(path, fd):
                _unlock_through_named_copy(path, passphrase)
                return
        finally:
            os.close(fd)  # unlinked and unnamed unless the swap gave it the journal's name
        _remove(marker(path))
    finally:
        os.umask(old)


def _unlock_through_named_copy(path: str, passphrase: str) -> None:
    """The fallback: a plain copy named ``.unlocking`` beside the journal, then one rename."""
    tmp = path + ".unlocking"
    _remove(tmp)
    try:
        _convert(path, tmp, src_key=passphrase, dst_key=None)
        _swap(path, tmp)
        _remove(marker(path))
    except BaseException:
        _remove(tmp)
        raise


def aside(path: str) -> str:
    """Where ``unlock`` keeps the locked journal for the moment of the swap (encrypted)."""
    return path + ".locked-aside"


def present(path: str) -> bool:
    """Is there a journal at ``path``, or one an interrupted unlock set aside (put back by the
    hold's recovery as the next command opens it)?"""
    return os.path.exists(path) or os.path.exists(aside(path))


def _decrypted(path: str, passphrase: str, version: int) -> bytes | None:
    """The plain journal's bytes, made in memory: SQLCipher exports the locked journal into an
    attached ``:memory:`` database, which ``sqlite3_serialize`` turns into the bytes of a plain
    SQLite file. None where the SQLCipher library does not export that C API (sqlcipher3's
    Python API has no ``serialize``; the library it carries has)."""
    api = _CApi.load()
    if api is None:
        return None
    return api.decrypt(path, passphrase, version)


class _CApi:
    """The few SQLite C functions of the SQLCipher library sqlcipher3 carries (ctypes)."""

    OPEN_READWRITE = 0x2

    def __init__(self, lib: Any) -> None:
        import ctypes

        self.ctypes = ctypes
        p = ctypes.c_void_p
        self.open = lib.sqlite3_open_v2
        self.open.argtypes = [ctypes.c_char_p, ctypes.POINTER(p), ctypes.c_int, ctypes.c_char_p]
        self.open.restype = ctypes.c_int
        self.exec = lib.sqlite3_exec
        self.exec.argtypes = [p, ctypes.c_char_p, p, p, ctypes.POINTER(p)]
        self.exec.restype = ctypes.c_int
        self.serialize = lib.sqlite3_serialize
        self.serialize.argtypes = [
            p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_int64),
            ctypes.c_uint,
        ]
        self.serialize.restype = p
        self.free = lib.sqlite3_free
        self.free.argtypes = [p]
        self.free.restype = None
        self.errmsg = lib.sqlite3_errmsg
        self.errmsg.argtypes = [p]
        self.errmsg.restype = ctypes.c_char_p
        self.close = lib.sqlite3_close_v2
        self.close.argtypes = [p]
        self.close.restype = ctypes.c_int

    @classmethod
    def load(cls) -> _CApi | None:
        try:
            import ctypes
            import importlib

            module = importlib.import_module(driver().__name__ + "._sqlite3")
            return cls(ctypes.CDLL(module.__file__))
        except (ImportError, OSError, AttributeError, TypeError):
            return None

    def decrypt(self, path: str, passphrase: str, version: int) -> bytes:
        db = self.ctypes.c_void_p()
        try:
            if self.open(os.fsencode(path), self.ctypes.byref(db), self.OPEN_READWRITE, None):
                self._fail(db, "open")
            statements = [
                "PRAGMA cipher_log_level = NONE" if os.environ.get("RELAPSE_DEBUG") != "1" else "",
                "PRAGMA key = " + _quote(passphrase),
                "PRAGMA busy_timeout = 10000",
                "PRAGMA temp_store = MEMORY",  # no temporary file can hold a sorted plaintext
                "PRAGMA wal_checkpoint(TRUNCATE)",  # the -wal is empty before the swap drops it
                "ATTACH DATABASE ':memory:' AS plain KEY ''",
                "SELECT sqlcipher_export('plain')",
                f"PRAGMA plain.user_version = {int(version)}",
            ]
            for sql in filter(None, statements):
                if self.exec(db, sql.encode("utf-8"), None, None, None):
                    self._fail(db, sql.split(" =")[0])  # never the passphrase in a message
            size = self.ctypes.c_int64()
            data = self.serialize(db, b"plain", self.ctypes.byref(size), 0)
            if not data:
                self._fail(db, "serialize")
            try:
                image = bytearray(self.ctypes.string_at(data, size.value))
            finally:
                self.free(data)
            # Bytes 18 and 19 of the header are the file format versions: 2 marks a WAL
            # journal (sqlite.org/fileformat.html#file_format_version_numbers). The journal
            # is always WAL; written so, the first commands after the swap find it in WAL
            # already, instead of racing each other to switch it (one got "busy").
            if len(image) >= 100 and image[18] in (1, 2) and image[19] in (1, 2):
                image[18] = image[19] = 2
            return bytes(image)
        finally:
            self.close(db)  # a NULL handle is a harmless no-op

    def _fail(self, db: Any, step: str) -> NoReturn:
        text = (self.errmsg(db) or b"out of memory").decode("utf-8", "replace")
        raise EnvironmentFault(f"could not decrypt the journal ({step}): {text}")


def _unnamed_file(folder: str) -> int | None:
    """A file in ``folder`` with no name (``O_TMPFILE``) that ``/proc`` can name later; None
    where either is missing (the fallback then writes a named copy)."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag:
        return None
    try:
        fd = os.open(folder, flag | os.O_WRONLY | os.O_CLOEXEC, 0o600)
    except OSError:  # EOPNOTSUPP/EISDIR/EINVAL: this file system has no unnamed files
        return None
    if not os.path.islink(f"/proc/self/fd/{fd}"):
        os.close(fd)
        return None
    return fd


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def _swap_unnamed(path: str, fd: int) -> bool:
    """Give the unnamed plain file the journal's name, the locked journal aside meanwhile;
    False (and the locked journal back in place) where this file system will not link it.

    Crash points: before the first rename, the journal is locked and nothing else exists;
    after it, the journal is missing and the locked one is aside (``recover`` puts it back);
    after the link, the journal is the finished plain file (``recover`` drops the aside and
    the stale marker). The locked journal was checkpointed, so its -wal is empty and goes
    first. On a Python-level failure the locked journal goes back at once.
    """
    folder = os.path.dirname(path) or "."
    for suffix in ("-wal", "-shm"):
        _remove(path + suffix)
    proc_fds = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.replace(path, aside(path))
        try:
            _fsync_path(folder)
            try:  # linkat(AT_SYMLINK_FOLLOW) (os.link uses it given a dir fd): one step, whole
                os.link(str(fd), path, src_dir_fd=proc_fds)
                linked = True
            except OSError:  # e.g. EXDEV, EPERM: the caller falls back to the named copy
                linked = False
        finally:
            if not os.path.exists(path):  # not linked, or a Python-level failure before
                os.replace(aside(path), path)
                _fsync_path(folder)
    finally:
        os.close(proc_fds)
    if not linked:
        return False
    _fsync_path(folder)
    _remove(aside(path))
    _fsync_path(folder)
    return True


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
    """Files an interrupted lock/unlock/restore left beside the journal, and a stale marker.

    The locked journal set aside by an unlock (``aside``) is one of them: it goes back in the
    journal's place when the journal is missing, and goes when the plain journal is in place
    (``clear_leftovers``)."""
    import glob

    found = [path + s for s in LEFTOVERS if os.path.exists(path + s)]
    found += sorted(glob.glob(glob.escape(path) + ".before-restore-*.bak.partial*"))  # restore
    if os.path.exists(aside(path)):
        found.append(aside(path))
    if os.path.exists(marker(path)) and os.path.exists(path) and not encrypted_header(path):
        found.append(marker(path))
    return found


def clear_leftovers(path: str) -> tuple[list[str], bool]:
    """Undo what an interrupted lock/unlock/restore left: (files removed, whether the locked
    journal an unlock had set aside was put back in the journal's place).

    Journal missing and the locked one aside: an unlock was killed between its two steps, so
    the aside *is* the journal: it goes back (one rename) and stays locked. The aside beside a
    plain journal: the unlock had finished its swap; the encrypted copy goes. Beside a journal
    that is not plain it stays (reported by ``doctor``): nothing here guesses which is whose.
    """
    put_back = False
    if os.path.exists(aside(path)) and not os.path.exists(path):
        os.replace(aside(path), path)
        _fsync_path(os.path.dirname(path) or ".")
        put_back = True
    removed = []
    for left in leftovers(path):
        if left == aside(path) and encrypted_header(path):
            continue
        if _remove(left):
            removed.append(left)
    return removed, put_back


def recover(path: str, operation: str) -> list[str]:
    """After a killed lock/unlock/restore: put the journal back if an unlock had set it aside,
    and remove the temporary files (the journal itself is always whole: every step that
    changes it is one rename or one link). Says so on stderr."""
    import sys

    removed, put_back = clear_leftovers(path)
    if put_back:
        sys.stderr.write(
            f"relapse: an interrupted `relapse {operation}` left the locked journal "
            f"aside as {os.path.basename(aside(path))}; put back (still locked, "
            "whole)\n"
        )
    if removed:
        names = ", ".join(os.path.basename(p) for p in removed)
        sys.stderr.write(
            f"relapse: an interrupted `relapse {operation}` left {names}; removed "
            "(the journal is whole)\n"
        )
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

"""Backups, restores and health checks of the journal file itself."""

from __future__ import annotations

import os
import sqlite3
import stat
import time

from relapse_cli.core.errors import BadInput, EnvironmentFault
from relapse_cli.storage.version import SCHEMA_VERSION

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypedDict

    class JournalInfo(TypedDict, total=False):
        """What ``inspect_file``/``inspect_locked`` saw in a journal (``restore`` adds where
        the old one was kept). A locked journal seen without its passphrase has only
        ``integrity`` (None) and ``detail``."""

        version: int
        integrity: str | None
        is_journal: bool
        entries: int
        detail: str
        kept_old_journal_at: str


def _private_copy(source: sqlite3.Connection, target: str) -> None:
    """Copy with SQLite's online backup API (consistent even while others write), 0600; a
    locked journal's copy stays encrypted. The one copier is the migrations' backup_copy."""
    from relapse_cli.storage.migrations import backup_copy

    backup_copy(source, target)


def backup(con: sqlite3.Connection, target: str, *, force: bool = False) -> str:
    """Write a consistent copy of the open journal to ``target``; never overwrite silently."""
    if os.path.isdir(target):
        raise BadInput(f"{target} is a folder", "name a file, e.g. -o backup.db")
    if os.path.exists(target) and not force:
        raise BadInput(f"{target} already exists", "choose another name, or add --force")
    folder = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(folder):
        raise EnvironmentFault(f"the folder does not exist: {folder}")
    tmp = f"{target}.partial"
    _private_copy(con, tmp)
    os.replace(tmp, target)
    return target


def known_copies(journal: str) -> list[str]:
    """Every copy of the journal relapse-cli made itself: ``backup`` without ``-o``
    (backups/), the journal kept aside by ``restore`` and the pre-migration copy. Copies a
    person wrote elsewhere with ``backup -o`` are theirs; the tool cannot know them."""
    import glob

    folder = os.path.dirname(journal)
    base = glob.escape(journal)
    found = glob.glob(os.path.join(glob.escape(folder), "backups", "journal-*.db"))
    found += glob.glob(base + ".before-restore-*.bak") + glob.glob(base + ".v*.bak")
    return sorted(p for p in found if os.path.isfile(p))


def purge_copies(con: sqlite3.Connection, journal: str, uuids: list[str] | None) -> list[str]:
    """Take purged entries out of every copy the tool keeps; returns the copies changed.

    ``purge --all``: the copies go (they hold nothing but what was purged). Per entry: the same
    deletion as in the journal (``purge_entries``) in each copy, then VACUUM with
    secure_delete. An encrypted copy opens with the locked journal's key (attached without a
    KEY, SQLCipher reuses it); one that cannot be opened is reported, never skipped silently.
    """
    from relapse_cli.log.store.entries import purge_entries
    from relapse_cli.storage.db import database_errors
    from relapse_cli.storage.locked import attach_clause, encrypted_header, is_encrypted

    done: list[str] = []
    for copy in known_copies(journal):
        if uuids is None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                if os.path.exists(copy + suffix):
                    os.remove(copy + suffix)
            done.append(copy)
            continue
        key = attach_clause(journal, copy) if is_encrypted(con) else ""
        if not is_encrypted(con) and encrypted_header(copy):
            raise EnvironmentFault(f"the entries were removed from the journal, but {copy} is "
                                   "encrypted (made while the journal was locked)",
                                   "delete that copy yourself, or lock, purge again, unlock")  # fmt: skip
        try:
            con.execute(f"ATTACH DATABASE ? AS purge_copy{key}", (copy,))
            try:
                con.execute("PRAGMA purge_copy.secure_delete=ON")
                con.execute("BEGIN IMMEDIATE")
                try:
                    changed = purge_entries(con, uuids, schema="purge_copy")
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                if changed:
                    con.execute("VACUUM purge_copy")
                    done.append(copy)
            finally:
                con.execute("DETACH DATABASE purge_copy")
        except database_errors() as exc:
            raise EnvironmentFault(f"the entries were removed from the journal, but {copy} "
                                   f"could not be changed: {exc}",
                                   "delete that copy yourself") from None  # fmt: skip
    return done


def default_backup_path(journal: str) -> str:
    folder = os.path.join(os.path.dirname(journal), "backups")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return os.path.join(folder, time.strftime("journal-%Y%m%d-%H%M%S.db"))


def inspect_file(path: str) -> JournalInfo:
    """Read-only look at a journal file: is it SQLite, intact, ours, and which version?"""
    if not os.path.exists(path):
        raise BadInput(f"no such file: {path}")
    if os.path.isdir(path):
        raise BadInput(f"{path} is a folder, not a journal file")
    from relapse_cli.storage.db import connect_read_only

    try:
        con = connect_read_only(path)  # also on read-only media
    except sqlite3.OperationalError:  # e.g. unable to open: not the file's fault
        raise EnvironmentFault(f"cannot open {path}") from None
    except sqlite3.DatabaseError:
        raise BadInput(f"{path} is not a relapse journal (or it is damaged)") from None
    try:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        integrity = _integrity(con)
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        entries = (
            con.execute("SELECT count(*) FROM entries").fetchone()[0] if "entries" in tables else 0
        )
    except sqlite3.DatabaseError:
        raise BadInput(f"{path} is not a relapse journal (or it is damaged)") from None
    finally:
        con.close()
    return {"version": version, "integrity": integrity, "is_journal": "entries" in tables,
            "entries": entries}  # fmt: skip


def inspect_locked(path: str) -> JournalInfo:
    """doctor's look inside a locked journal: with the passphrase (RELAPSE_PASSPHRASE_FILE or
    the terminal) the same checks as a plain one; without it, "locked" is all we can say, and
    that is healthy, not damage."""
    from relapse_cli.storage.locked import connect_locked, driver, passphrase_for_open

    try:
        driver()
        secret = passphrase_for_open()
    except (BadInput, EnvironmentFault) as exc:
        return {
            "integrity": None,
            "detail": f"locked (encrypted); not looked inside: {exc.message}",
        }
    con = connect_locked(path, secret, 10)
    try:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        entries = con.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        con.close()
    return {"version": version, "integrity": integrity, "is_journal": True, "entries": entries}


def _integrity(con: sqlite3.Connection) -> str:
    """'ok', or what is damaged. A row breaking a CHECK rule is not damage (the file is
    sound; ``record_checks`` names the row), so those lines are left to that check."""
    lines = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
    damage = [line for line in lines if not line.startswith("CHECK constraint failed")]
    return "; ".join(damage) if damage and damage != ["ok"] else "ok"


def record_checks(journal: str, *, fix: bool = False) -> list[dict[str, object]]:
    """One doctor check per rule-breaking value, named (table, record id, column, value);
    one 'records' line when every value keeps the rules. ``fix`` repairs only what has a
    single right answer (journal/checks.certain_fix); the rest says how to mend it."""
    from relapse_cli.domain.rules import RULES
    from relapse_cli.storage import checks as rules_sql
    from relapse_cli.storage.db import open_journal

    try:
        con = open_journal(journal, create=False)
    except (BadInput, EnvironmentFault) as exc:
        from relapse_cli.storage import locked

        if locked.is_locked(journal):  # healthy, only closed to us (as inspect_locked says)
            return [{"check": "records", "ok": True,
                     "detail": f"locked (encrypted); not looked inside: {exc.message}"}]  # fmt: skip
        return [{"check": "records", "ok": False, "detail": exc.message}]
    try:
        bad = rules_sql.bad_values(con, RULES)
        fixed = rules_sql.fix_values(con, RULES, bad) if fix and bad else 0
        if fixed:
            bad = rules_sql.bad_values(con, RULES)
    finally:
        con.close()
    out: list[dict[str, object]] = []
    if fixed:
        out.append({"check": "records fixed", "ok": True, "detail": f"{fixed} value(s)"})
    if not bad:
        return [*out, {"check": "records", "ok": True, "detail": "every value keeps the rules"}]
    for item in bad[:50]:
        rule = rules_sql.certain_fix(item["column"], item["value"],
                                     RULES.get(item["table"], {}).get(item["column"]))  # fmt: skip
        how = (
            "relapse doctor --fix"
            if rule is not None
            else "correct it with sqlite-utils or Datasette"
        )
        out.append({"check": f"record {item['table']}", "ok": False,
                    "detail": f"{item['id']}: {item['column']} = {item['value']!r} breaks "
                              f"its rule ({how})"})  # fmt: skip
    if len(bad) > 50:
        out.append({"check": "records", "ok": False, "detail": f"{len(bad) - 50} more"})
    return out


def restore(con: sqlite3.Connection, journal: str, source: str) -> JournalInfo:
    """Replace the journal's contents with ``source`` after checking it; the old one is kept."""
    from relapse_cli.storage.locked import is_locked

    if is_locked(journal) or is_locked(source):
        raise BadInput("restore works on unlocked journals",
                       "relapse unlock, then restore, then relapse lock again")  # fmt: skip
    info = inspect_file(source)
    if not info["is_journal"] or info["version"] == 0:
        raise BadInput(f"{source} is not a relapse journal")
    if info["integrity"] != "ok":
        raise BadInput(f"{source} is damaged (integrity check: {info['integrity']})")
    if int(info["version"]) > SCHEMA_VERSION:
        raise BadInput(f"{source} comes from a newer relapse-cli", "upgrade relapse-cli first")
    kept = f"{journal}.before-restore-{time.strftime('%Y%m%d-%H%M%S')}.bak"
    partial = kept + ".partial"  # complete or absent: a killed restore leaves no half copy
    _private_copy(con, partial)
    os.replace(partial, kept)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        src.backup(con)
    finally:
        src.close()
    info["kept_old_journal_at"] = kept
    return info


def doctor(
    journal: str, settings_file: str, *, fix: bool = False, own_folder: bool = True
) -> list[dict[str, object]]:
    """Each check as {check, ok, detail}; ``fix`` repairs permissions (the only safe repair).

    The folder's mode is checked (and fixed) only when it is relapse-cli's own data folder:
    a journal kept by choice in, say, the home folder must not make us chmod the home folder.
    """
    import shutil

    checks: list[dict[str, object]] = []

    def add(name: str, ok: bool, detail: str) -> None:
        checks.append({"check": name, "ok": ok, "detail": detail})

    folder = os.path.dirname(journal)
    add("journal location", True, journal)
    from relapse_cli.storage import locked

    if fix and not os.path.exists(journal):
        locked.clear_leftovers(journal)  # an unlock killed mid-swap: the locked one goes back
    if not os.path.exists(journal):
        if os.path.exists(locked.aside(journal)):
            add("journal file", False, f"missing, but an interrupted unlock left it aside as "
                f"{locked.aside(journal)} (still locked; relapse doctor --fix, or any relapse "
                "command, puts it back)")  # fmt: skip
        else:
            add("journal file", False, "not created yet (log something to create it)")
        return checks

    try:
        info = inspect_locked(journal) if locked.is_locked(journal) else inspect_file(journal)
        if info.get("integrity") is None:  # locked, and no passphrase to look inside
            add("integrity", True, str(info["detail"]))
        else:
            add("integrity", info["integrity"] == "ok", str(info["integrity"]))
            add("schema version", info["version"] == SCHEMA_VERSION,
                f"{info['version']} (this relapse-cli writes {SCHEMA_VERSION})")  # fmt: skip
            add("entries", True, str(info["entries"]))
    except (BadInput, EnvironmentFault) as exc:
        add("integrity", False, exc.message)
    left = locked.leftovers(journal)
    if left and fix:
        locked.clear_leftovers(journal)
        left = locked.leftovers(journal)
    add("leftover files", not left,
        ", ".join(left) + " (left by an interrupted lock/unlock; relapse doctor --fix removes them)"
        if left else "none")  # fmt: skip
    wanted = [(folder, 0o700)] * own_folder + [
        (p, 0o600)
        for p in (journal, f"{journal}-wal", f"{journal}-shm", f"{journal}.hold", settings_file)
        if os.path.exists(p)
    ]
    for path, mode in wanted:
        actual = stat.S_IMODE(os.stat(path).st_mode)
        if actual != mode and fix:
            os.chmod(path, mode)
            actual = stat.S_IMODE(os.stat(path).st_mode)
        add(f"permissions {os.path.basename(path) or path}", actual == mode,
            f"{actual:04o}" + ("" if actual == mode else f" (should be {mode:04o}; relapse doctor --fix)"))  # fmt: skip
    free = shutil.disk_usage(folder).free
    add("free disk space", free > 50 * 1024 * 1024, f"{free / 1024**3:.1f} GiB")
    try:
        from relapse_cli.core.settings import load_settings

        load_settings(journal)
        add("settings", True, settings_file if os.path.exists(settings_file) else "none yet")
    except EnvironmentFault as exc:
        add("settings", False, exc.message)
    checks.extend(record_checks(journal, fix=fix))  # the value rules, row by row
    return checks

"""Streaming a caseload folder: one export at a time, only the row's figures kept.

Each export is loaded into a private in-memory journal exactly as ``relapse review FILE``
loads one (``journal.portable.merge``), and its figures come from the same functions as the
single review's dashboard (``cli.share.summary_as_of``, the screeners', withdrawal checks'
and homework's own queries): one rule for every figure. The in-memory journal is copied from
one migrated template (SQLite's backup API), so migrating costs once, not once per export.
Nothing is written into the folder; the counselor's own journal is never opened. Many
exports are read by two worker processes side by side (``read_all``), rows kept in order.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from relapse_cli.caseload.model import TREND_DAYS, Figures, Score, Unreadable
from relapse_cli.core.errors import BadInput, EnvironmentFault

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relapse_cli.insights.model import Period, Summary

EXPORT_SUFFIXES = (".json", ".age")  # what a folder is searched for


@dataclass
class Keys:
    """Passphrase files for sealed exports: a map (file name or glob → passphrase file),
    then one shared ``--passphrase-file``. Secrets are read when a file needs them."""

    default: str | None = None
    by_name: list[tuple[str, str]] = field(default_factory=list)

    def for_file(self, path: str) -> str | None:
        name = os.path.basename(path)
        for pattern, secret in self.by_name:
            if name == pattern or fnmatch.fnmatchcase(name, pattern):
                return secret
        return self.default


def load_keys(path: str | None, default: str | None) -> Keys:
    """``--keys FILE``: a TOML table ``"file name or glob" = "passphrase file"`` (relative
    paths from the key file's folder). A key file that cannot be used stops before anything
    is read: exit 2, one line."""
    keys = Keys(default=default)
    if default is not None and not os.path.isfile(default):
        raise BadInput(f"no such passphrase file: {default}")
    if path is None:
        return keys
    from relapse_cli.core.tomlread import loads

    try:
        with open(path, encoding="utf-8") as fh:
            data = loads(fh.read())
    except FileNotFoundError:
        raise BadInput(f"no such key file: {path}") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BadInput(f"{path} is not a key map ({exc})",
                       'one line per person: "sam.json.age" = "keys/sam.txt"') from None  # fmt: skip
    base = os.path.dirname(os.path.abspath(path))
    for pattern, secret in data.items():
        if not isinstance(secret, str) or not secret.strip():
            raise BadInput(f"{path}: {pattern!r} needs a passphrase file name in quotes")
        where = os.path.join(base, os.path.expanduser(secret))
        if not os.path.isfile(where):
            raise BadInput(f"{path}: no such passphrase file for {pattern!r}: {secret}")
        keys.by_name.append((pattern, where))
    return keys


def sources(args: list[str]) -> list[str]:
    """The export files named by folders (their *.json and *.age, not recursive), globs
    (for a shell that did not expand them) and file names, each once, in order given."""
    out: list[str] = []
    for arg in args:
        if os.path.isdir(arg):
            found = sorted(e.path for e in os.scandir(arg)
                           if e.is_file() and e.name.lower().endswith(EXPORT_SUFFIXES))  # fmt: skip
        elif any(c in arg for c in "*?[") and not os.path.exists(arg):
            found = sorted(glob.glob(arg))
            if not found:
                raise BadInput(f"no file matches {arg}")
        else:
            found = [arg]
        out.extend(p for p in found if p not in out)
    if not out:
        raise BadInput("no exports found (a folder is searched for *.json and *.age files)")
    return out


_TEMPLATES: dict[int, sqlite3.Connection] = {}


def _template() -> sqlite3.Connection:
    """The migrated empty journal every export is copied from: made once per process (a
    worker reads many chunks; a forked child never uses its parent's connection)."""
    from relapse_cli.storage.migrations import migrate

    pid = os.getpid()
    if pid not in _TEMPLATES:
        con = sqlite3.connect(":memory:", isolation_level=None)
        migrate(con, ":memory:", from_version=0)
        _TEMPLATES[pid] = con
    return _TEMPLATES[pid]


def _read(path: str, keys: Keys) -> dict:
    """The checked export document, or BadInput/EnvironmentFault with the one-line reason."""
    from relapse_cli.core import limits
    from relapse_cli.share.formats import jsonfmt, sealed

    try:
        with open(path, "rb") as fh:
            data = limits.read_capped(fh, limits.MAX_EXPORT_BYTES)
    except FileNotFoundError:
        raise BadInput(f"no such file: {path}") from None
    except OSError as exc:
        raise EnvironmentFault(f"cannot read {path}: {exc.strerror}") from None
    if data is None:
        raise BadInput(f"{path} is larger than {limits.MAX_EXPORT_BYTES // 2**20} MB")
    if sealed.is_sealed(data):
        secret_file = keys.for_file(path)
        if secret_file is None:
            raise BadInput(f"{path} is sealed and no passphrase was given for it",
                           "--passphrase-file FILE or --keys MAP")  # fmt: skip
        from relapse_cli.storage.locked import read_passphrase_file

        data = sealed.unseal(data, read_passphrase_file(secret_file), path)
    return jsonfmt.read(data, path)


# (the export's in-memory journal, its document, its dashboard's data, its file) -> the page
Report = Callable[[sqlite3.Connection, dict, "Summary", str], str]


class ReportFailed(Exception):
    """Writing a person's page failed (the counselor's disk, not the export): stops the run."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


class Reader:
    """Reads exports one by one; each gives its Figures (or an Unreadable with the reason).
    Use as a context manager: it holds the migrated template and a private temp folder."""

    def __init__(self, now_utc: str, keys: Keys, report: Report | None = None) -> None:
        self.now_utc, self.keys, self.report = now_utc, keys, report

    def __enter__(self) -> Reader:
        self.template = _template()
        self.folder = tempfile.mkdtemp(prefix="relapse-caseload-")  # 0700; settings only
        return self

    def __exit__(self, *exc: object) -> None:
        for name in os.listdir(self.folder):
            os.unlink(os.path.join(self.folder, name))
        os.rmdir(self.folder)

    def each(self, paths: list[str]) -> Iterator[Figures | Unreadable]:
        for path in paths:
            yield self.row(path)

    def row(self, path: str) -> Figures | Unreadable:
        """One export's figures, or the one-line reason it cannot be read."""
        try:
            return self.one(path)
        except (BadInput, EnvironmentFault) as exc:
            return Unreadable(path, exc.line())
        except (sqlite3.Error, KeyError, TypeError, ValueError) as exc:
            # a file that passed the envelope check yet holds impossible records
            return Unreadable(path, f"{path} could not be read as an export "
                                    f"({type(exc).__name__})")  # fmt: skip

    def one(self, path: str) -> Figures:
        doc = _read(path, self.keys)
        from relapse_cli.storage.checks import RulesKept

        con = sqlite3.connect(":memory:", isolation_level=None, factory=RulesKept)
        try:
            self.template.backup(con)
            con.row_factory = sqlite3.Row
            # A throwaway copy, read once: no rollback journal (a failed merge drops the copy
            # whole), and no foreign-key checks, since merge turns every reference into a
            # rowid it has just looked up or inserted, or refuses the file (_local_values).
            # The schema's CHECK constraints are the rules the import's validate has just
            # applied to every value (storage/checks: one source, tests/test_journal_rules.py
            # proves the SQL and Python forms agree), so SQLite need not ask them again.
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA foreign_keys=OFF")
            con.execute("PRAGMA ignore_check_constraints=ON")
            return self._figures(con, doc, path)
        finally:
            con.close()

    def _figures(self, con: sqlite3.Connection, doc: dict, path: str) -> Figures:
        from relapse_cli.core.settings import save_settings
        from relapse_cli.log.store.entries import write
        from relapse_cli.share.commands.share import (
            export_bounds,
            export_period,
            shared_settings,
            summary_as_of,
        )
        from relapse_cli.share.store.portable import merge

        with write(con):
            merge(con, doc["tables"], notes_included=doc.get("notes_included", True),
                  now=self.now_utc)  # fmt: skip
        since, until = export_bounds(doc)
        journal_path = os.path.join(self.folder, "journal.db")
        settings = shared_settings(doc)
        settings_file = os.path.join(self.folder, "settings.toml")
        if os.path.exists(settings_file):
            os.unlink(settings_file)
        if settings:
            save_settings(journal_path, settings)
        span = export_period(con, since, until)
        summary = summary_as_of(con, journal_path, until, span) or {}
        name = str(settings.get("name") or "").strip()
        figures = figures_of(con, doc, path, summary, span, name)
        if self.report is not None:
            from dataclasses import replace

            try:
                written = self.report(con, doc, summary, path)
            except (BadInput, EnvironmentFault) as exc:
                raise ReportFailed(exc) from None
            figures = replace(figures, report=written)
        return figures


# Reading exports side by side: each worker process has its own template and temp folder and
# reads one export at a time, so memory stays that of WORKERS exports, whatever the count.
WORKERS = 2
# Below this many exports a pool's start-up (a fork and a migrated template each) is not won back.
POOL_FROM = 6
CHUNK = 8  # exports per task: one template per task, results handed back in order


def _read_chunk(now_utc: str, keys: Keys, paths: list[str]) -> list[Figures | Unreadable]:
    with Reader(now_utc, keys) as reader:
        return [reader.row(p) for p in paths]


def read_all(paths: list[str], now_utc: str, keys: Keys,
             workers: int | None = None) -> Iterator[Figures | Unreadable]:  # fmt: skip
    """Every export's row, in the order of ``paths``: read in this process, or by ``workers``
    processes side by side (default: WORKERS where the machine has the cores and a fork, for
    POOL_FROM exports or more). The rows are the same either way (tests/test_caseload.py);
    only the time differs. Per-person pages (--html) are written by Reader.each in this
    process, since they may ask before replacing a file."""
    import multiprocessing

    if workers is None:
        fork = "fork" in multiprocessing.get_all_start_methods()
        workers = min(WORKERS, os.cpu_count() or 1) if fork and len(paths) >= POOL_FROM else 1
    if workers <= 1:
        with Reader(now_utc, keys) as reader:
            yield from reader.each(paths)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunks = [paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK)]
    context = multiprocessing.get_context("fork")  # the modules already loaded: no re-import
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending = [pool.submit(_read_chunk, now_utc, keys, chunk) for chunk in chunks]
        for future in pending:
            yield from future.result()


def _per_day(per_day: list[int], days: int) -> float | None:
    return round(sum(per_day[-days:]) / days, 2) if len(per_day) >= days else None


def figures_of(con: sqlite3.Connection, doc: dict, path: str, summary: Summary, span: Period,
               name: str) -> Figures:  # fmt: skip
    """The row's figures of one loaded export (``summary``: its dashboard's data)."""
    from relapse_cli.checkins.screeners import safety_flag

    first, last = span.first.isoformat(), span.last.isoformat()
    cravings = summary.get("cravings") or {}
    per_day = list(cravings.get("per_day") or [])
    recent = _per_day(per_day, TREND_DAYS)
    before = _per_day(per_day[:-TREND_DAYS], TREND_DAYS) if len(per_day) >= 2 * TREND_DAYS else None
    more = summary.get("more") or {}
    care = more.get("care") or {}
    homework = more.get("homework") or {}
    tasks = [t for a in homework.get("assignments") or [] for t in a["tasks"]]
    phq9, phq9_before = _two(con, "phq9", first, last)
    gad7, gad7_before = _two(con, "gad7", first, last)
    from relapse_cli.checkins.store import item9_positive_between

    flags = tuple(dict.fromkeys(
        f for f in map(safety_flag, reversed(item9_positive_between(con, first, last))) if f))  # fmt: skip
    checks = _withdrawal(con, first, last)
    recovery = summary.get("recovery") or {}
    return Figures(
        source=path,
        person=name or os.path.basename(path),
        named=bool(name),
        journal_id=doc.get("journal_id") if isinstance(doc.get("journal_id"), str) else None,
        exported_at=str(doc["exported_at"]),
        first_day=first,
        last_day=last,
        days_since_last_use=summary.get("days_since_last_use"),
        last_use_day=recovery.get("last_use_day"),
        use_days=int(summary.get("use_days") or 0),
        cravings=int(cravings.get("count") or 0),
        cravings_per_day=cravings.get("mean_per_day"),
        recent_per_day=recent,
        before_per_day=before,
        peak_craving=cravings.get("peak_intensity"),
        phq9=phq9,
        phq9_before=phq9_before,
        gad7=gad7,
        gad7_before=gad7_before,
        item9_days=flags,
        self_harm_days=tuple(
            dict.fromkeys(c["local_date"] for c in checks if "self_harm" in c["red_flags"])
        ),  # fmt: skip
        withdrawal_flags=tuple(
            _flag_words(c) for c in checks if set(c["red_flags"]) - {"self_harm"}
        ),  # fmt: skip
        meds_percent=care.get("medication_percent"),
        appointments_missed=(care.get("appointments") or {}).get("missed") if care else None,
        homework_done=sum(t["done"] for t in tasks) if tasks else None,
        homework_expected=sum(t["expected_so_far"] for t in tasks) if tasks else None,
    )


def _flag_words(check: dict) -> tuple[str, str]:
    from relapse_cli.care.model.withdrawal import red_flag_label

    return check["local_date"], ", ".join(red_flag_label(f) for f in check["red_flags"]
                                          if f != "self_harm")  # fmt: skip


def _withdrawal(con: sqlite3.Connection, first: str, last: str) -> list[dict]:
    """The period's withdrawal checks (the dashboard's own query and local-day filter)."""
    from datetime import date

    from relapse_cli.care.sections import _utc_day_bounds
    from relapse_cli.care.store.withdrawal import list_checks

    lo, hi = _utc_day_bounds(date.fromisoformat(first), date.fromisoformat(last))
    return [c for c in list_checks(con, lo, hi) if first <= c["local_date"] <= last]


def _two(
    con: sqlite3.Connection, key: str, first: str, last: str
) -> tuple[Score | None, Score | None]:
    """The latest result of the instrument up to the export's last day, and the one before."""
    from relapse_cli.checkins.screeners import load
    from relapse_cli.checkins.store import list_screenings
    from relapse_cli.core.timeparse import from_storage

    inst = load(key)
    names = [b.name for b in inst.bands]
    out: list[Score] = []
    for r in list_screenings(con, key):
        day = from_storage(r["taken_at"], int(r["utc_offset_min"])).date().isoformat()
        if day > last:
            continue
        out.append(Score(int(r["total"]), str(r["band"]),
                         names.index(r["band"]) if r["band"] in names else 0, day))  # fmt: skip
        if len(out) == 2:
            break
    return (out[0] if out else None), (out[1] if len(out) > 1 else None)

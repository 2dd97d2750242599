"""Bringing the journal to a session: ``relapse export``, ``relapse import``, ``relapse review``."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from relapse_cli.cli import complete
from relapse_cli.cli.context import AppContext
from relapse_cli.cli.options import JsonOpt, SinceOpt, UntilOpt
from relapse_cli.cli.typer_build import app_context
from relapse_cli.core.errors import BadInput, EnvironmentFault
from relapse_cli.core.text import say

if TYPE_CHECKING:
    import sqlite3
    from types import ModuleType

    from relapse_cli.insights.model import Period, Summary
    from relapse_cli.share.formats.job import ExportJob
    from relapse_cli.share.store.portable import MergeReport

DEFAULT_DAYS = {"html": 30, "tlfb": 90}  # a session report's month; a TLFB's usual 90 days
SUFFIXES = {
    ".json": "json",
    ".csv": "csv",
    ".zip": "csv",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".tlfb": "tlfb",
    ".fhir": "fhir",
}

PassphraseFileOpt = Annotated[
    str | None,
    typer.Option(
        "--passphrase-file",
        metavar="FILE",
        help="Read the passphrase from the first line of FILE instead of asking.",
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")]


class AsOf(AppContext):
    """A journal connection seen from a fixed moment (the end of an exported period)."""

    def __init__(self, con: sqlite3.Connection, journal_path: str, when: datetime) -> None:
        from relapse_cli.core.clock import FakeClock

        super().__init__(clock=FakeClock(when), interactive=False)
        self._shared = con
        self._path = journal_path

    def connect(self, *, create: bool = True) -> sqlite3.Connection:  # noqa: ARG002
        return self._shared

    @property
    def journal_path(self) -> str:
        return self._path

    def close(self) -> None:
        pass


def summary_as_of(
    con: sqlite3.Connection, journal_path: str, when: datetime, period: Period | None = None
) -> Summary:
    """The summary dashboard's figures (``relapse summary``) as they stood at ``when``, over
    ``period`` (a domain.insights.Period; default the 30 days to ``when``)."""
    from relapse_cli.insights.summary import build_summary

    return build_summary(AsOf(con, journal_path, when), period)


def export_period(con: sqlite3.Connection, since: datetime | None, until: datetime) -> Period:
    """The export's own period as a dashboard period (``review``): its first day (or the
    first record's) to its last. Nothing before it was exported, so there is no previous
    period to compare with (kind "all")."""
    from relapse_cli.insights.model import Period
    from relapse_cli.insights.period import first_day

    first, last = first_day(con, since, until), until.date()
    return Period(min(first, last), last, "the exported period", "all")


def ask_passphrase(app: AppContext, passphrase_file: str | None, *, twice: bool) -> str:
    if passphrase_file:
        from relapse_cli.storage.locked import read_passphrase_file

        return read_passphrase_file(passphrase_file)
    if not app.interactive:
        raise BadInput("no terminal to ask for a passphrase", "use --passphrase-file FILE")
    from relapse_cli.core.prompter import TerminalPrompter

    if isinstance(app.prompter, TerminalPrompter):
        import getpass

        def ask(question: str) -> str:
            return getpass.getpass(question + ": ", stream=sys.stderr)
    else:
        ask = app.prompter.ask
    first = ask("Passphrase for the sealed file" + (" (8+ characters)" if twice else ""))
    if twice:
        if len(first) < 8:
            raise BadInput("choose a passphrase of at least 8 characters; nothing was written")
        if ask("Same passphrase again") != first:
            raise BadInput("the two passphrases differ; nothing was written")
    if not first:
        raise BadInput("no passphrase given")
    return first


def may_replace(app: AppContext, path: str, force: bool, folder_hint: str = "name a file") -> None:
    """-o never silently overwrites: ask on a terminal, else refuse without --force."""
    if force or not os.path.lexists(path):
        return
    if os.path.isdir(path):
        raise BadInput(f"{path} is a folder", folder_hint)
    if not app.interactive:
        raise BadInput(f"{path} already exists", "add --force to replace it")
    answer = app.prompter.ask(f"{path} already exists. Replace it? Type yes")
    if answer.strip().lower() not in ("yes", "y"):
        raise BadInput(f"{path} was kept; nothing was written")


def read_export(app: AppContext, source: str, passphrase_file: str | None) -> dict:
    """A JSON export (sealed or not) as a checked document."""
    from relapse_cli.core import limits
    from relapse_cli.share.formats import jsonfmt, sealed

    try:
        with open(source, "rb") as fh:
            data = limits.read_capped(fh, limits.MAX_EXPORT_BYTES)
    except FileNotFoundError:
        raise BadInput(f"no such file: {source}") from None
    except IsADirectoryError:
        raise BadInput(f"{source} is a folder, not an export file") from None
    except OSError as exc:
        raise EnvironmentFault(f"cannot read {source}: {exc.strerror}") from None
    if data is None:  # e.g. /dev/zero, or a whole disk image given by mistake
        raise BadInput(
            f"{source} is larger than {limits.MAX_EXPORT_BYTES // 2**20} MB; "
            "a relapse-cli export is far smaller",
            "check you chose the right file",
        )
    if sealed.is_sealed(data):
        data = sealed.unseal(data, ask_passphrase(app, passphrase_file, twice=False), source)
    return jsonfmt.read(data, source)


def _period(
    app: AppContext,
    fmt: str,
    since: str | None,
    until: str | None,
    since_last: bool,
    con: sqlite3.Connection,
) -> tuple[datetime | None, datetime]:
    from relapse_cli.core.timeparse import from_storage, parse_bound

    clock = app.clock
    hi = parse_bound(until, clock, end=True) if until else clock.now()
    lo: datetime | None = None
    if since_last:
        if since:
            raise BadInput("use --since or --since-last-session, not both")
        from relapse_cli.share.store.sessions import last_session

        last = last_session(con)
        if last is None:
            raise BadInput(
                "no export has been marked as a session yet",
                "add --session to the export you bring to a session",
            )
        # That export ran up to its own moment, inclusive: start just after it.
        lo = from_storage(last["exported_at"], last["utc_offset_min"]) + timedelta(seconds=1)
    elif since:
        lo = parse_bound(since, clock, end=False)
    elif fmt in DEFAULT_DAYS:
        from relapse_cli.insights.period import first_day

        start = (hi - timedelta(days=DEFAULT_DAYS[fmt] - 1)).date()
        start = max(start, min(first_day(con, None, hi), hi.date()))
        lo = clock.localize(datetime(start.year, start.month, start.day))
    if lo is not None and lo > hi:
        raise BadInput("the period starts after it ends (check --since and --until)")
    return lo, hi


def export_cmd(
    ctx: typer.Context,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="json, csv, md, html, tlfb or fhir (default: from -o's ending, else json).",
            autocompletion=complete.formats,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Write here (0600) instead of printing (- prints); csv: one kind to stdout or "
            "FILE.csv, several to FILE.zip or a FOLDER.",
        ),
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    since_last_session: Annotated[
        bool,
        typer.Option("--since-last-session", help="From the last export marked with --session."),
    ] = False,
    since_last_appointment: Annotated[
        bool,
        typer.Option(
            "--since-last-appointment",
            help="From your last appointment (relapse appointments).",
        ),
    ] = False,
    session: Annotated[
        bool,
        typer.Option("--session", help="Mark this export as the one brought to a session."),
    ] = False,
    no_notes: Annotated[
        bool,
        typer.Option(
            "--no-notes",
            help="Leave out the free-text note of every record (a thought record, plan or "
            "reflection answer stays: leave its kind out with --kinds).",
        ),
    ] = False,
    kinds: Annotated[
        list[str] | None,
        typer.Option(
            "--kinds",
            "-k",
            metavar="KIND",
            help="Only these kinds (repeat or commas): craving, mood, trigger, use, "
            "checkins, screeners, thoughts, breathing, plan, meds, ... (an unknown word lists all).",
        ),
    ] = None,
    include_hidden: Annotated[
        bool, typer.Option("--include-hidden", help="Also entries you hid with delete (json).")
    ] = False,
    encrypt: Annotated[
        bool, typer.Option("--encrypt", help="Seal the file with a passphrase (age).")
    ] = False,
    passphrase_file: PassphraseFileOpt = None,
    force: ForceOpt = False,
) -> None:
    """Export for a session or another tool: json, csv, md, html (the report), tlfb, fhir."""
    from relapse_cli.core.settings import load_settings
    from relapse_cli.core.timeparse import to_storage, utc_text
    from relapse_cli.share.formats import codec
    from relapse_cli.share.formats.job import ExportJob
    from relapse_cli.share.store import portable

    app = app_context(ctx)
    if fmt is None:
        suffix = os.path.splitext(output or "")[1].lower()
        fmt = SUFFIXES.get(suffix, "csv" if output and output.endswith(os.sep) else "json")
    module = codec(fmt)
    fmt = module.__name__.rsplit(".", 1)[1].replace("fmt", "")
    if include_hidden and fmt != "json":
        raise BadInput("--include-hidden is for --format json (a full copy to import)")
    con = app.connect(create=False)
    chosen = portable.check_kinds(con, kinds) if kinds else None
    lo, hi = _period(app, fmt, since, until, since_last_session, con)
    if since_last_appointment:
        from relapse_cli.care.periods import since_last_appointment as last_appt

        lo = last_appt(app, con, clash=bool(since or since_last_session))
    selection = portable.Selection(
        since=utc_text(lo) if lo else None,
        until=utc_text(hi),
        kinds=chosen,
        notes=not no_notes,
        hidden=include_hidden,
    )
    settings = load_settings(app.journal_path)
    job = ExportJob(
        con=con,
        selection=selection,
        now=app.clock.now(),
        since=lo,
        until=hi,
        settings=settings,
        person=str(settings.get("name") or "me"),
    )
    if getattr(module, "NEEDS_SUMMARY", False):
        job.summary = summary_as_of(con, app.journal_path, hi)
    secret = ask_passphrase(app, passphrase_file, twice=True) if encrypt else None
    where = _write(app, module, job, output, force, secret)
    if session:
        from relapse_cli.share.store.sessions import mark_session

        stamp, offset = to_storage(job.now)
        mark_session(con, stamp, offset, selection.since, selection.until or stamp, fmt)
    if where:
        note = " Marked as this session's export." if session else ""
        sealed_note = " Sealed with your passphrase." if secret else ""
        say(f"Exported to {where} (private: only you can read it).{sealed_note}{note}")
    say_set_aside(portable.set_aside(con, selection))


class _DryRun(Exception):
    """Raised inside the import's transaction to roll back a --dry-run."""


def import_cmd(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="FILE", help="A JSON export (sealed or not).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; change nothing.")
    ] = False,
    passphrase_file: PassphraseFileOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Merge a JSON export into your journal: matched by id, newer edits win, run twice safely."""
    from relapse_cli.core.timeparse import utc_text
    from relapse_cli.share.store.portable import merge
    from relapse_cli.storage.records import write

    app = app_context(ctx)
    doc = read_export(app, source, passphrase_file)
    con = app.connect()

    report = None
    try:
        with write(con):
            report = merge(
                con,
                doc["tables"],
                notes_included=doc.get("notes_included", True),
                now=utc_text(app.clock.now()),
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    assert report is not None
    if not dry_run and "plan_items" in doc["tables"]:  # keep the sos copy in step (issue 6)
        from relapse_cli.plan.mirroring import sync_mirror

        sync_mirror(app)
    if as_json:
        from relapse_cli.render.console import print_json

        print_json({"dry_run": dry_run, **report.as_dict()})
        return
    say(_report_line(report, dry_run))


def review_cmd(
    ctx: typer.Context,
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE|DIR...",
            help="Someone's JSON export (sealed or not); a folder, several "
            "files or a glob: the caseload, who needs attention first.",
        ),
    ],
    html: Annotated[
        str | None,
        typer.Option(
            "--html",
            metavar="OUT",
            help="Also write the session report here "
            "(a caseload: its page, each person's report beside it).",
        ),
    ] = None,
    passphrase_file: PassphraseFileOpt = None,
    keys: Annotated[
        str | None,
        typer.Option(
            "--keys",
            metavar="FILE",
            help="A caseload's sealed exports: a TOML "
            'map, "file name or glob" = "passphrase file".',
        ),
    ] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="A caseload as CSV.")] = False,
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="A caseload's --json or --csv into FILE (0600).",
        ),
    ] = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """For a counselor: the dashboard of someone's export, or a caseload of many, without
    touching your journal."""
    from relapse_cli.caseload.command import Options, is_caseload, run

    app = app_context(ctx)
    if is_caseload(sources):
        run(app, sources, Options(html, as_json, as_csv, output, passphrase_file, keys, force))
        return
    if as_csv or keys or output:
        raise BadInput("--csv, --keys and -o are for a caseload (a folder or several files)")
    doc = read_export(app, sources[0], passphrase_file)
    review(app, doc, html, force, as_json, sources[0])


def register(app: typer.Typer) -> None:
    """Attach ``relapse export``, ``relapse import`` and ``relapse review``."""
    app.command("export")(export_cmd)
    app.command("import")(import_cmd)
    app.command("review")(review_cmd)


def say_set_aside(n: int) -> None:
    """One line on stderr when records were left out of an export because a value breaks the
    journal's rules (written by another tool, or before the rules were in the schema): the
    export goes on without them rather than fail, and ``relapse doctor`` names each one."""
    if n:
        sys.stderr.write(
            f"relapse: {n} record{'s' * (n != 1)} left out: a value breaks the "
            f"journal's rules (relapse doctor names {'them' if n != 1 else 'it'})\n"
        )


def _report_line(report: MergeReport, dry_run: bool) -> str:
    from relapse_cli.share.store.portable import shown_kind

    added, updated = sum(report.added.values()), sum(report.updated.values())
    same = sum(report.unchanged.values())
    what = "Would add" if dry_run else "Added"
    parts = [f"{what} {added} record{'s' * (added != 1)}"]
    if report.added:
        parts[0] += (
            " ("
            + ", ".join(
                f"{n} {_record_words(shown_kind(t))}" for t, n in sorted(report.added.items())
            )
            + ")"
        )
    parts.append(f"{'would update' if dry_run else 'updated'} {updated} with a newer edit")
    parts.append(f"{same} already here")
    line = "; ".join(parts) + "."
    if report.unlinked:
        line += f" {report.unlinked} link(s) pointed at records outside the export."
    if dry_run:
        line += " Nothing was changed (dry run)."
    return line


def _record_words(kind: str) -> str:
    """What an import count is of: 'entries' for the log, the kind's word otherwise."""
    return {
        "entries": "log entries",
        "craving": "cravings",
        "mood": "moods",
        "trigger": "triggers",
        "use": "uses",
    }.get(kind, kind)


def _write(
    app: AppContext,
    module: ModuleType,
    job: ExportJob,
    output: str | None,
    force: bool,
    secret: str | None,
) -> str | None:
    """Run the codec into the right place; returns where it went (None: stdout)."""
    import io

    from relapse_cli.core.files import private_file

    export = module.export
    if output == "-":
        output = None  # the usual spelling of "print it"
    destination = getattr(module, "destination", None)
    if destination is not None:  # csv: one kind to stdout or FILE.csv, several to zip or folder
        where = destination(output)
        if where == "one":
            module.check_one(job, output or "stdout")
            export = module.export_one
        elif where == "folder" and output and secret is None:
            return module.export_folder(job, output, lambda p: may_replace(app, p, force))
    if output is None:
        if secret is not None or not getattr(module, "TO_STDOUT", False):
            raise BadInput(
                f"--format {module.__name__.rsplit('.', 1)[1].replace('fmt', '')} needs a file",
                "add -o FILE",
            )
        out = getattr(sys.stdout, "buffer", None)
        if out is not None:
            sys.stdout.flush()
            export(job, out)
            out.flush()
        else:  # a text-only stdout (tests, some IDEs)
            buf = io.BytesIO()
            export(job, buf)
            sys.stdout.write(buf.getvalue().decode("utf-8"))
        summary = getattr(module, "export_summary", None)
        if summary is not None:
            buf = io.BytesIO()
            summary(job, buf)
            sys.stderr.write(buf.getvalue().decode("utf-8"))
        return None
    path = os.path.abspath(os.path.expanduser(output))
    may_replace(app, path, force, "name a file, or use --format csv for a folder")
    with private_file(path) as fh:
        if secret is None:
            export(job, fh)
        else:
            from relapse_cli.share.formats.sealed import seal

            buf = io.BytesIO()
            export(job, buf)
            fh.write(seal(buf.getvalue(), secret))
    summary = getattr(module, "export_summary", None)
    if summary is not None:  # e.g. the TLFB file's figures, in a second file beside it
        extra = os.path.splitext(path)[0] + ".summary.txt"
        may_replace(app, extra, force)
        with private_file(extra) as fh:
            summary(job, fh)
    return path


def export_bounds(doc: dict) -> tuple[datetime | None, datetime]:
    """An export's own period (its header's since/until, else up to when it was made)."""
    from relapse_cli.core.timeparse import from_storage

    offset = int(doc.get("utc_offset_min") or 0)
    period = doc.get("period") or {}
    until = from_storage(period.get("until") or doc["exported_at"], offset)
    since = from_storage(period["since"], offset) if period.get("since") else None
    return since, until


def shared_settings(doc: dict) -> dict:
    """The settings an export carries that its dashboard reads."""
    return {
        k: v
        for k, v in (doc.get("settings") or {}).items()
        if k in ("recovery_start", "substances", "name")
    }


def write_report(con: sqlite3.Connection, doc: dict, summary: Summary | None, path: str) -> None:
    """The one-page session report of a loaded export (formats/htmlfmt.py) into ``path``, 0600."""
    from relapse_cli.core.files import private_file
    from relapse_cli.core.timeparse import from_storage
    from relapse_cli.share.formats import htmlfmt
    from relapse_cli.share.formats.job import ExportJob
    from relapse_cli.share.store.portable import Selection

    since, until = export_bounds(doc)
    job = ExportJob(
        con=con,
        selection=Selection(notes=doc.get("notes_included", True)),
        now=from_storage(doc["exported_at"], int(doc.get("utc_offset_min") or 0)),
        since=since,
        until=until,
        settings=shared_settings(doc),
        summary=summary,
    )
    with private_file(path) as fh:
        htmlfmt.export(job, fh)


def review(
    app: AppContext, doc: dict, html: str | None, force: bool, as_json: bool, source: str = "FILE"
) -> None:
    """Load an export into a private in-memory journal and show its dashboard."""
    import shlex
    import sqlite3
    import tempfile

    from relapse_cli.core.settings import save_settings
    from relapse_cli.core.timeparse import utc_text
    from relapse_cli.share.model.audience import for_clinician
    from relapse_cli.share.store.portable import merge
    from relapse_cli.storage.migrations import migrate
    from relapse_cli.storage.records import write

    con = sqlite3.connect(":memory:", isolation_level=None)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA foreign_keys=ON")
    folder = tempfile.mkdtemp(prefix="relapse-review-")  # 0700; settings only, then removed
    try:
        migrate(con, ":memory:", from_version=0)
        with write(con):
            merge(
                con,
                doc["tables"],
                notes_included=doc.get("notes_included", True),
                now=utc_text(app.clock.now()),
            )
        since, until = export_bounds(doc)
        journal_path = os.path.join(folder, "journal.db")
        settings = shared_settings(doc)
        if settings:
            save_settings(journal_path, settings)
        summary = summary_as_of(con, journal_path, until, export_period(con, since, until))
        from relapse_cli.insights.period import overview

        figures = overview(con, since, until)
        if html:
            path = os.path.abspath(os.path.expanduser(html))
            may_replace(app, path, force)
            write_report(con, doc, summary, path)
        if as_json:
            from relapse_cli.render.console import print_json

            head = {
                k: doc.get(k)
                for k in (
                    "exported_at",
                    "utc_offset_min",
                    "period",
                    "kinds",
                    "notes_included",
                    "app_version",
                )
            }
            print_json({"export": head, "summary": for_clinician(summary), "period": figures})
            return
        from relapse_cli.render.console import console
        from relapse_cli.share.view.review import review_view

        console().print(
            review_view(
                doc,
                for_clinician(summary),
                figures,
                since,
                until,
                json_hint=f"relapse review {shlex.quote(source)} --json",
            )
        )
        if html:
            say(f"Report written to {os.path.abspath(html)} (private: only you can read it).")
    finally:
        con.close()
        for name in os.listdir(folder):
            os.unlink(os.path.join(folder, name))
        os.rmdir(folder)

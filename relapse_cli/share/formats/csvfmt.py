"""One CSV per record kind: one kind to stdout or ``-o FILE.csv``; several in a zip
(``-o FILE.zip``) or a folder (``-o FOLDER``).

Headers a spreadsheet user understands, the local date and time in ISO form plus a UTC
column, numbers as plain numbers, lists (triggers, coping) joined with "; ". Records of the
newer kinds (thought records, check-ins, ...) get one file per table, column by column.
Streamed row by row, into the zip as well. Text that a spreadsheet could run as a formula
gets a leading apostrophe (``csv_cell``, the OWASP CSV-injection rule), in every CSV written.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Callable, Iterator
from typing import BinaryIO

from relapse_cli.core.timeparse import from_storage
from relapse_cli.insights import period
from relapse_cli.share.formats.job import ExportJob
from relapse_cli.share.store import portable

DESCRIPTION = "one CSV per record kind, in a zip or a folder, for spreadsheets"
SUFFIX = ".zip"
TO_STDOUT = True  # one kind only (``export_one``): a pipe gets one table, not a zip
FOLDER_OK = True

TIME = ["Date and time (local)", "UTC", "UTC offset (minutes)"]
# file name -> (entry kind, [(header, column)]); "triggers"/"coping" are the joined names.
KINDS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "cravings.csv": (
        "craving",
        [
            ("Intensity (0-10)", "intensity"),
            ("Substance", "substance"),
            ("Triggers", "trigger_names"),
            ("Where", "location"),
            ("With whom", "company"),
            ("Mood (0-10)", "mood"),
            ("Coped by", "coping_names"),
            ("Outcome", "outcome"),
            ("Intensity after (0-10)", "intensity_after"),
            ("Minutes", "duration_min"),
            ("Note", "note"),
        ],
    ),
    "moods.csv": (
        "mood",
        [
            ("Mood (0-10)", "mood"),
            ("Anxiety (0-10)", "anxiety"),
            ("Sleep (hours)", "sleep_hours"),
            ("Energy (0-10)", "energy"),
            ("Note", "note"),
        ],
    ),
    "triggers_met.csv": (
        "trigger",
        [
            ("Triggers", "trigger_names"),
            ("Pull (0-10)", "intensity"),
            ("Where", "location"),
            ("With whom", "company"),
            ("Note", "note"),
        ],
    ),
    "uses.csv": (
        "use",
        [
            ("Substance", "substance"),
            ("Amount", "amount"),
            ("Unit", "unit"),
            ("Triggers", "trigger_names"),
            ("Context", "context"),
            ("What led up to it", "led_up_to"),
            ("Note", "note"),
        ],
    ),
}
SKIP = {"entries", "export_sessions"}


# OWASP "CSV Injection": a cell whose first character is one of these is read as a formula
# (tab and carriage return too, as they may precede one: "\t=cmd|..."). Source:
# https://owasp.org/www-community/attacks/CSV_Injection
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A text cell a spreadsheet shows instead of running: a leading apostrophe when it could
    start a formula. Numbers stay numbers (a negative value is data, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return csv_cell(value)  # a note is never run as a spreadsheet formula


def _entry_rows(job: ExportJob, kind: str, columns: list[tuple[str, str]]) -> Iterator[list]:
    yield [*TIME, *(h for h, _ in columns), "Id"]
    for row in period.entries_by_day(job.con, job.since, job.until, [kind]):
        local = from_storage(row["occurred_at"], row["utc_offset_min"])
        cells = [f"{local:%Y-%m-%d %H:%M}", row["occurred_at"], row["utc_offset_min"]]
        for _, col in columns:
            value = row[col]
            if col == "note" and not job.notes:
                value = None
            cells.append(_cell(value))
        yield [*cells, row["uuid"]]


def _header(table: portable.Table, column: str) -> str:
    if column in table.fks or column.endswith("_uuid"):  # a reference: the other record's id
        return (
            column.removesuffix("_id").removesuffix("_uuid").replace("_", " ").capitalize()
            + " (id)"
        )
    if column == "utc_offset_min":
        return TIME[2]
    words = column.replace("_", " ").capitalize()
    return words + " (UTC)" if column.endswith("_at") else words


def _table_rows(job: ExportJob, table: portable.Table, where: str | None) -> Iterator[list]:
    """Column by column, like the entry files: the record's own time first, as local date and
    time, UTC and offset; the other columns in table order; its id last."""
    names = [c.name for c in table.portable_columns]
    timed = table.time is not None and "utc_offset_min" in names
    rest = [c for c in names if c != "uuid" and not (timed and c in (table.time, "utc_offset_min"))]
    yield [*(TIME if timed else []), *(_header(table, c) for c in rest), "Id"]
    for row in portable.rows(job.con, table, where, job.selection):
        cells = []
        if timed:
            offset = row["utc_offset_min"] or 0
            local = from_storage(row[table.time], offset) if row[table.time] else None
            cells = [f"{local:%Y-%m-%d %H:%M}" if local else "", row[table.time], offset]
        yield [*cells, *(_cell(row[c]) for c in rest), row["uuid"]]


def files(job: ExportJob) -> Iterator[tuple[str, Iterator[list]]]:
    """Each CSV file of the export with its rows (header first), lazily."""
    kinds = job.selection.kinds
    for name, (kind, columns) in KINDS.items():
        if kinds is None or kind in kinds:
            yield name, _entry_rows(job, kind, columns)
    tables = [t for t, _ in portable.plan(job.con, job.selection)]
    vocab = {p for t in tables if t.is_link for p in t.fks.values()}
    for table, where in portable.plan(job.con, job.selection):
        if table.is_link or table.name in SKIP or table.name in vocab:
            continue
        # The four log kinds always come (a spreadsheet user expects them); other record
        # kinds only when the period holds some, so a folder is not a pile of empty files
        # (a kind named with --kinds always comes: asked for, an empty table is the answer).
        chosen = kinds is not None and table.name in kinds
        if not chosen and portable.count(job.con, table, where) == 0:
            continue
        yield f"{table.name}.csv", _table_rows(job, table, where)


def destination(output: str | None) -> str:
    """Where ``-o`` sends a CSV export: ``"one"`` (stdout for None or ``-``, or a FILE.csv:
    one kind, one plain CSV a pipe or spreadsheet takes), ``"zip"`` (FILE.zip) or
    ``"folder"`` (anything else: a FOLDER of one file per kind)."""
    if output is None or output == "-":
        return "one"
    if output.endswith(os.sep) or os.path.isdir(output):
        return "folder"
    lower = output.lower()
    if lower.endswith(".zip"):
        return "zip"
    if lower.endswith(".csv"):
        return "one"
    return "folder"


def check_one(job: ExportJob, where: str) -> str:
    """The name of the one CSV this export makes; BadInput when it makes several (before
    anything is written: one CSV stream cannot hold two tables with different columns)."""
    from relapse_cli.core.errors import BadInput

    names = [name for name, _ in files(job)]
    if len(names) == 1:
        return names[0]
    shown = ", ".join(n.removesuffix(".csv") for n in names) or "none"
    raise BadInput(
        f"{where} takes one kind of record as CSV; this export has {len(names)} ({shown})",
        "choose one with -k KIND, or name a FOLDER or FILE.zip with -o",
    )


def export_one(job: ExportJob, out: BinaryIO) -> None:
    """The export's single CSV (see ``check_one``), written straight to ``out``."""
    check_one(job, "this output")
    _name, rows = next(files(job))
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    csv.writer(text).writerows(rows)
    text.flush()
    text.detach()


def export(job: ExportJob, out: BinaryIO) -> None:
    """Every CSV of the export in one zip (0600 entries, the export's time as their date)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, rows in files(job):
            info = zipfile.ZipInfo(name, date_time=job.now.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            with zf.open(info, "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                csv.writer(text).writerows(rows)
                text.flush()
                text.detach()


def export_folder(job: ExportJob, folder: str, may_replace: Callable[[str], None]) -> str:
    from relapse_cli.core.files import private_file, private_folder

    folder = os.path.abspath(os.path.expanduser(folder))
    private_folder(folder)
    plan = list(files(job))
    for name, _ in plan:
        may_replace(os.path.join(folder, name))
    for name, rows in plan:
        with private_file(os.path.join(folder, name)) as fh:
            text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
            csv.writer(text).writerows(rows)
            text.flush()
            text.detach()
    return folder

"""``relapse review DIR`` / several files / a glob: read, order, show or write the caseload."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from relapse_cli.caseload import model
from relapse_cli.core.errors import BadInput
from relapse_cli.core.text import say

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3

    from relapse_cli.cli.context import AppContext
    from relapse_cli.insights.model import Summary


@dataclass
class Options:
    html: str | None = None
    as_json: bool = False
    as_csv: bool = False
    output: str | None = None
    passphrase_file: str | None = None
    keys: str | None = None
    force: bool = False


def is_caseload(args: list[str]) -> bool:
    """More than one file, a folder or a glob: the caseload. One file: the single review."""
    if len(args) != 1:
        return True
    arg = args[0]
    return os.path.isdir(arg) or (any(c in arg for c in "*?[") and not os.path.exists(arg))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "export"


def run(app: AppContext, args: list[str], opts: Options) -> None:
    from relapse_cli.caseload.reader import Reader, ReportFailed, load_keys, read_all, sources
    from relapse_cli.core.timeparse import utc_text
    from relapse_cli.share.commands.share import may_replace

    if opts.as_json and opts.as_csv:
        raise BadInput("use --json or --csv, not both")
    if opts.output and not (opts.as_json or opts.as_csv):
        raise BadInput("-o is for --json or --csv", "the page is written with --html OUT")
    paths = sources(args)
    keys = load_keys(opts.keys, opts.passphrase_file)
    now = app.clock.now()
    targets = [p for p in (opts.html, opts.output) if p]
    for target in targets:
        may_replace(app, os.path.abspath(os.path.expanduser(target)), opts.force)
    page = os.path.abspath(os.path.expanduser(opts.html)) if opts.html else None
    written: list[str] = []

    def report(con: sqlite3.Connection, doc: dict, summary: Summary, path: str) -> str:
        assert page is not None
        name = (
            f"{os.path.splitext(os.path.basename(page))[0]}-{len(written) + 1:03d}-"
            f"{_slug(os.path.basename(path))}.html"
        )
        _person_report(
            app, con, doc, summary, os.path.join(os.path.dirname(page), name), opts.force
        )
        written.append(name)
        return name

    figures: list[model.Figures] = []
    unreadable: list[model.Unreadable] = []
    if page and not os.path.isdir(os.path.dirname(page)):
        raise BadInput(f"the folder does not exist: {os.path.dirname(page)}")
    try:
        if page:
            with Reader(utc_text(now), keys, report) as reader:
                items_read = list(reader.each(paths))
        else:
            items_read = list(read_all(paths, utc_text(now), keys))
    except ReportFailed as exc:
        raise exc.error from None
    for item in items_read:
        if isinstance(item, model.Unreadable):
            unreadable.append(item)
        else:
            figures.append(item)
    items = model.ordered(model.series(figures), unreadable)
    generated = f"{now:%-d %b %Y %H:%M}"
    if page:
        _keep_linked(page, written, items)
        from relapse_cli.caseload.writers import page as html_page
        from relapse_cli.core.files import private_file

        with private_file(page) as fh:
            fh.write(html_page(items, generated).encode("utf-8"))
    if opts.as_json or opts.as_csv:
        from relapse_cli.caseload import writers

        text = (
            writers.dumps(writers.as_json(items, generated))
            if opts.as_json
            else writers.as_csv(items)
        )
        _emit(text, opts.output)
        return
    import shlex

    from relapse_cli.caseload.view import caseload_view
    from relapse_cli.render.console import console

    hint = "relapse review " + " ".join(shlex.quote(a) for a in args) + " --json"
    console().print(caseload_view(items, hint))
    if page:
        say(
            f"Caseload page written to {page}, with {len(written)} one-page "
            f"report{'s' * (len(written) != 1)} beside it (private: only you can read them)."
        )


def _emit(text: str, output: str | None) -> None:
    import sys

    if output is None or output == "-":
        sys.stdout.write(text)
        return
    from relapse_cli.core.files import private_file

    path = os.path.abspath(os.path.expanduser(output))
    with private_file(path) as fh:
        fh.write(text.encode("utf-8"))
    print(f"Written to {path} (private: only you can read it).", file=sys.stderr)


def _keep_linked(page: str, written: list[str], items: list[model.Row | model.Unreadable]) -> None:
    """Reports of an older export of a series are not linked from the page: removed again."""
    linked = {i.latest.report for i in items if isinstance(i, model.Row)}
    folder = os.path.dirname(page)
    for name in list(written):
        if name not in linked:
            os.unlink(os.path.join(folder, name))
            written.remove(name)


def _person_report(
    app: AppContext, con: sqlite3.Connection, doc: dict, summary: Summary, path: str, force: bool
) -> None:
    """The single review's one-page report of this export, 0600."""
    from relapse_cli.share.commands.share import may_replace, write_report

    may_replace(app, path, force)
    write_report(con, doc, summary, path)

"""The session report as one self-contained HTML file (see ``share/view/report_html.py``)."""

from __future__ import annotations

from typing import BinaryIO

from relapse_cli.share.formats.job import ExportJob

DESCRIPTION = "the session report: one printable page or two, charts inline, no scripts"
SUFFIX = ".html"
TO_STDOUT = True
NEEDS_SUMMARY = True


def report_data(job: ExportJob) -> dict:
    from relapse_cli.insights import period
    from relapse_cli.share.formats import sections

    kinds = job.entry_kinds
    ov = period.overview(job.con, job.since, job.until, kinds)
    return {
        "overview": ov,
        "summary": job.summary,
        "person": str(job.settings.get("name") or "").strip() or None,
        "generated": f"{job.now:%-d %b %Y %H:%M}",
        "notes_included": job.notes,
        "kinds": kinds,
        "notes": period.notes(job.con, job.since, job.until, kinds) if job.notes else ([], 0),
        "sections": sections.sections(job),
    }


def export(job: ExportJob, out: BinaryIO) -> None:
    from relapse_cli.share.view.report_html import report

    out.write(report(report_data(job)).encode("utf-8"))

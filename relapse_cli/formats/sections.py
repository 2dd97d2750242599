"""Kind-specific parts of the reports for records other than log entries.

Each kind contributes a function returning a report section (title, head, rows of
already-escaped cells) or None when there is nothing in the period: a section shows only
when it has data. Kinds whose modules are not in this version simply contribute nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from relapse_cli.formats.job import ExportJob

SECTION_BUILDERS: list[Callable[[ExportJob], dict | None]] = []


def html_sections(job: ExportJob) -> list[dict]:
    out = []
    for build in SECTION_BUILDERS:
        section = build(job)
        if section and section.get("rows"):
            out.append(section)
    return out


MARKDOWN_BUILDERS: list[Callable[[ExportJob], str | None]] = []


def markdown_sections(job: ExportJob) -> list[str]:
    return [text for build in MARKDOWN_BUILDERS if (text := build(job))]


# Kinds that add FHIR resources (e.g. screeners): each yields resource dicts with an "id".
FHIR_BUILDERS: list[Callable[[ExportJob], Iterator[dict]]] = []

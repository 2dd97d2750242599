"""Export and import codecs, one module per format behind a small registry.

Each codec module has ``DESCRIPTION``, ``SUFFIX`` (the usual file ending), ``TO_STDOUT``
(whether it may be printed) and ``export(job, out)`` writing to a binary stream; ``json``
also reads. Codecs are imported only when used.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from relapse_cli.core.errors import BadInput

FORMATS: dict[str, str] = {
    "json": "relapse_cli.share.formats.jsonfmt",
    "csv": "relapse_cli.share.formats.csvfmt",
    "md": "relapse_cli.share.formats.mdfmt",
    "html": "relapse_cli.share.formats.htmlfmt",
    "tlfb": "relapse_cli.share.formats.tlfb",
    "fhir": "relapse_cli.share.formats.fhir",
}


def codec(name: str) -> ModuleType:
    key = name.strip().lower()
    if key == "markdown":
        key = "md"
    if key not in FORMATS:
        raise BadInput(f"unknown format {name!r}", "formats: " + ", ".join(FORMATS))
    return importlib.import_module(FORMATS[key])

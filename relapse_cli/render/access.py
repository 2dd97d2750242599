"""Is a screen reader (or a dumb terminal) reading? One answer for every command (issue 20).

On, in this order: ``RELAPSE_SCREEN_READER`` (1/on/yes, or 0/off/no to turn it off even on a
dumb terminal), ``TERM=dumb``, then the setting ``relapse config screen_reader on``. Then the
console (``render/console.py``) prints through ``render/speech.py``: no box drawing, no glyph
charts, tables as "label: value" lines, one line per breathing phase.

Only ``os`` at import: ``relapse log`` loads this on its hot path. The answer never raises: a
settings file that cannot be read means "off", so the crisis path (sos) always prints.
"""

from __future__ import annotations

import os

ENV = "RELAPSE_SCREEN_READER"
ON = ("1", "on", "yes", "true")
OFF = ("0", "off", "no", "false")


def screen_reader() -> bool:
    """Asked where output is drawn (each call: a setting changed by this process counts)."""
    raw = os.environ.get(ENV, "").strip().lower()
    if raw in ON:
        return True
    if raw in OFF:
        return False
    if os.environ.get("TERM") == "dumb":
        return True
    try:
        from relapse_cli.core.paths import JOURNAL_OPTION, journal_path
        from relapse_cli.core.settings import load_settings

        return load_settings(journal_path(JOURNAL_OPTION[0])).get("screen_reader") is True
    except Exception:  # noqa: BLE001  # never a reason for a command (sos) to fail
        return False

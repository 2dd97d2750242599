"""Where the journal and settings live.

Order: ``--journal PATH``, else ``RELAPSE_JOURNAL``, else the platform user data directory.
The default directory is computed here by hand rather than with ``platformdirs`` because
importing platformdirs costs ~20 ms (it pulls in pathlib and tempfile) and the default path is
on the hot ``relapse log`` path; ``tests/test_paths.py`` proves the two agree on this platform.
"""

from __future__ import annotations

import os
import sys

APP_NAME = "relapse-cli"
JOURNAL_FILE = "journal.db"
SETTINGS_FILE = "settings.toml"
# The packaged TOML/JSON (crisis lines, screeners, exercises, ...): one place that knows where
# it is, so a module can move between packages without its data path changing.
DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
ENV_JOURNAL = "RELAPSE_JOURNAL"
# ``--journal`` as this process was given it (None: the variable or the default); set by the
# command's context so a setting (render/access.py: screen_reader) is read from that journal.
JOURNAL_OPTION: list[str | None] = [None]


def default_data_dir() -> str:
    """The same folder ``platformdirs.user_data_dir(APP_NAME, appauthor=False)`` names."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
        return os.path.join(base, APP_NAME)
    if sys.platform == "darwin":
        return os.path.expanduser(f"~/Library/Application Support/{APP_NAME}")
    base = os.environ.get("XDG_DATA_HOME", "").strip()
    if not base:
        base = os.path.expanduser("~/.local/share")
    return os.path.join(base, APP_NAME)


def journal_path(option: str | None = None) -> str:
    """The journal file to use for this command. ``--journal ""`` is refused: silently using
    the default journal instead would write private entries where the person did not ask."""
    if option is not None and not option.strip():
        from relapse_cli.core.errors import BadInput

        raise BadInput("--journal needs a file path (it was empty)")
    chosen = option or os.environ.get(ENV_JOURNAL) or os.path.join(default_data_dir(), JOURNAL_FILE)
    return os.path.abspath(os.path.expanduser(chosen))


def settings_path(journal: str) -> str:
    """Settings sit beside the journal, so a throwaway journal has throwaway settings."""
    return os.path.join(os.path.dirname(journal), SETTINGS_FILE)

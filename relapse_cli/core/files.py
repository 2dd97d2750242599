"""Private files and folders: 0600 from the first byte, complete or not at all, in 0700 folders.

The one atomic writer (temp file, fsync, rename) for exports, settings, the plan's mirror and
the calendar and assignment files (``write_private``), and the one maker of the journal's
private folder. Light imports: on the log and sos paths.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

from relapse_cli.core.errors import BadInput, EnvironmentFault

TYPE_CHECKING = False  # not `from typing import`: typing costs the hot path (storage.db) ~2 ms
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import BinaryIO


@contextmanager
def private_file(path: str) -> Iterator[BinaryIO]:
    """Write ``path`` through a 0600 temporary file beside it, renamed into place on success.

    A failed export leaves neither a half-written file nor a changed old one. The caller has
    already decided whether an existing file may be replaced.
    """
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise EnvironmentFault(f"the folder does not exist: {folder}")
    tmp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise EnvironmentFault(f"cannot write in {folder}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_private(path: str, text: str, *, force: bool) -> None:
    """Write a text file only the person can read (``private_file``); never replace one
    silently: an existing file needs ``force``."""
    if os.path.isdir(path):
        raise BadInput(f"{path} is a folder", "name a file, e.g. -o reminders.ics")
    if os.path.exists(path) and not force:
        raise BadInput(
            f"{path} already exists", "choose another name, or add --force to replace it"
        )
    with private_file(path) as fh:
        fh.write(text.encode("utf-8"))


def private_folder(path: str) -> None:
    """Create a folder for a CSV export (0700); an existing one is used as it is."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise BadInput(f"{path} is a file; name a folder for the CSV files, or a .zip file")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise EnvironmentFault(f"cannot create the folder {path}: {exc.strerror}") from None


def ensure_private_dir(directory: str) -> None:
    """Create the journal folder 0700 (parents too); tighten an existing one we own.

    Tightened only when it is relapse-cli's own data folder: a journal kept by choice in,
    say, the home folder must not make us chmod the home folder (see ``doctor``).
    """
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
    except FileNotFoundError:
        raise EnvironmentFault(f"cannot create the journal folder: {directory}") from None
    except PermissionError:
        raise EnvironmentFault(f"no permission to create the journal folder: {directory}") from None
    except OSError as exc:
        raise EnvironmentFault(f"cannot use {directory}: {exc.strerror}") from None
    if not os.path.isdir(directory):
        raise EnvironmentFault(f"not a folder: {directory}")
    tighten_own(directory)


def tighten_own(directory: str) -> None:
    """Make relapse-cli's own data folder 0700 again if it is wider (one stat() when it is not)."""
    from relapse_cli.core.paths import default_data_dir

    if os.path.abspath(directory) != default_data_dir():
        return
    st = os.stat(directory)
    if st.st_mode & 0o077 and st.st_uid == getattr(os, "getuid", lambda: st.st_uid)():
        try:
            os.chmod(directory, 0o700)
        except OSError:
            pass  # read-only media: doctor reports the mode

"""Opening the person's editor on a file: the one seam for ``$EDITOR``.

The file is made inside a folder we choose (the private journal folder), 0600 from its first
byte, and removed afterwards whatever happens, so private text never lands in a shared /tmp.

Not ``click.edit`` (judged for issue 21): with ``text=`` it writes its temporary file in the
system temp folder, which is what this module exists to avoid, and with ``filename=`` it runs
the editor through a shell and words its own failures ("Editing failed"), where here the
command is split once, run without a shell, and every failure is one line saying nothing
changed.
"""

from __future__ import annotations

import os
import shlex
import subprocess

from relapse_cli.core.errors import BadInput, EnvironmentFault


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR (split like a shell would); BadInput when neither is set."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not raw or not raw.strip():
        raise BadInput("no editor set", "set one, e.g. export EDITOR=nano")
    return shlex.split(raw)


def edit_text(text: str, directory: str, *, suffix: str = ".toml") -> str:
    """Let the person edit ``text`` in their editor; returns what they saved."""
    import tempfile

    command = editor_command()
    fd, path = tempfile.mkstemp(prefix=".edit-", suffix=suffix, dir=directory)
    try:
        os.chmod(path, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        try:
            done = subprocess.run([*command, path], check=False)  # noqa: S603 - the user's editor
        except OSError as exc:
            raise EnvironmentFault(
                f"cannot start the editor {command[0]!r}: {exc.strerror}", "check $EDITOR"
            ) from None
        if done.returncode != 0:
            raise BadInput(f"the editor exited with status {done.returncode}; nothing changed")
        try:
            with open(path, encoding="utf-8") as fh:
                return fh.read()
        except UnicodeDecodeError:  # a document must be UTF-8 (text.py states the rule)
            raise BadInput(
                "the edited file is not UTF-8 text; nothing changed",
                "save it as UTF-8 in your editor",
            ) from None
    finally:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass

"""The plan's mirror: ``sos.toml`` beside the journal, so ``relapse sos`` works without it.

The plan lives in the journal (``plan_items``); every change also writes this small TOML copy
(0600, atomically: temp file, fsync, rename) so that a corrupt, locked, unreadable or missing
journal still leaves a person their coping steps and people to call. It is plain text even
when the journal is locked (SQLCipher), which is why it can be turned off (setting
``sos_mirror = false``; ``relapse plan mirror off``). Light imports: read on the sos fast path.
"""

from __future__ import annotations

import os

MIRROR_FILE = "sos.toml"


def mirror_path(journal: str) -> str:
    return os.path.join(os.path.dirname(journal), MIRROR_FILE)


def write_mirror(journal: str, text: str) -> str:
    """Replace the mirror in one step (0600 temp file, fsync, rename); a failed write leaves
    neither half a file nor a stray temp file."""
    from relapse_cli.formats.files import private_file
    from relapse_cli.journal.db import ensure_private_dir

    path = mirror_path(journal)
    ensure_private_dir(os.path.dirname(path))
    with private_file(path) as fh:
        fh.write(text.encode("utf-8"))
    return path


def lock_note(journal: str) -> str | None:
    """For ``relapse lock``: the plan's sos copy stays plain text, and how to turn it off."""
    if not os.path.exists(mirror_path(journal)):
        return None
    return (f"Your plan's copy for relapse sos ({mirror_path(journal)}) stays plain text, so sos "
            "works without the passphrase. To keep the plan inside the lock only: "
            "relapse plan mirror off")  # fmt: skip


def remove_mirror(journal: str) -> bool:
    """Delete the mirror; True if there was one."""
    try:
        os.remove(mirror_path(journal))
    except FileNotFoundError:
        return False
    return True


def _toml(text: str) -> dict:
    from relapse_cli.tomlread import loads

    return loads(text)


def read_mirror(journal: str) -> list[dict[str, object]] | None:
    """The mirrored plan items, or None when there is no readable mirror. Never raises.

    Lenient on purpose: in a hard moment, show every item that can be read rather than
    refusing a whole file over one odd field.
    """
    try:
        with open(mirror_path(journal), encoding="utf-8") as fh:
            data = _toml(fh.read())
    except Exception:  # noqa: BLE001 - missing, unreadable or damaged: sos goes on without it
        return None
    items: list[dict[str, object]] = []
    for section, blocks in data.items():
        if not isinstance(blocks, list):
            continue
        for block in blocks:
            if not isinstance(block, dict):
                continue
            item: dict[str, object] = {"section": section}
            for key, value in block.items():
                if isinstance(value, str) or (key == "step" and isinstance(value, int)):
                    item[key] = value
            item.setdefault("text", "")
            if item["text"] or item.get("name"):
                items.append(item)
    return items


def read_settings_leniently(journal: str) -> dict[str, object]:
    """settings.toml as a dict, {} when missing or broken (sos must never fail on it)."""
    from relapse_cli.paths import settings_path

    try:
        with open(settings_path(journal), encoding="utf-8") as fh:
            data = _toml(fh.read())
    except Exception:  # noqa: BLE001 - sos goes on with defaults
        return {}
    return data if isinstance(data, dict) else {}

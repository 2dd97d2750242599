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
    from relapse_cli.core.files import ensure_private_dir, private_file

    path = mirror_path(journal)
    ensure_private_dir(os.path.dirname(path))
    with private_file(path) as fh:
        fh.write(text.encode("utf-8"))
    return path


def lock_note(journal: str) -> str | None:
    """For ``relapse lock``: the plan's sos copy stays plain text, and how to turn it off."""
    if not os.path.exists(mirror_path(journal)):
        return None
    return (
        f"Your plan's copy for relapse sos ({mirror_path(journal)}) stays plain text, so sos "
        "works without the passphrase. To keep the plan inside the lock only: "
        "relapse plan mirror off"
    )


def remove_mirror(journal: str) -> bool:
    """Delete the mirror; True if there was one."""
    try:
        os.remove(mirror_path(journal))
    except FileNotFoundError:
        return False
    return True


def _toml(text: str) -> dict:
    from relapse_cli.core.tomlread import loads

    return loads(text)


class MirrorRead:
    """What reading the mirror gave: typed items (None: no mirror), how many items were
    skipped as damaged, and whether the whole file was unreadable (``damaged``)."""

    __slots__ = ("items", "skipped", "damaged")

    def __init__(
        self, items: list[dict[str, object]] | None, skipped: int = 0, damaged: bool = False
    ) -> None:
        self.items = items
        self.skipped = skipped
        self.damaged = damaged


def read_mirror_checked(journal: str) -> MirrorRead:
    """The mirror validated into typed plan items (plan/model/plan.py ``valid_items``). Never
    raises: missing gives no items; unreadable, not UTF-8, not TOML or a directory in its
    place gives ``damaged``; an odd item (wrong type, step 9, a nested table) is skipped and
    counted, so in a hard moment every item that can be read is shown.
    """
    path = mirror_path(journal)
    try:
        with open(path, encoding="utf-8") as fh:
            data = _toml(fh.read())
    except FileNotFoundError:
        return MirrorRead(None)
    except Exception:  # noqa: BLE001 - unreadable or damaged: sos goes on without it
        return MirrorRead(None, damaged=True)
    try:
        from relapse_cli.plan.model.plan import valid_items

        raw: list[object] = []
        skipped = 0
        for section, blocks in data.items():
            if section in ("format", "updated_at", "country", "mirror"):
                continue
            if not isinstance(blocks, list):
                skipped += 1
                continue
            raw += [{**b, "section": section} if isinstance(b, dict) else b for b in blocks]
        items, bad = valid_items(raw)
        return MirrorRead(items, skipped + bad)
    except Exception:  # noqa: BLE001 - belt and braces: the crisis screens must go on
        return MirrorRead(None, damaged=True)


def read_mirror(journal: str) -> list[dict[str, object]] | None:
    """The mirrored plan items (typed, damaged ones skipped), or None when there is no
    readable mirror. Never raises."""
    return read_mirror_checked(journal).items


def read_settings_leniently(journal: str) -> dict[str, object]:
    """The settings the crisis path needs, as typed values; never raises.

    Only ``country`` (a normalised two-letter code) and ``sos_mirror`` (a bool) are returned,
    and only when they have the right type: a wrong type, a nested table, binary garbage,
    truncated TOML or a directory in the file's place gives {} for that key (sos must never
    fail on it, and never act on a value it cannot trust).
    """
    from relapse_cli.core.paths import settings_path

    try:
        with open(settings_path(journal), encoding="utf-8") as fh:
            data = _toml(fh.read())
    except Exception:  # noqa: BLE001 - sos goes on with defaults
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, object] = {}
    country = data.get("country")
    if isinstance(country, str):
        from relapse_cli.plan.model.crisis import normalise

        code = normalise(country)
        if code is not None:
            out["country"] = code
    mirror = data.get("sos_mirror")
    if isinstance(mirror, bool):
        out["sos_mirror"] = mirror
    return out

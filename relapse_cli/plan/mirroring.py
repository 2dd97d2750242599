"""Keeping ``sos.toml`` in step with the plan: written after every change, removed when the
``sos_mirror`` setting is off or the plan is empty (store/mirror.py writes the file).

Apart from ``plan.py`` so the guided builder, restore and import can sync without importing
the plan command (and the builder and the command no longer import each other).
"""

from __future__ import annotations

import os

from relapse_cli.cli.context import AppContext
from relapse_cli.plan.model import plan as P


def mirror_enabled(app: AppContext) -> bool:
    from relapse_cli.core.settings import load_settings

    return load_settings(app.journal_path).get("sos_mirror", True) is not False


def sync_mirror(app: AppContext, items: list[dict] | None = None) -> str | None:
    """Write ``sos.toml`` from the journal's plan (or remove it when off or empty)."""
    from relapse_cli.plan.store.mirror import remove_mirror, write_mirror

    journal = app.journal_path
    if not mirror_enabled(app):
        remove_mirror(journal)
        return None
    if items is None:
        from relapse_cli.plan.store.plan import list_items

        items = list_items(app.connect())
    if not items:
        remove_mirror(journal)
        return None
    from relapse_cli.storage.records import utc_now

    text = P.to_toml(items, header=P.MIRROR_HEADER, examples=False, meta={"updated_at": utc_now()})
    return write_mirror(journal, text)


def apply_mirror_setting(app: AppContext) -> str:
    """After ``sos_mirror`` changes: write or remove the mirror now; returns a line to print."""
    from relapse_cli.plan.store.mirror import mirror_path

    if not mirror_enabled(app):
        sync_mirror(app, [])
        return "The sos copy of your plan is off and removed; relapse sos shows crisis lines only."
    if not os.path.exists(app.journal_path):
        return "The sos copy of your plan is on; it is written when you add to your plan."
    path = sync_mirror(app)
    return f"The sos copy of your plan is on: {path or mirror_path(app.journal_path)}"

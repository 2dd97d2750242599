"""Between appointments (issue 11): registers the withdrawal view, medications,
appointments and resources commands, and their summary and report sections.

One ``register`` so the shared ``cli/app.py`` needs a single line for all of them.
"""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from relapse_cli.cli import appointments, care_sections, meds, resources, withdrawal_view

    withdrawal_view.register(app)
    meds.register(app)
    appointments.register(app)
    resources.register(app)
    care_sections.register()

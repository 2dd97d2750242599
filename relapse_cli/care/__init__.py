"""Care around recovery: medication (``relapse meds``), appointments, the withdrawal course
(``relapse log withdrawal``, ``relapse withdrawal``), kinds of support (``relapse resources``)
and the decisional balance (``relapse think balance``).

Several small record kinds, so one folder per layer: ``commands/`` (Typer), ``model/`` (pure),
``store/`` (the only SQL) and ``sections`` (their dashboard and report sections).
"""

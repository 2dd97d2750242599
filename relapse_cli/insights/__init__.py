"""Looking back: ``relapse summary`` (the dashboard) and ``relapse trends``.

``commands`` (Typer; also builds the summary the share package reuses), ``model`` (patterns,
pure), ``streaks`` and ``use_days`` (days without use, pure), ``store`` (the dashboard's
aggregates in SQL), ``period`` (one period's figures as a counselor reads them, in SQL, for
the reports) and ``view`` (the only Rich).
"""

"""Breathing, mindfulness and urge surfing (``relapse breathe``), with the urge asked before
and after: ``commands`` (Typer, the guided session), ``sections`` (the dashboard and report
sections, no Typer), ``model`` (the
exercises and their pacing, pure), ``store`` (``exercise_sessions``, the only SQL) and ``view``
(the only Rich)."""

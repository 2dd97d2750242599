"""CBT thought records (``relapse think``, ``thoughts``, ``traps``): ``commands`` (Typer),
``sections`` (the dashboard and report sections, no Typer), ``flow`` (the guided seven columns, one step at a time, with
drafts), ``model`` (the columns, the thinking traps and their checks, pure), ``store``
(``thought_records``, the only SQL) and ``view`` (the only Rich)."""

"""The relapse-prevention and safety plan, and what a hard moment reaches for: ``relapse plan``
(show, build, change), ``relapse sos`` and the safety screens other commands show.

One folder per layer: ``commands/`` (plan, the guided builder, sos, the safety screens),
``model/`` (the plan's sections and the crisis lines, pure), ``store/`` (``plan_items`` and the
``sos.toml`` mirror that sos reads when the journal cannot be opened) and ``view/`` (Rich and
the plain sos text). ``relapse sos`` runs on a fast lane: keep these imports light.
"""

"""Bringing the journal to a session or another tool: ``relapse export`` (json, csv, md, html,
tlfb, fhir), ``relapse import`` (merge a JSON export) and ``relapse review`` (a counselor's
view of someone's export).

``commands/`` (Typer), ``formats/`` (one codec module per format and the report sections every
kind adds), ``model/`` (who reads the dashboard, pure), ``store/`` (the schema-driven export
and import, exports marked for a session: the only SQL) and ``view/`` (the HTML report, its
SVG charts, the review dashboard).
"""

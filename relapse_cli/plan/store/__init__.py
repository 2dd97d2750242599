"""Storing the plan (``plan_items``) and its ``sos.toml`` mirror: the only SQL and files here."""

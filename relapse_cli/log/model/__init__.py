"""Entries, lapses and triggers, pure: no printing, no files, no SQL."""

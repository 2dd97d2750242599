"""Homework rules, pure: no printing, no files, no SQL."""

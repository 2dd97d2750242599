"""Homework commands (Typer): parse, ask, print; the rules live in ``homework.model``."""

"""Housekeeping commands (Typer): settings, backups, health checks, the lock, the demo."""

"""Export, import and review commands (Typer)."""

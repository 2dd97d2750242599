"""Care commands (Typer): parse, ask, print; the rules live in ``care.model``."""

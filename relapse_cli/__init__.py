"""relapse-cli: a private relapse-prevention companion for the terminal."""

__version__ = "0.1.0"


def version_line() -> str:
    """What ``relapse --version`` prints (both the fast lane and the Typer option use it)."""
    return f"relapse-cli {__version__}"

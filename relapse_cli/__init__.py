"""relapse-cli: a private relapse-prevention companion for the terminal."""

__version__ = "0.1.0"

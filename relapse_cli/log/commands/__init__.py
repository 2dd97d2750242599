"""Log and history commands (Typer), and the option specs the fast lane parses too."""

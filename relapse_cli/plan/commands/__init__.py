"""Plan commands (Typer) and the screens a hard moment shows; sos stays light to import."""

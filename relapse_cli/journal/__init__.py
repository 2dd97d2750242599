"""The journal layer: the only code that writes SQL."""

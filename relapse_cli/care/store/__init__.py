"""Storing and reading the care records: the only SQL of this package."""

"""Storing assignments and tracker values: the only SQL of this package."""

"""Storing and reading entries and the vocabulary: the only SQL of this package."""

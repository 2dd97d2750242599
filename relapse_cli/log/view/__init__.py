"""Showing entries: plain data in, Rich renderables out."""

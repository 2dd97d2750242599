"""Renderers: plain data in, Rich renderables or strings out."""

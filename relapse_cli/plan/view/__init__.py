"""Showing the plan and the sos/safety screens: plain data in, renderables or text out."""

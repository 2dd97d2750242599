"""Homework from a counselor (``relapse homework``, ``relapse remind``, ``relapse log NAME
VALUE`` for its custom trackers): assignments written once and followed day by day.

One folder per layer: ``commands/`` (homework, new, track, the log group that takes tracker
names, reminders), ``model/`` (the assignment, its file, tracker scales, reminders; pure),
``store/`` (assignments, tracker values: the only SQL); ``progress`` (journal reads in, progress
out), ``view`` (the only Rich) and ``sections`` (dashboard and report). ``relapse log NAME
VALUE`` is on the fast lane: keep track/trackers light to import.
"""

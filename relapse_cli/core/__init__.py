"""The small core every part of the tool stands on: clock, errors, text, paths, prompter,
settings, limits, TOML reading, wrapping, the editor, time parsing and private files.

It imports nothing above it (no commands, views, stores or codecs), and every module here
keeps start-up light: ``relapse log`` and ``relapse sos`` import several of them.
"""

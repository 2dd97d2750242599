"""The plan and the crisis lines, pure: no printing, no files, no SQL."""

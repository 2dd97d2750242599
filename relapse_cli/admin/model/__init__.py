"""The demo journal's story as data, pure: no printing, no files, no SQL."""

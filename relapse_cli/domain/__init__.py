"""Pure domain code: no printing, no files, no SQL."""

"""The schema version this code writes. Kept alone so the hot path can read it cheaply;
``tests/test_migrations.py`` checks it equals the number of migrations."""

SCHEMA_VERSION = 11

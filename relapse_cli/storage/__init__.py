"""The journal file itself: opening it (pragmas, permissions), the schema and its numbered
migrations, the hold that lock/unlock/restore take, the optional SQLCipher lock, backups,
restores and health checks, and the WHERE terms every listing shares.

The per-kind stores (journal/ for now) build on this; storage knows no record kind's rules
beyond the schema. No printing, no commands, no codecs.
"""

"""Looking after the tool and the journal file: ``config`` and ``path``, ``backup``,
``restore`` and ``doctor``, ``lock`` and ``unlock``, and the ``demo`` journal.

``commands/`` (Typer) over ``model/`` (the demo's 60-day story, pure); the engine they drive
(backups, health checks, SQLCipher) is ``relapse_cli.storage``.
"""

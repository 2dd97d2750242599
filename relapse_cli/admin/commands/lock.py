"""``relapse lock`` / ``relapse unlock``: encrypt the journal at rest (optional extra)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from relapse_cli.cli.typer_build import app_context
from relapse_cli.core.text import say

if TYPE_CHECKING:
    from relapse_cli.cli.context import AppContext

PassFileOpt = Annotated[
    str | None,
    typer.Option("--passphrase-file", metavar="FILE",
                 help="Read the passphrase from FILE instead of asking."),
]  # fmt: skip


def _ask_twice(app: AppContext) -> str:
    from relapse_cli.core.errors import BadInput

    if not app.interactive:
        raise BadInput("no terminal to ask for a passphrase", "use --passphrase-file FILE")
    import getpass

    first = getpass.getpass("New passphrase (8+ characters): ")
    if getpass.getpass("Same passphrase again: ") != first:
        raise BadInput("the two passphrases differ; nothing changed")
    return first


def lock_cmd(ctx: typer.Context, passphrase_file: PassFileOpt = None) -> None:
    """Encrypt your journal at rest with a passphrase (needs relapse-cli[lock])."""
    from relapse_cli.storage.locked import driver, lock, read_passphrase_file

    driver()
    a = app_context(ctx)
    a.connect(create=False)  # migrate first, and prove it is a healthy journal
    a.close()
    secret = read_passphrase_file(passphrase_file) if passphrase_file else _ask_twice(a)
    from relapse_cli.storage.hold import exclusive
    from relapse_cli.storage.locked import encrypt_copies
    from relapse_cli.storage.maintenance import known_copies

    with exclusive(a.journal_path, "lock"):  # no other relapse command has it open
        lock(a.journal_path, secret)
        copies = encrypt_copies(known_copies(a.journal_path), secret)
    say("Locked. Every command now asks for the passphrase (or reads "
          "$RELAPSE_PASSPHRASE_FILE). If you forget it, the journal cannot be recovered.")  # fmt: skip
    if copies:
        from relapse_cli.core.text import for_terminal

        say(f"Also encrypted {len(copies)} cop{'y' if len(copies) == 1 else 'ies'} relapse "
              "keeps, with the same passphrase: " + for_terminal(", ".join(copies)))  # fmt: skip
        say("Copies you made elsewhere (relapse backup -o FILE, exports) stay as they are.")
    from relapse_cli.plan.store.mirror import lock_note  # the plain sos copy (issue 6)

    if note := lock_note(a.journal_path):
        say(note)


def unlock_cmd(ctx: typer.Context, passphrase_file: PassFileOpt = None) -> None:
    """Decrypt your journal back to a plain SQLite file."""
    from relapse_cli.core.errors import BadInput
    from relapse_cli.storage.locked import (
        driver,
        passphrase_for_open,
        present,
        read_passphrase_file,
        unlock,
    )

    driver()
    a = app_context(ctx)
    if not present(a.journal_path):  # (set aside by a killed unlock: the hold puts it back)
        raise BadInput(f"no journal at {a.journal_path}")
    secret = read_passphrase_file(passphrase_file) if passphrase_file else passphrase_for_open()
    from relapse_cli.storage.hold import exclusive

    with exclusive(a.journal_path, "unlock"):  # no other relapse command has it open
        unlock(a.journal_path, secret)
    say("Unlocked: the journal is a plain SQLite file again (still readable only by you).")


def register(app: typer.Typer) -> None:
    app.command("lock")(lock_cmd)
    app.command("unlock")(unlock_cmd)

"""What every record kind's store writes with: the UTC stamp of now, and one immediate
transaction. Here, under every capability, rather than in the log's store, where the other
kinds had to reach across for them. Light imports: on the log and sos paths.
"""

from __future__ import annotations

import sqlite3
import time


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class write:  # noqa: N801 - used like a function: ``with write(con):``
    """One immediate transaction: rolled back on any error, so a failed command changes nothing.

    A class rather than ``@contextmanager`` because contextlib costs the hot path ~3 ms.
    """

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def __enter__(self) -> sqlite3.Connection:
        self.con.execute("BEGIN IMMEDIATE")
        return self.con

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.con.execute("ROLLBACK" if exc_type else "COMMIT")

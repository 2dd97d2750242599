"""A person who opens the journal with the sqlite-utils CLI sees readable tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def sqlite_utils(*args: str) -> str:
    exe = os.path.join(os.path.dirname(sys.executable), "sqlite-utils")
    proc = subprocess.run([exe, *args], capture_output=True, text=True, timeout=60, check=True)
    return proc.stdout


@pytest.mark.slow
def test_sqlite_utils_cli_reads_the_journal(cli, journal):
    assert cli("log", "craving", "7", "-t", "stress", "-c", "walk", "--note", "hello").code == 0
    assert cli("log", "mood", "5").code == 0
    tables = {
        t["table"]: t["count"] for t in json.loads(sqlite_utils("tables", journal, "--counts"))
    }
    assert tables["entries"] == 2 and tables["triggers"] == 1 and tables["coping"] == 1
    rows = json.loads(sqlite_utils("rows", journal, "journal"))
    craving = next(r for r in rows if r["kind"] == "craving")
    assert craving["triggers"] == "stress" and craving["coping"] == "walk"
    assert craving["note"] == "hello" and craving["intensity"] == 7
    assert craving["local_time"].count(":") == 2  # a plain local timestamp, no blobs
    schema = sqlite_utils("schema", journal)
    assert '"occurred_at" TEXT NOT NULL' in schema

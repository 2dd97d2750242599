"""Purge and lock reach every copy relapse-cli keeps (issue 22, item 4).

Copies the tool makes itself: ``backup`` without ``-o`` (backups/), the journal ``restore``
keeps aside, and the pre-migration copy (``journal.db.v<N>.bak``). The check is on raw bytes
of every file in the journal's folder, as someone with the disk would read them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

SECRET = "a private sentence 7c1e"
ONLY_TRIGGER = "party at sams house"
ONLY_COPING = "called rivka at midnight"


def every_file(folder: Path) -> dict[str, bytes]:
    return {
        str(p): p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != "pass.txt"
    }


def seed(cli, journal: str, tmp_path: Path) -> str:
    """A secret entry with a trigger and a coping name of its own, another entry sharing
    "stress", a word added by hand, and the three kinds of copies the tool keeps."""
    assert cli("log", "craving", "8", "-n", SECRET, "-t", f"stress,{ONLY_TRIGGER}",
               "-c", ONLY_COPING).code == 0  # fmt: skip
    assert cli("log", "craving", "3", "-n", "ordinary day", "-t", "stress").code == 0
    assert cli("triggers", "add", "payday").code == 0  # own vocabulary, never used: stays
    secret_id = next(e["uuid"] for e in cli("history", "--json").json() if e["note"] == SECRET)
    assert cli("backup").code == 0  # backups/journal-*.db
    assert cli("backup", "-o", str(tmp_path / "mine.db")).code == 0  # the person's own copy
    shutil.copy(tmp_path / "mine.db", journal + ".v3.bak")  # stands for a pre-migration copy
    assert cli("restore", str(tmp_path / "mine.db"), "--yes").code == 0  # before-restore copy
    (tmp_path / "mine.db").unlink()
    return secret_id


def names(path: str, table: str) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute(f"SELECT name FROM {table}")}  # noqa: S608
    finally:
        con.close()


def test_purge_removes_an_entry_from_every_copy_and_its_own_names(cli, journal, tmp_path):
    secret_id = seed(cli, journal, tmp_path)
    copies = [p for p in every_file(tmp_path) if p.endswith((".bak", ".db")) and p != journal]
    assert len(copies) == 3 and all(SECRET.encode() in Path(p).read_bytes() for p in copies)
    result = cli("purge", secret_id[:8], "--yes")
    assert result.code == 0, result.err
    assert "Also removed from 3 copies relapse kept" in result.out
    for path, raw in every_file(tmp_path).items():
        for word in (SECRET, ONLY_TRIGGER, ONLY_COPING):
            assert word.encode() not in raw, (word, path)
    for path in [journal, *copies]:
        assert names(path, "triggers") == {"stress", "payday"}, path
        assert names(path, "coping") == set(), path
        con = sqlite3.connect(path)
        assert [r[0] for r in con.execute("SELECT note FROM entries")] == ["ordinary day"]
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()


def test_purge_all_deletes_the_copies_and_says_so(cli, journal, tmp_path):
    seed(cli, journal, tmp_path)
    result = cli("purge", "--all", "--yes")
    assert result.code == 0, result.err
    assert "Deleted 3 copies relapse kept" in result.out
    assert [p for p in every_file(tmp_path) if SECRET.encode() in Path(p).read_bytes()] == []


def test_purge_asks_about_the_copies(cli, journal, tmp_path):
    from relapse_cli.core.prompter import ScriptedPrompter

    secret_id = seed(cli, journal, tmp_path)
    asked = ScriptedPrompter(["no"])
    assert cli("purge", secret_id[:8], prompter=asked).code == 0
    assert "remove them from the 3 copies relapse keeps" in " ".join(asked.asked)


def test_lock_encrypts_the_copies_it_keeps_and_purge_still_reaches_them(
    cli, journal, tmp_path, monkeypatch
):
    pytest.importorskip("sqlcipher3")
    secret_id = seed(cli, journal, tmp_path)
    passfile = tmp_path / "pass.txt"
    passfile.write_text("correct horse battery\n")
    locked = cli("lock", "--passphrase-file", str(passfile))
    assert locked.code == 0, locked.err
    assert "Also encrypted 3 copies relapse keeps" in locked.out
    leaks = [p for p, raw in every_file(tmp_path).items() if SECRET.encode() in raw]
    assert leaks == []
    monkeypatch.setenv("RELAPSE_PASSPHRASE_FILE", str(passfile))
    result = cli("purge", secret_id[:8], "--yes")
    assert result.code == 0, result.err
    assert "Also removed from 3 copies" in result.out
    assert os.path.exists(journal + ".locked")

"""Nothing lost, nothing leaked: crash safety, concurrency, backups, doctor, no network."""

from __future__ import annotations

import ast
import os
import socket
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from relapse_cli.core.prompter import ScriptedPrompter
from tests.conftest import records

ROOT = Path(__file__).resolve().parent.parent


def run_script(*args: str) -> dict:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "trust.py"), *args],
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return ast.literal_eval(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_sigkill_never_loses_a_confirmed_entry():
    result = run_script("crash", "--kills", "30")
    assert result["lost"] == 0 and result["integrity_ok"] == 1
    assert result["killed_mid_run"] > 0  # the test really interrupted something


@pytest.mark.slow
def test_two_writers_at_once():
    result = run_script("concurrent", "--each", "300")
    assert result["written"] == 600 and result["locked_messages"] == 0
    assert result["failed_processes"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("op", ["lock", "unlock", "restore"])
def test_whole_file_operations_under_writers_and_kills(op):
    """Issue 22: lock/unlock/restore while two writers log, killed mid-run (strace fault
    injection, else SIGKILL): nothing acknowledged lost, the journal always opens, no plaintext
    copy left. Long run: python benchmarks/trust.py swap --trials 30 --entries 20000."""
    pytest.importorskip("sqlcipher3")
    result = run_script("swap", "--op", op, "--trials", "2", "--entries", "150", "--writes", "1")
    assert result["acknowledged"] >= 6 and result["killed"] >= 1, result
    assert result["lost"] == result["unreadable"] == result["seed_lost"] == 0, result
    assert result["plaintext_left"] == result["writer_errors"] == 0, result


def test_backup_and_restore(cli, journal, tmp_path):
    assert cli("log", "craving", "7", "--note", "before backup").code == 0
    target = tmp_path / "copy.db"
    result = cli("backup", "-o", str(target))
    assert result.code == 0 and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert cli("backup", "-o", str(target)).code == 2  # never overwrites silently
    assert cli("log", "mood", "3").code == 0
    restored = cli("restore", str(target), "--yes")
    assert restored.code == 0, restored.err
    notes = [e.get("note") for e in cli("history", "--json").json()]
    assert notes == ["before backup"]
    kept = [p for p in os.listdir(tmp_path) if "before-restore" in p]
    assert len(kept) == 1
    con = sqlite3.connect(tmp_path / kept[0])
    try:
        assert con.execute("SELECT count(*) FROM entries").fetchone()[0] == 2
    finally:
        con.close()


def test_restore_refuses_a_bad_file_and_changes_nothing(cli, journal, tmp_path):
    assert cli("log", "craving", "7").code == 0
    before = records(journal)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    result = cli("restore", str(junk), "--yes")
    assert result.code == 2 and result.err.count("\n") == 1
    assert records(journal) == before
    assert cli("restore", str(tmp_path / "missing.db"), "--yes").code == 2


def test_restore_asks_first(cli, tmp_path):
    assert cli("log", "craving", "7").code == 0
    assert cli("backup", "-o", str(tmp_path / "b.db")).code == 0
    answer = cli("restore", str(tmp_path / "b.db"), prompter=ScriptedPrompter(["no"]))
    assert answer.code == 0 and "Nothing changed" in answer.out
    assert cli("restore", str(tmp_path / "b.db")).code == 2  # no terminal, no --yes


def test_doctor_reports_and_fixes(cli, journal):
    assert cli("log", "craving", "7").code == 0
    assert cli("doctor").code == 0
    os.chmod(journal, 0o644)
    bad = cli("doctor", "--json")
    assert bad.code == 1
    assert any(not c["ok"] and "permissions" in c["check"] for c in bad.json())
    assert cli("doctor", "--fix").code == 0
    assert stat.S_IMODE(os.stat(journal).st_mode) == 0o600


def test_no_network_anywhere(cli, monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("relapse-cli tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    commands = [
        ("log", "craving", "7", "-t", "stress", "-c", "walk", "-o", "resisted"),
        ("log", "mood", "5", "--at", "2026-11-20 10:00"),
        ("log", "trigger", "bar"),
        ("log", "use", "-s", "alcohol"),
        ("history",), ("summary",), ("triggers",), ("coping",), ("config", "country", "GB"),
        ("config",), ("path",), ("doctor",), ("backup", "-o", str(tmp_path / "b.db")),
        ("demo", "--out", str(tmp_path / "demo.db")), ("--help",),
    ]  # fmt: skip
    for args in commands:
        result = cli(*args)
        assert result.code == 0, (args, result.err)

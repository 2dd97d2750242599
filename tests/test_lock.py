"""The optional locked journal (SQLCipher): encrypted at rest, same commands, sos still works."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("sqlcipher3")


@pytest.fixture
def passfile(tmp_path):
    path = tmp_path / "pass.txt"
    path.write_text("correct horse battery\n")
    os.chmod(path, 0o600)
    return str(path)


def test_lock_use_and_unlock(cli, journal, passfile, monkeypatch, tmp_path):
    secret = "a private sentence 91ab"
    assert cli("log", "craving", "7", "--note", secret, "-t", "stress").code == 0
    locked = cli("lock", "--passphrase-file", passfile)
    assert locked.code == 0, locked.err
    assert os.path.exists(journal + ".locked")
    with open(journal, "rb") as fh:
        raw = fh.read()
    assert not raw.startswith(b"SQLite format 3") and secret.encode() not in raw

    no_pass = cli("history")
    assert no_pass.code == 2 and "RELAPSE_PASSPHRASE_FILE" in no_pass.err
    monkeypatch.setenv("RELAPSE_PASSPHRASE_FILE", passfile)
    assert cli("log", "mood", "5").code == 0
    notes = [e.get("note") for e in cli("history", "--json").json()]
    assert secret in notes and len(notes) == 2
    backup = tmp_path / "b.db"
    assert cli("backup", "-o", str(backup)).code == 0
    assert secret.encode() not in backup.read_bytes()  # backups of a locked journal stay locked

    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase")
    monkeypatch.setenv("RELAPSE_PASSPHRASE_FILE", str(wrong))
    bad = cli("history")
    assert bad.code == 2 and "wrong passphrase" in bad.err
    assert cli("unlock", "--passphrase-file", str(wrong)).code == 2
    assert os.path.exists(journal + ".locked")

    monkeypatch.delenv("RELAPSE_PASSPHRASE_FILE")
    assert cli("unlock", "--passphrase-file", passfile).code == 0
    assert not os.path.exists(journal + ".locked")
    with open(journal, "rb") as fh:
        assert fh.read(16) == b"SQLite format 3\x00"
    assert len(cli("history", "--json").json()) == 2


def test_lock_refuses_short_passphrase_and_changes_nothing(cli, journal, tmp_path):
    assert cli("log", "craving", "7").code == 0
    short = tmp_path / "short.txt"
    short.write_text("abc")
    result = cli("lock", "--passphrase-file", str(short))
    assert result.code == 2 and "at least 8" in result.err
    assert not os.path.exists(journal + ".locked")
    assert len(cli("history", "--json").json()) == 1


def test_lock_without_terminal_or_file(cli):
    assert cli("log", "craving", "7").code == 0
    result = cli("lock")
    assert result.code == 2 and "--passphrase-file" in result.err


def test_wrong_passphrase_is_one_line_not_sqlcipher_log(journal, passfile, tmp_path):
    """Issue 22 item 8: SQLCipher's own log (written by C to fd 2) is silenced."""
    import subprocess
    import sys

    env = dict(os.environ, RELAPSE_JOURNAL=journal)
    run = [sys.executable, "-m", "relapse_cli"]
    subprocess.run([*run, "log", "craving", "5"], env=env, check=True, capture_output=True)
    subprocess.run([*run, "lock", "--passphrase-file", passfile], env=env, check=True,
                   capture_output=True)  # fmt: skip
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase at all")
    for args in (["history"], ["unlock", "--passphrase-file", str(wrong)], ["log", "mood", "3"]):
        proc = subprocess.run([*run, *args], env=dict(env, RELAPSE_PASSPHRASE_FILE=str(wrong)),
                              capture_output=True, text=True)  # fmt: skip
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.count("\n") == 1 and "ERROR" not in proc.stderr, (args, proc.stderr)
        assert "wrong passphrase" in proc.stderr


def test_doctor_on_a_healthy_locked_journal(cli, journal, passfile, monkeypatch):
    """Issue 22 item 5: locked is healthy; with the passphrase doctor looks inside."""
    assert cli("log", "craving", "7").code == 0
    assert cli("lock", "--passphrase-file", passfile).code == 0
    without = cli("doctor", "--json")
    assert without.code == 0, without.out
    integrity = next(c for c in without.json() if c["check"] == "integrity")
    assert integrity["ok"] and "locked" in integrity["detail"]
    monkeypatch.setenv("RELAPSE_PASSPHRASE_FILE", passfile)
    checks = cli("doctor", "--json")
    assert checks.code == 0, checks.out
    by_name = {c["check"]: c for c in checks.json()}
    assert by_name["integrity"]["detail"] == "ok" and by_name["entries"]["detail"] == "1"
    os.chmod(journal, 0o644)  # and a real problem is still found
    assert cli("doctor", "--json").code == 1


def test_unlock_on_a_full_disk_is_one_line_and_stays_locked(cli, journal, passfile, monkeypatch):
    """A full disk while the unlocked journal is written: one line, still locked, no copy."""
    import errno

    from relapse_cli.storage import locked

    assert cli("log", "craving", "5").code == 0
    assert cli("lock", "--passphrase-file", passfile).code == 0

    def full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(locked, "_write_all", full)
    result = cli("unlock", "--passphrase-file", passfile)
    assert result.code == 1 and result.err.count("\n") == 1, result.err
    assert "unexpected" not in result.err and "disk" in result.err
    assert locked.is_locked(journal)
    monkeypatch.setenv("RELAPSE_PASSPHRASE_FILE", passfile)
    assert cli("history").code == 0

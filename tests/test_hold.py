"""The exclusive hold of lock/unlock/restore, and every crash point of lock/unlock (issue 22).

Real files, real flock, real SQLCipher; the other process holding the journal is a real
process. The long, killing version is ``benchmarks/trust.py swap`` (short form in
tests/test_trust.py).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from relapse_cli.storage import hold

sqlcipher3 = pytest.importorskip("sqlcipher3")

HOLDER = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_SH if sys.argv[2] == "shared" else fcntl.LOCK_EX)
if sys.argv[2] == "exclusive":
    os.pwrite(fd, b"unlock", 0)
print("held", flush=True)
time.sleep(float(sys.argv[3]))
if sys.argv[2] == "exclusive":
    os.ftruncate(fd, 0)
"""


@pytest.fixture
def passfile(tmp_path, monkeypatch):
    path = tmp_path / "pass.txt"
    path.write_text("correct horse battery\n")
    return str(path)


def other_process(journal: str, mode: str, seconds: float) -> subprocess.Popen:
    """Another process holding the journal's hold (as a running relapse command would)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, hold.hold_path(journal), mode,
                             str(seconds)], stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_every_open_takes_a_shared_hold_and_the_command_gives_it_back(cli, journal):
    assert cli("log", "craving", "5").code == 0
    assert os.stat(hold.hold_path(journal)).st_mode & 0o777 == 0o600
    fd = os.open(hold.hold_path(journal), os.O_RDWR)
    try:  # the command is over: nothing of ours is left holding it
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(fd)


@pytest.mark.parametrize("command", [
    ("lock", "--passphrase-file", "PASS"),
    ("restore", "BACKUP", "--yes"),
])  # fmt: skip
def test_whole_file_operation_refuses_while_another_command_has_the_journal(
    cli, journal, tmp_path, passfile, monkeypatch, command
):
    assert cli("log", "craving", "5", "-n", "kept").code == 0
    assert cli("backup", "-o", str(tmp_path / "b.db")).code == 0
    args = [a.replace("PASS", passfile).replace("BACKUP", str(tmp_path / "b.db")) for a in command]
    monkeypatch.setattr(hold, "EXCLUSIVE_WAIT_S", 0.3)
    proc = other_process(journal, "shared", 5)
    try:
        before = Path(journal).read_bytes()
        result = cli(*args)
    finally:
        proc.kill()
        proc.communicate()
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert lines[0].startswith("relapse: waiting for other relapse commands")
    assert len(lines) == 2 and "open in another relapse command" in lines[1]
    assert Path(journal).read_bytes() == before  # nothing changed
    assert not os.path.exists(journal + ".locked")


def test_a_command_waits_for_unlock_with_one_line_then_goes_on(cli, journal):
    assert cli("log", "craving", "5").code == 0
    proc = other_process(journal, "exclusive", 0.4)
    result = cli("log", "mood", "6")
    proc.communicate()
    assert result.code == 0, result.err
    assert result.err.strip() == "relapse: waiting for `relapse unlock` to finish..."
    assert len(cli("history", "--json").json()) == 2


def test_a_command_refuses_with_one_line_when_the_wait_is_too_long(cli, journal, monkeypatch):
    assert cli("log", "craving", "5").code == 0
    monkeypatch.setattr(hold, "SHARED_WAIT_S", 0.2)
    proc = other_process(journal, "exclusive", 5)
    try:
        result = cli("log", "mood", "6")
    finally:
        proc.kill()
        proc.communicate()
    assert result.code == 1
    assert result.err.strip().splitlines()[-1].startswith("relapse: the journal is still held")


def _states(tmp_path, passfile) -> dict[str, str]:
    """A plain and an encrypted copy of one journal (made by the real lock)."""
    from relapse_cli.storage.locked import lock

    src = tmp_path / "src"
    src.mkdir()
    plain = str(src / "journal.db")
    env = dict(os.environ, RELAPSE_JOURNAL=plain)
    subprocess.run([sys.executable, "-m", "relapse_cli", "log", "craving", "6", "-n",
                    "a private sentence"], env=env, check=True, capture_output=True)  # fmt: skip
    shutil.copy(plain, str(src / "plain.db"))
    lock(plain, "correct horse battery")
    shutil.copy(plain, str(src / "locked.db"))
    return {"plain": str(src / "plain.db"), "locked": str(src / "locked.db")}


# Every crash point of lock and unlock as the files it leaves: (journal, marker?, leftovers).
CRASH_POINTS = [
    ("lock: killed while writing .locking", "plain", False, [".locking"], "lock"),
    ("lock: killed after the marker, before the rename", "plain", True, [".locking"], "lock"),
    ("lock: killed after the rename", "locked", True, [], "lock"),
    ("unlock: killed while writing .unlocking", "locked", True, [".unlocking"], "unlock"),
    ("unlock: killed after the rename, before the marker went", "plain", True, [], "unlock"),
    ("unlock: finished", "plain", False, [], "unlock"),
    (
        "restore: killed while keeping the old journal aside",
        "plain",
        False,
        [".before-restore-20261202-150000.bak.partial"],
        "restore",
    ),
]


@pytest.mark.parametrize(("name", "state", "marker", "left", "op"), CRASH_POINTS,
                         ids=[c[0] for c in CRASH_POINTS])  # fmt: skip
def test_every_crash_point_leaves_a_journal_that_opens(
    cli, journal, tmp_path, passfile, monkeypatch, name, state, marker, left, op
):
    files = _states(tmp_path, passfile)
    shutil.copy(files[state], journal)
    if marker:
        Path(journal + ".locked").write_text("locked\n")
    for suffix in left:  # the interrupted copy: plaintext for unlock, encrypted for lock
        shutil.copy(files["plain" if suffix == ".unlocking" else "locked"], journal + suffix)
    Path(hold.hold_path(journal)).write_text(op)  # the note the killed operation left
    monkeypatch.setenv("RELAPSE_PASSPHRASE_FILE", passfile)
    result = cli("history", "--json")
    assert result.code == 0, (name, result.err)
    assert [e["note"] for e in result.json()] == ["a private sentence"]
    for suffix in left:
        assert not os.path.exists(journal + suffix), name
    if left:
        assert "interrupted `relapse " + op in result.err
    assert os.path.exists(journal + ".locked") == (state == "locked")  # stale marker removed
    assert Path(hold.hold_path(journal)).read_text() == ""  # cleared once, by one process
    assert cli("log", "mood", "4").code == 0
    assert cli("doctor", "--json").code == 0


def test_doctor_reports_a_plaintext_leftover_without_a_note(cli, journal, tmp_path, passfile):
    files = _states(tmp_path, passfile)
    shutil.copy(files["locked"], journal)
    Path(journal + ".locked").touch()
    shutil.copy(files["plain"], journal + ".unlocking")  # e.g. left by an older relapse-cli
    checks = cli("doctor", "--json")
    assert checks.code == 1
    bad = [c for c in checks.json() if not c["ok"]]
    assert any("leftover" in c["check"] and ".unlocking" in c["detail"] for c in bad)
    assert cli("doctor", "--fix").code == 0
    assert not os.path.exists(journal + ".unlocking")

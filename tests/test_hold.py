"""The exclusive hold of lock/unlock/restore, and every crash point of lock/unlock (issue 22).

Real files, real flock, real SQLCipher; the other process holding the journal is a real
process. The long, killing version is ``benchmarks/trust.py swap`` (short form in
tests/test_trust.py).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
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
# "missing": unlock was killed with the locked journal aside, before the plain one was linked.
CRASH_POINTS = [
    ("lock: killed while writing .locking", "plain", False, [".locking"], "lock"),
    ("lock: killed after the marker, before the rename", "plain", True, [".locking"], "lock"),
    ("lock: killed after the rename", "locked", True, [], "lock"),
    ("unlock: killed while decrypting (in memory)", "locked", True, [], "unlock"),
    ("unlock: killed with the locked journal aside", "missing", True, [".locked-aside"], "unlock"),
    (
        "unlock: killed after the link, before the aside went",
        "plain",
        True,
        [".locked-aside"],
        "unlock",
    ),  # fmt: skip
    ("unlock: killed after the aside went, before the marker", "plain", True, [], "unlock"),
    ("unlock: finished", "plain", False, [], "unlock"),
    (
        "unlock without O_TMPFILE (or an older relapse-cli): killed while writing .unlocking",
        "locked",
        True,
        [".unlocking"],
        "unlock",
    ),
    (
        "restore: killed while keeping the old journal aside",
        "plain",
        False,
        [".before-restore-20261202-150000.bak.partial"],
        "restore",
    ),
]
LEFT_COPY = {".unlocking": "plain", ".locking": "locked", ".locked-aside": "locked"}


def _journal_files(journal: str) -> list[str]:
    folder, base = os.path.split(journal)
    return sorted(n for n in os.listdir(folder) if n.startswith(base))


@pytest.mark.parametrize(("name", "state", "marker", "left", "op"), CRASH_POINTS,
                         ids=[c[0] for c in CRASH_POINTS])  # fmt: skip
def test_every_crash_point_leaves_a_journal_that_opens(
    cli, journal, tmp_path, passfile, monkeypatch, name, state, marker, left, op
):
    files = _states(tmp_path, passfile)
    if state != "missing":
        shutil.copy(files[state], journal)
    if marker:
        Path(journal + ".locked").write_text("locked\n")
    for suffix in left:  # the interrupted copy: plaintext only for the old unlock's .unlocking
        shutil.copy(files[LEFT_COPY.get(suffix, "locked")], journal + suffix)
    Path(hold.hold_path(journal)).write_text(op)  # the note the killed operation left
    monkeypatch.setenv("RELAPSE_PASSPHRASE_FILE", passfile)
    result = cli("history", "--json")
    assert result.code == 0, (name, result.err)
    assert [e["note"] for e in result.json()] == ["a private sentence"]
    for suffix in left:
        assert not os.path.exists(journal + suffix), name
    if left:
        assert "interrupted `relapse " + op in result.err
    after = "locked" if state == "missing" else state  # the locked journal went back
    assert os.path.exists(journal + ".locked") == (after == "locked")  # stale marker removed
    assert Path(hold.hold_path(journal)).read_text() == ""  # cleared once, by one process
    assert cli("log", "mood", "4").code == 0
    assert cli("doctor", "--json").code == 0


def test_unlock_after_a_kill_with_the_journal_aside_puts_it_back_and_unlocks(
    cli, journal, tmp_path, passfile
):
    files = _states(tmp_path, passfile)
    shutil.copy(files["locked"], journal + ".locked-aside")
    Path(journal + ".locked").write_text("locked\n")
    Path(hold.hold_path(journal)).write_text("unlock")
    result = cli("unlock", "--passphrase-file", passfile)
    assert result.code == 0, result.err
    assert "put back" in result.err
    assert _journal_files(journal) == ["journal.db", "journal.db.hold"]
    assert [e["note"] for e in cli("history", "--json").json()] == ["a private sentence"]


def test_doctor_puts_back_a_journal_set_aside_without_a_note(cli, journal, tmp_path, passfile):
    files = _states(tmp_path, passfile)
    shutil.copy(files["locked"], journal + ".locked-aside")
    Path(journal + ".locked").write_text("locked\n")
    result = cli("history")  # no note to recover by: refuses, never starts an empty journal
    assert result.code == 1 and "set aside" in result.err and "doctor --fix" in result.err
    assert not os.path.exists(journal)
    checks = cli("doctor", "--json")
    assert checks.code == 1
    assert any(c["check"] == "journal file" and ".locked-aside" in c["detail"]
               for c in checks.json() if not c["ok"])  # fmt: skip
    assert os.path.exists(journal + ".locked")  # not a stale marker: the journal is aside
    assert cli("doctor", "--fix").code == 0
    assert not os.path.exists(journal + ".locked-aside")
    assert Path(journal).read_bytes() == Path(files["locked"]).read_bytes()
    assert cli("unlock", "--passphrase-file", passfile).code == 0
    assert [e["note"] for e in cli("history", "--json").json()] == ["a private sentence"]


@pytest.mark.parametrize("without", ["O_TMPFILE", "link"])
def test_unlock_falls_back_to_the_named_copy_where_there_is_no_unnamed_file(
    journal, tmp_path, passfile, monkeypatch, without
):
    from relapse_cli.storage import locked

    files = _states(tmp_path, passfile)
    shutil.copy(files["locked"], journal)
    Path(journal + ".locked").write_text("locked\n")
    if without == "O_TMPFILE":
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    else:

        def no_link(*args: object, **kwargs: object) -> None:
            raise OSError(18, "Invalid cross-device link")

        monkeypatch.setattr(os, "link", no_link)
    locked.unlock(journal, "correct horse battery")
    assert _journal_files(journal) == ["journal.db"]
    con = sqlite3.connect(journal)
    try:
        assert con.execute("SELECT note FROM entries").fetchall() == [("a private sentence",)]
    finally:
        con.close()


KILLABLE = (
    "write,pwrite64,fsync,fdatasync,rename,renameat,renameat2,unlink,unlinkat,ftruncate,"
    "link,linkat"
)  # every call that changes a file or a name: a kill before call k+1 is the state after k


def _strace_works() -> bool:
    if not shutil.which("strace"):
        return False
    return subprocess.run(["strace", "-qq", "-o", os.devnull, "true"]).returncode == 0


def _plaintext_copies(folder: str, journal: str) -> list[str]:
    """Files under ``folder`` holding the journal's plaintext, besides the journal itself
    when it is the finished plain journal (it opens, whole)."""
    found = []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            data = Path(path).read_bytes()
            if b"a private sentence" not in data and not data.startswith(b"SQLite format 3"):
                continue
            if path == journal:
                con = sqlite3.connect(f"file:{journal}?mode=ro", uri=True)
                try:
                    whole = con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                    notes = con.execute("SELECT note FROM entries").fetchall()
                finally:
                    con.close()
                if whole and notes == [("a private sentence",)]:
                    continue
            found.append(os.path.relpath(path, folder))
    return found


def test_the_plaintext_detector_sees_a_named_plain_copy(tmp_path, passfile):
    files = _states(tmp_path, passfile)
    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(files["locked"], folder / "journal.db")
    shutil.copy(files["plain"], folder / "journal.db.unlocking")
    assert _plaintext_copies(str(folder), str(folder / "journal.db")) == ["journal.db.unlocking"]


@pytest.mark.slow
def test_a_kill_at_any_syscall_of_unlock_leaves_no_plaintext_copy(tmp_path, passfile):
    """Issue 22 item 2: unlock killed (strace fault injection, SIGKILL) at each call that
    changes a file, one run per call: at the kill, no file in the journal's folder or the
    temporary folder holds the plaintext except the finished plain journal; afterwards the
    next command opens the journal (locked or plain) whole and nothing is left over."""
    if not _strace_works():
        pytest.skip("strace cannot trace here")
    files = _states(tmp_path, passfile)
    relapse = [sys.executable, "-m", "relapse_cli"]

    def folder_for(name: str) -> tuple[str, dict[str, str]]:
        folder = tmp_path / name
        (folder / "tmp").mkdir(parents=True)
        journal = str(folder / "journal.db")
        shutil.copy(files["locked"], journal)
        Path(journal + ".locked").write_text("locked\n")
        env = dict(os.environ, RELAPSE_JOURNAL=journal, RELAPSE_PASSPHRASE_FILE=passfile,
                   TMPDIR=str(folder / "tmp"))  # fmt: skip
        env.pop("RELAPSE_DEBUG", None)
        return journal, env

    journal, env = folder_for("count")
    counted = subprocess.run(["strace", "-f", "-qq", "-c", "-e", f"trace={KILLABLE}", *relapse,
                              "unlock"], env=env, capture_output=True, text=True)  # fmt: skip
    assert counted.returncode == 0, counted.stderr
    # strace counts each call separately for `when=`: (call, k) names the k-th of that call
    rows = [line.split() for line in counted.stderr.splitlines()]
    points = [(row[-1], k) for row in rows if len(row) >= 5 and row[-1] in KILLABLE.split(",")
              for k in range(1, int(row[3]) + 1)]  # fmt: skip
    assert len(points) >= 8, counted.stderr
    states = set()
    for call, k in points:
        journal, env = folder_for(f"{call}-{k}")
        folder = os.path.dirname(journal)
        run = subprocess.run(["strace", "-f", "-qq", "-o", os.devnull, "-e", f"trace={KILLABLE}",
                              "-e", f"inject={call}:signal=KILL:when={k}", *relapse, "unlock"],
                             env=env, capture_output=True)  # fmt: skip
        at = f"{call} #{k}"
        assert run.returncode in (-9, 137), (at, run.returncode, run.stderr)
        assert _plaintext_copies(folder, journal) == [], at
        states.add(tuple(sorted(os.listdir(folder))))
        after = subprocess.run([*relapse, "history", "--json"], env=env, capture_output=True,
                               text=True)  # fmt: skip
        assert after.returncode == 0, (at, after.stderr)
        assert "a private sentence" in after.stdout, at
        assert sorted(os.listdir(folder))[:1] == ["journal.db"], at
        left = [n for n in os.listdir(folder) if n.endswith((".unlocking", ".locked-aside"))]
        assert left == [], (at, left)
        assert _plaintext_copies(folder, journal) == [], at
    assert any("journal.db.locked-aside" in s for s in states)  # the kills reached the swap


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

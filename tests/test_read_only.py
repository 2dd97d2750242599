"""A journal on read-only media can still be read (issue 22, item 9).

Real read-only media: as root (which ignores file modes) a read-only bind mount inside a
private mount namespace (``unshare -m``), so nothing outlives the command even if a test is
killed; otherwise a folder and file without write permission.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

MOUNT = 'mount --bind "$1" "$2" && mount -o remount,ro,bind "$2" && shift 2 && exec "$@"'


@pytest.fixture
def read_only(cli, tmp_path):
    """Run ``relapse --journal <read-only journal> ARGS`` as a real process; (code, out, err)."""
    src = tmp_path / "src"
    src.mkdir(mode=0o700)
    journal = src / "journal.db"
    assert cli("--journal", str(journal), "log", "craving", "6", "-n", "still readable").code == 0
    assert cli("--journal", str(journal), "log", "mood", "4").code == 0
    relapse = [sys.executable, "-m", "relapse_cli"]
    if os.geteuid() != 0:
        os.chmod(journal, 0o400)
        os.chmod(src, 0o500)
        prefix, path = relapse, journal
    else:
        media = tmp_path / "media"
        media.mkdir()
        if not shutil.which("unshare"):
            pytest.skip("no unshare to make read-only media")
        prefix = ["unshare", "-m", "sh", "-c", MOUNT, "sh", str(src), str(media), *relapse]
        path = media / "journal.db"
        probe = subprocess.run([*prefix[:-3], "touch", str(media / "x")], capture_output=True)
        if probe.returncode == 0 or b"Read-only" not in probe.stderr:
            pytest.skip("cannot make read-only media here")

    def run(*args: str) -> tuple[int, str, str]:
        proc = subprocess.run([*prefix, "--journal", str(path), *args], capture_output=True,
                              text=True, env=dict(os.environ, NO_COLOR="1"), timeout=120)  # fmt: skip
        return proc.returncode, proc.stdout, proc.stderr

    run.journal = journal  # type: ignore[attr-defined]
    yield run
    os.chmod(src, 0o700)


@pytest.mark.parametrize("command", [
    ("history", "--json"), ("summary",), ("export", "-f", "json"), ("export", "-f", "md"),
    ("triggers",), ("doctor",),
])  # fmt: skip
def test_reading_commands_work_read_only(read_only, command):
    code, out, err = read_only(*command)
    assert code in ((0, 1) if command == ("doctor",) else (0,)), err
    if command == ("history", "--json"):
        assert [e["note"] for e in json.loads(out) if e.get("note")] == ["still readable"]
        uuid = json.loads(out)[-1]["uuid"]
        shown = read_only("show", uuid[:8], "--json")
        assert shown[0] == 0, shown[2]
    if command == ("doctor",):
        assert "FIX  integrity" not in out and "ok   integrity" in out


def test_writing_says_read_only_in_one_line(read_only):
    before = read_only.journal.read_bytes()
    code, _, err = read_only("log", "mood", "5")
    assert code == 1 and err.count("\n") == 1 and "read-only" in err
    assert read_only.journal.read_bytes() == before

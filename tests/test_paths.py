"""Where data lives: our hand-computed default folder is the one platformdirs names."""

from __future__ import annotations

import os
import stat

import platformdirs
import pytest

from relapse_cli.core.paths import APP_NAME, default_data_dir, journal_path


def test_default_dir_matches_platformdirs(monkeypatch, tmp_path):
    for xdg in (str(tmp_path / "xdg"), ""):
        if xdg:
            monkeypatch.setenv("XDG_DATA_HOME", xdg)
        else:
            monkeypatch.delenv("XDG_DATA_HOME", raising=False)
        assert default_data_dir() == platformdirs.user_data_dir(APP_NAME, appauthor=False)


def test_order_option_env_default(monkeypatch, tmp_path):
    monkeypatch.setenv("RELAPSE_JOURNAL", str(tmp_path / "env.db"))
    assert journal_path(str(tmp_path / "opt.db")) == str(tmp_path / "opt.db")
    assert journal_path(None) == str(tmp_path / "env.db")
    monkeypatch.delenv("RELAPSE_JOURNAL")
    assert journal_path(None) == os.path.join(default_data_dir(), "journal.db")


def test_default_location_is_created_private(cli, monkeypatch, tmp_path):
    monkeypatch.delenv("RELAPSE_JOURNAL")
    assert cli("log", "craving", "5").code == 0
    folder = default_data_dir()
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    for name in os.listdir(folder):
        assert stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) == 0o600, name
    shown = cli("path", "--json").json()
    assert shown["journal"] == os.path.join(folder, "journal.db") and shown["journal_exists"]


def test_files_are_private_even_with_a_lax_umask(cli, journal, tmp_path):
    old = os.umask(0o022)
    try:
        assert cli("log", "craving", "5").code == 0
        assert cli("config", "country", "us").code == 0
    finally:
        os.umask(old)
    for name in os.listdir(tmp_path):
        path = tmp_path / name
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


def test_an_existing_open_journal_folder_is_tightened(cli, monkeypatch, tmp_path):
    """Issue 22 item 10: relapse-cli's own folder, found 0755, becomes 0700."""
    import os
    import stat

    from relapse_cli.core.paths import default_data_dir

    monkeypatch.delenv("RELAPSE_JOURNAL")
    folder = default_data_dir()
    os.makedirs(folder, mode=0o755)
    os.chmod(folder, 0o755)  # noqa: S103 - the case under test
    assert cli("log", "craving", "5").code == 0  # creates the journal in it
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    os.chmod(folder, 0o755)  # noqa: S103 - the case under test
    assert cli("log", "mood", "5").code == 0  # and an existing journal's folder too
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_a_chosen_folder_is_not_chmodded(cli, tmp_path):
    import os
    import stat

    mine = tmp_path / "mine"
    mine.mkdir(mode=0o755)
    os.chmod(mine, 0o755)  # noqa: S103 - the case under test
    assert cli("--journal", str(mine / "j.db"), "log", "craving", "5").code == 0
    assert cli("--journal", str(mine / "j.db"), "config", "country", "GB").code == 0
    assert stat.S_IMODE(os.stat(mine).st_mode) == 0o755


@pytest.mark.parametrize("args", [("log", "craving", "5"), ("history",), ("config",)])
def test_empty_journal_option_is_refused(cli, journal, args):
    import os

    result = cli("--journal", "", *args)
    assert result.code == 2 and result.err.count("\n") == 1
    assert "--journal needs a file path" in result.err
    assert not os.path.exists(journal)  # nothing went to the default journal either


def test_config_on_a_full_disk_leaves_no_temp_file(tmp_path):
    """A real full file system: a 64 KiB tmpfs in a private mount namespace (root only)."""
    import os
    import shutil
    import subprocess
    import sys

    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare for a real full disk")
    disk = tmp_path / "disk"
    disk.mkdir()
    script = ('mount -t tmpfs -o size=64k tmpfs "$1" || exit 77; '
              'head -c 1000000 /dev/zero > "$1/filler" 2>/dev/null; '
              f'{sys.executable} -m relapse_cli --journal "$1/journal.db" config country GB; '
              'echo "rc=$?"; ls -a "$1"')  # fmt: skip
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", str(disk)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    if proc.returncode == 77:
        pytest.skip("cannot mount a tmpfs here")
    assert "rc=1" in proc.stdout, proc.stdout + proc.stderr
    assert proc.stderr.count("\n") == 1 and "cannot write the settings" in proc.stderr
    listing = proc.stdout.split()
    assert not [n for n in listing if n.startswith(".settings") or n.endswith((".tmp", ".part"))]
    assert "settings.toml" not in listing

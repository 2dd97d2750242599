"""Where data lives: our hand-computed default folder is the one platformdirs names."""

from __future__ import annotations

import os
import stat

import platformdirs

from relapse_cli.paths import APP_NAME, default_data_dir, journal_path


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

"""Every command explains itself."""

from __future__ import annotations


def walk(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from walk(sub, (*path, name))


def test_every_command_has_help_text(cli):
    from relapse_cli.cli.app import build_click

    for path, command in walk(build_click()):
        if path:
            assert (command.help or "").strip(), f"no help for: relapse {' '.join(path)}"
        result = cli(*path, "--help")
        assert result.code == 0, (path, result.err)
        assert "Usage:" in result.out


def test_bare_command_shows_help(cli):
    result = cli()
    assert result.code == 0 and "Commands" in result.out


def test_shell_completion_is_offered(cli):
    assert "--install-completion" in cli("--help").out


def test_help_lists_log_and_sos_first_and_every_command_has_a_place(cli):
    from relapse_cli.cli.app import HELP_ORDER, build_click

    listed = cli("--help").out.split("Commands:")[1].split()
    names = [w for w in listed if w in build_click().commands]
    assert names[:2] == ["log", "sos"]
    assert set(build_click().commands) <= set(HELP_ORDER), "add new commands to HELP_ORDER"


def test_the_readme_and_ci_test_command_prints_the_closing_summary():
    """pyproject's addopts already has -q; -q again (-qq) drops the "N passed" line."""
    import pathlib
    import re

    from relapse_cli.core.tomlread import loads as toml_loads

    root = pathlib.Path(__file__).resolve().parent.parent
    addopts = toml_loads((root / "pyproject.toml").read_text())["tool"]["pytest"][
        "ini_options"]["addopts"]  # fmt: skip
    quiet = addopts.split().count("-q")
    for name in ("README.md", ".ci/run"):
        commands = re.findall(r"python -m pytest[^\n`]*", (root / name).read_text())
        assert commands, name
        for command in commands:
            assert quiet + command.split().count("-q") <= 1, (name, command)

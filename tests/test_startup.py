"""Start-up is a tested property: the hot commands import nothing heavy."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# pathlib is not listed only because an editable install's import hook loads it.
HEAVY = ("typer", "click", "rich", "sqlite_utils", "dateutil", "pydantic", "platformdirs",
         "uuid", "dataclasses", "jinja2", "markupsafe")  # fmt: skip

PROBE = """
import json, sys
from relapse_cli.entry import main
code = main(sys.argv[1:])
sys.stdout.flush()
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def imported(args: list[str], env: dict[str, str]) -> tuple[int, set[str]]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [["log", "craving", "6", "-t", "stress"],
     ["log", "mood", "5", "--sleep", "7"],
     ["log", "craving", "4", "--at", "yesterday 18:30"]],
)  # fmt: skip
def test_log_imports_nothing_heavy(tmp_path, args):
    env = dict(os.environ, RELAPSE_JOURNAL=str(tmp_path / "j.db"), HOME=str(tmp_path))
    imported(["log", "mood", "5"], env)  # creates and migrates the journal (may import more)
    code, modules = imported(args, env)
    assert code == 0
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == []


@pytest.mark.slow
def test_runtime_dependencies_alone_run_help(tmp_path):
    """`relapse --help` works from the installed command (a smoke test of the packaging)."""
    exe = os.path.join(os.path.dirname(sys.executable), "relapse")
    env = dict(os.environ, RELAPSE_JOURNAL=str(tmp_path / "j.db"), HOME=str(tmp_path))
    proc = subprocess.run([exe, "--help"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "log" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "relapse_cli", "--version"], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 0 and "relapse-cli" in proc.stdout


def test_version_imports_nothing_heavy_and_matches_typer(tmp_path, capfd):
    """`relapse --version` is answered before Typer loads; the text is the Typer option's."""
    env = dict(os.environ, RELAPSE_JOURNAL=str(tmp_path / "j.db"), HOME=str(tmp_path))
    code, modules = imported(["--version"], env)
    assert code == 0 and sorted(m for m in modules if m.split(".")[0] in HEAVY) == []
    exe = os.path.join(os.path.dirname(sys.executable), "relapse")
    fast = subprocess.run([exe, "--version"], env=env, capture_output=True, text=True)
    slow = subprocess.run([exe, "--journal", str(tmp_path / "j.db"), "--version"], env=env,
                          capture_output=True, text=True)  # fmt: skip
    assert fast.stdout == slow.stdout == "relapse-cli 0.1.0\n"

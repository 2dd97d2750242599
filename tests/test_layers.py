"""The import contracts of pyproject.toml ([tool.importlinter]) hold: lower layers never import
higher ones (import-linter, run as its own command the way CI or a developer runs it)."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_import_contracts_hold(tmp_path):
    exe = shutil.which("lint-imports", path=os.path.dirname(sys.executable))
    assert exe, "lint-imports is missing: pip install -e '.[test]'"
    proc = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, NO_COLOR="1"))  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert " 0 broken" in proc.stdout and "BROKEN" not in proc.stdout


def test_a_broken_contract_is_reported(tmp_path):
    """The check can fail: a contract that today's code breaks (cli imports journal) is
    reported as broken, so a green run above means the contracts were really checked."""
    exe = shutil.which("lint-imports", path=os.path.dirname(sys.executable))
    assert exe
    config = tmp_path / "broken.toml"
    config.write_text('[tool.importlinter]\nroot_package = "relapse_cli"\n\n'
                      '[[tool.importlinter.contracts]]\nname = "cli without SQL"\n'
                      'type = "forbidden"\nsource_modules = ["relapse_cli.cli"]\n'
                      'forbidden_modules = ["relapse_cli.journal"]\n')  # fmt: skip
    proc = subprocess.run([exe, "--no-cache", "--config", str(config)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert proc.returncode != 0 and "BROKEN" in proc.stdout

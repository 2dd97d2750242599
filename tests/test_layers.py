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
    """The check can fail: a contract that today's code breaks (log's commands use its store)
    is reported as broken, so a green run above means the contracts were really checked."""
    exe = shutil.which("lint-imports", path=os.path.dirname(sys.executable))
    assert exe
    config = tmp_path / "broken.toml"
    config.write_text('[tool.importlinter]\nroot_package = "relapse_cli"\n\n'
                      '[[tool.importlinter.contracts]]\nname = "commands without SQL"\n'
                      'type = "forbidden"\nsource_modules = ["relapse_cli.log.commands"]\n'
                      'forbidden_modules = ["relapse_cli.log.store"]\n')  # fmt: skip
    proc = subprocess.run([exe, "--no-cache", "--config", str(config)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert proc.returncode != 0 and "BROKEN" in proc.stdout


def _cycles_module():
    """benchmarks/import_cycles.py, the script the issue's cycle figure comes from."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "import_cycles", ROOT / "benchmarks" / "import_cycles.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_import_cycles_at_module_level():
    """Issue 17: 0 cycles among relapse_cli's modules counting module-level imports."""
    counter = _cycles_module()
    groups = counter.cycles(counter.module_graph())
    assert groups == [], "\n".join(", ".join(g) for g in groups)


@pytest.mark.parametrize(
    ("a_imports", "b_imports", "expected"),
    [
        ("from relapse_cli import b\n", "from relapse_cli.a import X\n", [["relapse_cli.a", "relapse_cli.b"]]),
        ("import relapse_cli.b\n", "try:\n    import relapse_cli.a\nexcept ImportError:\n    pass\n",
         [["relapse_cli.a", "relapse_cli.b"]]),
        ("from relapse_cli import b\n", "def f():\n    from relapse_cli.a import X\n", []),  # lazy: runs later
        ("from relapse_cli import b\n", "if TYPE_CHECKING:\n    from relapse_cli.a import X\n", []),
        ("from relapse_cli import b\n", "import os\n", []),
    ],
)  # fmt: skip
def test_the_cycle_count_sees_what_runs_on_import(tmp_path, a_imports, b_imports, expected):
    """The counter can fail: a cycle made by module-level imports (also inside try) is found;
    one closed only by an import inside a function or under TYPE_CHECKING is not."""
    counter = _cycles_module()
    package = tmp_path / "relapse_cli"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text(a_imports + "X = 1\n")
    (package / "b.py").write_text("TYPE_CHECKING = False\n" + b_imports)
    assert counter.cycles(counter.module_graph(tmp_path)) == expected

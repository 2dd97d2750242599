"""The type checker holds the code's shape (issue 17): mypy over relapse_cli is clean with the
settings in pyproject.toml ([tool.mypy]), and the few `# type: ignore` left each name their
error code and say why."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<code>\[[a-z, -]+\])?(?P<rest>.*)$")
MAX_IGNORES = 20


@pytest.mark.slow
def test_mypy_is_clean(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, NO_COLOR="1", MYPY_FORCE_COLOR="0"),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "Success" in proc.stdout


def ignores() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted((ROOT / "relapse_cli").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if IGNORE.search(line):
                found.append((str(path.relative_to(ROOT)), n, line.strip()))
    return found


def test_few_ignores_each_with_code_and_reason():
    found = ignores()
    assert len(found) < MAX_IGNORES, f"{len(found)} type: ignore in relapse_cli:\n" + "\n".join(
        f"{p}:{n}: {line}" for p, n, line in found
    )
    for path, n, line in found:
        match = IGNORE.search(line)
        assert match and match["code"], f"{path}:{n}: a type: ignore names its error code"
        reason = match["rest"].strip().lstrip("#").strip()
        assert len(reason) >= 10, f"{path}:{n}: a type: ignore says why after it: {line}"


def test_the_ignore_check_can_fail():
    assert IGNORE.search("x = f()  # type: ignore")["code"] is None
    assert IGNORE.search("x = f()  # type: ignore[arg-type]")["rest"].strip() == ""

"""Language review: no stigmatizing words in anything the package can show a person.

CLINICAL.md section 1: never "addict", "alcoholic", "junkie", "clean/dirty", "failure". The
scan covers every string constant in relapse_cli/**/*.py (f-string pieces included, and the
docstrings of decorated functions, which Typer shows as help) and every string value in the
packaged data files (TOML, JSON). Module, class and plain function docstrings are for
developers and are not scanned.
"""

from __future__ import annotations

import ast
import json
import pathlib
import re
import sys

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10 only
    import tomli as tomllib

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "relapse_cli"
# The six from issue 6, and "relapsed" (a verdict on a person; say "a lapse", "return to use").
FORBIDDEN = re.compile(r"\b(addict|alcoholic|junkie|clean|dirty|failure|relapsed)s?\b",
                       re.IGNORECASE)  # fmt: skip

# Allowed, each for a reason that is not the tool's own voice:
CITATIONS = re.compile(
    r"\b(?:Br J Addict|Addict Behav(?: Rep)?|J Addict Med)\b"  # journal titles in sources
    r"|\bAlcoholics Anonymous\b|\balcoholics-anonymous\.org"  # a fellowship's own name/site
)
VERBATIM = {
    # PHQ-9 item 6 is a validated instrument and must be shown word for word (Kroenke,
    # Spitzer & Williams 2001; Pfizer: "no permission required to reproduce"). The tool's own
    # words around it follow CLINICAL.md section 1.
    ("screener_phq9.toml", "failure"),
}


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """ids of docstring constants that are not shown to a person (module, class, undecorated
    function); a decorated function's docstring is Typer help text and is kept."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            decorated = bool(getattr(node, "decorator_list", []))
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str) and not decorated):  # fmt: skip
                skip.add(id(body[0].value))
    return skip


def python_strings(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    skip = _docstring_nodes(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in skip]  # fmt: skip


def data_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in data_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in data_strings(v)]
    return []


def offences(text: str, file: str) -> list[str]:
    cleaned = CITATIONS.sub("", text)
    return [m.group(0) for m in FORBIDDEN.finditer(cleaned)
            if (file, m.group(0).lower().rstrip("s")) not in VERBATIM]  # fmt: skip


def all_files() -> list[pathlib.Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".toml", ".json")
                  and "__pycache__" not in p.parts)  # fmt: skip


@pytest.mark.parametrize("path", all_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_stigmatizing_words(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        found = [(line, word) for line, s in python_strings(text)
                 for word in offences(s, path.name)]  # fmt: skip
    else:
        data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
        found = [(0, word) for s in data_strings(data) for word in offences(s, path.name)]
    assert found == [], f"{path.name}: {found} (say lapse, return to use, person in recovery)"


def test_the_scan_can_fail():
    source = '''
"""Module docs may say failure (developers only)."""
import typer
app = typer.Typer()

@app.command()
def sos():
    """Shown as help: you are not an addict."""

def helper():
    """Internal: clean up."""
    return f"You stayed clean for {3} days"
'''
    words = [w for _, s in python_strings(source) for w in offences(s, "x.py")]
    assert words == ["addict", "clean"]
    assert offences("Alcoholics and junkies", "x.toml") == ["Alcoholics", "junkies"]
    assert offences("You relapsed again", "x.toml") == ["relapsed"]
    assert offences("relapse sos; a relapse-prevention plan", "x.toml") == []
    assert offences("Hartwell et al., Addict Behav Rep 2019", "x.toml") == []
    assert offences("Alcoholics Anonymous (alcoholics-anonymous.org.uk)", "x.toml") == []
    assert offences("you are a failure", "screener_phq9.toml") == []
    assert offences("you are a failure", "other.toml") == ["failure"]


def test_the_scan_covers_the_crisis_and_plan_text():
    names = {p.name for p in all_files()}
    assert {"crisis_lines.toml", "plan.py", "sos.py", "sos_text.py", "lapse.py"} <= names

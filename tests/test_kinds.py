"""The registry of commands and record kinds (relapse_cli/kinds.py) and what is derived from it.

Each test holds a derived list to the thing it describes: the tables of a freshly migrated
journal, the commands the modules really register, their help text, the modules a command
imports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from relapse_cli import kinds


def _fresh_tables(path: str) -> dict[str, list[str]]:
    """table -> column names, of a journal opened (so migrated) just now."""
    from relapse_cli.storage.db import open_journal

    con = open_journal(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: [r[1] for r in con.execute(f"PRAGMA table_info([{n}])")] for n in names}
    finally:
        con.close()


def test_every_table_with_a_uuid_is_owned_by_a_kind(journal):
    """A new record kind's table (it has a uuid, like every record) needs its registry line,
    or `purge --all` would keep it, and --kinds and import checks would not know it."""
    tables = _fresh_tables(journal)
    with_uuid = sorted(n for n, cols in tables.items() if "uuid" in cols)
    assert len(with_uuid) >= 15  # the test sees the real schema
    assert [n for n in with_uuid if kinds.owner(n) is None] == []


def test_every_table_is_owned_or_internal_and_every_owned_table_exists(journal):
    tables = set(_fresh_tables(journal))
    owned = kinds.purge_tables()
    assert len(owned) == len(set(owned)), "a table owned twice"
    assert tables - set(kinds.INTERNAL_TABLES) == set(owned)


def test_purge_order_empties_links_before_what_they_point_to(journal):
    """With foreign keys on, `purge --all` must delete a referencing table first."""
    from relapse_cli.storage.db import open_journal

    order = {name: i for i, name in enumerate(kinds.purge_tables())}
    con = open_journal(journal)
    try:
        for table in order:
            for fk in con.execute(f"PRAGMA foreign_key_list([{table}])"):
                parent = fk[2]
                if parent != table:
                    assert order[table] < order[parent], (table, parent)
    finally:
        con.close()


def test_purge_all_leaves_every_owned_table_empty(cli, journal):
    """Records of several kinds, then purge --all: no owned table keeps a row."""
    for args in (("log", "craving", "6", "-t", "stress", "--coped", "walk"), ("log", "use"),
                 ("plan", "add", "reasons", "my kids"), ("checkin", "--mood", "6"),
                 ("log", "withdrawal", "--anxiety", "2")):  # fmt: skip
        cli(*args)
    import sqlite3

    con = sqlite3.connect(journal)
    before = {t: con.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
              for t in kinds.purge_tables()}  # fmt: skip
    con.close()
    assert sum(1 for n in before.values() if n) >= 4, before  # the setup really wrote rows
    assert cli("purge", "--all", "--yes").code == 0
    con = sqlite3.connect(journal)
    after = {t: con.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
             for t in kinds.purge_tables()}  # fmt: skip
    con.close()
    assert set(after.values()) == {0}, after


def test_kind_words_name_real_tables_or_entry_kinds(journal):
    from relapse_cli.log.model.entries import KINDS as ENTRY_KINDS

    tables = set(_fresh_tables(journal))
    for kind in kinds.KINDS:
        for word, name in kind.words:
            assert name in tables or name in ENTRY_KINDS, (kind, word, name)
    shown = kinds.shown_words()
    assert all(kinds.kind_words()[word] == table for table, word in shown.items())


def test_validators_resolve_to_functions_of_owned_tables():
    from relapse_cli.share.store import portable

    checks = portable.validators()
    assert set(checks) == set(kinds.validator_paths())
    for table, hooks in checks.items():
        assert kinds.owner(table) is not None
        assert hooks and all(callable(h) for h in hooks), table


def test_registry_commands_are_exactly_what_the_modules_register():
    from relapse_cli.cli.app import build_click

    names = [c.name for c in kinds.COMMANDS]
    assert len(names) == len(set(names))
    assert set(build_click().commands) == set(names)
    for kind in kinds.KINDS:
        assert set(kind.commands) <= set(names), kind


@pytest.mark.parametrize("entry", kinds.COMMANDS, ids=lambda c: c.name)
def test_each_command_comes_from_its_declared_module(entry):
    """Loading only the declared module yields the command (so the lazy group finds it)."""
    import importlib

    import typer

    from relapse_cli.cli.typer_build import make_typer

    holder = make_typer()
    getattr(importlib.import_module(entry.module), entry.register)(holder)
    assert entry.name in typer.main.get_group(holder).commands


@pytest.mark.parametrize("entry", kinds.COMMANDS, ids=lambda c: c.name)
def test_registry_help_is_the_commands_own_first_paragraph(entry):
    """`relapse --help` is drawn from the registry: it must say what the command says."""
    from relapse_cli.cli.app import build_click

    real = build_click().commands[entry.name]
    assert real.short_help is None and not real.deprecated and not real.hidden
    first = (real.help or "").split("\n\n")[0]
    assert " ".join(first.split()) == entry.help


@pytest.mark.parametrize("width", [40, 60, 80, 100, 140, 220])
def test_lazy_help_is_the_full_trees_help(width):
    from relapse_cli.cli.app import build_click, lazy_click

    def shown(command: object) -> str:
        ctx = command.make_context("relapse", [], resilient_parsing=True,  # type: ignore[attr-defined]
                                   terminal_width=width, max_content_width=width)  # fmt: skip
        return ctx.get_help()

    assert shown(lazy_click()) == shown(build_click())


PROBE = """
import json, sys
from relapse_cli.entry import main
code = main(sys.argv[1:])
sys.stdout.flush()
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""

COMMAND_MODULES = {c.module for c in kinds.COMMANDS} - {"relapse_cli.cli.app"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "allowed"),
    [(["--help"], set()),
     (["checkin", "--help"], {"relapse_cli.checkins.commands"}),
     (["plan"], {"relapse_cli.plan.commands.plan"}),
     (["history", "--limit", "5"], {"relapse_cli.log.commands.history"}),
     (["summary"], {"relapse_cli.insights.commands"})],
)  # fmt: skip
def test_a_command_imports_only_its_own_module(tmp_path, args, allowed):
    env = dict(os.environ, RELAPSE_JOURNAL=str(tmp_path / "j.db"), HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    loaded = COMMAND_MODULES & set(report["modules"])
    assert loaded <= allowed | _SECTION_MODULES_FOR.get(args[0], set()), sorted(loaded - allowed)


# `relapse summary` shows every kind's dashboard section, so it loads the modules holding them
# (care_sections reads through helpers of care/commands/meds.py and care/commands/appointments.py: services that
# live in cli today, to move with the restructure of issue 17).
_SECTION_MODULES_FOR = {
    "summary": {k.sections.partition(":")[0] for k in kinds.KINDS if k.sections}
    | {"relapse_cli.care.commands.meds", "relapse_cli.care.commands.appointments"},
}


def test_sections_exist_without_building_the_app():
    """A codec used alone (no build_app) still has every kind's report and dashboard section."""
    probe = (
        "import sys, json\n"
        "from relapse_cli.share.formats import sections\n"
        "from relapse_cli.kinds import load_sections\n"
        "load_sections()\n"
        "from relapse_cli.insights import commands as summary\n"
        "print(json.dumps({'report': [f.__module__ for f in sections.SECTION_BUILDERS],\n"
        "  'dashboard': [f.__module__ for f in summary.MORE_SECTIONS],\n"
        "  'app': 'relapse_cli.cli.app' in sys.modules}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    got = json.loads(proc.stdout)
    assert got["app"] is False
    hooks = [k.sections.partition(":")[0] for k in kinds.KINDS if k.sections]
    # every kind's module adds a dashboard section, in the registry's order
    assert [m for m in got["dashboard"] if m in hooks] == hooks
    for module in ("relapse_cli.thoughts.sections", "relapse_cli.care.sections",
                   "relapse_cli.breathing.sections", "relapse_cli.homework.sections"):  # fmt: skip
        assert module in got["report"], module

"""No network, ever: every command works with socket creation refused, and no module of the
package imports a networking library."""

from __future__ import annotations

import ast
import socket
import stat
from pathlib import Path

import relapse_cli

NETWORK_MODULES = {"socket", "ssl", "http", "urllib", "requests", "httpx", "aiohttp", "ftplib",
                   "smtplib", "asyncio", "websocket", "xmlrpc", "telnetlib"}  # fmt: skip

HOMEWORK = """\
title = "Two weeks of noticing"
start = 2026-11-20
due = 2026-12-04

[assigned_by]
name = "Alex Doe"

[[tasks]]
id = "cravings"
kind = "cravings"

[[tasks]]
id = "pain"
kind = "tracker"
name = "pain"
min = 0
max = 10

[[tasks]]
id = "reflect"
kind = "reflection"
prompt = "List three situations where you felt the pull to drink."
"""


def test_every_command_works_with_the_network_refused(cli, monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("relapse-cli tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    homework = tmp_path / "homework.toml"
    homework.write_text(HOMEWORK)
    out = tmp_path / "out"
    out.mkdir()
    commands = [
        ("log", "craving", "7", "-t", "stress", "-c", "walk", "-o", "resisted"),
        ("log", "mood", "5", "--anxiety", "4", "--at", "2026-11-20 10:00"),
        ("log", "trigger", "bar"),
        ("log", "use", "-s", "alcohol", "--amount", "2", "--unit", "drinks"),
        ("log", "withdrawal", "--tremor", "1", "--sweating", "2"),
        ("log", "craving", "9"),
        ("history",), ("summary",), ("summary", "--all", "--json"), ("trends",),
        ("triggers",), ("coping",), ("config", "country", "GB"), ("config",), ("path",),
        ("plan", "add", "reasons", "my kids"), ("plan", "add", "coping", "walk round the block"),
        ("plan",), ("sos",), ("sos", "--country", "US"),
        ("checkin", "--mood", "6", "--medication", "yes"),
        ("checkin", "phq9", "--answers", "1,0,1,0,0,1,0,0,0"),
        ("checkin", "gad7", "--answers", "1,1,0,0,1,0,0"), ("checkin", "history"),
        ("think", "--situation", "payday evening", "--mood", "anxious=80", "--thought",
         "I deserve a drink", "--hot", "1", "--trap", "permission-giving", "--for", "long week",
         "--against", "I said the same last time", "--balanced", "I can rest without it",
         "--belief", "60", "--mood-after", "anxious=40"),
        ("thoughts",), ("thoughts", "traps"), ("traps",),
        ("think", "balance", "--using-good", "relief", "--not-using-good", "health",
         "--importance", "8", "--confidence", "6"),
        ("breathe",), ("breathe", "box", "--cycles", "2", "--plain", "--quiet"),
        ("breathe", "--history"),
        ("meds", "add", "naltrexone", "--dose", "50 mg", "-t", "08:00"), ("meds",),
        ("meds", "take", "naltrexone"),
        ("appointments", "add", "therapy", "2026-12-01 14:00"), ("appointments", "list"),
        ("withdrawal",), ("resources",),
        ("homework", "check", str(homework)), ("homework", "load", str(homework), "--yes"),
        ("homework",), ("homework", "list"), ("log", "pain", "4"),
        ("homework", "answer", "reflect", "--text", "payday, Friday drinks, after the row"),
        ("homework", "remind", "-o", str(out / "homework.ics")),
        ("demo", "--out", str(tmp_path / "demo.db")),
        ("--journal", str(tmp_path / "demo.db"), "remind", "--risky", "-o", str(out / "r.ics")),
        ("export", "-f", "json", "-o", str(out / "j.json")),
        ("export", "-f", "csv", "-o", str(out / "j.zip")),
        ("export", "-f", "md", "-o", str(out / "j.md")),
        ("export", "-f", "html", "-o", str(out / "j.html")),
        ("export", "-f", "tlfb", "-o", str(out / "j.tlfb")),
        ("export", "-f", "fhir", "-o", str(out / "j.fhir")),
        ("review", str(out / "j.json")), ("import", str(out / "j.json")),
        ("doctor",), ("backup", "-o", str(tmp_path / "b.db")),
        ("--help",), ("--version",),
    ]  # fmt: skip
    for args in commands:
        result = cli(*args)
        assert result.code == 0, (args, result.err)
    # Everything the tool wrote along the way is private: files 0600, its folders 0700.
    written = [p for p in tmp_path.rglob("*") if p != homework and "home" not in p.parts
               and p != out]  # fmt: skip
    assert len(written) >= 12
    for path in written:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (str(path), oct(mode))


def test_no_module_imports_a_networking_library():
    root = Path(relapse_cli.__file__).parent
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in NETWORK_MODULES, f"{path}: imports {name}"

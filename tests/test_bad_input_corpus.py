"""Bad input across every command, systematically (together with tests/test_bad_input.py).

Each case answers with one line on stderr that starts ``relapse:``, exit 2 for the person's
input (1 for the machine's faults), no traceback, and every record byte-identical afterwards.
Paths in braces are made per test: {dir} a folder, {rand} random bytes, {wrong} JSON that is
not an export, {exists} an existing file, {mem} a file that fails on read.
"""

from __future__ import annotations

import os
import sqlite3

import pytest

from tests.conftest import records

MB = "x" * 1_000_000

CORPUS: list[tuple[tuple[str, ...], int, str]] = [
    # empty strings
    (("log", "use", "-s", ""), 2, "substance"),
    (("triggers", "add", ""), 2, "empty trigger name"),
    (("coping", "add", "  "), 2, "empty coping strategy name"),
    (("log", "trigger", ""), 2, "empty trigger name"),
    (("log", "craving", "5", "--outcome", ""), 2, "unknown outcome"),
    (("export", "-f", ""), 2, "unknown format"),
    (("config", "country", ""), 2, "two-letter"),
    (("config", "substances", ""), 2, "empty substance name"),
    (("history", "--kind", ""), 2, "unknown kind"),
    # wrong types and out of range
    (("log", "craving", "1e3"), 2, "must be a whole number in plain digits"),
    (("log", "craving", "5.5"), 2, "must be a whole number in plain digits"),
    (("log", "mood", "4", "--energy", "12"), 2, "energy"),
    (("log", "mood", "4", "--sleep", "-1"), 2, "sleep hours"),
    (("log", "mood", "4", "--sleep", "inf"), 2, "sleep hours"),
    (("log", "craving", "5", "--minutes", "-3"), 2, "duration"),
    (("history", "--limit", "0"), 2, "--limit"),
    (("history", "--limit", "abc"), 2, "--limit"),
    (("trends", "--by", "year"), 2, "--by must be"),
    (("summary", "--week", "--month"), 2, "choose one"),
    (("export", "-f", "pdf"), 2, "unknown format"),
    (("export", "--kinds", "dreams"), 2, "unknown kind"),
    # 1 MB strings
    (("log", "craving", "5", "-w", MB), 2, "too long"),
    (("log", "use", "-s", "alcohol", "--context", MB), 2, "too long"),
    (("triggers", "add", MB), 2, "too long"),
    (("config", "name", MB), 2, "too long"),
    # NUL, control characters, ANSI escapes, bidi overrides in names
    (("coping", "add", "a\x00b"), 2, "control characters"),
    (("log", "craving", "5", "-s", "\x1b[31mred"), 2, "control characters"),
    (("log", "craving", "5", "-c", "walk\x1b[2J"), 2, "control characters"),
    (("log", "craving", "5", "-t", "a\u202eb"), 2, "control characters"),
    (("triggers", "add", "rtl\u2067x"), 2, "control characters"),
    (("config", "name", "a\x1b]8;;x\x07b"), 2, "control characters"),
    (("show", "ab\x1bcd"), 2, "not an entry id"),
    # unparseable and future dates
    (("log", "craving", "5", "--at", "2026-11-25 25:00"), 2, "unknown time"),
    (("log", "craving", "5", "--at", "\u0661\u0662:00"), 2, "unknown time"),
    (("log", "craving", "5", "--at", "next week"), 2, "is in the future"),
    (("log", "mood", "5", "--at", "2026-12-01"), 2, "in the future"),
    (("summary", "--since", "whenever"), 2, "unknown time"),
    (("export", "--since", "junk"), 2, "unknown time"),
    (("config", "recovery_start", "2026-02-30"), 2, "date like"),
    # unknown ids
    (("edit", "zzzz", "--note", "x"), 2, "not an entry id"),
    (("delete", "50c"), 2, "not an entry id"),
    (("purge", "ffffffff", "--yes"), 2, "no entry"),
    # files: missing, folders, not exports, unreadable, existing outputs
    (("import", "{dir}/missing.json"), 2, "no such file"),
    (("import", "{dir}"), 2, "is a folder"),
    (("import", "{wrong}"), 2, "not a relapse-cli JSON export"),
    (("import", "{rand}"), 2, "not a relapse-cli export"),
    (("import", "{mem}"), 1, "cannot read"),
    (("review", "{rand}"), 2, "not a relapse-cli export"),
    (("review", "{dir}"), 2, "no exports found"),  # a folder is a caseload (issue 18)
    (("review", "{exists}"), 2, "not valid JSON"),
    (("restore", "{dir}"), 2, "is a folder"),
    (("restore", "{rand}"), 2, "not a relapse journal"),
    (("restore", "{mem}"), 1, "cannot open"),
    (("backup", "-o", "{dir}"), 2, "is a folder"),
    (("export", "-f", "json", "-o", "{dir}"), 2, "is a folder"),
    (("export", "-f", "json", "-o", "{exists}"), 2, "already exists"),
    (("export", "-f", "csv", "-o", "{exists}"), 2, "is a file"),
    (("lock", "--passphrase-file", "{dir}/missing"), 2, "passphrase file"),
    (("--journal", "{dir}", "history"), 1, "is a folder"),
]


@pytest.fixture
def files(tmp_path) -> dict[str, str]:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    (tmp_path / "random.bin").write_bytes(os.urandom(3000))
    (tmp_path / "wrong.json").write_text('{"a": 1}')
    (tmp_path / "exists.json").write_text("")
    return {"dir": str(folder), "rand": str(tmp_path / "random.bin"),
            "wrong": str(tmp_path / "wrong.json"), "exists": str(tmp_path / "exists.json"),
            "mem": "/proc/self/mem"}  # fmt: skip


@pytest.fixture
def seeded(cli, journal):
    assert cli("log", "craving", "5", "-t", "stress", "--at", "2026-11-24 18:00").code == 0
    assert cli("log", "mood", "6").code == 0
    return records(journal)


def _one_clean_line(result, code: int, message: str) -> None:
    assert result.code == code, (result.code, result.err)
    assert result.err.startswith("relapse: "), result.err
    assert result.err.count("\n") == 1, result.err
    assert message in result.err, result.err
    assert "Traceback" not in result.err
    assert "\x1b" not in result.err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    CORPUS,
    ids=[" ".join(a)[:40].encode("unicode_escape").decode() for a, _, _ in CORPUS],
)
def test_corpus(cli, journal, seeded, files, args, code, message):
    result = cli(*(a.format(**files) if "{" in a else a for a in args))
    _one_clean_line(result, code, message)
    assert records(journal) == seeded


def test_ambiguous_id_prefix_names_both(cli, journal, seeded):
    con = sqlite3.connect(journal)
    con.execute("UPDATE entries SET uuid = 'abcd' || substr(uuid, 5)")
    con.commit()
    con.close()
    before = records(journal)
    for args in (("show", "abcd"), ("edit", "abcd", "--intensity", "3"), ("delete", "abcd")):
        result = cli(*args)
        _one_clean_line(result, 2, "abcd")
        assert "more" in result.err or "ambiguous" in result.err or "several" in result.err
        assert records(journal) == before


def test_journal_locked_by_another_writer(cli, journal, seeded, monkeypatch):
    """A writer that holds the journal longer than the busy timeout (30 s in real life;
    shortened here) gets one line and exit 1; reading still works meanwhile (WAL)."""
    from relapse_cli.storage import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 150)
    holder = sqlite3.connect(journal, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE entries SET note = 'held' WHERE 0")
    try:
        result = cli("log", "craving", "6")
        _one_clean_line(result, 1, "busy")
        assert cli("history").code == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert records(journal) == seeded


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file; /proc/self/mem covers it")
def test_unreadable_export_file(cli, journal, seeded, tmp_path):
    path = tmp_path / "private.json"
    path.write_text("{}")
    path.chmod(0)
    _one_clean_line(cli("import", str(path)), 1, "cannot")
    assert records(journal) == seeded


def test_corpus_is_large_enough():
    from tests.test_bad_input import BAD

    assert len(CORPUS) + len(BAD) >= 60

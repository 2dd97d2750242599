"""Bad input: one clear line on stderr, exit 2 (1 for the machine's faults), journal unchanged."""

from __future__ import annotations

import os
import sqlite3

import pytest

from tests.conftest import records

BAD = [
    (("log", "craving", "11"), "must be 0–10"),
    (("log", "craving", "-1"), "must be 0–10, not -1"),
    (("log", "craving", "seven"), "must be a whole number in plain digits, not 'seven'"),
    (("log", "craving", "5", "--outcome", "maybe"), "unknown outcome"),
    (("log", "craving", "5", "-t", ""), "empty trigger name"),
    (("log", "craving", "5", "-t", " , "), "empty trigger name"),
    (("log", "craving", "5", "--after", "12"), "must be 0–10"),
    (("log", "craving", "5", "--minutes", "100000"), "duration"),
    (("log", "craving", "5", "-t", "a\x1bb"), "control characters"),
    (("log", "craving", "5", "-t", "x" * 81), "too long"),
    (("log", "craving", "5", "--note", "x" * 1_000_000), "too long"),
    (("log", "craving", "5", "--note", "a\x00b"), "NUL"),
    (("log", "craving", "5", "--at", "tomorrow"), "is in the future"),
    (("log", "craving", "5", "--at", "in 2 hours"), "is in the future"),
    (("log", "craving", "5", "--at", "2027-01-01 10:00"), "in the future"),
    (("log", "craving", "5", "--at", "today 23:30"), "in the future"),
    (("log", "craving", "5", "--at", "2026-02-30"), "February 2026 has 28 days"),
    (("log", "craving", "5", "--at", ""), "empty time"),
    (("log", "mood", "4", "--sleep", "25"), "sleep hours"),
    (("log", "mood", "4", "--sleep", "nan"), "sleep hours"),
    (("log", "mood", "4", "--anxiety", "11"), "anxiety"),
    (("log", "use", "-s", "alcohol", "--amount", "-2"), "amount must be 0–1000, not -2"),
    (("log", "use", "-s", "alcohol", "--amount", "5000"), "amount"),
    (("log", "use", "-s", "   "), "needs its substance"),
    (("log", "feelings", "3"), "nothing to log called 'feelings': log one of craving"),
    (("history", "--kind", "dreams"), "unknown kind"),
    (("history", "--since", "whenever"), "unknown time"),
    (("history", "--since", "2026-11-20", "--until", "2026-11-01"), "after --until"),
    (("show", "zz"), "not an entry id"),
    (("show", "ffffffff"), "no entry"),
    (("edit", "ffffffff", "--intensity", "3"), "no entry"),
    (("delete", "ffffffff"), "no entry"),
    (("purge",), "name entry ids or --all"),
    (("config", "colour", "blue"), "unknown setting"),
    (("config", "country", "Narnia"), "two-letter"),
    (("config", "recovery_start", "soon"), "date like"),
    (("config", "recovery_start", "2030-01-01"), "future"),
    (("triggers", "category", "stress", "spicy"), "unknown category"),
    (("triggers", "rename", "nothing-here", "x"), "no trigger"),
]


@pytest.fixture
def seeded(cli, journal):
    assert cli("log", "craving", "5", "-t", "stress").code == 0
    return records(journal)


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a)[:40] for a, _ in BAD])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(cli, journal, seeded, args, message):
    result = cli(*args)
    assert result.code == 2, (result.out, result.err)
    assert message in result.err
    assert result.err.startswith("relapse: ")
    assert result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    assert records(journal) == seeded


def test_edit_refuses_fields_of_another_kind(cli, journal, seeded):
    entry_id = cli("history", "--json").json()[0]["uuid"][:8]
    result = cli("edit", entry_id, "--sleep", "7")
    assert result.code == 2 and "craving entries have no sleep hours" in result.err
    assert records(journal) == seeded


def test_journal_in_missing_folder(cli, tmp_path):
    result = cli("--journal", str(tmp_path / "nope" / "j.db"), "log", "craving", "5")
    assert result.code == 1
    assert "does not exist" in result.err
    assert not (tmp_path / "nope").exists()


def test_journal_under_a_file(cli, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    result = cli("--journal", str(blocker / "j.db"), "log", "craving", "5")
    assert result.code == 1 and result.err.count("\n") == 1


def test_journal_in_read_only_place(cli):
    # Tests run as root in CI, where chmod cannot make a folder read-only; /proc refuses
    # new files even to root, which is the same fault a read-only mount gives.
    result = cli("--journal", "/proc/relapse-journal.db", "log", "craving", "5")
    assert result.code == 1
    assert "relapse: cannot" in result.err and result.err.count("\n") == 1


def test_file_that_is_not_a_journal(cli, tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_bytes(os.urandom(4096))
    before = junk.read_bytes()
    result = cli("--journal", str(junk), "log", "craving", "5")
    assert result.code == 1 and "not a relapse journal" in result.err
    assert junk.read_bytes() == before


def test_other_sqlite_database_is_refused_untouched(cli, tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE recipes (name TEXT)")
    con.commit()
    con.close()
    before = other.read_bytes()
    result = cli("--journal", str(other), "log", "craving", "5")
    assert result.code == 1 and "not a relapse journal" in result.err
    assert other.read_bytes() == before


def test_journal_path_is_a_folder(cli, tmp_path):
    result = cli("--journal", str(tmp_path), "log", "craving", "5")
    assert result.code == 1 and "is a folder" in result.err


def test_debug_shows_the_traceback(cli):
    with pytest.raises(Exception, match="must be 0–10"):
        cli("--debug", "log", "craving", "11")

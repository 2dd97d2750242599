"""Looking back and correcting: history filters, show, edit, delete/undo, purge."""

from __future__ import annotations

import sqlite3

import pytest

from relapse_cli.prompter import ScriptedPrompter


@pytest.fixture
def three(cli):
    assert cli("log", "craving", "7", "-t", "stress", "--at", "2026-11-20 18:00").code == 0
    assert cli("log", "mood", "4", "--at", "2026-11-21 09:00").code == 0
    assert cli("log", "use", "-s", "alcohol", "-t", "party", "--at", "2026-11-22 22:00").code == 0
    return {e["kind"]: e["uuid"] for e in cli("history", "--json").json()}


def test_newest_first_and_filters(cli, three):
    kinds = [e["kind"] for e in cli("history", "--json").json()]
    assert kinds == ["use", "mood", "craving"]
    assert [e["kind"] for e in cli("history", "--kind", "craving,use", "--json").json()] == [
        "use", "craving"]  # fmt: skip
    assert [e["kind"] for e in cli("history", "-k", "lapse", "--json").json()] == ["use"]
    since = cli("history", "--since", "2026-11-21", "--until", "2026-11-21", "--json").json()
    assert [e["kind"] for e in since] == ["mood"]
    assert [e["kind"] for e in cli("history", "--trigger", "STRESS", "--json").json()] == [
        "craving"]  # fmt: skip
    assert len(cli("history", "--limit", "2", "--json").json()) == 2
    table = cli("history")
    assert "lapse" in table.out and "triggers: stress" in table.out


def test_empty_history_says_how_to_start(cli):
    result = cli("history")
    assert result.code == 0 and "relapse log craving" in result.out


def test_show_by_prefix(cli, three):
    uuid = three["craving"]
    result = cli("show", uuid[:6])
    assert result.code == 0
    assert "Intensity (0-10)" in result.out and "stress" in result.out and uuid in result.out
    data = cli("show", uuid[:8].upper(), "--json").json()
    assert data["uuid"] == uuid and data["local_time"].startswith("2026-11-20T18:00")


def test_ambiguous_prefix(cli, journal):
    assert cli("path").code == 0 and cli("history").code == 0  # creates the journal
    con = sqlite3.connect(journal)
    for uuid in ("abcd0000-0000-4000-8000-000000000001", "abcd0000-0000-4000-8000-000000000002"):
        con.execute(
            "INSERT INTO entries (uuid, kind, occurred_at, utc_offset_min, intensity, created_at,"
            " updated_at) VALUES (?, 'craving', '2026-11-20T10:00:00Z', 0, 3, 'x', 'x')",
            (uuid,),
        )
    con.commit()
    con.close()
    result = cli("show", "abcd")
    assert result.code == 2 and "more than one" in result.err
    assert cli("show", "abcd0000-0000-4000-8000-000000000002").code == 0


def test_edit_and_undo(cli, three):
    uuid = three["craving"]
    result = cli("edit", uuid[:8], "--intensity", "5", "-t", "payday,evening", "--note", "fixed")
    assert result.code == 0, result.err
    entry = cli("show", uuid[:8], "--json").json()
    assert entry["intensity"] == 5 and entry["triggers"] == ["payday", "evening"]
    assert entry["note"] == "fixed"
    undo = cli("undo")
    assert undo.code == 0 and "Reverted" in undo.out
    entry = cli("show", uuid[:8], "--json").json()
    assert entry["intensity"] == 7 and entry["triggers"] == ["stress"] and "note" not in entry


def test_edit_time(cli, three):
    uuid = three["mood"]
    assert cli("edit", uuid[:8], "--at", "2026-11-21 10:30").code == 0
    assert cli("show", uuid[:8], "--json").json()["occurred_at"] == "2026-11-21T10:30:00Z"


def test_delete_hides_and_undo_restores(cli, three):
    uuid = three["use"]
    result = cli("delete", uuid[:8])
    assert result.code == 0 and "relapse undo" in result.out
    assert uuid not in {e["uuid"] for e in cli("history", "--json").json()}
    assert cli("show", uuid[:8]).code == 2
    assert cli("undo").code == 0
    assert uuid in {e["uuid"] for e in cli("history", "--json").json()}
    assert "Nothing to undo" in cli("undo").out


def test_purge_removes_for_good_and_leaves_no_trace(cli, journal):
    secret = "a very private sentence 7f3a"
    assert cli("log", "craving", "6", "--note", secret, "-t", "secret-trigger-xyz").code == 0
    uuid = cli("history", "--json").json()[0]["uuid"]
    refused = cli("purge", uuid[:8])
    assert refused.code == 2 and "--yes" in refused.err
    result = cli("purge", uuid[:8], "--yes")
    assert result.code == 0 and "Removed 1 entry for good" in result.out
    assert cli("history", "--json").json() == []
    data = b""
    import glob

    for path in glob.glob(journal + "*"):
        with open(path, "rb") as fh:
            data += fh.read()
    assert secret.encode() not in data


def test_purge_all_asks_on_a_terminal(cli, three):
    no = cli("purge", "--all", prompter=ScriptedPrompter(["no"]))
    assert no.code == 0 and "Nothing removed" in no.out
    assert len(cli("history", "--json").json()) == 3
    yes = cli("purge", "--all", prompter=ScriptedPrompter(["yes"]))
    assert yes.code == 0 and "Removed 3 entries" in yes.out
    assert cli("history", "--json").json() == []
    assert cli("triggers", "--json").json() == []


def test_purge_hidden_entry(cli, three):
    uuid = three["mood"]
    assert cli("delete", uuid[:8]).code == 0
    assert cli("purge", uuid[:8], "--yes").code == 0
    assert "Nothing to undo" in cli("undo").out


def test_more_than_the_limit_says_how_many_and_how_to_see_them(cli):
    for n in range(27):
        assert (
            cli(
                "log", "craving", str(n % 10), "--at", f"2026-11-{(n % 20) + 1:02d} 0{n % 9}:30"
            ).code
            == 0
        )
    table = cli("history")
    assert "Showing the newest 20 of 27 entries. For all of them: relapse history --limit 27" in (
        table.out
    )
    assert len(cli("history", "--json").json()) == 20  # JSON: just the rows
    assert "Showing the newest" not in cli("history", "--limit", "27").out
    assert "Showing the newest 5 of 27" in cli("history", "-l", "5").out


def test_the_note_column_appears_only_when_a_note_is_shown(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    assert cli("log", "craving", "6", "-t", "payday, a long walk past the old bar").code == 0
    table = cli("history").out
    assert "note" not in table.splitlines()[0]
    assert "payday, a long walk past the old bar" in " ".join(table.split())
    assert cli("log", "mood", "5", "--note", "slept badly").code == 0
    assert "note" in cli("history").out.splitlines()[0]

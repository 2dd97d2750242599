"""Looking back and correcting: history filters, show, edit, delete/undo, purge."""

from __future__ import annotations

import sqlite3

import pytest

from relapse_cli.core.prompter import ScriptedPrompter


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
    assert " use " in table.out and "triggers: stress" in table.out


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
            " updated_at) VALUES (?, 'craving', '2026-11-20T10:00:00Z', 0, 3, "
            "'2026-11-20T10:00:00Z', '2026-11-20T10:00:00Z')",  # the journal's CHECKs want real times
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


# ---- naming: one name per thing, no internal names (issue 19 item 20) -------------------------


def test_sleep_hours_is_one_option_in_log_mood_checkin_and_edit(cli, journal):
    assert cli("log", "mood", "4", "--sleep-hours", "6.5").code == 0
    assert cli("log", "mood", "5", "--sleep", "7").code == 0  # the older spelling still works
    assert [e["sleep_hours"] for e in cli("history", "--json").json()] == [7, 6.5]
    assert cli("checkin", "--sleep", "8").code == 0
    entry = cli("history", "--json").json()[0]["uuid"]
    assert cli("edit", entry, "--sleep-hours", "5").code == 0
    for args in (("log", "mood", "--help"), ("checkin", "--help")):
        assert "--sleep-hours" in cli(*args).out


def test_edit_says_what_changed_in_words_not_column_names(cli):
    assert cli("log", "craving", "6", "-o", "resisted").code == 0
    entry = cli("history", "--json").json()[0]["uuid"]
    result = cli("edit", entry, "--after", "2", "-w", "home", "--at", "2026-11-24 20:00")
    assert result.code == 0
    assert result.out.startswith(f"Updated {entry[:8]}: intensity after, time, where.")
    assert "_" not in result.out.split(".")[0]


def test_kind_use_is_shown_as_use_and_delete_reads_well(cli):
    assert cli("log", "use", "-s", "alcohol", "--amount", "2", "--unit", "drinks").code == 0
    assert cli("log", "mood", "4", "--at", "2026-11-24 09:00").code == 0
    rows = cli("history", "--kind", "use").out.splitlines()
    assert any(" use " in f" {r} " for r in rows) and not any("lapse" in r for r in rows)
    mood = cli("history", "--kind", "mood", "--json").json()[0]["uuid"]
    deleted = cli("delete", mood)
    assert deleted.out.startswith(
        "Hidden the mood entry of Tue 24 Nov 2026 09:00 (mood 4/10), id "
    ), deleted.out
    assert "mood mood" not in deleted.out


def test_show_and_delete_find_check_ins_screeners_and_thought_records(cli, journal):
    import sqlite3

    assert cli("checkin", "--mood", "6", "--note", "ok day").code == 0
    assert cli("checkin", "gad7", "--answers", "1,0,2,1,0,3,0").code == 0
    con = sqlite3.connect(journal)
    checkin = con.execute("SELECT uuid FROM checkins").fetchone()[0]
    gad7 = con.execute("SELECT uuid FROM screenings").fetchone()[0]
    con.close()
    shown = cli("show", checkin[:8])
    assert shown.code == 0 and "Check-in of Tue 24 Nov 2026 21:00: mood 6" in shown.out
    assert "Note: ok day" in shown.out
    assert cli("show", checkin[:8], "--json").json()["mood"] == 6
    assert "GAD-7 of Tue 24 Nov 2026 21:00: 7 of 21" in cli("show", gad7[:8]).out
    hidden = cli("delete", checkin[:8])
    assert hidden.code == 0 and "relapse checkin restore" in hidden.out
    con = sqlite3.connect(journal)
    assert con.execute("SELECT deleted_at FROM checkins").fetchone()[0] is not None
    con.close()
    think = cli("think", "--situation", "At the bus stop", "--mood", "anxious=70", "--thought",
                "I will mess this up", "--for", "last time", "--against", "I managed today",
                "--balanced", "It may go fine", "--belief", "60", "--mood-after", "anxious=40")  # fmt: skip
    assert think.code == 0, think.err
    con = sqlite3.connect(journal)
    record = con.execute("SELECT uuid FROM thought_records").fetchone()[0]
    con.close()
    assert "At the bus stop" in cli("show", record[:8]).out
    refused = cli("delete", record[:8])
    assert refused.code == 2 and f"relapse thoughts discard {record[:8]}" in refused.err
    missing = cli("show", "abcd1234")
    assert missing.code == 2 or missing.code == 1
    assert "no entry, check-in or thought record with id abcd1234" in missing.err


def test_import_and_kinds_messages_use_the_words_people_type(cli, journal, tmp_path):
    assert cli("plan", "add", "coping", "Call Sam").code == 0
    assert cli("log", "craving", "5").code == 0
    dump = tmp_path / "all.json"
    assert cli("export", "-f", "json", "-o", str(dump)).code == 0
    assert cli("purge", "--all", "--yes").code == 0
    imported = cli("import", str(dump))
    assert imported.code == 0 and "plan_items" not in imported.out and "_" not in imported.out
    assert "1 plan" in imported.out and "1 log entries" in imported.out
    bad = cli("export", "--kinds", "diary", "-f", "json", "-o", str(tmp_path / "x.json"))
    assert bad.code == 2 and "unknown kind 'diary'" in bad.err
    hint = bad.err.split("kinds: ", 1)[1]
    assert "_" not in hint and "plan" in hint and "thoughts" in hint


def test_one_date_format_in_every_command():
    """Weekday, day without a leading zero, month (then year and time): no "%d" left, so
    "Mon 2 Nov" reads the same in history, meds, appointments, thoughts and breathing."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parent.parent / "relapse_cli"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if re.search(r"%a %d %b", p.read_text())]  # fmt: skip
    assert offenders == []

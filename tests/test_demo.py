"""`relapse demo` builds a sample journal somewhere throwaway and never touches the real one."""

from __future__ import annotations

import os


def test_demo_never_touches_the_persons_journal(cli, journal, tmp_path):
    out = tmp_path / "sample.db"
    result = cli("demo", "--out", str(out))
    assert result.code == 0, result.err
    assert not os.path.exists(journal)
    assert "made-up data" in result.out and "Summary" in result.out
    entries = cli("--journal", str(out), "history", "--json", "--limit", "10000").json()
    kinds = {k: sum(e["kind"] == k for e in entries) for k in ("craving", "mood", "use", "trigger")}
    assert kinds["use"] == 2 and kinds["mood"] >= 59 and kinds["craving"] > 40
    assert kinds["trigger"] > 0
    assert all(e["occurred_at"] <= "2026-11-24T21:00:00Z" for e in entries)
    again = cli("demo", "--out", str(out))
    assert again.code == 2 and "already exists" in again.err


def _lives_at(out: str) -> str:
    line = next(line for line in out.splitlines() if "It lives at " in line)
    return line.split("It lives at ")[1].split(" for now")[0].strip()


def test_demo_default_goes_to_a_temporary_folder_removed_at_the_end(cli, journal):
    result = cli("demo")
    assert result.code == 0
    assert not os.path.exists(journal)
    path = _lives_at(result.out)
    assert os.path.dirname(path) != os.path.dirname(journal)
    assert os.path.basename(os.path.dirname(path)).startswith("relapse-demo-")
    assert not os.path.exists(os.path.dirname(path))  # nothing left behind in /tmp
    assert "relapse demo --keep" in result.out


def test_demo_keep_leaves_the_folder_and_says_how_to_remove_it(cli, journal):
    import shutil

    result = cli("demo", "--keep")
    assert result.code == 0
    path = _lives_at(result.out)
    folder = os.path.dirname(path)
    try:
        assert os.path.exists(path)
        assert f"When you are done, remove it: rm -r {folder}" in result.out
        assert cli("--journal", path, "history", "--json").code == 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_demo_tells_the_whole_story_through_the_real_commands(cli, tmp_path):
    """Besides log entries: a plan, thought records, breathing sessions, check-ins and
    screeners, so the dashboard and the report show every section a newcomer can use."""
    import sqlite3

    path = tmp_path / "demo.db"
    result = cli("demo", "--out", str(path))
    assert result.code == 0, result.err
    con = sqlite3.connect(path)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
              for t in ("plan_items", "thought_records", "exercise_sessions", "checkins",
                        "screenings")}  # fmt: skip
    con.close()
    assert counts == {"plan_items": 10, "thought_records": 3, "exercise_sessions": 6,
                      "checkins": 20, "screenings": 4}  # fmt: skip
    for title in ("Thought records", "Exercises by mean urge drop", "Check-ins"):
        assert title in result.out
    assert "Call Sam" in cli("--journal", str(path), "sos").out

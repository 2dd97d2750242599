"""`relapse resources`, `relapse think balance`, and issue 11's records in export/import and
purge."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import pytest
from conftest import LONDON, records

from relapse_cli.care.model import resources
from relapse_cli.core.clock import FakeClock
from relapse_cli.core.prompter import ScriptedPrompter

ISSUE_11_TABLES = ("withdrawal_checks", "medications", "medication_events", "appointments",
                   "decisional_balance")  # fmt: skip


def table_rows(journal: str, table: str) -> list[dict]:
    con = sqlite3.connect(journal)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(f"SELECT * FROM {table} ORDER BY uuid")]  # noqa: S608
    finally:
        con.close()


# ------------------------------------------------------------------------- resources


def test_resource_data_is_complete():
    secs = resources.sections()
    assert [s["key"] for s in secs] == ["mutual_aid", "sober_living", "mental_health", "online",
                                        "family"]  # fmt: skip
    names = [g["name"] for s in secs for g in s["groups"]]
    assert names[:3] == ["Alcoholics Anonymous (AA)", "Narcotics Anonymous (NA)", "SMART Recovery"]
    for s in secs:
        for g in s["groups"]:
            assert g["what"] and g["find"] and g["source"].startswith("https://") and g["checked"]


def test_resources_for_a_country_with_own_services(cli):
    cli("plan", "add", "professionals", "Riverside [b]clinic[/b]", "--phone", "020 7946 0000")
    r = cli("resources", "--country", "GB")
    assert r.code == 0, r.err
    assert "Alcoholics Anonymous (AA)" in r.out and "SMART Recovery" in r.out
    assert "Sober living" in r.out and "For family and friends" in r.out
    assert "Samaritans: 116 123" in r.out
    assert "If you are in danger now, call your local emergency number (999" in r.out
    assert "Riverside [b]clinic[/b], 020 7946 0000" in r.out  # shown, never read as markup
    assert "do not replace your care team" in r.out
    # the national drug and alcohol lines, after the crisis lines
    assert r.out.index("NHS 111: 111") < r.out.index("FRANK: 0300 123 6600 (24/7)")
    assert "Drinkline: 0300 123 1110 " in r.out  # no hours given


def test_substance_lines_are_sourced_and_only_for_their_country(cli):
    for country in ("GB", "IE"):
        lines = resources.substance_lines(country)
        assert lines and all(line["name"] and line["number"] and
                             line["source"].startswith("https://") for line in lines)  # fmt: skip
    ie = cli("resources", "--country", "IE", "--json").json()["helplines"]["lines"]
    assert [line["name"] for line in ie] == ["Samaritans", "HSE Drugs and Alcohol Helpline"]
    us = cli("resources", "--country", "US", "--json").json()["helplines"]["lines"]
    assert "FRANK" not in {line["name"] for line in us}
    assert cli("resources", "--country", "ZZ", "--json").json()["helplines"]["lines"] == []


def test_resources_unknown_country_and_json(cli):
    r = cli("resources", "--country", "ZZ", "--json")
    data = r.json()
    assert data["helplines"]["known"] is False and data["helplines"]["lines"] == []
    assert (
        data["helplines"]["sentence"]
        == "If you are in danger now, call your local emergency number."
    )
    assert data["own"] == []
    us = cli("resources", "--country", "us", "--json").json()["helplines"]
    assert us["emergency"] == "911" and any(line["number"] == "988" for line in us["lines"])
    plain = cli("resources", "--country", "ZZ")
    assert "Set your country" in plain.out and "None yet. Add one: relapse plan add" in plain.out


# --------------------------------------------------------------------------- balance

FLAGS = ["--using-good", "it calms me down", "--using-good", "time with Jo",
         "--using-bad", "mornings", "--not-using-good", "money", "--not-using-bad", "boredom",
         "--importance", "8", "--confidence", "4", "-s", "alcohol"]  # fmt: skip


def test_balance_from_flags_and_show_beside_reasons(cli, journal):
    cli("plan", "add", "reasons", "to be there for my daughter")
    r = cli("think", "balance", *FLAGS)
    assert r.code == 0, r.err
    assert r.out.startswith("Saved your decisional balance (using: 2 good, 1 not-so-good; "
                            "not using: 1 good, 1 not-so-good)")  # fmt: skip
    assert "Why 8 and not 5?" in r.out and "from 4 to 6?" in r.out
    [row] = table_rows(journal, "decisional_balance")
    assert json.loads(row["using_good"]) == ["it calms me down", "time with Jo"]
    assert (row["importance"], row["confidence"], row["substance"]) == (8, 4, "alcohol")
    data = cli("think", "balance", "--show", "--json").json()
    assert data["reasons"] == ["to be there for my daughter"]
    assert data["balance"]["not_using_bad"] == ["boredom"]
    shown = cli("think", "balance", "--show")
    assert "it calms me down" in shown.out and "to be there for my daughter" in shown.out
    assert "importance 8/10 · confidence 4/10" in shown.out


def test_balance_show_when_empty(cli):
    r = cli("think", "balance", "--show")
    assert r.code == 0 and "No decisional balance yet" in r.out


def test_balance_guided(cli, journal):
    answers = ["relief", "", "hangovers", "fights", "", "", "sleep better", "",
               "7", "5"]  # fmt: skip
    p = ScriptedPrompter(answers)
    r = cli("think", "balance", prompter=p)
    assert r.code == 0, r.err
    [row] = table_rows(journal, "decisional_balance")
    assert json.loads(row["using_good"]) == ["relief"]
    assert json.loads(row["using_bad"]) == ["hangovers", "fights"]
    assert json.loads(row["not_using_good"]) == []
    assert json.loads(row["not_using_bad"]) == ["sleep better"]
    assert (row["importance"], row["confidence"]) == (7, 5)


@pytest.mark.parametrize("step", range(10))
def test_balance_ctrl_c_at_each_step_saves_nothing(cli, journal, step):
    cli("log", "mood", "5")
    before = records(journal)
    answers = ["relief", "", "hangovers", "fights", "", "", "sleep better", "", "7", "5"]
    p = ScriptedPrompter(answers[:step] + [KeyboardInterrupt])
    r = cli("think", "balance", prompter=p)
    assert r.code == 130
    assert records(journal) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--importance", "11"], "--importance must be 0 to 10, not 11"),
        (["--confidence", "-1"], "--confidence must be 0 to 10, not -1"),
        (["--using-good", "x" * 201], "keep each line short"),
        (["--using-bad", "a\x1b[2Jb"], "control characters"),
        ([], "nothing to save: give the lists as flags"),
        (["--importance", "five"], "relapse:"),
    ],
)
def test_balance_bad_input(cli, journal, args, message):
    cli("log", "mood", "5")
    before = records(journal)
    r = cli("think", "balance", *args)
    assert r.code == 2
    assert message in r.err and len(r.err.strip().splitlines()) == 1
    assert records(journal) == before


# ------------------------------------------------------------- export/import, purge


def fill(cli) -> None:
    early = FakeClock(datetime(2026, 11, 20, 7, 0), tz=LONDON)
    cli("meds", "add", "Naltrexone", "--dose", "50 mg", "--times", "08:00", use_clock=early)
    cli("meds", "take", "Naltrexone", "--at", "2026-11-21 08:05")
    cli("meds", "skip", "Naltrexone", "--reason", "sick", "--at", "2026-11-22 08:05")
    cli(
        "log", "withdrawal", "--tremor", "2", "--fever", "--note", "hot", "--at", "2026-11-21 20:00"
    )
    cli("appointments", "add", "therapy", "2026-11-23 14:00", "--with", "Dr Lee")
    cli("appointments", "add", "mat", "2026-11-30 09:00")
    cli("think", "balance", *FLAGS)


def test_every_new_kind_travels_through_export_and_import(cli, tmp_path, journal):
    fill(cli)
    out = tmp_path / "all.json"
    assert cli("export", "-o", str(out)).code == 0
    doc = json.loads(out.read_text())
    for table in ISSUE_11_TABLES:
        assert doc["tables"][table], table
    # the events point at their medication by uuid, not by a local rowid
    med_uuid = doc["tables"]["medications"][0]["uuid"]
    assert {e["medication_id"] for e in doc["tables"]["medication_events"]} == {med_uuid}
    other = str(tmp_path / "other.db")
    r = cli("--journal", other, "import", str(out))
    assert r.code == 0, r.err
    for table in ISSUE_11_TABLES:
        mine = [{k: v for k, v in row.items() if k not in ("id", "medication_id")}
                for row in table_rows(journal, table)]  # fmt: skip
        theirs = [{k: v for k, v in row.items() if k not in ("id", "medication_id")}
                  for row in table_rows(other, table)]  # fmt: skip
        assert mine == theirs, table
    again = cli("--journal", other, "import", str(out))  # a second import adds nothing
    assert again.code == 0
    assert len(table_rows(other, "medication_events")) == 3


def test_kinds_and_period_narrow_the_new_tables(cli, tmp_path):
    fill(cli)
    out = tmp_path / "w.json"
    assert cli("export", "-o", str(out), "--kinds", "withdrawal_checks").code == 0
    doc = json.loads(out.read_text())
    assert len(doc["tables"]["withdrawal_checks"]) == 1
    assert not doc["tables"].get("appointments")
    out2 = tmp_path / "p.json"
    assert cli("export", "-o", str(out2), "--since", "2026-11-22").code == 0
    doc2 = json.loads(out2.read_text())
    # appointments travel whole (the coming one too); checks are cut by the period
    assert sorted(a["kind"] for a in doc2["tables"]["appointments"]) == ["mat", "therapy"]
    assert doc2["tables"]["withdrawal_checks"] == []
    no_notes = tmp_path / "n.json"
    assert cli("export", "-o", str(no_notes), "--no-notes").code == 0
    assert json.loads(no_notes.read_text())["tables"]["withdrawal_checks"][0]["note"] is None


def test_balance_in_the_session_report(cli):
    earlier = FakeClock(datetime(2026, 11, 17, 19, 0), tz=LONDON)
    assert cli("think", "balance", "--importance", "6", "--confidence", "2",
               "--using-good", "sleep", use_clock=earlier).code == 0  # fmt: skip
    assert cli("think", "balance", *FLAGS).code == 0
    report = cli("export", "-f", "md", "-o", "-")
    assert report.code == 0
    part = report.out.split("## Decisional balance\n", 1)[1].split("\n## ", 1)[0]
    part = part.split("\n---\n", 1)[0]
    assert part.strip().splitlines() == [
        "Tue 24 Nov, alcohol: importance 8/10, confidence 4/10. Earlier: Tue 17 Nov importance "
        "6/10, confidence 2/10.",
        "",
        "|  | good things | not-so-good things |",
        "|---|---|---|",
        "| using | it calms me down; time with Jo | mornings |",
        "| not using | money | boredom |",
    ]
    html = cli("export", "-f", "html", "-o", "-", "--since", "2026-11-20")
    assert "Decisional balance" in html.out and "time with Jo" in html.out
    assert "Earlier" not in html.out.split("Decisional balance", 1)[1].split("</p>", 1)[0]
    other = cli("export", "-f", "md", "-o", "-", "--kinds", "withdrawal_checks")
    assert "Decisional balance" not in other.out


def test_purge_all_removes_every_new_kind(cli, journal):
    fill(cli)
    purged = cli("purge", "--all", "--yes")
    assert purged.code == 0
    assert purged.out == "Removed 0 entries and every other record for good.\n"
    for table in ISSUE_11_TABLES:
        assert table_rows(journal, table) == [], table

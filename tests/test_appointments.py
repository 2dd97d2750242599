"""`relapse appointments`, the summary's next appointment and adherence, "since my last
appointment" for export and summary, and the report sections of issue 11's records."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import pytest
from conftest import LONDON, records

from relapse_cli.core.clock import FakeClock


def rows(journal: str) -> list[dict]:
    con = sqlite3.connect(journal)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM appointments ORDER BY starts_at")]
    finally:
        con.close()


def test_add_and_list(cli, journal):
    r = cli("appointments", "add", "therapy", "2026-11-26 14:00", "--with", "Dr Lee",
            "--where", "Riverside")  # fmt: skip
    assert r.code == 0
    assert r.out.startswith("Added therapy with Dr Lee at Riverside · Thu 26 Nov 14:00 · id ")
    cli("appointments", "add", "mat-clinic", "2026-11-20 09:30")
    cli("appointments", "add", "family therapy", "tomorrow 18:00")
    cli("appointments", "add", "peer", "fri 10am")  # the next Friday: 27 Nov
    data = cli("appointments", "--json").json()
    assert [(a["kind"], a["local_time"]) for a in data["past"]] == [("mat", "2026-11-20 09:30:00")]
    assert [(a["kind"], a["local_time"]) for a in data["coming"]] == [
        ("family", "2026-11-25 18:00:00"), ("therapy", "2026-11-26 14:00:00"),
        ("peer", "2026-11-27 10:00:00")]  # fmt: skip
    assert rows(journal)[0]["starts_at"] == "2026-11-20T09:30:00Z"
    table = cli("appointments")
    assert "MAT clinic" in table.out and "coming" in table.out and "Not marked yet" in table.out


def test_summer_time_appointment_keeps_its_wall_time(cli, journal):
    cli("appointments", "add", "doctor", "2027-06-01 09:00")
    [row] = rows(journal)
    assert (row["starts_at"], row["utc_offset_min"]) == ("2027-06-01T08:00:00Z", 60)


def test_mark_attended_and_missed(cli, journal):
    cli("appointments", "add", "group", "2026-11-17 19:00")
    cli("appointments", "add", "therapy", "2026-11-23 14:00")
    cli("appointments", "add", "doctor", "2026-11-30 10:00")
    r = cli("appointments", "attended")  # the latest one that has started: Mon 23rd
    assert r.code == 0 and "Marked attended: therapy · Mon 23 Nov 14:00" in r.out
    r = cli("appointments", "missed")  # then the 17th
    assert "Marked missed: group therapy" in r.out and "call them" in r.out
    assert [a["status"] for a in rows(journal)] == ["missed", "attended", "planned"]
    ident = rows(journal)[2]["uuid"][:8]
    assert cli("appointments", "cancel", ident).code == 0
    assert rows(journal)[2]["status"] == "cancelled"
    r = cli("appointments", "attended")
    assert r.code == 2 and "no past appointment is waiting" in r.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "doctor", "2026-02-30 10:00"], "no such date: '2026-02-30'"),
        (["add", "doctor", "2026-13-01 10:00"], "no such date: '2026-13-01'"),
        (["add", "doctor", "2026-12-01 25:00"], "not a date and time"),
        (["add", "doctor", "2026-12-01"], "give a time of day too"),
        (["add", "doctor", "someday 10:00"], "not a date and time"),
        (["add", "dentist", "2026-12-01 10:00"], "unknown kind of appointment 'dentist'"),
        (["add", "doctor", "2040-12-01 10:00"], "more than five years away"),
        (["attended", "zzzz"], "not an appointment id"),
        (["missed", "abcdef12"], "no appointment with id"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_saved(cli, journal, args, message):
    cli("appointments", "add", "therapy", "2026-11-20 10:00")
    before = records(journal)
    r = cli("appointments", *args)
    assert r.code == 2
    assert message in r.err and len(r.err.strip().splitlines()) == 1
    assert records(journal) == before


def test_summary_shows_next_appointment_and_adherence(cli):
    early = FakeClock(datetime(2026, 11, 20, 7, 0), tz=LONDON)
    cli("meds", "add", "Naltrexone", "--times", "08:00", use_clock=early)
    for day in (20, 21, 22, 24):  # 23rd not ticked: missed
        cli("meds", "take", "Naltrexone", "--at", f"2026-11-{day} 08:10")
    cli("appointments", "add", "therapy", "2026-11-23 14:00")
    cli("appointments", "attended")
    cli("appointments", "add", "mat", "2026-11-27 09:30", "--with", "Dr Osei")
    cli("log", "craving", "4", "--at", "2026-11-22 10:00")
    cli("log", "withdrawal", "--tremor", "2", "--sweating", "1", "--at", "2026-11-22 09:00")
    data = cli("summary", "--json").json()
    care = data["more"]["care"]
    lines = dict(care["lines"])
    assert lines["Next appointment"] == "MAT clinic with Dr Osei · Fri 27 Nov 09:30"
    assert lines["Appointments"] == "1 attended, 0 missed"
    assert lines["Medication"] == "4 of 5 doses taken (80 %) · 0 late · 0 skipped · 1 missed"
    assert lines["Withdrawal"] == "1 check, highest total 3 of 30"
    shown = cli("summary").out
    assert "Between appointments" in shown and "Dr Osei" in shown


def test_since_last_appointment_for_export_and_summary(cli, tmp_path):
    cli("log", "craving", "7", "--at", "2026-11-18 10:00")
    cli("log", "craving", "5", "--at", "2026-11-21 10:00")
    cli("appointments", "add", "therapy", "2026-11-20 15:00")
    cli("appointments", "add", "doctor", "2026-11-21 09:00")
    cli("appointments", "missed")  # the 21st was missed: the last one is the 20th
    cli("appointments", "add", "group", "2026-11-30 19:00")  # still to come
    out = tmp_path / "e.json"
    r = cli("export", "--since-last-appointment", "-o", str(out))
    assert r.code == 0, r.err
    doc = json.loads(out.read_text())
    assert doc["period"]["since"] == "2026-11-20T15:00:00Z"
    assert [e["intensity"] for e in doc["tables"]["entries"]] == [5]
    s = cli("summary", "--since-last-appointment", "--json").json()
    assert s["period"]["first_day"] == "2026-11-20" and s["cravings"]["count"] == 1


@pytest.mark.parametrize(
    "args",
    [["export", "--since-last-appointment", "--since", "2026-11-01"],
     ["summary", "--since-last-appointment", "--week"],
     ["summary", "--since-last-appointment"]],
)  # fmt: skip
def test_since_last_appointment_bad_input(cli, args):
    cli("log", "craving", "5")
    if args[1:] != ["--since-last-appointment"]:
        cli("appointments", "add", "therapy", "2026-11-20 15:00")
    r = cli(*args)
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1


def test_report_sections_for_meds_appointments_withdrawal(cli, tmp_path):
    early = FakeClock(datetime(2026, 11, 20, 7, 0), tz=LONDON)
    cli("meds", "add", "Methadone", "--dose", "60 mg", "--times", "09:00", use_clock=early)
    cli("meds", "take", "methadone", "--at", "2026-11-20 09:05")
    cli("meds", "skip", "methadone", "--reason", "clinic shut", "--at", "2026-11-21 09:05")
    cli("appointments", "add", "mat", "2026-11-22 10:00", "--with", "<b>Dr X</b>")
    cli("log", "withdrawal", "--aches", "2", "--fever", "--at", "2026-11-21 22:00")
    cli("log", "craving", "3", "--at", "2026-11-21 10:00")
    md = tmp_path / "r.md"
    assert cli("export", "-o", str(md), "--since", "2026-11-18").code == 0
    text = md.read_text()
    assert "## Medication (as prescribed) and doses taken" in text
    # 20th-24th: 5 slots at 09:00; 20th taken, 21st skipped, 22nd-24th not ticked: 1 of 5
    assert "| Methadone | 60 mg | 09:00 | 5 | 1 | 0 | 1 | 3 | 20 % |" in text
    assert "clinic shut" in text and "gives no advice" in text
    assert "## Appointments" in text and "MAT clinic" in text
    assert (
        "## Withdrawal checks" in text and "| Sat 21 Nov | 1 | 2 of 30 | aches 2 | fever |" in text
    )
    html = tmp_path / "r.html"
    assert cli("export", "-o", str(html), "--since", "2026-11-18").code == 0
    page = html.read_text()
    assert "<b>Dr X</b>" not in page and "&lt;b&gt;Dr X&lt;/b&gt;" in page
    no_notes = tmp_path / "n.md"
    assert cli("export", "-o", str(no_notes), "--since", "2026-11-18", "--no-notes").code == 0
    assert "clinic shut" not in no_notes.read_text()


def test_purge_all_removes_appointments(cli, journal):
    cli("appointments", "add", "therapy", "2026-11-20 15:00", "--note", "private")
    assert cli("purge", "--all", "--yes").code == 0
    assert rows(journal) == []

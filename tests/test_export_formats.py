"""The other export formats, each read back by the tool a counselor or a program would use."""

from __future__ import annotations

import csv
import io
import json
import os
import warnings
import zipfile
from datetime import date, datetime

import pytest
from conftest import records

from relapse_cli.core.prompter import ScriptedPrompter

HOSTILE = "<script>alert(1)</script> *bold* [x](javascript:alert(1)) =1+1"


@pytest.fixture
def demo(cli, tmp_path) -> str:
    path = str(tmp_path / "demo.db")
    assert cli("demo", "--out", path).code == 0
    return path


def test_csv_zip_reads_back_with_types(cli, demo, tmp_path):
    out = tmp_path / "j.zip"
    result = cli("--journal", demo, "export", "-o", str(out))
    assert result.code == 0, result.err
    assert os.stat(out).st_mode & 0o777 == 0o600
    with zipfile.ZipFile(out) as zf:
        assert {"cravings.csv", "moods.csv", "triggers_met.csv", "uses.csv"} <= set(zf.namelist())
        assert "checkins.csv" in zf.namelist()  # other kinds: one file each, when they have rows
        assert "medications.csv" not in zf.namelist()  # none in the demo: no empty file
        cravings = list(csv.DictReader(io.TextIOWrapper(zf.open("cravings.csv"), "utf-8")))
        moods = list(csv.DictReader(io.TextIOWrapper(zf.open("moods.csv"), "utf-8")))
        uses = list(csv.DictReader(io.TextIOWrapper(zf.open("uses.csv"), "utf-8")))
    assert len(cravings) > 40
    for row in cravings:
        local = datetime.strptime(row["Date and time (local)"], "%Y-%m-%d %H:%M")
        utc = datetime.strptime(row["UTC"], "%Y-%m-%dT%H:%M:%SZ")
        offset = int(row["UTC offset (minutes)"])
        assert (local - utc).total_seconds() == offset * 60
        assert 0 <= int(row["Intensity (0-10)"]) <= 10
        assert row["Outcome"] in ("resisted", "ongoing", "used")
        assert row["Intensity after (0-10)"] == "" or 0 <= int(row["Intensity after (0-10)"]) <= 10
        assert int(row["Minutes"]) > 0
    assert any("; " in row["Coped by"] for row in cravings)
    assert all(isinstance(float(row["Sleep (hours)"]), float) for row in moods)
    assert [float(u["Amount"]) for u in uses] == [4.0, 3.0]
    assert {u["Unit"] for u in uses} == {"drinks"}


def test_csv_folder_and_formula_guard(cli, tmp_path, journal):
    assert cli("log", "mood", "5", "-n", '=HYPERLINK("http://x")').code == 0
    folder = tmp_path / "out"
    result = cli("export", "-f", "csv", "-o", str(folder) + os.sep, "--kinds", "mood")
    assert result.code == 0, result.err
    assert sorted(os.listdir(folder)) == ["moods.csv"]
    assert os.stat(folder / "moods.csv").st_mode & 0o777 == 0o600
    with open(folder / "moods.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["Note"] == '\'=HYPERLINK("http://x")'
    assert int(rows[0]["Mood (0-10)"]) == 5
    again = cli("export", "-f", "csv", "-o", str(folder) + os.sep, "--kinds", "mood")
    assert again.code == 2 and "already exists" in again.err


@pytest.mark.parametrize(
    ("output", "where"),
    [(None, "one"), ("-", "one"), ("out.csv", "one"), ("OUT.CSV", "one"), ("a/b.csv", "one"),
     ("out.zip", "zip"), ("Out.ZIP", "zip"), ("folder", "folder"), ("folder" + os.sep, "folder"),
     ("x.csv" + os.sep, "folder"), ("data.d", "folder")],
)  # fmt: skip
def test_csv_destination_table(output, where):
    from relapse_cli.share.formats.csvfmt import destination

    assert destination(output) == where


def test_csv_one_kind_goes_to_stdout_or_a_file(cli, tmp_path, journal):
    assert cli("log", "craving", "6", "-t", "stress").code == 0
    assert cli("log", "mood", "4").code == 0
    for args in (("-k", "craving"), ("-k", "craving", "-o", "-")):
        result = cli("export", "-f", "csv", *args)
        assert result.code == 0, result.err
        (row,) = list(csv.DictReader(io.StringIO(result.out)))
        assert int(row["Intensity (0-10)"]) == 6 and row["Triggers"] == "stress"
    out = tmp_path / "out.csv"
    assert cli("export", "-k", "mood", "-o", str(out)).code == 0  # the format from the ending
    assert out.is_file() and os.stat(out).st_mode & 0o777 == 0o600
    with open(out, encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert int(row["Mood (0-10)"]) == 4
    # A kind asked for but empty in the period: its header alone, still one CSV.
    result = cli("export", "-f", "csv", "-k", "thoughts")
    assert result.code == 0 and result.out.startswith("Date and time (local),UTC,")


def test_csv_several_kinds_need_a_folder_or_a_zip(cli, tmp_path, journal):
    assert cli("log", "craving", "6").code == 0
    before = records(journal)
    for args in ((), ("-o", "-"), ("-o", str(tmp_path / "all.csv")), ("-k", "craving,mood")):
        result = cli("export", "-f", "csv", *args)
        assert result.code == 2, (args, result.out)
        assert "takes one kind of record as CSV" in result.err and "FILE.zip" in result.err
        assert result.out == ""
    assert not (tmp_path / "all.csv").exists() and records(journal) == before
    assert cli("export", "-f", "csv", "-o", str(tmp_path / "all.zip")).code == 0
    with zipfile.ZipFile(tmp_path / "all.zip") as zf:
        assert "cravings.csv" in zf.namelist() and "moods.csv" in zf.namelist()
    assert cli("export", "-f", "csv", "-o", str(tmp_path / "dir")).code == 0
    assert "cravings.csv" in os.listdir(tmp_path / "dir")


def test_csv_of_other_kinds_has_local_time_utc_and_typed_numbers(cli, tmp_path, journal):
    """The clock is Tue 24 Nov 2026 21:00 in London (UTC+0)."""
    assert cli("checkin", "--mood", "6", "--sleep-hours", "7.5").code == 0
    assert cli("meds", "add", "Naltrexone", "--times", "08:00").code == 0
    assert cli("meds", "take", "Naltrexone", "--at", "08:10").code == 0
    folder = tmp_path / "out"
    result = cli("export", "-f", "csv", "-o", str(folder) + os.sep, "--kinds", "checkin,meds")
    assert result.code == 0, result.err
    assert sorted(os.listdir(folder)) == ["checkins.csv", "medication_events.csv",
                                          "medications.csv"]  # fmt: skip
    with open(folder / "checkins.csv", encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert list(row)[:3] == ["Date and time (local)", "UTC", "UTC offset (minutes)"]
    assert row["Date and time (local)"] == "2026-11-24 21:00"
    assert row["UTC"] == "2026-11-24T21:00:00Z" and int(row["UTC offset (minutes)"]) == 0
    assert int(row["Mood"]) == 6 and float(row["Sleep hours"]) == 7.5
    assert list(row)[-1] == "Id" and len(row["Id"]) == 36
    with open(folder / "medication_events.csv", encoding="utf-8", newline="") as fh:
        events = list(csv.DictReader(fh))
    taken = next(e for e in events if e["Kind"] == "taken")
    assert taken["Date and time (local)"] == "2026-11-24 08:10"
    assert len(taken["Medication (id)"]) == 36  # the medication it belongs to, by its id


def _tlfb(cli, demo, tmp_path) -> str:
    out = tmp_path / "tlfb.csv"
    result = cli("--journal", demo, "export", "-f", "tlfb", "-o", str(out), "--since",
                 "2026-10-26", "--until", "2026-11-24")  # fmt: skip
    assert result.code == 0, result.err
    return str(out)


def test_tlfb_summary_beside_the_file(cli, demo, tmp_path):
    _tlfb(cli, demo, tmp_path)
    summary = (tmp_path / "tlfb.summary.txt").read_text()
    assert "percent days abstinent: 96.7" in summary
    assert "use days: 1" in summary
    assert "heavy days (4+ drinks, NIAAA threshold for women): 0" in summary
    assert os.stat(tmp_path / "tlfb.summary.txt").st_mode & 0o777 == 0o600


@pytest.mark.heavy_reader
def test_tlfb_reads_with_abstcal(cli, demo, tmp_path):
    """The real reader, abstcal (extra ``tlfb-reader``: ~640 MB, installed by .ci/run)."""
    with warnings.catch_warnings():  # abstcal's pandas calls warn about their own deprecations
        warnings.simplefilter("ignore")
        abstcal = pytest.importorskip("abstcal", reason="pip install -e '.[test,tlfb-reader]'")

        tlfb = abstcal.TLFBData(_tlfb(cli, demo, tmp_path))
    data = tlfb.data
    assert len(data) == 30
    assert set(data["id"]) == {"me"}
    assert data["date"].min().date() == date(2026, 10, 26)
    assert data["date"].max().date() == date(2026, 11, 24)
    use_days = data[data["amount"] > 0]
    assert list(use_days["amount"]) == [3.0]
    assert use_days["date"].iloc[0].date() == date(2026, 11, 12)


def test_fhir_bundle_parses_as_r4(cli, demo, tmp_path):
    import fhir.resources
    from fhir.resources.bundle import Bundle

    assert fhir.resources.__fhir_version__ == "4.0.1"
    out = tmp_path / "fhir.json"
    assert cli("--journal", demo, "export", "-f", "fhir", "-o", str(out)).code == 0
    bundle = Bundle.parse_raw(out.read_text(encoding="utf-8"))
    assert bundle.type == "collection"
    resources = [e.resource for e in bundle.entry]
    observations = [r for r in resources if r.resource_type == "Observation"]
    answered = [r for r in resources if r.resource_type == "QuestionnaireResponse"]
    assert len(answered) == 4  # the demo's two PHQ-9 and two GAD-7
    cravings = [o for o in observations if o.code.coding[0].code == "craving-intensity"]
    uses = [o for o in observations if o.code.coding[0].code == "substance-use"]
    assert len(uses) == 2
    assert sorted(o.valueQuantity.value for o in uses) == [3, 4]
    assert all(0 <= o.valueInteger <= 10 for o in cravings)
    assert all(c.code.coding[0].system.endswith(".invalid/CodeSystem/journal") for c in cravings)
    assert all(e.fullUrl == f"urn:uuid:{e.resource.id}" for e in bundle.entry)


def test_markdown_grouped_by_day_and_escaped(cli, tmp_path):
    assert (
        cli("log", "craving", "7", "-t", "stress", "-n", HOSTILE, "--at", "yesterday 18:00").code
        == 0
    )
    assert cli("log", "mood", "4", "--sleep", "6.5").code == 0
    result = cli("export", "-f", "md")
    assert result.code == 0, result.err
    text = result.out
    assert "## Monday 23 November 2026" in text and "## Tuesday 24 November 2026" in text
    assert text.index("craving 7/10") < text.index("mood 4/10")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "\\*bold\\*" in text and "\\[x\\]" in text
    assert "slept 6.5 h" in text
    no_notes = cli("export", "-f", "md", "--no-notes").out
    assert "script" not in no_notes and "Notes were left out" in no_notes


def test_sealed_export_round_trip(cli, demo, tmp_path, journal):
    secret = tmp_path / "pass.txt"
    secret.write_text("correct horse battery\n")
    out = tmp_path / "a.json.age"
    result = cli("--journal", demo, "export", "-o", str(out), "--encrypt",
                 "--passphrase-file", str(secret))  # fmt: skip
    assert result.code == 0, result.err
    data = out.read_bytes()
    assert data.startswith(b"age-encryption.org/v1") and b"entries" not in data
    from pyrage import passphrase  # any age tool opens it, not only relapse-cli

    assert json.loads(passphrase.decrypt(data, "correct horse battery"))["tables"]["entries"]
    assert cli("import", str(out), "--passphrase-file", str(secret)).code == 0
    assert len(cli("history", "--json", "--limit", "500").json()) == 129
    review = cli("review", str(out), "--passphrase-file", str(secret), "--json")
    assert review.code == 0 and review.json()["period"]["totals"]["use_days"] == 2


def test_wrong_passphrase_is_one_clear_line(cli, demo, tmp_path, journal):
    out = tmp_path / "a.age"
    ok = ScriptedPrompter(["long enough pass", "long enough pass"])
    assert cli("--journal", demo, "export", "-o", str(out), "--encrypt", prompter=ok).code == 0
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    result = cli("import", str(out), prompter=ScriptedPrompter(["not the one"]))
    assert result.code == 2
    assert result.err == f"relapse: cannot open {out}: wrong passphrase, or the file was changed\n"
    assert records(journal) == before


def test_passphrase_asked_twice_must_match(cli, tmp_path):
    assert cli("log", "mood", "5").code == 0
    out = tmp_path / "a.age"
    differ = ScriptedPrompter(["long enough pass", "long enough typo"])
    result = cli("export", "-o", str(out), "--encrypt", prompter=differ)
    assert result.code == 2 and "differ" in result.err and not out.exists()
    result = cli(
        "export", "-o", str(out), "--encrypt", prompter=ScriptedPrompter(["short", "short"])
    )
    assert result.code == 2 and "at least 8" in result.err
    result = cli("export", "-o", str(out), "--encrypt")
    assert result.code == 2 and "--passphrase-file" in result.err
    assert cli("export", "--encrypt", "--passphrase-file", "/nonexistent").code == 2


def test_screener_as_questionnaire_response_and_scored_observation():
    """The FHIR shape of a PHQ-9 (LOINC codes from CLINICAL.md §7), parsed as R4."""
    from fhir.resources.bundle import Bundle

    from relapse_cli.share.formats.fhir import screener_resources

    phq9 = {
        "name": "PHQ-9", "loinc_panel": "44249-1", "loinc_total": "44261-6",
        "items": [{"loinc": c, "text": f"item {i}"} for i, c in enumerate(
            ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5",
             "44253-3", "44260-8"], 1)],
        "answers": [{"value": v, "loinc": c, "text": t} for v, c, t in [
            (0, "LA6568-5", "Not at all"), (1, "LA6569-3", "Several days"),
            (2, "LA6570-1", "More than half the days"), (3, "LA6571-9", "Nearly every day")]],
    }  # fmt: skip
    response = {"uuid": "3f2a1c9e-0000-4000-8000-000000000001", "taken_at": "2026-11-24T18:00:00Z",
                "utc_offset_min": 60, "answers": [1, 2, 1, 0, 3, 1, 0, 2, 0], "total": 10,
                "band": "moderate"}  # fmt: skip
    resources = screener_resources(response, phq9)
    bundle = Bundle.parse_obj({"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources]})  # fmt: skip
    qr, total = (e.resource for e in bundle.entry)
    assert qr.questionnaire == "http://loinc.org/q/44249-1"
    assert [i.linkId for i in qr.item][:2] == ["44250-9", "44255-8"]
    assert qr.item[4].answer[0].valueCoding.code == "LA6571-9"
    assert total.code.coding[0].code == "44261-6" and total.valueInteger == 10
    assert total.effectiveDateTime.isoformat() == "2026-11-24T19:00:00+01:00"
    assert total.derivedFrom[0].reference == f"urn:uuid:{qr.id}"
    assert screener_resources(response, phq9)[1]["id"] == total.id  # stable across exports


def test_report_period_starts_at_the_first_record_of_any_kind(cli, tmp_path):
    """A person whose first records are check-ins: the 30-day report starts with them, not
    with the first craving."""
    assert cli("checkin", "--mood", "3", "--at", "2026-11-04 09:00").code == 0
    assert cli("log", "craving", "6", "--at", "2026-11-20 18:00").code == 0
    out = tmp_path / "r.html"
    assert cli("export", "-f", "html", "-o", str(out)).code == 0
    html = out.read_text()
    assert "4 Nov 2026" in html and "(21 days)" in html, html[:2000]

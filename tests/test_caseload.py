"""``relapse review DIR``: the counselor's caseload (issue 18).

Several people's journals are built once for the module through the real commands (log,
checkin phq9 --answers, log withdrawal, homework load, export), and the expected order and
reasons below are worked out by hand from what each person logged.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from datetime import datetime
from importlib import resources

import pytest
from conftest import LONDON, NOW, Result, records

from relapse_cli.caseload import model
from relapse_cli.core.clock import FakeClock
from relapse_cli.entry import main

FIRST_EXPORT = FakeClock(datetime(2026, 11, 10, 12, 0), tz=LONDON)
MONDAY = FakeClock(datetime(2026, 11, 23, 8, 0), tz=LONDON)
HOMEWORK = resources.files("relapse_cli.data").joinpath("homework_example.toml").read_text("utf-8")


def run(*args: str, clock: FakeClock | None = None) -> Result:
    import sys

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), out, err
    try:
        code = main(list(args), clock=clock or FakeClock(NOW, tz=LONDON), prompter=None,
                    interactive=False)  # fmt: skip
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    return Result(code, out.getvalue(), err.getvalue())


def ok(*args: str, clock: FakeClock | None = None) -> Result:
    result = run(*args, clock=clock)
    assert result.code == 0, (args, result.err)
    return result


@pytest.fixture(scope="module")
def caseload(tmp_path_factory):
    """A folder of exports: the people below, a duplicate, a damaged, a foreign and a sealed
    file; plus the counselor's own (never touched) journal and the key files."""
    base = tmp_path_factory.mktemp("caseload")
    with pytest.MonkeyPatch.context() as mp:
        home = base / "home"
        home.mkdir()
        mp.setenv("HOME", str(home))
        mp.setenv("XDG_DATA_HOME", str(home / "share"))
        mp.setenv("RELAPSE_JOURNAL", str(base / "counselor" / "journal.db"))
        mp.setenv("NO_COLOR", "1")
        mp.setenv("COLUMNS", "250")
        folder = base / "exports"
        folder.mkdir()

        def person(name: str) -> str:
            (base / name).mkdir()
            journal = str(base / name / "journal.db")
            ok("--journal", journal, "config", "name", name)
            return journal

        def export(journal: str, file: str, clock: FakeClock | None = None, *extra: str) -> None:
            ok("--journal", journal, "export", "-f", "json", "-o", str(folder / file), *extra,
               clock=clock)  # fmt: skip

        # Ana: PHQ-9 item 9 = 1 (total 1, minimal) on Fri 20 Nov; nothing else.
        ana = person("Ana")
        ok("--journal", ana, "checkin", "phq9", "--answers", "0,0,0,0,0,0,0,0,1",
           "--at", "2026-11-20 10:00")  # fmt: skip
        export(ana, "ana.json")
        # Abe: a self-harm red flag in a withdrawal check on Sat 21 Nov: also rule 1, and
        # before Ana by name.
        abe = person("Abe")
        ok("--journal", abe, "log", "withdrawal", "--self-harm", "--tremor", "1",
           "--at", "2026-11-21 09:00")  # fmt: skip
        export(abe, "abe.json")
        # Ben: a seizure red flag on Sun 22 Nov and a lapse on Mon 23 Nov: rule 2 first.
        ben = person("Ben")
        ok("--journal", ben, "log", "withdrawal", "--seizure", "--at", "2026-11-22 09:00")
        ok("--journal", ben, "log", "use", "-s", "alcohol", "--amount", "3", "--unit", "drinks",
           "--at", "2026-11-23 20:00")  # fmt: skip
        export(ben, "ben.json")
        # Cleo: two exports. Cravings 5 to 9 Nov (one a day, 4/10), exported Tue 10 Nov; then a
        # lapse Sun 15 Nov and cravings 16 to 24 Nov (two a day, 6/10), exported today.
        cleo = person("Cleo")
        for day in range(5, 10):
            ok("--journal", cleo, "log", "craving", "4", "--at", f"2026-11-{day:02d} 18:00",
               clock=FIRST_EXPORT)  # fmt: skip
        export(cleo, "cleo-10-nov.json", FIRST_EXPORT)
        ok("--journal", cleo, "log", "use", "-s", "alcohol", "--at", "2026-11-15 21:00")
        for day in range(16, 25):
            for hour in ("12:00", "18:00"):
                ok("--journal", cleo, "log", "craving", "6", "--at", f"2026-11-{day} {hour}")
        export(cleo, "cleo-24-nov.json")
        (folder / "cleo-24-nov copy.json").write_bytes((folder / "cleo-24-nov.json").read_bytes())
        # Dee: PHQ-9 5 (mild) on Tue 3 Nov, then 17 (moderately severe) on Mon 23 Nov.
        dee = person("Dee")
        ok("--journal", dee, "checkin", "phq9", "--answers", "1,1,1,1,1,0,0,0,0",
           "--at", "2026-11-03 10:00")  # fmt: skip
        ok("--journal", dee, "checkin", "phq9", "--answers", "2,2,2,2,2,2,2,3,0",
           "--at", "2026-11-23 10:00")  # fmt: skip
        export(dee, "dee.json")
        # Eli: the example homework (from Mon 23 Nov), loaded on Monday; nothing done since.
        eli = person("Eli")
        hw = base / "week.toml"
        hw.write_text(HOMEWORK, encoding="utf-8")
        ok("--journal", eli, "homework", "load", str(hw), "--yes", clock=MONDAY)
        export(eli, "eli.json")
        # Fay: one resisted craving: meets no rule.
        fay = person("Fay")
        ok("--journal", fay, "log", "craving", "3", "--outcome", "resisted",
           "--at", "2026-11-24 12:00")  # fmt: skip
        export(fay, "fay.json")
        # Gil: sealed; the key map gives the right passphrase. Hal: sealed, wrong key.
        (base / "keys").mkdir()
        (base / "keys" / "gil.txt").write_text("gil's long passphrase\n")
        (base / "keys" / "hal.txt").write_text("hal's long passphrase\n")
        (base / "keys" / "wrong.txt").write_text("not hal's passphrase\n")
        gil, hal = person("Gil"), person("Hal")
        for journal, who in ((gil, "gil"), (hal, "hal")):
            ok("--journal", journal, "log", "mood", "6", "--at", "2026-11-24 09:00")
            export(journal, f"{who}.json.age", None, "--encrypt", "--passphrase-file",
                   str(base / "keys" / f"{who}.txt"))  # fmt: skip
        keys = base / "keys.toml"
        keys.write_text('"gil.json.age" = "keys/gil.txt"\n"hal*.age" = "keys/wrong.txt"\n')
        # Files that are no export we can read.
        (folder / "damaged.json").write_bytes((folder / "fay.json").read_bytes()[:300])
        (folder / "foreign.json").write_text('{"resourceType": "Bundle"}')
        (folder / "notes.txt").write_text("not an export, not looked at")
        (base / "counselor").mkdir()
        counselor = str(base / "counselor" / "journal.db")
        ok("--journal", counselor, "log", "mood", "5")
        yield {"base": base, "folder": str(folder), "keys": str(keys), "counselor": counselor,
               "before": sorted(os.listdir(folder)), "counselor_rows": records(counselor)}  # fmt: skip


@pytest.fixture(scope="module")
def table(caseload) -> dict:
    """The caseload as JSON, run once (every test below reads it)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RELAPSE_JOURNAL", caseload["counselor"])
        result = ok("review", caseload["folder"], "--keys", caseload["keys"], "--json")
    return result.json()


def people(table: dict) -> list[str]:
    return [r.get("person") or os.path.basename(r["source"]) for r in table["rows"]]


def row(table: dict, name: str) -> dict:
    return next(r for r in table["rows"] if r.get("person") == name)


def test_the_order_follows_the_rules_then_names_then_unreadable_files(table):
    # 1 safety: Abe (self-harm flag), Ana (item 9), by name; 2 withdrawal: Ben;
    # 3 lapse: Cleo; 4 rise: Dee; 5 homework: Eli; no rule: Fay, Gil; then the files.
    assert people(table) == ["Abe", "Ana", "Ben", "Cleo", "Dee", "Eli", "Fay", "Gil",
                             "damaged.json", "foreign.json", "hal.json.age"]  # fmt: skip
    assert [r.get("attention") for r in table["rows"][:8]] == [
        "safety", "safety", "withdrawal", "lapse", "rise", "homework", None, None]  # fmt: skip


def test_each_flagged_row_says_why_in_words_with_dates(table):
    why = {r["person"]: [x["why"] for x in r["reasons"]] for r in table["rows"] if "person" in r}
    assert why["Ana"] == [
        "PHQ-9 item 9 above 0 (thoughts of death or self-harm) on Fri 20 Nov 2026"
    ]
    assert why["Abe"] == ["self-harm red flag in a withdrawal check on Sat 21 Nov 2026"]
    assert why["Ben"] == ["withdrawal red flags on Sun 22 Nov 2026: a seizure (fit)",
                          "a lapse on Mon 23 Nov 2026, in this first export's period"]  # fmt: skip
    assert why["Cleo"] == ["a lapse on Sun 15 Nov 2026, after the previous export (to Tue 10 "
                           "Nov 2026)"]  # fmt: skip
    assert why["Dee"] == ["PHQ-9 up from mild (5, Tue 3 Nov 2026) to moderately severe (17, "
                          "Mon 23 Nov 2026)"]  # fmt: skip
    assert len(why["Eli"]) == 1 and why["Eli"][0].startswith("homework 0 of ")
    assert why["Fay"] == [] and why["Gil"] == []


def test_two_exports_of_one_person_are_a_series_and_a_copy_counts_once(table):
    cleo = row(table, "Cleo")
    assert cleo["exports"] == 2 and cleo["duplicates"] == 1
    assert cleo["lapse_since_previous"] is True
    assert cleo["latest"]["journal_id"] == cleo["previous"]["journal_id"]
    # 5 cravings over 5-10 Nov (6 days); 5 + 18 over 5-24 Nov (20 days).
    assert cleo["previous"]["cravings_per_day"] == pytest.approx(0.83, abs=0.01)
    assert cleo["latest"]["cravings_per_day"] == pytest.approx(1.15, abs=0.01)
    assert cleo["craving_trend"]["against"] == "the previous export"
    assert cleo["latest"]["peak_craving"] == 6 and cleo["latest"]["days_since_last_use"] == 9
    # Every other person is one export, with no lapse question to answer.
    assert row(table, "Fay")["lapse_since_previous"] is None


def test_unreadable_files_are_rows_with_their_reason(table):
    bad = {os.path.basename(r["source"]): r["unreadable"] for r in table["rows"]
           if "unreadable" in r}  # fmt: skip
    assert set(bad) == {"damaged.json", "foreign.json", "hal.json.age"}  # notes.txt not read
    assert "is not valid JSON" in bad["damaged.json"]
    assert "is not a relapse-cli JSON export" in bad["foreign.json"]
    assert "wrong passphrase" in bad["hal.json.age"]
    assert row(table, "Gil")["latest"]["source"].endswith("gil.json.age")  # its key opened it


def test_a_sealed_export_without_any_key_is_a_row_not_a_stop(caseload):
    result = ok("review", caseload["folder"], "--json")
    bad = {os.path.basename(r["source"]): r["unreadable"] for r in result.json()["rows"]
           if "unreadable" in r}  # fmt: skip
    assert "is sealed and no passphrase was given" in bad["gil.json.age"]
    assert len(result.json()["rows"]) == 11  # seven people, four files


def test_nothing_written_and_the_counselors_journal_untouched(caseload, table):
    assert sorted(os.listdir(caseload["folder"])) == caseload["before"]
    assert records(caseload["counselor"]) == caseload["counselor_rows"]


def test_the_terminal_table_and_its_lines(caseload):
    result = ok("review", caseload["folder"], "--keys", caseload["keys"])
    out = result.out
    assert out.index("Abe") < out.index("Ana") < out.index("Ben") < out.index("Fay")
    assert "This is a screening score, not a diagnosis; talk it over with their clinician." in out
    assert "Stated rules, not a prediction." in out
    assert "8 people, 3 files that could not be read" in out


def test_a_narrow_terminal_leaves_columns_out_and_says_so(caseload, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    out = ok("review", caseload["folder"], "--keys", caseload["keys"]).out
    assert "Left out at this width" in out
    assert max(len(line) for line in out.splitlines()) <= 60
    assert "…" not in out


def test_a_screen_reader_hears_lines_not_boxes(caseload, monkeypatch):
    monkeypatch.setenv("RELAPSE_SCREEN_READER", "1")
    out = ok("review", caseload["folder"], "--keys", caseload["keys"]).out
    assert "┃" not in out and "│" not in out
    assert "Person: Abe" in out


def test_csv_cells_are_neutralised_and_match_the_table(caseload, tmp_path):
    out = tmp_path / "caseload.csv"
    ok("review", caseload["folder"], "--keys", caseload["keys"], "--csv", "-o", str(out))
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["Person"] for r in rows][:3] == ["Abe", "Ana", "Ben"]
    assert rows[0]["Attention"] == "1. safety"


def test_a_formula_in_a_name_stays_text_in_the_csv(tmp_path):
    journal = str(tmp_path / "j.db")
    ok("--journal", journal, "config", "name", "=HYPERLINK(1)")
    ok("--journal", journal, "log", "mood", "5")
    ok("--journal", journal, "export", "-o", str(tmp_path / "a.json"))
    ok("--journal", journal, "export", "-o", str(tmp_path / "b.json"),
       clock=FakeClock(datetime(2026, 11, 25, 9, 0), tz=LONDON))  # fmt: skip
    rows = list(csv.reader(io.StringIO(ok("review", str(tmp_path / "a.json"),
                                          str(tmp_path / "b.json"), "--csv").out)))  # fmt: skip
    assert rows[1][1] == "'=HYPERLINK(1)" and len(rows) == 2  # one person, two exports


def test_bad_options_are_one_line_and_exit_2(caseload, tmp_path):
    for args, words in (
        (("--json", "--csv"), "not both"),
        (("-o", str(tmp_path / "x")), "-o is for --json or --csv"),
        (("--keys", str(tmp_path / "missing.toml")), "no such key file"),
        (("--html", str(tmp_path / "no" / "page.html")), "the folder does not exist"),
    ):
        result = run("review", caseload["folder"], *args)
        assert result.code == 2 and words in result.err and "Traceback" not in result.err
    one = run("review", os.path.join(caseload["folder"], "fay.json"), "--csv")
    assert one.code == 2 and "are for a caseload" in one.err


# ------------------------------------------------------------- the page (HTML)


@pytest.fixture(scope="module")
def page(caseload):
    out = caseload["base"] / "page" / "caseload.html"
    out.parent.mkdir()
    ok("review", caseload["folder"], "--keys", caseload["keys"], "--html", str(out))
    return out


def test_the_page_is_private_self_contained_and_links_each_persons_report(page):
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "default-src 'none'" in html
    linked = sorted(p.name for p in page.parent.iterdir() if p != page)
    assert len(linked) == 8  # one report per person (not for Cleo's older export)
    for name in linked:
        assert f'href="{name}"' in html
        assert stat.S_IMODE(os.stat(page.parent / name).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(page).st_mode) == 0o600


@pytest.mark.slow
def test_the_page_links_resolve_and_it_prints_in_chromium(page, tmp_path):
    from test_report_html import pdf_of, run_chromium

    dom = run_chromium("--dump-dom", "--virtual-time-budget=2000", page.as_uri()).stdout
    hrefs = [h.split('"')[1] for h in dom.split("href=")[1:]]
    assert len(hrefs) == 8
    for href in hrefs:
        target = page.parent / href
        assert target.exists()
        person = run_chromium("--dump-dom", target.as_uri()).stdout
        assert "<h1" in person
    pages = pdf_of(str(page), str(tmp_path / "caseload.pdf"))
    assert pages and "Abe" in pages[0]


# ------------------------------------------------------------- the model, pure


def _figures(**kw: object) -> model.Figures:
    base = {"source": "x.json", "person": "X", "named": True, "journal_id": "id-x",
            "exported_at": "2026-11-24T10:00:00Z", "first_day": "2026-11-01",
            "last_day": "2026-11-24", "days_since_last_use": None, "last_use_day": None,
            "use_days": 0, "cravings": 0, "cravings_per_day": 1.0, "recent_per_day": None,
            "before_per_day": None, "peak_craving": None, "phq9": None, "phq9_before": None,
            "gad7": None, "gad7_before": None, "item9_days": (), "self_harm_days": (),
            "withdrawal_flags": (), "meds_percent": None, "appointments_missed": None,
            "homework_done": None, "homework_expected": None}  # fmt: skip
    return model.Figures(**(base | kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(("before", "now", "flagged"), [
    (1.0, 1.49, False), (1.0, 1.5, True), (0.0, 3.0, False), (2.0, 1.0, False), (0.4, 0.6, True),
])  # fmt: skip
def test_cravings_up_by_half_against_the_previous_export(before, now, flagged):
    old = _figures(exported_at="2026-11-10T10:00:00Z", last_day="2026-11-10",
                   cravings_per_day=before)  # fmt: skip
    (r,) = model.series([old, _figures(cravings_per_day=now)])
    assert (r.rule == model.RULE_INDEX["rise"]) is flagged


@pytest.mark.parametrize(("was", "now", "flagged"), [(0, 1, False), (0, 2, True), (1, 3, True),
                                                     (3, 2, False), (2, 4, True)])  # fmt: skip
def test_phq9_two_bands_up(was, now, flagged):
    s = model.Score
    f = _figures(phq9=s(0, "b", now, "2026-11-20"), phq9_before=s(0, "a", was, "2026-11-01"))
    (r,) = model.series([f])
    assert (r.rule == model.RULE_INDEX["rise"]) is flagged


def test_the_first_rule_met_places_the_row_whatever_else():
    s = model.Score
    everything = _figures(person="Zed", journal_id="z", item9_days=("item 9 above 0 on D",),
                          withdrawal_flags=(("2026-11-02", "Fever"),), homework_done=0,
                          homework_expected=9, last_use_day="2026-11-03",
                          phq9=s(20, "severe", 4, "2026-11-20"),
                          phq9_before=s(1, "minimal", 0, "2026-11-01"))  # fmt: skip
    lapse = _figures(person="Amy", journal_id="a", last_use_day="2026-11-03")
    rows = model.ordered(model.series([lapse, everything]), [])
    assert [r.latest.person for r in rows] == ["Zed", "Amy"]
    assert [k for k, _ in rows[0].reasons] == ["safety", "withdrawal", "lapse", "rise", "homework"]


def test_without_an_id_the_name_then_the_file_makes_the_series():
    a = _figures(journal_id=None, person="Sam", source="a.json")
    b = _figures(journal_id=None, person="Sam", source="b.json", exported_at="2026-11-25T10:00:00Z")
    c = _figures(journal_id=None, person="c.json", named=False, source="c.json")
    d = _figures(journal_id=None, person="d.json", named=False, source="d.json")
    rows = model.series([a, b, c, d])
    assert sorted((r.latest.source, r.exports) for r in rows) == [
        ("b.json", 2), ("c.json", 1), ("d.json", 1)]  # fmt: skip


def test_the_single_review_is_unchanged_for_one_file(caseload):
    result = ok("review", os.path.join(caseload["folder"], "fay.json"))
    assert "Review of Fay's export" in result.out and "Caseload" not in result.out
    assert json.loads(ok("review", os.path.join(caseload["folder"], "fay.json"),
                         "--json").out)["export"]  # fmt: skip


# ------------------------------------------------------------- the journal id


def test_every_journal_has_its_own_stable_id_in_its_exports(tmp_path):
    from relapse_cli.share.formats.schema import UUID_PATTERN

    ids = []
    for name in ("a", "a", "b"):
        journal = str(tmp_path / f"{name}.db")
        ok("--journal", journal, "log", "mood", "5")
        ok("--journal", journal, "export", "-o", str(tmp_path / "x.json"), "--force")
        ids.append(json.loads((tmp_path / "x.json").read_text())["journal_id"])
    import re

    assert all(re.fullmatch(UUID_PATTERN, i) for i in ids)
    assert ids[0] == ids[1] != ids[2]


def test_an_older_journal_gets_an_id_when_it_is_brought_up_to_date(tmp_path):
    import shutil

    old = tmp_path / "old.db"
    shutil.copy(os.path.join(os.path.dirname(__file__), "fixtures", "journal_v8.db"), old)
    ok("--journal", str(old), "export", "-o", str(tmp_path / "x.json"))
    assert json.loads((tmp_path / "x.json").read_text())["journal_id"]
    # and an import never copies another journal's id
    other = str(tmp_path / "other.db")
    ok("--journal", other, "import", str(tmp_path / "x.json"))
    ok("--journal", other, "export", "-o", str(tmp_path / "y.json"))
    assert (json.loads((tmp_path / "y.json").read_text())["journal_id"]
            != json.loads((tmp_path / "x.json").read_text())["journal_id"])  # fmt: skip


@pytest.mark.parametrize("workers, chunk", [(2, 8), (2, 1), (3, 2)])
def test_side_by_side_reading_gives_the_same_rows_in_the_same_order(caseload, monkeypatch,
                                                                    workers, chunk):  # fmt: skip
    """The worker processes (a pool over chunks of exports) give exactly the rows one process
    gives, in the order of the files, unreadable ones included, however the files are cut."""
    from relapse_cli.caseload import reader

    paths = reader.sources([caseload["folder"]])
    keys = reader.load_keys(caseload["keys"], None)
    now = "2026-11-24T12:00:00Z"
    alone = list(reader.read_all(paths, now, keys, workers=1))
    monkeypatch.setattr(reader, "CHUNK", chunk)
    together = list(reader.read_all(paths, now, keys, workers=workers))
    assert [type(r).__name__ for r in alone].count("Unreadable") >= 3  # damaged, foreign, sealed
    assert together == alone
    assert [r.source for r in together] == paths

"""One rule for what a use day holds (issue 19, item 1): every figure agrees.

The journal is built through the real commands (``relapse log``) and read back through every
view a person or a counselor meets: summary, trends, the HTML report, the TLFB file and its
figures, the FHIR bundle and ``review`` of a JSON export. A property test runs the rule's two
SQL feeds (dashboard and exports) against random journals.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relapse_cli.insights import period
from relapse_cli.insights import store as stats
from relapse_cli.insights.use_days import UseDay, figures, use_days

# (day, amount recorded that day or None) the journal below must show everywhere.
EXPECTED = {"2026-11-17": 6.0, "2026-11-19": None, "2026-11-20": None, "2026-11-21": 4.0}
LOGS = [
    # The case: a craving that ended in use, then the use entry its message suggests.
    "log craving 9 -s alcohol -o used --at '2026-11-21 22:00'",
    "log use -s alcohol --amount 4 --unit drinks --at '2026-11-21 22:30'",
    # A craving that ended in use with nothing else logged: a use day, amount not recorded.
    "log craving 8 -s alcohol -o used --at '2026-11-20 20:00'",
    # A use without an amount.
    "log use -s alcohol --at '2026-11-19 19:00'",
    # Two uses on one day: one day, amounts added.
    "log use -s alcohol --amount 2 --unit drinks --at '2026-11-17 18:00'",
    "log use -s alcohol --amount 4 --unit drinks --at '2026-11-17 23:00'",
    # A craving resisted is no lapse.
    "log craving 7 -s alcohol -o resisted --at '2026-11-22 21:00'",
]
SINCE, UNTIL = "2026-11-10", "2026-11-24"


@pytest.fixture
def lapses(cli):
    for line in LOGS:
        result = cli(*shlex.split(line))
        assert result.code == 0, result.err
    assert cli("config", "recovery_start", SINCE).code == 0
    return cli


def test_every_view_agrees_on_the_use_days(lapses, tmp_path):
    cli = lapses
    period_args = ("--since", SINCE, "--until", UNTIL)
    # The summary.
    s = cli("summary", *period_args, "--json").json()
    assert s["recovery"]["period_use_days"] == len(EXPECTED)
    (alcohol,) = s["recovery"]["substances"]
    measured = [a for a in EXPECTED.values() if a is not None]
    assert alcohol["use_days"] == len(EXPECTED) and alcohol["days_with_amount"] == len(measured)
    assert alcohol["amount_per_use_day"] == round(sum(measured) / len(measured), 1) == 5.0
    assert (alcohol["heavy_days_4_plus"], alcohol["heavy_days_5_plus"]) == (2, 1)
    assert alcohol["lapses"] == 5  # 2 + 1 + 1 + 1: the 21st's craving and use are one lapse
    # Trends.
    t = cli("trends", "--since", SINCE, "--until", UNTIL, "--json").json()
    assert sum(r["use_days"] for r in t["rows"]) == len(EXPECTED)
    # TLFB: the file and its figures.
    out = tmp_path / "tlfb.csv"
    assert cli("export", "-f", "tlfb", *period_args, "-o", str(out)).code == 0
    rows = {r["date"]: float(r["amount"]) for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert {d for d, a in rows.items() if a > 0} == set(EXPECTED)
    assert rows["2026-11-21"] == 4 and rows["2026-11-17"] == 6  # was 5 on the 21st
    assert all(rows[d] == 1 for d, a in EXPECTED.items() if a is None)  # marked, not measured
    text = (tmp_path / "tlfb.summary.txt").read_text()
    assert "use days: 4" in text and "amount per use day: 5.0" in text
    assert "heavy days (4+ drinks, NIAAA threshold for women): 2" in text
    assert "heavy days (5+ drinks, NIAAA threshold for men): 1" in text
    # The HTML report's calendar.
    html = tmp_path / "report.html"
    assert cli("export", "-f", "html", *period_args, "-o", str(html)).code == 0
    cells = re.findall(r'<td class="use">(\d+)<span class="amt">([^<]*)</span>', html.read_text())
    assert {int(d): a for d, a in cells} == {17: "6", 19: "use", 20: "use", 21: "4"}
    # FHIR: one use-day Observation per day, with the same amounts.
    bundle = json.loads(cli("export", "-f", "fhir", *period_args).out)
    days = [e["resource"] for e in bundle["entry"]
            if e["resource"]["resourceType"] == "Observation"  # not the Patient
            and e["resource"]["code"]["coding"][0]["code"] == "use-day"]  # fmt: skip
    found = {d["effectiveDateTime"]: d.get("valueQuantity", {}).get("value") for d in days}
    assert found == EXPECTED
    # Review of a JSON export: the period's figures and its summary.
    exported = tmp_path / "export.json"
    assert cli("export", *period_args, "-o", str(exported)).code == 0
    r = cli("review", str(exported), "--json").json()
    per_day = {d["date"]: (d["uses"], d["amount"]) for d in r["period"]["per_day"] if d["uses"]}
    assert {d: a for d, (_n, a) in per_day.items()} == EXPECTED
    assert per_day["2026-11-21"][0] == 1  # one lapse, not two
    assert r["period"]["totals"]["use_days"] == len(EXPECTED)
    assert r["summary"]["recovery"]["substances"] == s["recovery"]["substances"]


RULE = [
    # rows of one day -> (lapses, amount) per substance
    ([{"substance": "alcohol", "uses": 1, "amount": 4, "craving_used": 1}], {"alcohol": (1, 4.0)}),
    (
        [{"substance": "alcohol", "uses": 0, "amount": None, "craving_used": 2}],
        {"alcohol": (2, None)},
    ),  # fmt: skip
    (
        [{"substance": "alcohol", "uses": 2, "amount": None, "craving_used": 0}],
        {"alcohol": (2, None)},
    ),  # fmt: skip
    # A craving with no substance named is the lapse any use entry of its day describes.
    (
        [
            {"substance": "", "uses": 0, "amount": None, "craving_used": 1},
            {"substance": "cannabis", "uses": 1, "amount": 1, "craving_used": 0},
        ],
        {"cannabis": (1, 1.0)},
    ),  # fmt: skip
    # A use with no substance named describes the day's cravings of any substance.
    (
        [
            {"substance": "", "uses": 1, "amount": 3, "craving_used": 0},
            {"substance": "alcohol", "uses": 0, "amount": None, "craving_used": 1},
        ],
        {"": (1, 3.0)},
    ),  # fmt: skip
    # Different substances are different lapses.
    (
        [
            {"substance": "alcohol", "uses": 1, "amount": 2, "craving_used": 0},
            {"substance": "nicotine", "uses": 0, "amount": None, "craving_used": 1},
        ],
        {"alcohol": (1, 2.0), "nicotine": (1, None)},
    ),  # fmt: skip
]


@pytest.mark.parametrize(("rows", "want"), RULE)
def test_the_rule_table(rows, want):
    got = use_days([r | {"day": "2026-11-21", "unit": None} for r in rows])
    assert {d.substance: (d.lapses, d.amount) for d in got} == want


def test_figures_leave_unrecorded_amounts_out():
    days = [UseDay("2026-11-01", "alcohol", 1, None, None),
            UseDay("2026-11-02", "alcohol", 1, 5.0, "drinks")]  # fmt: skip
    (f,) = figures(days)
    assert (f["use_days"], f["days_with_amount"], f["amount_per_use_day"]) == (2, 1, 5.0)
    assert (f["heavy_days_4_plus"], f["heavy_days_5_plus"]) == (1, 1)


# --------------------------------------------------------------------------- property

FIRST, LAST = date(2026, 11, 1), date(2026, 11, 14)
lapse = st.tuples(
    st.integers(0, 13),  # day
    st.integers(0, 1439),  # local minute
    st.sampled_from([-300, 0, 60, 540]),
    st.sampled_from(["use", "craving"]),
    st.sampled_from(["alcohol", "cannabis", None]),
    st.one_of(st.none(), st.integers(1, 8)),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    from relapse_cli.storage.db import open_journal

    path = str(tmp_path_factory.mktemp("tpl") / "journal.db")
    open_journal(path).close()
    return path


def _entry(day, minute, offset, kind, substance, amount) -> dict:  # noqa: ANN001
    tz = timezone(timedelta(minutes=offset))
    when = datetime.combine(FIRST + timedelta(days=day), datetime.min.time(), tz)
    item = {"kind": kind, "when": when + timedelta(minutes=minute), "substance": substance,
            "triggers": [], "coping": []}  # fmt: skip
    if kind == "use":
        item |= {"amount": amount, "unit": "drinks" if amount else None}
    else:
        item |= {"intensity": 6, "outcome": "used"}
    return item


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.lists(lapse, max_size=20))
def test_dashboard_and_exports_read_the_same_use_days(template, items):
    """stats (summary, trends) and period (report, review, TLFB, FHIR) feed the rule the same
    rows, and a day holds at most its use entries or, without any, its cravings."""
    from relapse_cli.log.store.bulk import insert_many

    src = sqlite3.connect(template)
    con = sqlite3.connect(":memory:", isolation_level=None)
    src.backup(con)
    src.close()
    con.row_factory = sqlite3.Row
    insert_many(con, [_entry(*i) for i in items])
    tz = timezone.utc
    since = datetime.combine(FIRST - timedelta(days=1), datetime.min.time(), tz)
    until = datetime.combine(LAST + timedelta(days=2), datetime.min.time(), tz)
    inside = {(FIRST + timedelta(days=n)).isoformat() for n in range(14)}
    dash = [d for d in use_days(stats.use_amounts(con, FIRST, LAST)) if d.day in inside]
    export = [d for d in use_days(period.daily_use(con, since, until)) if d.day in inside]
    con.close()
    assert dash == export
    for d in dash:
        same = [i for i in items if (FIRST + timedelta(days=i[0])).isoformat() == d.day]
        logged = [i for i in same if i[3] == "use" and (i[4] or "") == d.substance]
        assert d.lapses == (len(logged) or sum(1 for i in same if (i[4] or "") == d.substance))
        amounts = [i[5] for i in logged if i[5] is not None]
        assert d.amount == (float(sum(amounts)) if amounts else None)

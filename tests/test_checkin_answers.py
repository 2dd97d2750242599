"""`checkin <screener> --answers`: answers keep their positions (issue 15 items 2 and 3).

A blank or missing scored answer is an error naming the item (exit 2, nothing saved), never a
shift of later answers into earlier items; an item-9 answer above 0 that can be read at all
reaches the safety screen first, even when the rest of the line is wrong.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import records

SAFETY = "Your safety plan"


@pytest.fixture
def started(cli, journal):
    assert cli("checkin", "--mood", "5").code == 0
    return journal


@pytest.mark.parametrize(("answers", "message"), [
    ("1,1,1,1,1,1,1,1,,0", "PHQ-9 item 9 is blank"),  # was saved as item 9 = 0
    ("0,,0,0,0,0,0,0,0,2", "PHQ-9 item 2 is blank"),  # was item 9 = 2
    (",0,0,0,0,0,0,0,0", "PHQ-9 item 1 is blank"),
    ("0,,0,,0,0,0,0,0", "PHQ-9 items 2, 4 are blank"),
    ("0,0,0,0,0,0,0,0", "item 9 onwards missing"),
    ("0, 0,0,0,0,0,0 ,0,", "PHQ-9 item 9 is blank"),
])  # fmt: skip
def test_blank_or_missing_scored_answer_names_the_item(cli, started, answers, message):
    before = records(started)
    res = cli("checkin", "phq9", "--answers", answers)
    assert res.code == 2, res.err
    assert message in res.err and res.err.strip().count("\n") == 0
    assert "Traceback" not in res.err
    assert records(started) == before
    assert SAFETY not in res.out


def test_a_blank_unscored_last_answer_is_just_not_answered(cli, journal):
    res = cli("checkin", "phq9", "--answers", "1,0,0,0,0,0,0,0,0,")
    assert res.code == 0, res.err
    assert "PHQ-9: 1 of 27" in res.out


@pytest.mark.parametrize("answers", [
    "0,0,0,0,0,0,0,0,2,7",  # a bad unscored 10th answer
    "0,0,0,0,0,0,0,0,2,1,3",  # an extra answer
    "x,0,0,0,0,0,0,0,1",  # an invalid item 1
    "0,,0,0,0,0,0,0,3",  # a blank item 2
    "0,0,0,0,0,0,0,0,5",  # item 9 itself out of range, but clearly above 0
])  # fmt: skip
def test_item9_above_0_reaches_the_safety_screen_first_then_the_error(cli, started, answers):
    before = records(started)
    res = cli("checkin", "phq9", "--answers", answers)
    assert res.code == 2, res.err
    assert SAFETY in res.out
    assert "If you are in danger now, call your local emergency number" in res.out
    assert res.err.startswith("relapse: ") and res.err.strip().count("\n") == 0
    assert records(started) == before


answer = st.sampled_from(["0", "1", "2", "3"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=st.lists(answer, min_size=9, max_size=9), blank=st.integers(0, 8),
       extra=st.one_of(st.none(), answer))  # fmt: skip
def test_any_blank_scored_answer_is_named_never_shifted(cli, started, answers, blank, extra):
    line = list(answers)
    line[blank] = ""
    if extra is not None:
        line.append(extra)
    before = records(started)
    res = cli("checkin", "phq9", "--answers", ",".join(line))
    assert res.code == 2
    assert f"item {blank + 1} is blank" in res.err
    assert records(started) == before
    # the safety screen follows item 9 at its own position only, never a shifted answer
    assert (SAFETY in res.out) == (blank != 8 and answers[8] != "0")


# ---- GAD-7's unscored difficulty question (item 10) ---------------------------------------

GAD7_DIFFICULTY = ("If you checked off any problems, how difficult have these made it for you "
                   "to do your work, take care of things at home, or get along with other people?")  # fmt: skip


def test_gad7_has_the_forms_unscored_difficulty_question():
    from relapse_cli.checkins.screeners import about

    extra = about("gad7", None).extra
    assert extra is not None and extra.number == 8 and extra.text == GAD7_DIFFICULTY
    assert [c.text for c in extra.choices] == [
        "Not difficult at all", "Somewhat difficult", "Very difficult", "Extremely difficult"]  # fmt: skip


def test_gad7_difficulty_by_answers_is_saved_unscored_and_shown(cli, journal):
    import sqlite3

    res = cli("checkin", "gad7", "--answers", "1,1,1,1,1,1,1,2")
    assert res.code == 0, res.err
    assert "GAD-7: 7 of 21, mild." in res.out and "Very difficult" in res.out
    con = sqlite3.connect(journal)
    try:
        assert con.execute("SELECT total, difficulty FROM screenings").fetchone() == (7, 2)
    finally:
        con.close()
    assert cli("checkin", "gad7", "--answers", "1,1,1,1,1,1,1,4").code == 2


def test_gad7_guided_asks_the_difficulty_question_after_the_items(cli, journal):
    from relapse_cli.core.prompter import ScriptedPrompter

    p = ScriptedPrompter(["1", "0", "0", "0", "0", "0", "0", "1"])
    res = cli("checkin", "gad7", prompter=p)
    assert res.code == 0, res.err
    assert any(GAD7_DIFFICULTY in s for s in p.said)
    assert "Somewhat difficult" in res.out


def test_gad7_difficulty_in_the_fhir_export(cli, journal, tmp_path):
    import json

    cli("checkin", "gad7", "--answers", "1,1,1,1,1,1,1,3")
    out = tmp_path / "b.json"
    assert cli("export", "-f", "fhir", "-o", str(out)).code == 0
    bundle = json.loads(out.read_text())
    qr = next(e["resource"] for e in bundle["entry"]
              if e["resource"]["resourceType"] == "QuestionnaireResponse")  # fmt: skip
    last = qr["item"][-1]
    assert last["linkId"] == "gad7-difficulty" and last["text"] == GAD7_DIFFICULTY
    assert last["answer"][0]["valueCoding"]["code"] == "LA6574-3"


# ---- PACS wording (Flannery et al. 1999) and its alcohol-only threshold (item 11) ---------

PACS_ITEM1 = [
    "Never (0 times during the past week)",
    "Rarely (1 to 2 times during the past week)",
    "Occasionally (3 to 4 times during the past week)",
    "Sometimes (5 to 10 times during the past week or 1 to 2 times per day)",
    "Often (11 to 20 times during the past week or 2 to 3 times per day)",
    "Most of the time (20 to 40 times during the past week or 3 to 6 times per day)",
    "Nearly all the time (more than 40 times during the past week or more than 6 times per day)",
]


def test_pacs_item1_is_word_for_word():
    from relapse_cli.checkins.screeners import about, load

    item = load("pacs").items[0]
    assert item.text == ("During the past week how often have you thought about drinking or "
                         "about how good a drink would make you feel?")  # fmt: skip
    assert [c.text for c in item.choices] == PACS_ITEM1
    # adapted forms keep the published answer labels of item 1
    assert [c.text for c in about("pacs", "cannabis").items[0].choices] == PACS_ITEM1


@pytest.mark.parametrize("substance", ["cannabis", "opioids", "gambling", "cocaine"])
def test_the_15_point_threshold_is_for_alcohol_only(cli, substance):
    res = cli("checkin", "pacs", "--answers", "3,3,3,3,3", "-s", substance)
    assert res.code == 0, res.err
    assert "15" not in res.out.split("\n")[0].split(":")[1].replace("15 of 30", "")
    assert "15 or more" not in res.out and "under 15" not in res.out
    assert f"no validated threshold for {substance}" in res.out
    assert "studied for alcohol only" in res.out


def test_alcohol_keeps_the_15_point_threshold(cli):
    res = cli("checkin", "pacs", "--answers", "3,3,3,3,3", "-s", "alcohol")
    assert res.out.startswith("PACS: 15 of 30, 15 or more.")
    assert "a figure to discuss, not a verdict" in res.out

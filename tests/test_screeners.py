"""The screeners as data and their scoring: every total, every band boundary, the item-9 rule.

Expected bands and codes are typed out here by hand from CLINICAL.md §7 (not read from the
packaged data), so a typo in the data fails a test.
"""

from __future__ import annotations

import itertools

import pytest

from relapse_cli.checkins import screeners as s
from relapse_cli.core.errors import BadInput

# Bands by hand, one entry per possible total (CLINICAL.md §7).
PHQ9_BANDS = (["minimal"] * 5 + ["mild"] * 5 + ["moderate"] * 5 + ["moderately severe"] * 5
              + ["severe"] * 8)  # fmt: skip
GAD7_BANDS = ["minimal"] * 5 + ["mild"] * 5 + ["moderate"] * 5 + ["severe"] * 7
PACS_BANDS = ["under 15"] * 15 + ["15 or more"] * 16


def answers_for(total: int, items: int, high: int) -> list[int]:
    """A set of answers with this total (fills items from the first)."""
    out = []
    for _ in range(items):
        take = min(high, total)
        out.append(take)
        total -= take
    assert total == 0
    return out


def test_hand_tables_cover_every_total():
    assert len(PHQ9_BANDS) == 28 and len(GAD7_BANDS) == 22 and len(PACS_BANDS) == 31


@pytest.mark.parametrize(("key", "items", "high", "bands"), [
    ("phq9", 9, 3, PHQ9_BANDS), ("gad7", 7, 3, GAD7_BANDS), ("pacs", 5, 6, PACS_BANDS)])  # fmt: skip
def test_every_possible_total_gets_its_band(key, items, high, bands):
    inst = s.load(key)
    assert inst.max_total == items * high == len(bands) - 1
    for total, band in enumerate(bands):
        for answers in (answers_for(total, items, high),
                        list(reversed(answers_for(total, items, high)))):  # fmt: skip
            result = s.score(inst, answers)
            assert (result.total, result.band) == (total, band), (key, answers)
            assert result.max_total == items * high


@pytest.mark.parametrize(("key", "boundaries"), [
    ("phq9", [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
              (14, "moderate"), (15, "moderately severe"), (19, "moderately severe"),
              (20, "severe"), (27, "severe")]),
    ("gad7", [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
              (14, "moderate"), (15, "severe"), (21, "severe")]),
    ("pacs", [(0, "under 15"), (14, "under 15"), (15, "15 or more"), (30, "15 or more")]),
])  # fmt: skip
def test_band_boundaries(key, boundaries):
    inst = s.load(key)
    for total, band in boundaries:
        assert s.band_for(inst, total) == band
    with pytest.raises(ValueError):
        s.band_for(inst, inst.max_total + 1)
    with pytest.raises(ValueError):
        s.band_for(inst, -1)


def test_gad7_every_answer_combination_scores_its_sum():
    inst = s.load("gad7")
    seen = set()
    for answers in itertools.product(range(4), repeat=7):
        result = s.score(inst, list(answers))
        assert result.total == sum(answers)
        assert result.band == GAD7_BANDS[result.total]
        assert not result.needs_safety
        seen.add(result.total)
    assert seen == set(range(22))


def test_pacs_every_answer_combination_scores_its_sum():
    inst = s.load("pacs")
    for answers in itertools.product(range(7), repeat=5):
        result = s.score(inst, list(answers))
        assert (result.total, result.band) == (sum(answers), PACS_BANDS[sum(answers)])


def test_item9_rule_against_every_combination_with_low_totals():
    """Items 1-8 summing to 0..4 (every combination: the totals where the band alone says
    'minimal' or low 'mild'), crossed with each answer to item 9."""
    inst = s.load("phq9")
    checked = 0
    for first8 in itertools.product(range(4), repeat=8):
        if sum(first8) > 4:
            continue
        for item9 in range(4):
            answers = [*first8, item9]
            result = s.score(inst, answers)
            assert result.needs_safety is (item9 > 0), answers
            assert s.needs_safety(inst, answers) is (item9 > 0)
            assert result.total == sum(first8) + item9
            checked += 1
    # combinations of items 1-8 with totals 0..4: 1, 8, C(9,2)=36, C(10,3)=120 and
    # C(11,4)=330 less the 8 with one item at 4 = 322
    assert checked == (1 + 8 + 36 + 120 + 322) * 4
    # the lowest possible total with item 9 answered: 1, minimal, and still the safety screen
    assert s.score(inst, [0] * 8 + [1]) == s.Score(1, "minimal", 27, True)
    # a high total without item 9 does not trigger it
    assert s.score(inst, [3] * 8 + [0]) == s.Score(24, "severe", 27, False)


def test_only_phq9_has_the_item9_rule():
    assert s.load("phq9").safety_item == 9
    assert s.load("gad7").safety_item is None and s.load("pacs").safety_item is None
    assert not s.needs_safety(s.load("gad7"), [3] * 7)


def test_incomplete_answers_are_never_scored():
    inst = s.load("phq9")
    for bad in ([0] * 8, [0] * 10, [0] * 8 + [None], [0] * 8 + [4], [-1] + [0] * 8):
        with pytest.raises(ValueError):
            s.score(inst, bad)  # type: ignore[arg-type]


def test_phq9_wording_codes_and_tenth_question():
    inst = s.load("phq9")
    assert inst.stem == ("Over the last 2 weeks, how often have you been bothered by any of the "
                         "following problems?")  # fmt: skip
    assert [i.text for i in inst.items] == [
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your "
        "family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
        "being so fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ]
    assert [i.loinc for i in inst.items] == ["44250-9", "44255-8", "44259-0", "44254-1",
                                             "44251-7", "44258-2", "44252-5", "44253-3",
                                             "44260-8"]  # fmt: skip
    assert (inst.loinc_panel, inst.loinc_total) == ("44249-1", "44261-6")
    assert [(c.value, c.text, c.loinc) for c in inst.items[0].choices] == [
        (0, "Not at all", "LA6568-5"), (1, "Several days", "LA6569-3"),
        (2, "More than half the days", "LA6570-1"), (3, "Nearly every day", "LA6571-9")]  # fmt: skip
    assert all(i.choices == inst.items[0].choices for i in inst.items)
    extra = inst.extra
    assert extra is not None and extra.number == 10 and extra.loinc == "69722-7"
    assert extra.text.startswith("If you checked off any problems, how difficult have these")
    assert [(c.value, c.text, c.loinc) for c in extra.choices] == [
        (0, "Not difficult at all", "LA6572-7"), (1, "Somewhat difficult", "LA6573-5"),
        (2, "Very difficult", "LA6575-0"), (3, "Extremely difficult", "LA6574-3")]  # fmt: skip
    assert "Kroenke" in inst.source


def test_gad7_wording_and_codes():
    inst = s.load("gad7")
    assert (
        inst.stem
        == "Over the last 2 weeks, how often have you been bothered by the following problems?"
    )
    assert [i.text for i in inst.items] == [
        "Feeling nervous, anxious or on edge", "Not being able to stop or control worrying",
        "Worrying too much about different things", "Trouble relaxing",
        "Being so restless that it is hard to sit still", "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen"]  # fmt: skip
    assert [i.loinc for i in inst.items] == ["69725-0", "68509-9", "69733-4", "69734-2",
                                             "69735-9", "69689-8", "69736-7"]  # fmt: skip
    assert (inst.loinc_panel, inst.loinc_total) == ("69737-5", "70274-6")
    assert inst.extra is not None and inst.extra.number == 8 and "Spitzer" in inst.source


def test_pacs_wording_and_adaptation():
    inst = s.load("pacs")
    assert len(inst.items) == 5 and all(len(i.choices) == 7 for i in inst.items)
    assert inst.items[0].text == ("During the past week how often have you thought about "
                                  "drinking or about how good a drink would make you feel?")  # fmt: skip
    assert inst.items[1].choices[6].text == ("Strong urge and would have drunk alcohol if it "
                                             "were available")  # fmt: skip
    assert inst.items[3].choices[6].text == "Would not be able to resist"
    assert inst.loinc_panel is None and "Flannery" in inst.source and inst.substance is None
    assert s.about("pacs", "Alcohol") is inst  # the published wording
    can = s.about("pacs", "cannabis")
    assert can.substance == "cannabis"
    assert can.items[0].text == ("During the past week how often have you thought about using "
                                 "cannabis or about how good using cannabis would make you feel?")  # fmt: skip
    assert can.items[1].choices[6].text == ("Strong urge and would have used cannabis if it "
                                            "were available")  # fmt: skip
    assert can.items[3].text.endswith("resist using cannabis if you had known cannabis was in "
                                      "your house?")  # fmt: skip
    assert can.items[4].choices[0].text == ("Never thought about using cannabis and never had "
                                            "the urge to use")  # fmt: skip
    assert [c.text for c in can.items[2].choices] == [c.text for c in inst.items[2].choices]
    gamble = s.about("pacs", "gambling")
    assert (
        gamble.items[1].choices[6].text == "Strong urge and would have gambled if it were available"
    )
    assert "drink" not in " ".join(i.text for i in gamble.items)
    assert s.score(can, [2, 3, 1, 4, 2]) == s.Score(
        12, "no validated threshold for cannabis", 30, False
    )
    assert s.about("phq9", "cannabis") is s.load("phq9")  # only the PACS adapts


@pytest.mark.parametrize(("key", "text", "message"), [
    ("phq9", "1,0,2,1,0,3,0,1", "PHQ-9 needs 9 (or 10 with the unscored last question) answers, got 8"),
    ("phq9", "1,0,2,1,0,3,0,1,0,1,1", "got 11"),
    ("phq9", "1,0,2,4,0,3,0,1,0", "PHQ-9 item 4 takes a number from 0 to 3, not '4'"),
    ("phq9", "1,0,2,a,0,3,0,1,0", "item 4 takes a number from 0 to 3, not 'a'"),
    ("phq9", "1,0,2,-1,0,3,0,1,0", "item 4 takes a number from 0 to 3"),
    ("phq9", "1,0,2,1.5,0,3,0,1,0", "item 4 takes a number from 0 to 3"),
    ("phq9", "1,0,2,1,0,3,0,1,0,4", "question 10 (how difficult) takes 0 to 3, not '4'"),
    ("gad7", "1,0,2,1,0,3,0,1,1", "GAD-7 needs 7 (or 8 with the unscored last question) answers, got 9"),
    ("gad7", "", "GAD-7 needs 7 (or 8 with the unscored last question) answers, got 0"),
    ("pacs", "2,3,1,7,2", "PACS item 4 takes a number from 0 to 6, not '7'"),
    ("pacs", "2,3,1,٣,2", "item 4 takes a number from 0 to 6"),
])  # fmt: skip
def test_bad_answers_are_one_clear_line(key, text, message):
    with pytest.raises(BadInput) as err:
        s.parse_answers(s.load(key), text)
    assert message in err.value.line() and "e.g. --answers" in err.value.line()


def test_answers_parse_with_spaces_and_the_tenth_answer():
    phq9 = s.load("phq9")
    assert s.parse_answers(phq9, "1, 0, 2, 1, 0, 3, 0, 1, 0") == ([1, 0, 2, 1, 0, 3, 0, 1, 0], None)
    assert s.parse_answers(phq9, "1 0 2 1 0 3 0 1 0 2") == ([1, 0, 2, 1, 0, 3, 0, 1, 0], 2)
    assert s.parse_answers(s.load("pacs"), "6,6,6,6,6") == ([6] * 5, None)


def test_change_since_previous():
    phq9 = s.load("phq9")
    assert s.change(7, None) is None and s.change(7, 11) == -4 and s.change(12, 11) == 1
    assert s.change_text(phq9, 7, None).startswith("Your first PHQ-9 here")
    prev = {"total": 11, "band": "moderate", "when": "Tue 10 Nov"}
    assert s.change_text(phq9, 7, prev) == "Down 4 points since Tue 10 Nov (11, moderate)."
    assert s.change_text(phq9, 12, prev) == "Up 1 point since Tue 10 Nov (11, moderate)."
    assert s.change_text(phq9, 11, prev) == "The same as last time (11, moderate, Tue 10 Nov)."


def test_unknown_instrument():
    with pytest.raises(BadInput):
        s.load("audit")


@pytest.mark.parametrize("key", s.KEYS)
def test_bands_cover_every_total_exactly_once(key):
    inst = s.load(key)
    covered = [t for b in inst.bands for t in range(b.low, b.high + 1)]
    assert covered == list(range(inst.max_total + 1))


@pytest.mark.parametrize("key", s.KEYS)
def test_any_complete_answer_set_scores_its_sum(key):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    inst = s.load(key)
    answer = st.integers(min_value=inst.low, max_value=inst.high)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(answer, min_size=len(inst.items), max_size=len(inst.items)))
    def check(answers):
        result = s.score(inst, answers)
        assert result.total == sum(answers)
        band = next(b for b in inst.bands if b.low <= result.total <= b.high)
        assert result.band == band.name
        typed = ",".join(map(str, answers))
        assert s.parse_answers(inst, typed) == (answers, None)

    check()

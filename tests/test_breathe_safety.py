"""Urge surfing's closing words follow the last rating (issue 15 item 6), and the breathing
exercises keep to their sources' limits and cautions (item 9)."""

from __future__ import annotations

import pytest

from relapse_cli.breathing.model import closing_words, exercises
from relapse_cli.core.prompter import ScriptedPrompter

RODE = "You rode this one out"


def _surf(cli, *answers):
    return cli("breathe", "urge", "--quiet", prompter=ScriptedPrompter(list(answers)))


@pytest.mark.parametrize(("ratings", "said", "not_said"), [
    (["10", "10", "q"], "still strong (10 of 10)", RODE),
    (["9", "7", "q"], "still strong (7 of 10)", RODE),
    (["9", "5", "q"], "still there (5 of 10)", RODE),
    (["9", "2", "q"], RODE, "still strong"),
    (["q"], "Thank you for staying with it", RODE),
    (["8", "2", "1", "2"], RODE, "still strong"),  # settled
])  # fmt: skip
def test_closing_words_follow_the_last_rating(cli, ratings, said, not_said):
    res = _surf(cli, *ratings)
    assert res.code == 0, res.err
    assert said in res.out and not_said not in res.out


def test_still_strong_points_to_sos_and_to_people_from_the_plan(cli):
    cli("plan", "add", "people", "Sam", "--phone", "07700 900123")
    res = _surf(cli, "10", "10", "q")
    assert "relapse sos" in res.out and "call someone from your plan" in res.out
    assert "From your plan: Sam, 07700 900123" in res.out


def test_ctrl_c_while_still_strong_still_gets_the_kind_words(cli):
    res = _surf(cli, "10", KeyboardInterrupt)
    assert "still strong (10 of 10)" in res.out and RODE not in res.out


def test_every_rating_gets_words_that_fit_it():
    ex = exercises()["urge"]
    for last in range(11):
        words = closing_words(ex, last)
        assert (RODE in words) == (last <= ex.settle_at), last
        assert ("relapse sos" in words) == (last > ex.settle_at), last


# --- limits and cautions from each exercise's source (item 9) ------------------------------

WEIL = "advises no more than 4 at a time for the first month"


def test_478_defaults_to_four_rounds_without_a_note():
    from relapse_cli.breathing.model import completed_cycles, make_plan

    plan = make_plan(exercises()["478"])
    assert completed_cycles(plan.steps, len(plan.steps)) == 4 and plan.notes == ()


@pytest.mark.parametrize(("options", "cycles"), [
    ({"cycles": 5}, 5), ({"cycles": 8}, 8), ({"minutes": 2}, 6),
])  # fmt: skip
def test_478_more_than_four_rounds_runs_with_weils_advice(options, cycles):
    from relapse_cli.breathing.model import completed_cycles, make_plan

    plan = make_plan(exercises()["478"], **options)
    assert completed_cycles(plan.steps, len(plan.steps)) == cycles
    assert len(plan.notes) == 1 and WEIL in plan.notes[0] and f"{cycles} rounds" in plan.notes[0]


def test_478_note_is_said_before_the_exercise(cli):
    res = cli("breathe", "478", "--cycles", "6", "--quiet", prompter=ScriptedPrompter([]))
    assert res.code == 0, res.err
    assert res.out.index(WEIL) < res.out.index("Breathe in (4 s)")


def test_every_paced_pattern_outside_the_resonance_range_is_warned():
    from relapse_cli.breathing.model import make_plan

    ex = exercises()["paced"]
    low, high = ex.rate_range
    for b_in in (4, 5, 6, 7):
        for b_out in (4, 5, 6, 7):
            for hold in (0, 2, 7):
                for hold_out in (0, 3, 7):
                    plan = make_plan(ex, breath_in=b_in, breath_out=b_out, hold=hold,
                                     hold_out=hold_out)  # fmt: skip
                    rate = 60 / (b_in + b_out + hold + hold_out)
                    warned = any("breaths a minute" in n for n in plan.notes)
                    assert warned == (not low <= rate <= high), (b_in, b_out, hold, hold_out)
    longest = make_plan(ex, breath_in=7, breath_out=7, hold=7, hold_out=7)
    assert "about 2.1 breaths a minute" in longest.notes[0]
    assert make_plan(ex).notes == ()  # in 5, out 5: six a minute


@pytest.mark.parametrize("key", list(exercises()))
def test_every_exercise_names_its_cautions_first(cli, key):
    ex = exercises()[key]
    assert ex.cautions, key
    answers = ["q"] if ex.kind == "surf" else []
    res = cli("breathe", key, "--quiet", prompter=ScriptedPrompter(answers))
    assert res.code == 0, res.err
    # The cautions come first (wrapped to the terminal, so compared as words).
    assert " ".join(res.out.split()).startswith(" ".join(" ".join(ex.cautions).split()))

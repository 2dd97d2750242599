"""Urge surfing's closing words follow the last rating (issue 15 item 6), and the breathing
exercises keep to their sources' limits and cautions (item 9)."""

from __future__ import annotations

import pytest

from relapse_cli.domain.breathing import closing_words, exercises
from relapse_cli.prompter import ScriptedPrompter

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

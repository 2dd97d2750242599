"""The suicide safety plan and the relapse-prevention plan stay apart (issue 15 item 5).

Stanley & Brown's step 1 is warning signs of a suicidal crisis, step 2 internal coping for
that crisis: relapse-plan items (lapse warning signs, urge surfing) must never fill them.
Checked on the item-9 screen, the withdrawal self-harm screen, `relapse plan`, `plan build`
and `relapse sos`.
"""

from __future__ import annotations

import pytest

from relapse_cli.core.prompter import ScriptedPrompter
from relapse_cli.plan.model import plan as P

RELAPSE_ITEMS = [
    ("warning_signs", "'one won't hurt' thoughts"),
    ("coping", "urge surfing for 10 minutes"),
    ("safe_places", "the library"),
    ("reasons", "my health"),
    ("if_lapse", "tell my sponsor"),
]


@pytest.fixture
def relapse_plan(cli, journal):
    for section, text in RELAPSE_ITEMS:
        assert cli("plan", "add", section, text).code == 0
    assert cli("plan", "add", "people", "Robin", "--phone", "07700 900123").code == 0
    assert cli("plan", "add", "professionals", "Dr Patel", "--phone", "020 7946 0000").code == 0
    assert cli("config", "country", "GB").code == 0
    return journal


SCREENS = [
    ("checkin", "phq9", "--answers", "0,0,0,0,0,0,0,0,1"),
    ("log", "withdrawal", "--self-harm"),
]


def _safety_part(out: str) -> str:
    start = out.index("Your safety plan")
    return out[start : out.index("Crisis lines (United Kingdom):", start)]


@pytest.mark.parametrize("args", SCREENS)
def test_an_empty_safety_plan_says_so_and_shows_no_relapse_items(cli, relapse_plan, args):
    res = cli(*args)
    part = _safety_part(res.out)
    for _, text in RELAPSE_ITEMS:
        assert text not in part
    assert "Robin" not in part and "Dr Patel" not in part
    assert " ".join(P.SAFETY_EMPTY.split()) in " ".join(part.split())  # wrapped: as words
    assert "relapse plan add safety_steps" in part
    assert "Samaritans: 116 123" in res.out


@pytest.mark.parametrize("args", SCREENS)
def test_safety_items_under_their_own_steps_only(cli, relapse_plan, args):
    cli("plan", "add", "safety_steps", "hopeless thoughts at night", "--step", "1")
    cli("plan", "add", "safety_steps", "call my sister Jo", "--step", "4")
    cli("plan", "add", "matters_most", "my daughter")
    part = _safety_part(cli(*args).out)
    lines = part.splitlines()
    step1 = lines.index(next(x for x in lines if x.startswith("1. Notice the signs")))
    assert lines[step1 + 1] == "  - hopeless thoughts at night"
    assert lines[step1 + 3] == "    (nothing here yet)"  # step 2: no urge surfing here
    step4 = lines.index(next(x for x in lines if x.startswith("4. Ask for help")))
    assert lines[step4 + 1] == "  - call my sister Jo"
    assert "  - my daughter" in lines
    for _, text in RELAPSE_ITEMS:
        assert text not in part
    assert P.SAFETY_EMPTY not in part


def test_plan_shows_the_two_plans_under_their_own_headings(cli, relapse_plan):
    out = cli("plan").out
    relapse, safety = out.index("RELAPSE-PREVENTION PLAN"), out.index("SAFETY PLAN FOR A CRISIS")
    assert relapse < out.index("Warning signs") < out.index("If I lapse") < safety
    assert safety < out.index("Safety plan for a crisis (safety_steps)")
    assert out.index(P.SAFETY_EMPTY.split(":")[0]) > safety
    cli("plan", "add", "safety_steps", "call Jo", "--step", "4")
    assert P.SAFETY_EMPTY.split(":")[0] not in cli("plan").out


def test_builder_introduces_each_plan_before_its_sections(cli):
    prompter = ScriptedPrompter(["stop"])
    cli("plan", "build", prompter=prompter)
    said = "\n".join(prompter.said)
    assert "Part 1 of 2: your relapse-prevention plan" in said
    p = ScriptedPrompter([""] * (len(P.SECTIONS) - 2) + ["hopeless thoughts"] + [""] * 6 + [""])
    cli("plan", "build", prompter=p)
    said = "\n".join(p.said)
    assert said.index("Part 2 of 2: your safety plan") < said.index("Step 1: Notice the signs")
    assert said.index("If I lapse") < said.index("Part 2 of 2")
    items = cli("plan", "--json").json()["items"]
    assert [(i["section"], i.get("step"), i["text"]) for i in items] == [
        ("safety_steps", 1, "hopeless thoughts")
    ]


def test_sos_shows_safety_steps_apart_from_urge_coping(cli, relapse_plan):
    cli("plan", "add", "safety_steps", "call my sister Jo", "--step", "4")
    out = cli("sos", "--no-offers").out
    helps = out.index("What helps you:")
    safety = out.index("Your safety plan, for a crisis:")
    assert (
        out.index("urge surfing for 10 minutes") < safety < out.index("step 4: call my sister Jo")
    )
    assert helps < safety


def test_warning_sign_stages_are_attributed_to_melemis(cli, relapse_plan):
    assert "Melemis 2015, building on Gorski" in P.WARNING_STAGES_SOURCE
    assert "Gorski" not in P.WARNING_STAGES_SOURCE.split("(")[0]
    out = " ".join(cli("plan").out.split())
    assert "emotional, mental, physical (Melemis 2015, building on Gorski)" in out
    p = ScriptedPrompter(["stop"])
    cli("plan", "build", prompter=p)
    assert any("Melemis 2015" in s for s in p.said)
    assert "Melemis (2015" in P.__doc__

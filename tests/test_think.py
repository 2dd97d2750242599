"""relapse think / thoughts / traps: guided sessions, drafts, flags, files, reports, a real pty."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time

import pytest
from conftest import records

from relapse_cli.core.prompter import ScriptedPrompter

SITUATION = "alone after a tense call, wine in the kitchen"
HOT = "I can't cope with this evening without a drink"

# A whole guided session: each answer with what it adds to the record (so a Ctrl-C at any
# question can be checked against exactly what had been typed before it).
SCRIPT: list[tuple[str, dict]] = [
    (SITUATION, {"situation": SITUATION}),  # 1 situation
    ("anxious=80", {"moods": {"anxious": 80}}),  # 2 moods
    ("ashamed", {}),  # a name alone: its rating is asked next
    ("60", {"moods": {"anxious": 80, "ashamed": 60}}),
    ("", {}),  # done with moods
    (HOT, {"thoughts": [HOT]}),  # 3 thoughts
    ("I always mess things up", {"thoughts": [HOT, "I always mess things up"]}),
    ("", {}),
    ("1", {"hot_index": 1}),  # which one is hot
    ("12, 6", {"traps": ["relief", "catastrophizing"]}),  # traps
    ("I drank after the last bad call", {"evidence_for": ["I drank after the last bad call"]}),
    ("", {}),
    ("Thursday I ran instead", {"evidence_against": ["Thursday I ran instead"]}),
    ("the urge passed in 20 minutes",
     {"evidence_against": ["Thursday I ran instead", "the urge passed in 20 minutes"]}),
    ("", {}),
    ("Calls are hard, and urges pass", {"balanced_thought": "Calls are hard, and urges pass"}),
    ("70", {"belief": 70}),
    ("40", {"moods_after": {"anxious": 40}}),  # anxious re-rated
    ("50", {"moods_after": {"anxious": 40, "ashamed": 50}}),  # ashamed re-rated
    ("hopeful=30", {"moods_after": {"anxious": 40, "ashamed": 50, "hopeful": 30}}),
    ("", {}),
    ("text Sam", {"next_step": "text Sam"}),  # next step
]  # fmt: skip
ANSWERS = [a for a, _ in SCRIPT]
EMPTY = {"situation": None, "moods": {}, "thoughts": [], "hot": None, "traps": None,
         "evidence_for": [], "evidence_against": [], "balanced_thought": None, "belief": None,
         "moods_after": {}, "next_step": None}  # fmt: skip
FIELD = {"hot_index": "hot"}


def typed_before(i: int) -> dict:
    """The record as it stands after the first ``i`` answers of SCRIPT."""
    state = dict(EMPTY)
    for _, adds in SCRIPT[:i]:
        state.update({FIELD.get(k, k): v for k, v in adds.items()})
    return state


def listing(cli, *args: str) -> list[dict]:
    result = cli("thoughts", *args, "--json")
    assert result.code == 0, result.err
    return result.json()


def drafts(cli) -> list[dict]:
    return listing(cli, "drafts")


def fields(item: dict) -> dict:
    return {k: item[k] for k in EMPTY}


def test_whole_guided_session(cli):
    prompter = ScriptedPrompter(list(ANSWERS))
    result = cli("think", prompter=prompter)
    assert result.code == 0, result.err
    assert prompter.answers == []
    [item] = listing(cli)
    assert item["status"] == "complete"
    assert fields(item) == typed_before(len(SCRIPT))
    assert item["hot_thought"] == HOT
    assert item["mood_change"] == [{"mood": "anxious", "before": 80, "after": 40, "drop": 40},
                                   {"mood": "ashamed", "before": 60, "after": 50, "drop": 10}]  # fmt: skip
    assert item["mean_mood_drop"] == 25
    assert item["occurred_at"] == "2026-11-24T21:00:00+00:00"  # the fake clock, London in Nov
    # Every step said why it matters and showed an example, in order, once.
    headers = [s for s in prompter.said if s.startswith("Step ")]
    assert headers == [
        "Step 1 of 9 · Situation (column 1)", "Step 2 of 9 · Moods (column 2)",
        "Step 3 of 9 · Automatic thoughts (column 3)", "Step 4 of 9 · Thinking traps",
        "Step 5 of 9 · Evidence for the hot thought (column 4)",
        "Step 6 of 9 · Evidence against the hot thought (column 5)",
        "Step 7 of 9 · Balanced thought (column 6)", "Step 8 of 9 · Moods now (column 7)",
        "Step 9 of 9 · Next step"]  # fmt: skip
    assert sum(s.startswith("  Why: ") for s in prompter.said) == 9
    assert sum(s.startswith("  Example: ") for s in prompter.said) == 9
    # The traps step lists all thirteen with a description and an example each.
    assert any(s.startswith("  13. Permission-giving beliefs: Thoughts that make using")
               for s in prompter.said)  # fmt: skip
    assert sum(s.strip().startswith("e.g. \u201c") for s in prompter.said) == 13
    # The end screen: the whole record with the mood change.
    assert "Mood change: anxious 80 → 40, ashamed 60 → 50 (eased by 25 points on" in result.out
    assert "I can't cope with this evening without a drink  ← hot thought" in result.out
    assert "Relief-oriented beliefs, Catastrophizing or minimizing" in result.out
    assert "hopeful 30 (new)" in result.out and "believed 70 %" in result.out
    assert drafts(cli) == []


@pytest.mark.parametrize("cut", range(len(SCRIPT)))
def test_ctrl_c_at_every_question_keeps_exactly_what_was_typed(cli, journal, cut):
    prompter = ScriptedPrompter([*ANSWERS[:cut], KeyboardInterrupt])
    result = cli("think", prompter=prompter)
    assert result.code == 130
    if cut == 0:  # nothing typed: nothing kept
        assert "Nothing saved." in prompter.said
        assert cli("thoughts", "drafts").out.strip() == "No drafts."
        return
    [draft] = drafts(cli)
    assert draft["status"] == "draft"
    assert fields(draft) == typed_before(cut)
    assert listing(cli) == []  # not listed with the finished records
    short = draft["id"][:8]
    assert f"Continue any time with: relapse think --resume {short}" in prompter.said[-1]


def test_resume_continues_at_the_first_empty_step(cli):
    cut = ANSWERS.index("Thursday I ran instead")  # stopped at evidence against
    assert cli("think", prompter=ScriptedPrompter([*ANSWERS[:cut], KeyboardInterrupt])).code == 130
    [draft] = drafts(cli)
    assert draft["continues_at"] == "evidence_against"
    prompter = ScriptedPrompter(list(ANSWERS[cut:]))
    result = cli("think", "--resume", prompter=prompter)
    assert result.code == 0, result.err
    assert prompter.answers == []
    assert prompter.asked[0] == "A fact that does not fit the hot thought"
    assert any(s.startswith("Picking up your draft of Tue 24 Nov 21:00") and
               "at step 6 of 9, evidence against the hot thought" in s for s in prompter.said)  # fmt: skip
    [item] = listing(cli)
    assert item["id"] == draft["id"] and item["status"] == "complete"
    assert fields(item) == typed_before(len(SCRIPT))
    assert drafts(cli) == []


def test_resume_by_id_picks_that_draft(cli):
    assert cli("think", prompter=ScriptedPrompter(["first situation", ""])).code == 0
    assert cli("think", prompter=ScriptedPrompter(["second situation", ""])).code == 0
    first, second = sorted(drafts(cli), key=lambda r: r["situation"])
    prompter = ScriptedPrompter([KeyboardInterrupt])
    assert cli("think", "--resume", first["id"][:6], prompter=prompter).code == 130
    assert prompter.asked == ["A feeling and how strong it is, 0-100"]
    assert "Your draft is unchanged." not in prompter.said  # it has content: saved as it was
    assert {d["situation"] for d in drafts(cli)} == {"first situation", "second situation"}
    # --resume alone takes the latest draft
    prompter = ScriptedPrompter([KeyboardInterrupt])
    assert cli("think", "--resume", prompter=prompter).code == 130
    assert any(second["id"][:8] in s for s in prompter.said)


def test_empty_answer_on_a_required_step_keeps_a_draft(cli):
    prompter = ScriptedPrompter([SITUATION, ""])  # Enter at the moods
    result = cli("think", prompter=prompter)
    assert result.code == 0
    [draft] = drafts(cli)
    assert fields(draft) == typed_before(1)
    assert "relapse think --resume" in prompter.said[-1]


def test_bad_answers_are_asked_again(cli):
    answers = [SITUATION, "anxious=140", "80", "anxious=80", "", "a", "b", "", "3", "x", "2",
               "no such trap", "", "for", "", "against", "", "balanced", "101", "60", "abc",
               "30", "", ""]  # fmt: skip
    prompter = ScriptedPrompter(answers)
    assert cli("think", prompter=prompter).code == 0, prompter.said
    [item] = listing(cli)
    assert item["moods"] == {"anxious": 80} and item["hot"] == 2 and item["traps"] == []
    assert item["belief"] == 60 and item["moods_after"] == {"anxious": 30}
    said = "\n".join(prompter.said)
    assert "the rating of anxious must be from 0 to 100, not 140" in said
    assert "a mood needs a name as well as a number: '80'" in said
    assert "Please type a number from 1 to 2." in said
    assert "unknown thinking trap 'no such trap'" in said
    assert "how much you believe it must be from 0 to 100, not 101" in said


FLAGS = ["--situation", "home alone after a call", "--mood", "anxious=80", "--mood", "ashamed 60",
         "--thought", HOT, "--thought", "I always mess up", "--hot", "1", "--trap", "relief",
         "--trap", "6", "--for", "I drank last time", "--against", "Thursday I ran instead",
         "--balanced", "Calls are hard, and urges pass", "--belief", "70",
         "--mood-after", "anxious=40", "--mood-after", "ashamed=50", "--next", "text Sam"]  # fmt: skip


def test_every_field_as_a_flag(cli):
    result = cli("think", *FLAGS)
    assert result.code == 0, result.err
    [item] = listing(cli)
    assert result.out == (f"Saved thought record {item['id'][:8]} · anxious 80 → 40, "
                          "ashamed 60 → 50 (eased by 25 points on average)\n")  # fmt: skip
    assert fields(item) == {
        "situation": "home alone after a call", "moods": {"anxious": 80, "ashamed": 60},
        "thoughts": [HOT, "I always mess up"], "hot": 1, "traps": ["relief", "catastrophizing"],
        "evidence_for": ["I drank last time"], "evidence_against": ["Thursday I ran instead"],
        "balanced_thought": "Calls are hard, and urges pass", "belief": 70,
        "moods_after": {"anxious": 40, "ashamed": 50}, "next_step": "text Sam"}  # fmt: skip
    assert item["status"] == "complete"


@pytest.mark.parametrize("kind", ["toml", "json"])
def test_from_file(cli, tmp_path, kind):
    path = tmp_path / f"record.{kind}"
    if kind == "toml":
        path.write_text('situation = "home alone"\nmood = ["anxious=80"]\nthought = ["I can\'t cope"]\n'
                        'trap = ["permission"]\nfor = "I drank last time"\n'
                        'against = ["I ran instead", "it passed"]\nbalanced = "it passes"\n'
                        'belief = 60\nmood_after = { anxious = 50 }\n')  # fmt: skip
    else:
        path.write_text(json.dumps({
            "situation": "home alone", "moods": {"anxious": 80}, "thoughts": ["I can't cope"],
            "traps": ["permission"], "evidence_for": ["I drank last time"],
            "evidence_against": ["I ran instead", "it passed"], "balanced": "it passes",
            "belief": 60, "moods_after": ["anxious=50"]}))  # fmt: skip
    result = cli("think", "--from", str(path))
    assert result.code == 0, result.err
    [item] = listing(cli)
    assert fields(item) == {
        "situation": "home alone", "moods": {"anxious": 80}, "thoughts": ["I can't cope"],
        "hot": 1, "traps": ["permission"], "evidence_for": ["I drank last time"],
        "evidence_against": ["I ran instead", "it passed"], "balanced_thought": "it passes",
        "belief": 60, "moods_after": {"anxious": 50}, "next_step": None}  # fmt: skip


def test_from_stdin_with_a_flag_on_top(cli):
    result = cli("think", "--from", "-", "--belief", "90",
                 input=json.dumps({"situation": "s", "mood": "sad=70", "thought": "t",
                                   "for": "f", "against": "a", "balanced": "b", "belief": 10,
                                   "mood_after": "sad=60"}))  # fmt: skip
    assert result.code == 0, result.err
    assert listing(cli)[0]["belief"] == 90


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--mood", "anxious=140"], "--mood: the rating of anxious must be from 0 to 100, not 140"),
        (["--trap", "doom"], "unknown thinking trap 'doom'"),
        (["--situation", "s", "--thought", "a", "--thought", "b", "--hot", "9"],
         "--hot 9: there are only 2 thoughts"),
        (["--belief", "140"], "--belief must be from 0 to 100, not 140"),
        (["--situation", "alone"], "a thought record still needs --mood, --thought, --for, "
         "--against, --balanced, --belief and --mood-after; nothing saved"),
        ([*FLAGS[:-6]], "a thought record still needs --mood-after anxious=N and "
         "--mood-after ashamed=N"),
        ([], "relapse think asks its questions on a terminal"),
        (["--from", "FILE:not toml = = ="], "is not valid TOML"),
        (["--from", "FILE:{\"situation\": "], "is not valid JSON"),
        (["--from", "FILE:colour = 'blue'"], "unknown field 'colour'"),
        (["--from", "/no/such/file.toml"], "no such file: /no/such/file.toml"),
        ([*FLAGS, "--craving", "abcd1234"], "no entry with id abcd1234"),
        (["--resume"], "no draft to resume"),
        (["--resume", "feedbeef"], "no draft with id feedbeef"),
    ],
)  # fmt: skip
def test_bad_input_one_line_exit_2_nothing_saved(cli, journal, tmp_path, args, words):
    assert cli("log", "mood", "5").code == 0
    before = records(journal)
    fixed = []
    for arg in args:
        if arg.startswith("FILE:"):
            path = tmp_path / ("r.json" if arg[5:].startswith("{") else "r.toml")
            path.write_text(arg[5:])
            arg = str(path)
        fixed.append(arg)
    result = cli("think", *fixed)
    assert result.code == 2, result.err
    assert words in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert records(journal) == before


def test_flags_on_a_terminal_ask_only_what_is_missing(cli):
    prompter = ScriptedPrompter(["30", "", ""])  # ashamed now; no new feeling; no next step
    result = cli("think", *FLAGS[:-6], "--mood-after", "anxious=40", prompter=prompter)
    assert result.code == 0, result.err
    assert prompter.asked[0] == "ashamed: 60 at the start. How strong now?"
    assert listing(cli)[0]["moods_after"] == {"anxious": 40, "ashamed": 30}


def test_resume_a_draft_with_flags_without_a_terminal(cli):
    assert cli("think", prompter=ScriptedPrompter(ANSWERS[:9] + [KeyboardInterrupt])).code == 130
    result = cli("think", "--resume", "--for", "f", "--against", "a", "--balanced", "b",
                 "--belief", "50", "--mood-after", "anxious=60, ashamed=60")  # fmt: skip
    assert result.code == 0, result.err
    [item] = listing(cli)
    assert item["situation"] == SITUATION and item["traps"] is None  # never asked: left empty
    assert item["mean_mood_drop"] == 10  # (20 + 0) / 2
    assert drafts(cli) == []


def entry_id(cli) -> str:
    return cli("history", "--json").json()[0]["uuid"]


def test_craving_link(cli):
    assert cli("log", "craving", "7", "-t", "stress").code == 0
    uuid = entry_id(cli)
    assert cli("think", *FLAGS, "--craving", uuid[:6]).code == 0
    item = listing(cli)[0]
    assert item["entry_id"] == uuid
    shown = cli("thoughts", "show", item["id"][:8])
    assert f"Prompted by: craving 7/10, Tue 24 Nov 21:00 (id {uuid[:8]})" in shown.out


def test_offered_after_a_strong_craving_on_a_terminal(cli):
    prompter = ScriptedPrompter(["y", *ANSWERS])
    result = cli("log", "craving", "7", "-t", "stress", prompter=prompter)
    assert result.code == 0, result.err
    assert prompter.answers == []
    assert prompter.asked[0].startswith("Would you like to write a thought record about this now?")
    assert any(s.startswith("About your craving 7/10 at Tue 24 Nov 21:00") for s in prompter.said)
    item = listing(cli)[0]
    assert item["entry_id"] == entry_id(cli) and item["status"] == "complete"
    assert result.out.index("Saved craving 7/10") < result.out.index("Thought record ·")


def test_offer_declined_and_when_it_is_not_made(cli):
    prompter = ScriptedPrompter(["n"])
    assert cli("log", "use", "-s", "alcohol", prompter=prompter).code == 0
    uuid = entry_id(cli)
    assert f"Any time later: relapse think --craving {uuid[:8]}" in prompter.said
    # Ctrl-C at the offer: the entry stays saved, nothing else happens.
    assert cli("log", "craving", "9", prompter=ScriptedPrompter([KeyboardInterrupt])).code == 0
    # A craving of 5 on a terminal, and any craving without one: no question at all.
    quiet = ScriptedPrompter([])
    assert cli("log", "craving", "5", prompter=quiet).code == 0 and quiet.asked == []
    assert cli("log", "craving", "9").code == 0
    assert listing(cli) == [] and drafts(cli) == []


def make(cli, situation: str, traps: list[str], before: str, after: str) -> None:
    args = ["--situation", situation, "--mood", before, "--thought", "t", "--for", "f",
            "--against", "a", "--balanced", "b", "--belief", "50", "--mood-after", after]  # fmt: skip
    for trap in traps:
        args += ["--trap", trap]
    assert cli("think", *args).code == 0


def test_thoughts_list_traps_and_summary_by_hand(cli, clock):
    make(
        cli,
        "one",
        ["relief", "catastrophizing"],
        "anxious=80, ashamed=60",
        "anxious=40, ashamed=50",
    )  # mood drop (40 + 10) / 2 = 25
    clock.advance(60)
    make(cli, "two", ["relief"], "sad=70", "sad=60")  # 10
    clock.advance(60)
    make(cli, "three", ["permission"], "sad=50", "sad=50")  # 0
    assert cli("think", prompter=ScriptedPrompter(["a draft", ""])).code == 0
    assert [r["situation"] for r in listing(cli)] == ["three", "two", "one"]
    table = cli("thoughts")
    assert table.code == 0 and "1 draft waiting: relapse thoughts drafts" in table.out
    assert "anxious 80 → 40" in table.out and "ashamed 60 → 50" in table.out
    stats = cli("thoughts", "traps", "--json").json()
    assert [(s["key"], s["records"], s["mean_mood_drop"]) for s in stats] == [
        ("relief", 2, 17.5), ("catastrophizing", 1, 25.0), ("permission", 1, 0.0)]  # fmt: skip
    shown = cli("thoughts", "traps").out
    assert "Relief-oriented beliefs" in shown and "eased by 17.5 points" in shown
    more = cli("summary", "--json").json()["more"]["thought_records"]
    assert more["records"] == 3 and more["drafts"] == 1
    assert more["mean_mood_drop"] == 11.7  # (25 + 10 + 0) / 3
    assert more["top_traps"][0] == {"key": "relief", "records": 2}
    assert cli("log", "mood", "5").code == 0  # the dashboard draws once something is logged
    text = cli("summary").out
    assert "Thought records" in text and "eased by 11.7 points on average" in text


def test_drafts_and_discard(cli, journal):
    assert (
        cli("think", prompter=ScriptedPrompter([SITUATION, "sad=40", KeyboardInterrupt])).code
        == 130
    )
    [draft] = drafts(cli)
    assert draft["continues_at"] == "thoughts"
    assert "step 3 of 9: automatic thoughts" in cli("thoughts", "drafts").out
    before = records(journal)
    refused = cli("thoughts", "discard", draft["id"][:8])
    assert refused.code == 2 and "--yes" in refused.err and records(journal) == before
    kept = cli("thoughts", "discard", draft["id"][:8], prompter=ScriptedPrompter(["n"]))
    assert kept.out == "Kept.\n" and drafts(cli) == [draft]
    assert cli("thoughts", "discard", draft["id"][:8], "--yes").code == 0
    assert drafts(cli) == []
    con = sqlite3.connect(journal)
    assert con.execute("SELECT count(*) FROM thought_records").fetchone()[0] == 0
    con.close()
    make(cli, "done", [], "sad=50", "sad=40")
    done = listing(cli)[0]["id"][:8]
    gone = cli("thoughts", "discard", done, "--yes")  # a finished record can go too
    assert gone.out == f"Discarded the thought record {done}.\n" and listing(cli) == []
    assert cli("thoughts", "discard", done, "--yes").code == 2  # no longer there


def test_show_escapes_the_persons_text(cli):
    make(cli, "[bold]boss[/bold] \x1b[2J call", [], "sad=50", "sad=40")
    out = cli("thoughts", "show", listing(cli)[0]["id"][:8]).out
    assert "[bold]boss[/bold] \\x1b[2J call" in out and "\x1b" not in out


def test_traps_reference(cli):
    items = cli("traps", "--json").json()
    assert len(items) == 13 and items[12]["key"] == "permission"
    out = cli("traps").out
    assert "13. Permission-giving beliefs (permission)" in out
    assert "Sources: Burns, Feeling Good (1980)" in out


def test_report_sections_export_import_and_purge(cli, journal, tmp_path):
    make(cli, "<script>alert(1)</script> alone", ["relief"], "anxious=80, sad=90",
         "anxious=40, sad=85")  # fmt: skip
    assert cli("think", prompter=ScriptedPrompter(["draft text", ""])).code == 0
    html_path = tmp_path / "r.html"
    assert cli("export", "-f", "html", "-o", str(html_path)).code == 0
    html = html_path.read_text()
    assert "<h2>Thought records</h2>" in html and "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; alone" in html
    assert "sad 90 → 85 %" in html  # the strongest feeling at the start
    assert "draft text" not in html  # drafts stay out of the report
    md = cli("export", "-f", "md").out
    assert "## Thought records" in md and "&lt;script&gt;" in md
    out = tmp_path / "e.json"
    assert cli("export", "-f", "json", "-o", str(out)).code == 0
    other = str(tmp_path / "other.db")
    assert cli("--journal", other, "import", str(out)).code == 0
    con = sqlite3.connect(other)
    rows = con.execute(
        "SELECT uuid, status, moods, traps FROM thought_records ORDER BY status"
    ).fetchall()
    con.close()
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("complete", '{"anxious": 80, "sad": 90}', '["relief"]'), ("draft", None, None)]  # fmt: skip
    assert cli("purge", "--all", "--yes").code == 0
    con = sqlite3.connect(journal)
    assert con.execute("SELECT count(*) FROM thought_records").fetchone()[0] == 0
    con.close()


def test_stored_readably(cli, journal):
    make(cli, "alone", ["relief", "6"], "anxious=80", "anxious=40")
    con = sqlite3.connect(journal)
    row = con.execute("SELECT status, moods, thoughts, hot_index, traps, evidence_for, belief, "
                      "moods_after, entry_uuid FROM thought_records").fetchone()  # fmt: skip
    con.close()
    assert row == ("complete", '{"anxious": 80}', '["t"]', 1, '["relief", "catastrophizing"]',
                   '["f"]', 50, '{"anxious": 40}', None)  # fmt: skip


RELAPSE = os.path.join(os.path.dirname(sys.executable), "relapse")


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(RELAPSE), reason="console script not installed")
def test_in_a_pseudo_terminal_like_a_person(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, RELAPSE_JOURNAL=str(tmp_path / "pty.db"), NO_COLOR="1", COLUMNS="100")
    child = pexpect.spawn(RELAPSE, ["think"], env=env, encoding="utf-8", timeout=20)
    try:
        steps = [
            ("What was happening", "home alone after work"),
            ("A feeling and how strong", "anxious=80"),
            ("Another feeling", ""),
            ("A thought or image", "I need a drink to switch off"),
            ("Another thought", ""),
            ("Which of these traps", "relief"),
            ("A fact that supports", "it worked before"),
            ("Another one", ""),
        ]
        for prompt, answer in steps:
            child.expect(prompt)
            child.sendline(answer)
        child.expect("A fact that does not fit")
        time.sleep(0.3)  # a person's pace: readline is reading by now (a Ctrl-C in
        # the microsecond before it starts waits for the next key, a CPython race)
        child.sendintr()  # Ctrl-C: keep a draft
        child.expect(r"Saved as a draft \(id ([0-9a-f]{8})\)")
        draft = child.match.group(1)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130
        child = pexpect.spawn(RELAPSE, ["think", "--resume"], env=env, encoding="utf-8",
                              timeout=20)  # fmt: skip
        child.expect(f"Picking up your draft .*id {draft}.*step 6 of 9")
        for prompt, answer in [("A fact that does not fit", "last week the urge passed"),
                               ("Another one", ""), ("A balanced thought", "Evenings are hard, "
                               "and the urge passes"), ("How much do you believe it", "65"),
                               ("anxious: 80 at the start. How strong now", "45"),
                               ("Any new feeling now", ""), ("One small thing", "make tea")]:  # fmt: skip
            child.expect(prompt)
            child.sendline(answer)
        child.expect("Mood change: .*anxious 80 → 45")  # (bold label: escapes between)
        child.expect(f"Saved thought record {draft}")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
    finally:
        child.close(force=True)
    con = sqlite3.connect(str(tmp_path / "pty.db"))
    assert con.execute("SELECT status, traps, belief FROM thought_records").fetchall() == [
        ("complete", '["relief"]', 65)]  # fmt: skip
    con.close()


def test_closed_input_keeps_a_draft_like_ctrl_c(cli):
    prompter = ScriptedPrompter([SITUATION, "sad=40", EOFError])  # Ctrl-D / stdin closed
    assert cli("think", prompter=prompter).code == 130
    [draft] = drafts(cli)
    assert draft["situation"] == SITUATION and draft["moods"] == {"sad": 40}


def test_resume_a_draft_left_at_the_last_optional_step(cli):
    cut = len(SCRIPT) - 1  # Ctrl-C at "next step": every required answer is in
    assert cli("think", prompter=ScriptedPrompter([*ANSWERS[:cut], KeyboardInterrupt])).code == 130
    [draft] = drafts(cli)
    assert draft["continues_at"] == "next_step" and listing(cli) == []
    prompter = ScriptedPrompter([""])  # nothing more to add
    assert cli("think", "--resume", prompter=prompter).code == 0
    assert prompter.asked == ["One small thing you will do next (optional)"]
    assert listing(cli)[0]["status"] == "complete" and drafts(cli) == []


def test_the_list_keeps_the_words_readable_at_80_columns(cli, monkeypatch):
    make(cli, "at a party, friends drinking", ["jumping-to-conclusions", "permission"],
         "anxious=80", "anxious=50")  # fmt: skip
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("thoughts").out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    # situation: whole words on at most three lines (it was folded into 6-letter pieces)
    assert "at a party," in lines[1] and "drinking" in " ".join(lines[1:4])
    assert "anxious 80 → 50" in lines[1]
    # a trap key is never cut to "jumping-to-…": shown whole, or its column left out, said so
    flat = " ".join(out.split())
    assert "…" not in out
    assert "jumping-to-conclusions" in out or "Left out at this width: traps" in flat


def test_think_takes_at(cli, journal):
    import sqlite3

    args = ["think", "--situation", "Sunday at my sister's", "--mood", "anxious=70",
            "--thought", "They all judge me", "--for", "a look", "--against", "she hugged me",
            "--balanced", "Some were glad I came", "--belief", "60",
            "--mood-after", "anxious=40"]  # fmt: skip
    assert cli(*args, "--at", "sunday 20:00").code == 0
    con = sqlite3.connect(journal)
    (at,) = con.execute("SELECT occurred_at FROM thought_records").fetchone()
    con.close()
    assert at == "2026-11-22T20:00:00Z"
    bad = cli(*args, "--at", "2026-11-31")
    assert bad.code == 2 and "November 2026 has 30 days" in bad.err

"""The pure rules of a thought record: ratings, traps, steps, mood change, --from files."""

from __future__ import annotations

import pytest

from relapse_cli.core.errors import BadInput
from relapse_cli.thoughts import model as d


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("anxious=80", ("anxious", 80)),
        ("anxious = 80", ("anxious", 80)),
        ("anxious 80", ("anxious", 80)),
        ("anxious: 80%", ("anxious", 80)),
        ("very  anxious 0", ("very anxious", 0)),
        ("Ashamed=100", ("Ashamed", 100)),
        ("anxious", ("anxious", None)),
    ],
)
def test_parse_mood(text, expected):
    assert d.parse_mood(text, rating_required=False) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("anxious=140", "from 0 to 100, not 140"),
        ("anxious=-5", "from 0 to 100, not -5"),
        ("anxious=80.5", "whole number"),
        ("80", "needs a name"),
        ("=80", "needs a name"),
        ("anxious", "needs a rating"),
        ("anxious=", "needs a rating"),
        ("x" * 41 + "=5", "at most 40"),
    ],
)
def test_parse_mood_refuses(text, words):
    with pytest.raises(BadInput) as exc:
        d.parse_mood(text)
    assert words in exc.value.line()


def test_parse_moods_from_flags_and_tables():
    assert d.parse_moods(["anxious=80", "sad 40, lonely=30"]) == {
        "anxious": 80, "sad": 40, "lonely": 30}  # fmt: skip
    assert d.parse_moods({"anxious": 80, "sad": "40%"}) == {"anxious": 80, "sad": 40}
    assert list(d.parse_moods(["b=1", "a=2"])) == ["b", "a"]  # the order named is kept
    with pytest.raises(BadInput, match="names Anxious twice"):
        d.parse_moods(["anxious=80", "Anxious=70"])
    with pytest.raises(BadInput, match="^--mood: the rating of anxious must be from 0 to 100"):
        d.parse_moods(["anxious=140"])
    with pytest.raises(BadInput, match="the rating of sad"):
        d.parse_moods({"sad": True})


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("13", "permission"),
        ("1", "all-or-nothing"),
        ("permission", "permission"),
        ("Permission-giving beliefs", "permission"),
        ("just one", None),  # not a trap name: refused below
        ("mind reading", "jumping-to-conclusions"),
        ("fortune_telling", "jumping-to-conclusions"),
        ("catastrophising", "catastrophizing"),
        ("minimization", "catastrophizing"),
        ("blame", "personalization"),
        ("relief", "relief"),
        ("RELIEF-ORIENTED", "relief"),
        ("antic", "anticipatory"),  # a clear start of a name
        ("should", "should"),
    ],
)
def test_resolve_trap(word, key):
    if key is None:
        with pytest.raises(BadInput, match="unknown thinking trap"):
            d.resolve_trap(word)
    else:
        assert d.resolve_trap(word) == key


def test_resolve_trap_refuses_unclear_and_out_of_range():
    with pytest.raises(BadInput, match="no thinking trap number 14"):
        d.resolve_trap("14")
    with pytest.raises(BadInput, match="no thinking trap number 0"):
        d.resolve_trap("0")
    with pytest.raises(BadInput, match="'per' could be permission or personalization"):
        d.resolve_trap("per")
    assert d.resolve_trap("dis") == "discounting-positive"  # its name and an alias: one trap
    assert d.resolve_traps(["12, 6", "relief", 6]) == ["relief", "catastrophizing"]


def test_traps_data_burns_ten_and_three_beliefs_with_sources():
    traps = d.traps()
    assert [t.number for t in traps] == list(range(1, 14))
    assert [t.group for t in traps].count("burns") == 10
    assert [t.key for t in traps if t.group == "addiction"] == [
        "anticipatory", "relief", "permission"]  # fmt: skip
    for t in traps:
        assert t.name and t.description and t.example
        assert ("Burns 1980" in t.source) if t.group == "burns" else ("Beck" in t.source)
    words = [w for t in traps for w in (t.key, *t.aliases)]
    assert len(words) == len(set(words))  # every word names one trap


def test_steps_data():
    steps = d.steps()
    assert [s.key for s in steps] == ["situation", "moods", "thoughts", "traps", "evidence_for",
                                      "evidence_against", "balanced", "moods_after", "next_step"]  # fmt: skip
    assert sorted(s.column for s in steps if s.column) == [1, 2, 3, 4, 5, 6, 7]
    assert [s.key for s in steps if not s.required] == ["traps", "next_step"]
    assert all(s.prompt and s.why and s.example for s in steps)


def full() -> dict:
    return d.empty_record() | {
        "situation": "alone", "moods": {"anxious": 80, "ashamed": 60},
        "thoughts": ["I can't cope", "I always mess up"], "hot_index": 1,
        "traps": ["relief"], "evidence_for": ["drank last time"],
        "evidence_against": ["ran on Thursday"], "balanced_thought": "it passes",
        "belief": 70, "moods_after": {"Anxious": 40, "ashamed": 65, "hopeful": 30},
    }  # fmt: skip


def test_mood_change_by_hand():
    r = full()
    changes = d.mood_changes(r)
    assert [(c.mood, c.before, c.after, c.drop) for c in changes] == [
        ("anxious", 80, 40, 40), ("ashamed", 60, 65, -5)]  # fmt: skip
    assert d.mood_drop(r) == 17.5  # (40 + -5) / 2
    assert d.main_mood(r).mood == "anxious"
    assert d.new_moods_after(r) == {"hopeful": 30}
    assert d.describe_change(r) == "anxious 80 → 40, ashamed 60 → 65"
    assert d.mood_drop(d.empty_record()) is None


def test_first_empty_step_and_missing():
    r = full()
    assert d.is_complete(r) and d.first_empty_step(r).key == "next_step"
    r["next_step"] = "text Sam"
    assert d.first_empty_step(r) is None
    draft = d.empty_record() | {"situation": "alone", "moods": {"anxious": 80},
                                "thoughts": ["a", "b"]}  # fmt: skip
    assert d.first_empty_step(draft).key == "thoughts"  # the hot one is not chosen yet
    assert d.missing(draft) == ["--hot", "--for", "--against", "--balanced", "--belief",
                                "--mood-after anxious=N"]  # fmt: skip
    draft["hot_index"] = 2
    assert d.first_empty_step(draft).key == "traps"
    draft["traps"] = []  # asked, none fit: done
    assert d.first_empty_step(draft).key == "evidence_for"
    assert d.missing(d.empty_record())[:3] == ["--situation", "--mood", "--thought"]
    assert not d.has_content(d.empty_record())


def test_hot_must_name_a_thought():
    with pytest.raises(BadInput, match=r"--hot 9: there are only 2 thoughts"):
        d.merge(d.empty_record(), {"thoughts": ["a", "b"], "hot_index": 9})
    with pytest.raises(BadInput, match="there are none yet"):
        d.merge(d.empty_record(), {"hot_index": 1})
    r = d.merge(d.empty_record(), {"thoughts": ["only one"]})
    d.settle_hot(r)
    assert r["hot_index"] == 1


def test_trap_stats_by_hand():
    a = full() | {
        "traps": ["relief", "catastrophizing"],
        "moods_after": {"anxious": 40, "ashamed": 50},
    }  # drop (40 + 10) / 2 = 25
    b = full() | {"traps": ["relief"], "moods": {"sad": 70}, "moods_after": {"sad": 60}}  # 10
    c = full() | {"traps": ["permission"], "moods": {"sad": 50}, "moods_after": {"sad": 50}}  # 0
    e = full() | {"traps": ["relief"], "moods_after": {}}  # no mood change: counted, no mean
    rows = d.trap_stats([a, b, c, e])
    assert [(r["key"], r["records"], r["mean_mood_drop"]) for r in rows] == [
        ("relief", 3, 17.5), ("catastrophizing", 1, 25.0), ("permission", 1, 0.0)]  # fmt: skip


def test_parse_file_toml_and_json_same_record():
    toml = """
situation = "alone after work"
mood = ["anxious=80"]
thoughts = ["I can't cope", "nobody cares"]
hot = 1
trap = ["relief", 6]
for = "drank last time"
against = ["ran on Thursday"]
balanced = "it passes"
belief = 70
mood_after = { anxious = 40 }
next = "text Sam"
"""
    json_text = """{"situation": "alone after work", "moods": {"anxious": 80},
      "thought": ["I can't cope", "nobody cares"], "hot": 1, "traps": "relief, catastrophizing",
      "evidence_for": ["drank last time"], "against": "ran on Thursday",
      "balanced_thought": "it passes", "belief": "70", "mood-after": ["anxious=40"],
      "next_step": "text Sam"}"""
    a = d.parse_file(toml, "r.toml")
    b = d.parse_file(json_text, "r.json")
    assert a == b
    assert a["traps"] == ["relief", "catastrophizing"] and a["evidence_for"] == ["drank last time"]


@pytest.mark.parametrize(
    ("text", "name", "words"),
    [
        ('situation = "unclosed', "r.toml", "r.toml is not valid TOML"),
        ('{"situation": ', "r.json", "r.json is not valid JSON"),
        ("[1, 2]", "r.json", "must hold one record"),
        ('feeling = "x"', "r.toml", "unknown field 'feeling'"),
        (
            'mood = "anxious=140"',
            "r.toml",
            "r.toml: mood: the rating of anxious must be from 0 to 100",
        ),
        ("hot = true", "r.toml", "r.toml: hot takes the number of a thought, not True"),
        ('mood = "a=1"\nmoods = "b=2"', "r.toml", "'moods' is given twice"),
        ("situation = 5", "r.toml", "r.toml: situation takes text"),
        ('{"mood-after": "anxious"}', "r.json", "r.json: mood-after: a mood needs a rating"),
    ],
)
def test_parse_file_refuses(text, name, words):
    with pytest.raises(BadInput) as exc:
        d.parse_file(text, name)
    assert words in exc.value.line()
    assert "\n" not in exc.value.line()

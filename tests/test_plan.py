"""`relapse plan`: add/remove/show, the guided builder, $EDITOR editing, the sos.toml mirror."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from relapse_cli.core.prompter import ScriptedPrompter
from tests.conftest import records

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10 only
    import tomli as tomllib


def mirror(journal: str) -> str:
    return os.path.join(os.path.dirname(journal), "sos.toml")


def read(path: str) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def count(journal: str, sql: str) -> int:
    import sqlite3

    con = sqlite3.connect(journal)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


def plan_json(cli) -> list[dict]:
    res = cli("plan", "--json")
    assert res.code == 0, res.err
    return res.json()["items"]


def strip(items: list[dict]) -> list[dict]:
    return [{k: v for k, v in i.items() if k != "uuid"} for i in items]


def test_add_every_kind_of_item_and_show_json(cli):
    assert cli("plan", "add", "coping", "walk round the block").code == 0
    assert cli("plan", "add", "warning-signs", "snapping at people", "--category",
               "Emotional").code == 0  # fmt: skip
    assert cli("plan", "add", "high_risk", "payday", "--response", "go straight home").code == 0
    res = cli("plan", "add", "people", "Sam", "--phone", "07700 900123", "--when", "evenings",
              "--role", "sister")  # fmt: skip
    assert res.out == "Added to People to call: Sam (sister), 07700 900123, evenings\n"
    assert cli("plan", "add", "professionals", "Community drug and alcohol service",
               "--phone", "0300 123 4567", "--best-times", "weekdays 9-5").code == 0  # fmt: skip
    assert cli("plan", "add", "safety", "ask Jo to keep my pills", "--step", "6").code == 0
    assert strip(plan_json(cli)) == [
        {"section": "warning_signs", "text": "snapping at people", "category": "emotional"},
        {"section": "high_risk", "text": "payday", "response": "go straight home"},
        {"section": "coping", "text": "walk round the block"},
        {"section": "people", "text": "sister", "name": "Sam", "phone": "07700 900123",
         "best_times": "evenings"},
        {"section": "professionals", "text": "", "name": "Community drug and alcohol service",
         "phone": "0300 123 4567", "best_times": "weekdays 9-5"},
        {"section": "safety_steps", "text": "ask Jo to keep my pills", "step": 6},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [(("plan", "add", "hobbies", "x"), "unknown plan section 'hobbies'"),
     (("plan", "add", "high_risk", "payday"), "high_risk needs response"),
     (("plan", "add", "safety_steps", "x", "--step", "7"), "step must be a number from 1 to 6"),
     (("plan", "add", "safety_steps", "x"), "safety_steps needs step"),
     (("plan", "add", "warning_signs", "x", "--category", "spiritual"), "category must be one"),
     (("plan", "add", "people", "Sam", "--phone", "none"), "phone should hold a number"),
     (("plan", "add", "coping", "x", "--role", "GP"), "--role is for people"),
     (("plan", "add", "coping", "x", "--phone", "123"), "coping has no field 'phone'"),
     (("plan", "add", "coping", "   "), "coping needs text"),
     (("plan", "add", "coping", "a\x1b[31mred"), "one line without control characters"),
     (("plan", "remove", "coping", "2"), "coping has items 1 to 1, not 2"),
     (("plan", "remove", "reasons", "1"), "your plan has nothing under reasons yet")],
)  # fmt: skip
def test_bad_input_is_one_line_and_changes_nothing(cli, journal, args, message):
    assert cli("plan", "add", "coping", "walk").code == 0
    before, text = records(journal), read(mirror(journal))
    res = cli(*args)
    assert res.code == 2
    assert message in res.err and res.err.count("\n") == 1
    assert records(journal) == before
    assert read(mirror(journal)) == text


def test_remove_by_number_as_shown(cli, journal):
    for text in ("walk", "call Sam", "cold shower"):
        cli("plan", "add", "coping", text)
    res = cli("plan", "remove", "coping", "2")
    assert res.out == "Removed from Coping strategies that work: call Sam\n"
    assert [i["text"] for i in plan_json(cli)] == ["walk", "cold shower"]
    data = tomllib.loads(read(mirror(journal)))
    assert [c["text"] for c in data["coping"]] == ["walk", "cold shower"]
    # removed items are hidden (deleted_at), so an older export cannot bring them back
    assert count(journal, "SELECT count(*) FROM plan_items WHERE deleted_at IS NOT NULL") == 1


def test_remove_safety_step_numbers_follow_step_order(cli):
    # `relapse plan` lists safety steps by step number, not by when they were added
    cli("plan", "add", "safety_steps", "call Sam", "--step", "4")
    cli("plan", "add", "safety_steps", "notice the signs", "--step", "1")
    res = cli("plan", "remove", "safety_steps", "1")
    assert res.out == "Removed from Safety plan for a crisis: step 1: notice the signs\n"
    assert [i["text"] for i in plan_json(cli)] == ["call Sam"]


def test_show_numbers_items_and_escapes_user_text(cli):
    cli("plan", "add", "reasons", "my kids [bold]always[/bold]")
    cli("plan", "add", "reasons", "my health")
    cli("config", "country", "NZ")
    res = cli("plan")
    assert "Reasons for recovery (reasons)" in res.out
    assert "  1. my kids [bold]always[/bold]\n  2. my health\n" in res.out
    assert "(empty; e.g. relapse plan add people" in res.out
    assert "1737, Need to talk?: 1737 (24/7)" in res.out
    assert "(111 in New Zealand)" in res.out


def test_empty_plan_without_journal_creates_nothing(cli, journal):
    res = cli("plan")
    assert res.code == 0 and "Your plan is empty" in res.out
    assert not os.path.exists(journal) and not os.path.exists(mirror(journal))


# --- the mirror ---------------------------------------------------------------------------


def test_mirror_is_private_and_follows_every_change(cli, journal):
    cli("plan", "add", "people", "Sam", "--phone", "07700 900123")
    path = mirror(journal)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    data = tomllib.loads(read(path))
    assert data["people"] == [{"name": "Sam", "phone": "07700 900123"}]
    assert not os.path.exists(path + ".tmp")
    cli("plan", "remove", "people", "1")
    assert not os.path.exists(path)  # an empty plan leaves no copy


def test_failed_mirror_write_leaves_no_temp_file(tmp_path):
    from relapse_cli.plan.store.mirror import write_mirror

    folder = tmp_path / "j"
    (folder / "sos.toml").mkdir(parents=True)  # the rename into place cannot succeed
    with pytest.raises(OSError):
        write_mirror(str(folder / "journal.db"), "format = 1\n")
    assert os.listdir(folder) == ["sos.toml"]


def test_mirror_off_removes_it_and_stops_writing(cli, journal):
    cli("plan", "add", "coping", "walk")
    res = cli("plan", "mirror", "off")
    assert res.code == 0 and "off and removed" in res.out
    assert not os.path.exists(mirror(journal))
    cli("plan", "add", "coping", "call Sam")
    assert not os.path.exists(mirror(journal))
    assert cli("plan", "mirror").out == "sos copy of your plan: off\n"
    res = cli("config", "sos_mirror", "on")
    assert res.code == 0 and "is on" in res.out
    data = tomllib.loads(read(mirror(journal)))
    assert [c["text"] for c in data["coping"]] == ["walk", "call Sam"]
    assert cli("config", "sos_mirror", "maybe").code == 2


def test_plan_show_heals_a_deleted_mirror(cli, journal):
    cli("plan", "add", "coping", "walk")
    os.remove(mirror(journal))
    cli("plan")
    assert os.path.exists(mirror(journal))


def test_restore_brings_the_mirror_in_step_with_the_restored_plan(cli, journal, tmp_path):
    cli("plan", "add", "coping", "walk")
    backup = str(tmp_path / "backup.db")
    assert cli("backup", "-o", backup).code == 0
    cli("plan", "add", "coping", "added after the backup")
    assert "added after the backup" in read(mirror(journal))
    assert cli("restore", backup, "--yes").code == 0
    # sos first: `relapse plan` would heal the copy and hide a stale one
    sos = cli("sos", "--no-offers").out
    assert "walk" in sos and "added after the backup" not in sos
    text = read(mirror(journal))
    assert 'text = "walk"' in text and "added after the backup" not in text
    assert [i["text"] for i in plan_json(cli)] == ["walk"]


def test_purge_all_removes_plan_and_mirror(cli, journal):
    cli("plan", "add", "coping", "walk")
    assert cli("purge", "--all", "--yes").code == 0
    assert plan_json(cli) == []
    assert not os.path.exists(mirror(journal))
    assert count(journal, "SELECT count(*) FROM plan_items") == 0


def test_export_import_carries_the_plan(cli, journal, tmp_path, monkeypatch):
    cli("plan", "add", "people", "Sam", "--phone", "07700 900123")
    cli("plan", "add", "if_lapse", "tell my sponsor the same day")
    out = tmp_path / "export.json"
    assert cli("export", "-f", "json", "-o", str(out)).code == 0
    (tmp_path / "other").mkdir()
    monkeypatch.setenv("RELAPSE_JOURNAL", str(tmp_path / "other" / "j.db"))
    res = cli("import", str(out))
    assert res.code == 0, res.err
    data = tomllib.loads(read(str(tmp_path / "other" / "sos.toml")))  # the sos copy follows
    assert data["if_lapse"] == [{"text": "tell my sponsor the same day"}]
    assert strip(plan_json(cli)) == [
        {"section": "people", "text": "", "name": "Sam", "phone": "07700 900123"},
        {"section": "if_lapse", "text": "tell my sponsor the same day"},
    ]


# --- the guided builder ---------------------------------------------------------------

SKIP_ALL = [""] * 8 + [""] * 6 + [""]  # 8 sections, 6 safety steps, what matters most


def test_builder_needs_a_terminal(cli, journal):
    res = cli("plan", "build")
    assert res.code == 2 and "asks questions on a terminal" in res.err
    assert 'relapse plan add coping "call Sam"' in res.err
    assert not os.path.exists(journal)


def test_builder_skipping_everything_saves_nothing(cli):
    prompter = ScriptedPrompter(list(SKIP_ALL))
    res = cli("plan", "build", prompter=prompter)
    assert res.code == 0 and "Saved 0 items" in res.out
    assert prompter.answers == []
    assert plan_json(cli) == []


def test_builder_whole_plan_with_journal_suggestions(cli, journal):
    cli("log", "craving", "6", "-t", "payday", "--coped", "called Sam")
    cli("log", "craving", "4", "-t", "payday", "-t", "boredom", "--coped", "went running")
    answers = [
        "not sleeping", "p",  # warning sign, physical
        "snapping at people", "x", "e",  # a wrong key is asked again
        "",
        "1", "go straight home",  # high risk: suggestion 1 is the most logged trigger
        "",
        "2", "cold shower", "",  # coping: suggestion 2 (alphabetical among equals)
        "my kids", "",
        "Sam", "07700 900123", "evenings", "sister", "",
        "Dr Patel", "020 7946 0000", "", "GP", "",
        "the library", "",
        "tell my sponsor", "",
        "hopeless thoughts", "",  # step 1
        "", "",  # steps 2 and 3
        "call Sam", "call Alex", "",  # step 4
        "", "",  # steps 5 and 6
        "my daughter", "",
    ]  # fmt: skip
    prompter = ScriptedPrompter(answers)
    res = cli("plan", "build", prompter=prompter)
    assert res.code == 0, res.err
    assert "Saved 14 items to your plan" in res.out
    assert prompter.answers == []
    said = "\n".join(prompter.said)
    assert "type a number to use one: 1. payday, 2. boredom" in said
    assert "type a number to use one: 1. called Sam, 2. went running" in said
    assert "Please type e, m or p" in said
    assert [(i["section"], i["text"]) for i in plan_json(cli)] == [
        ("warning_signs", "not sleeping"), ("warning_signs", "snapping at people"),
        ("high_risk", "payday"), ("coping", "went running"), ("coping", "cold shower"),
        ("reasons", "my kids"), ("people", "sister"), ("professionals", "GP"),
        ("safe_places", "the library"), ("if_lapse", "tell my sponsor"),
        ("safety_steps", "hopeless thoughts"), ("safety_steps", "call Sam"),
        ("safety_steps", "call Alex"), ("matters_most", "my daughter"),
    ]  # fmt: skip
    items = plan_json(cli)
    assert len(items) == 14
    assert items[0]["category"] == "physical" and items[1]["category"] == "emotional"
    assert items[2]["response"] == "go straight home"
    assert [i["text"] for i in items if i["section"] == "coping"] == ["went running",
                                                                      "cold shower"]  # fmt: skip
    assert [i.get("step") for i in items if i["section"] == "safety_steps"] == [1, 4, 4]
    assert os.path.exists(mirror(journal))


def test_builder_stop_word_ends_early_and_keeps_items(cli):
    res = cli("plan", "build", prompter=ScriptedPrompter(["", "", "walk", "stop"]))
    assert res.code == 0 and "Saved 1 item to your plan" in res.out
    assert [i["text"] for i in plan_json(cli)] == ["walk"]


def test_high_risk_without_a_response_is_dropped_kindly(cli):
    prompter = ScriptedPrompter(["", "payday", "", "", "", "stop"])
    res = cli("plan", "build", prompter=prompter)
    assert res.code == 0
    assert any("needs a response" in s for s in prompter.said)
    assert plan_json(cli) == []


# Ctrl-C at each question of a short path: everything answered before it is kept.
PATH = ["not sleeping", "p", "", "payday", "go home", "", "walk", "", "", "Sam", "0770",
        "evenings", "sister"]  # fmt: skip
KEPT_AFTER = [0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 4]  # items kept after Ctrl-C at question i


@pytest.mark.parametrize("at", range(len(PATH) + 1))
def test_ctrl_c_at_each_question_keeps_what_was_typed(cli, journal, at):
    answers: list = [*PATH[:at], KeyboardInterrupt]
    res = cli("plan", "build", prompter=ScriptedPrompter(answers))
    assert res.code == 130
    assert "Saved what you typed so far" in res.err
    items = plan_json(cli)
    assert len(items) == KEPT_AFTER[at]
    if at >= 10:  # the half-typed person is kept with what was given
        assert items[-1]["name"] == "Sam"
    if items:
        data = tomllib.loads(read(mirror(journal)))
        assert sum(len(v) for v in data.values() if isinstance(v, list)) == len(items)


# --- $EDITOR ---------------------------------------------------------------------------

EDITOR = """
import os, stat, sys
path = sys.argv[1]
with open(os.environ["EDIT_LOG"], "a") as log:
    log.write(f"{path} {oct(stat.S_IMODE(os.stat(path).st_mode))}\\n")
text = open(path).read()
text = text.replace(os.environ.get("EDIT_FROM", "\\0"), os.environ.get("EDIT_TO", ""))
text += os.environ.get("EDIT_APPEND", "").replace("\\\\n", "\\n")
open(path, "w").write(text)
sys.exit(int(os.environ.get("EDIT_EXIT", "0")))
"""


@pytest.fixture
def editor(tmp_path, monkeypatch):
    script = tmp_path / "fake_editor.py"
    script.write_text(EDITOR)
    log = tmp_path / "edit.log"
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.setenv("EDIT_LOG", str(log))
    return log


def test_edit_changes_adds_and_removes(cli, journal, editor, monkeypatch):
    cli("plan", "add", "coping", "walk")
    cli("plan", "add", "coping", "call Sam")
    keep_uuid = plan_json(cli)[0]["uuid"]
    monkeypatch.setenv("EDIT_FROM", 'text = "call Sam"')
    monkeypatch.setenv("EDIT_TO", 'text = "call Alex"')
    monkeypatch.setenv("EDIT_APPEND", '\\n[[reasons]]\\ntext = "my health"\\n')
    res = cli("plan", "edit")
    assert res.code == 0, res.err
    assert res.out == "Plan saved: 2 added or changed, 1 removed, 1 unchanged.\n"
    items = plan_json(cli)
    assert [(i["section"], i["text"]) for i in items] == [
        ("coping", "walk"), ("coping", "call Alex"), ("reasons", "my health")]  # fmt: skip
    assert items[0]["uuid"] == keep_uuid  # untouched items keep their identity
    path, mode = editor.read_text().split()
    assert os.path.dirname(path) == os.path.dirname(journal)  # inside the private folder
    assert mode == "0o600"
    assert not os.path.exists(path)  # removed afterwards
    assert "my health" in read(mirror(journal))


@pytest.mark.parametrize(
    ("append", "message"),
    [('[[coping]]\\ntext = "unclosed', "edited plan is not valid TOML"),
     ('[[hobbies]]\\ntext = "x"', "unknown section 'hobbies'"),
     ('[[high_risk]]\\ntext = "payday"', "[[high_risk]] number 1: high_risk needs response"),
     ('[[safety_steps]]\\nstep = 9\\ntext = "x"', "step must be a number from 1 to 6"),
     ('[[coping]]\\ntext = 5', "text must be text in quotes")],
)  # fmt: skip
def test_invalid_edit_changes_nothing(cli, journal, editor, monkeypatch, append, message):
    cli("plan", "add", "coping", "walk")
    before, text = records(journal), read(mirror(journal))
    monkeypatch.setenv("EDIT_APPEND", "\\n" + append + "\\n")
    res = cli("plan", "edit")
    assert res.code == 2
    assert message in res.err and res.err.count("\n") == 1
    assert records(journal) == before and read(mirror(journal)) == text
    path = editor.read_text().split()[0]
    assert not os.path.exists(path)


def test_editor_failure_and_missing_editor(cli, journal, editor, monkeypatch):
    cli("plan", "add", "coping", "walk")
    before = records(journal)
    monkeypatch.setenv("EDIT_EXIT", "3")
    monkeypatch.setenv("EDIT_APPEND", '\\n[[reasons]]\\ntext = "x"\\n')
    res = cli("plan", "edit")
    assert res.code == 2 and "exited with status 3" in res.err
    assert records(journal) == before
    monkeypatch.delenv("EDITOR")
    res = cli("plan", "edit")
    assert res.code == 2 and "no editor set" in res.err


def test_edit_unchanged_says_so(cli, editor):
    cli("plan", "add", "coping", "walk")
    assert cli("plan", "edit").out == "No changes.\n"

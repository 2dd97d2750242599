"""`relapse sos`: one screen at once, offers on a terminal, and it works when nothing else does."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import types

import pytest

from relapse_cli.core.prompter import ScriptedPrompter
from tests.test_startup import HEAVY, imported

PLAN = [
    ("coping", "walk round the block"), ("coping", "call someone"), ("coping", "cold shower"),
    ("coping", "a fourth one not shown"), ("reasons", "my kids"), ("reasons", "my health"),
    ("reasons", "a third reason not shown"), ("matters_most", "my daughter"),
]  # fmt: skip

# Worked out by hand: top 3 coping steps, what matters most + 2 reasons, people, care team,
# then the crisis lines for GB and the emergency sentence.
SCREEN_GB = """\
SOS. You reached for help, and that matters. Breathe out slowly. Feel your feet on the floor.
This feeling will rise, peak and pass. You only need to get through the next few minutes.

What helps you:
  - walk round the block
  - call someone
  - cold shower
Why you are doing this:
  - my daughter
  - my kids
  - my health
People to call:
  - Sam (sister), 07700 900123, evenings
Your care team:
  - Dr Patel, 020 7946 0000

Crisis lines (United Kingdom):
  - Samaritans: 116 123 (24/7)
      Email jo@samaritans.org.
  - NHS 111: 111 (24/7)
      Online at 111.nhs.uk (England).
If you are in danger now, call your local emergency number (999 in the United Kingdom).
"""


@pytest.fixture
def planned(cli, journal):
    for section, text in PLAN:
        assert cli("plan", "add", section, text).code == 0
    cli("plan", "add", "people", "Sam", "--phone", "07700 900123", "--when", "evenings",
        "--role", "sister")  # fmt: skip
    cli("plan", "add", "professionals", "Dr Patel", "--phone", "020 7946 0000")
    cli("config", "country", "GB")
    return journal


def test_one_screen_at_once(cli, planned):
    res = cli("sos")
    assert res.code == 0 and res.err == ""
    assert res.out == SCREEN_GB
    assert len(res.out.splitlines()) <= 24  # under one screen


def test_country_override_for_travel(cli, planned):
    res = cli("sos", "--country", "us")
    assert "Crisis lines (United States):" in res.out
    assert "  - 988 Suicide & Crisis Lifeline: 988 (24/7)" in res.out
    assert "  - SAMHSA National Helpline: 1-800-662-4357 (24/7, 365 days a year)" in res.out
    assert "(911 in the United States)" in res.out
    assert "Samaritans" not in res.out
    res = cli("sos", "--country", "FR")
    assert "If you are in danger now, call your local emergency number (112)." in res.out


def test_bad_country_still_shows_everything(cli, planned):
    res = cli("sos", "--country", "Narnia")
    assert res.code == 0
    assert res.err == ("relapse: --country takes two letters like GB or US, not 'Narnia'; "
                       "showing general advice\n")  # fmt: skip
    assert "walk round the block" in res.out
    assert "If you are in danger now, call your local emergency number.\n" in res.out


def test_no_plan_no_country(cli, journal, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    res = cli("sos")
    assert res.code == 0
    assert "No plan saved yet. When things are calmer: relapse plan build" in res.out
    # Issue 19 item 3: no country known -> one line saying so and how to set it, then the
    # main line of every shipped country (never an empty list), the sentence last.
    assert _flat(NO_COUNTRY_BLOCK) in _flat(res.out)  # wrapped to the width: compare words
    assert _flat(res.out).endswith(_flat(NO_COUNTRY_BLOCK))
    assert not os.path.exists(journal)  # sos never creates a journal


def _flat(text: str) -> str:
    return " ".join(text.split())


NO_COUNTRY_BLOCK = """\
No country is set, so here are the lines for the countries relapse-cli knows. Set yours: \
relapse config country XX (e.g. GB, US).
Crisis lines by country:
  - United States: 988 Suicide & Crisis Lifeline, 988; emergency 911
  - Canada: 9-8-8: Suicide Crisis Helpline, 988; emergency 911
  - United Kingdom: Samaritans, 116 123; emergency 999
  - Ireland: Samaritans, 116 123; emergency 112 or 999
  - Australia: Lifeline, 13 11 14; emergency 000
  - New Zealand: 1737, Need to talk?, 1737; emergency 111
If you are in danger now, call your local emergency number.
"""


def test_item9_screen_without_a_country_shows_the_fallback(cli, journal, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    res = cli("checkin", "phq9", "--answers", "0,0,0,0,0,0,0,0,1")
    assert _flat(NO_COUNTRY_BLOCK) in _flat(res.out)
    assert "(crisis lines below)" in res.out  # and there are lines below


@pytest.mark.parametrize(("code", "sentence"), [
    ("JP", "If you are in danger now, call your local emergency number."),
    ("FR", "If you are in danger now, call your local emergency number (112)."),
])  # fmt: skip
def test_a_country_without_shipped_lines_points_to_the_plan(cli, journal, code, sentence,
                                                             monkeypatch):  # fmt: skip
    monkeypatch.setenv("COLUMNS", "200")  # the exact wording: wide enough that nothing wraps
    assert cli("config", "country", code).code == 0
    res = cli("sos")
    assert res.code == 0
    assert res.out.endswith(
        f"{sentence}\nNo crisis lines for {code} come with relapse-cli yet. Add your local ones "
        'to your plan: relapse plan add professionals "name" --phone "number"\n'
    )
    assert "relapse config country" not in res.out  # the country is already set


def test_country_from_locale_when_not_set(cli, monkeypatch):
    monkeypatch.setenv("LANG", "en_AU.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert "Lifeline: 13 11 14 (24/7)" in cli("sos").out


def test_user_text_cannot_act_on_the_terminal(cli, journal):
    d = os.path.dirname(journal)
    with open(os.path.join(d, "sos.toml"), "w") as fh:  # a tampered mirror
        fh.write('[[coping]]\ntext = "walk\\u001b[2J now"\n')
    out = cli("sos").out
    assert "\x1b" not in out and "walk\\x1b[2J now" in out


def test_damaged_mirror_and_settings_still_give_crisis_lines(cli, planned):
    d = os.path.dirname(planned)
    with open(os.path.join(d, "sos.toml"), "w") as fh:
        fh.write("[[coping]\ntext = broken")
    with open(os.path.join(d, "settings.toml"), "w") as fh:
        fh.write("country = ")
    res = cli("sos", "--country", "IE")
    assert res.code == 0
    assert "Samaritans: 116 123 (24/7)" in res.out and "(112 or 999 in Ireland)" in res.out


# --- offers on a terminal ------------------------------------------------------------------


def test_no_offers_without_a_terminal(cli, planned):
    assert "[u] urge surfing" not in cli("sos").out


def test_no_offers_flag(cli, planned):
    res = cli("sos", "--no-offers", prompter=ScriptedPrompter([]))
    assert res.code == 0 and "[u]" not in res.out


@pytest.fixture
def fake_breathe(monkeypatch):
    calls: list[str] = []
    module = types.ModuleType("relapse_cli.breathing.commands")

    def start_exercise(app, name):  # noqa: ANN001, ANN202
        calls.append(name)
        return 0

    module.start_exercise = start_exercise  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "relapse_cli.breathing.commands", module)
    return calls


@pytest.mark.parametrize(("key", "exercise"), [("u", "urge"), ("b", "sober"), ("B", "sober")])
def test_one_key_starts_an_exercise(cli, planned, fake_breathe, key, exercise):
    prompter = ScriptedPrompter([key])
    res = cli("sos", prompter=prompter)
    assert res.code == 0
    assert res.out.startswith(SCREEN_GB)
    assert "[u] urge surfing   [b] SOBER breathing   [l] log this craving   [Enter] close" in (
        res.out)  # fmt: skip
    assert fake_breathe == [exercise]


def test_breathing_fallback_when_the_module_is_missing(cli, planned, monkeypatch):
    monkeypatch.setitem(sys.modules, "relapse_cli.breathing.commands", None)  # import fails
    res = cli("sos", prompter=ScriptedPrompter(["b"]))
    assert res.code == 0 and "Stop where you are." in res.out


def test_enter_closes_and_ctrl_c_closes(cli, planned, fake_breathe):
    assert cli("sos", prompter=ScriptedPrompter([""])).code == 0
    assert cli("sos", prompter=ScriptedPrompter([KeyboardInterrupt])).code == 0
    assert fake_breathe == []


def test_log_this_craving_runs_the_guided_log(cli, planned):
    res = cli("sos", prompter=ScriptedPrompter(["l", "8", KeyboardInterrupt]))
    assert res.code == 0
    assert "Saved craving 8/10" in res.out
    rows = cli("history", "--json").json()
    assert [(r["kind"], r["intensity"]) for r in rows] == [("craving", 8)]


# --- it works when the journal does not ------------------------------------------------


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "relapse_cli", *args], env=env,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)  # fmt: skip


@pytest.fixture
def env(planned, tmp_path):
    return dict(os.environ, RELAPSE_JOURNAL=planned, HOME=str(tmp_path / "home"))


def _corrupt(path: str) -> None:
    with open(path, "wb") as fh:
        fh.write(os.urandom(8192))


def _check(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == SCREEN_GB


@pytest.mark.slow
def test_sos_with_a_corrupt_journal(env, planned):
    _corrupt(planned)
    _check(_run(env, "sos"))
    assert _run(env, "log", "craving", "5").returncode != 0  # the journal really is broken


@pytest.mark.slow
def test_sos_with_an_unreadable_journal(env, planned):
    os.chmod(planned, 0)
    try:
        _check(_run(env, "sos"))
    finally:
        os.chmod(planned, 0o600)


@pytest.mark.slow
def test_sos_while_another_process_holds_a_write_transaction(env, planned):
    con = sqlite3.connect(planned, isolation_level=None)
    try:
        con.execute("BEGIN EXCLUSIVE")
        con.execute("DELETE FROM plan_items")
        _check(_run(env, "sos"))
    finally:
        con.execute("ROLLBACK")
        con.close()


@pytest.mark.slow
def test_sos_with_a_missing_journal(env, planned):
    os.remove(planned)
    _check(_run(env, "sos"))
    assert not os.path.exists(planned)


@pytest.mark.slow
def test_sos_with_a_locked_journal_needs_no_passphrase(env, planned):
    _corrupt(planned)  # an encrypted file reads as noise without the key
    with open(planned + ".locked", "w") as fh:
        fh.write("")
    env = {k: v for k, v in env.items() if "PASSPHRASE" not in k}
    _check(_run(env, "sos"))


@pytest.mark.slow
def test_sos_imports_nothing_heavy(env):
    code, modules = imported(["sos"], env)
    assert code == 0
    heavy = sorted(m for m in modules if m.split(".")[0] in (*HEAVY, "sqlite3"))
    assert heavy == []


@pytest.mark.slow
def test_help_and_usage_errors_go_through_typer(env):
    proc = _run(env, "sos", "--help")
    assert proc.returncode == 0 and "--country" in proc.stdout and "--no-offers" in proc.stdout
    proc = _run(env, "sos", "--country")
    assert proc.returncode == 2 and "--country" in proc.stderr


@pytest.mark.slow
def test_one_key_on_a_real_terminal(env):
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(sys.executable, ["-m", "relapse_cli", "sos"], env=env, timeout=20,
                          encoding="utf-8")  # fmt: skip
    child.expect_exact("[Enter] close")
    child.send("x")  # one key, no Enter needed
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


@pytest.mark.slow
@pytest.mark.parametrize("keys", ["\x1b[A", "\x1b[1~", "\x03", "\x04", "\r"])
def test_keys_that_are_no_offer_close_quietly(env, keys):
    """An arrow or Home key is read whole (its escape sequence is one key, nothing left over
    for the shell); Ctrl-C and Ctrl-D close as Enter does: exit 0, no traceback."""
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(sys.executable, ["-m", "relapse_cli", "sos"], env=env, timeout=20,
                          encoding="utf-8")  # fmt: skip
    child.expect_exact("[Enter] close")
    child.send(keys)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in child.before and "[A" not in child.before and "~" not in child.before


@pytest.mark.slow
def test_a_capital_letter_is_the_offer(env):
    """B (Caps Lock on) starts the breathing space as b does."""
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(sys.executable, ["-m", "relapse_cli", "sos"], env=env, timeout=20,
                          encoding="utf-8")  # fmt: skip
    child.expect_exact("[Enter] close")
    child.send("B")
    child.expect_exact("Urge right now")  # the exercise's first question
    child.sendintr()
    child.close(force=True)


def test_exercise_that_cannot_run_falls_back_to_words(cli, planned, monkeypatch):
    module = types.ModuleType("relapse_cli.breathing.commands")

    def start_exercise(app, name):  # noqa: ANN001, ANN202
        from relapse_cli.core.errors import EnvironmentFault

        raise EnvironmentFault("the journal is not a database")

    module.start_exercise = start_exercise  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "relapse_cli.breathing.commands", module)
    res = cli("sos", prompter=ScriptedPrompter(["u"]))
    assert res.code == 0
    assert "Notice where the urge sits in your body" in res.out
    assert res.err == ("relapse: the guided exercise could not run (the journal is not a "
                       "database); here it is in words\n")  # fmt: skip


def test_mirror_off_says_why_the_plan_is_not_shown(cli, planned):
    assert cli("plan", "mirror", "off").code == 0
    res = cli("sos")
    assert res.code == 0
    assert "Your plan is not shown: its copy for sos is off. See it with: relapse plan" in res.out
    assert "walk round the block" not in res.out and "Samaritans: 116 123" in res.out


# Run sos with an audit hook that refuses any open of the journal file (or its -wal/-journal
# siblings): unlike chmod 0, this also holds when the tests run as root, where file modes do
# not stop a read. sos must not need the journal at all.
NO_JOURNAL_PROBE = """
import os, sys
journal = os.path.realpath(os.environ["RELAPSE_JOURNAL"])

def refuse(event, args):
    if event in ("open", "sqlite3.connect") and args and isinstance(args[0], (str, bytes)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if path.startswith(journal):
            raise PermissionError(13, "Permission denied", path)

sys.addaudithook(refuse)
sys.argv = ["relapse", *sys.argv[1:]]
from relapse_cli.entry import main
sys.exit(main())
"""


@pytest.mark.slow
def test_sos_never_opens_the_journal_even_as_root(env, planned):
    proc = subprocess.run([sys.executable, "-c", NO_JOURNAL_PROBE, "sos"], env=env,
                          capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)  # fmt: skip
    _check(proc)
    # the hook bites: a command that does need the journal fails under it
    proc = subprocess.run([sys.executable, "-c", NO_JOURNAL_PROBE, "plan"], env=env,
                          capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)  # fmt: skip
    assert proc.returncode != 0


def test_log_offer_with_a_damaged_journal_says_so_before_asking(cli, planned):
    _corrupt(planned)
    prompter = ScriptedPrompter(["l"])  # no answer for a craving question: none is asked
    res = cli("sos", prompter=prompter)
    assert res.code == 1
    assert res.out.startswith(SCREEN_GB)
    assert prompter.asked == ["Choose"]
    assert res.err.startswith("relapse: this craving cannot be saved right now (")
    assert res.err.endswith("the steps above still stand. Log it later: relapse log craving\n")
    assert len(res.err.splitlines()) == 1


def test_urge_surfing_words_promise_no_duration(cli, planned, monkeypatch):
    monkeypatch.setitem(sys.modules, "relapse_cli.breathing.commands", None)  # the words fallback
    res = cli("sos", prompter=ScriptedPrompter(["u"]))
    assert res.code == 0
    assert "riding a wave: it rises, peaks and falls, even when it feels as if it never will." in (
        res.out)  # fmt: skip
    assert "within" not in res.out and "20 to 30" not in res.out


def test_a_real_sqlcipher_lock_needs_no_passphrase_and_lock_names_the_plain_copy(
    cli, planned, tmp_path, monkeypatch
):
    pytest.importorskip("sqlcipher3")
    monkeypatch.delenv("RELAPSE_PASSPHRASE_FILE", raising=False)
    secret = tmp_path / "pass.txt"
    secret.write_text("correct horse battery\n")
    os.chmod(secret, 0o600)
    locked = cli("lock", "--passphrase-file", str(secret))
    assert locked.code == 0, locked.err
    mirror = os.path.join(os.path.dirname(planned), "sos.toml")
    assert locked.out.splitlines()[-1] == (
        f"Your plan's copy for relapse sos ({mirror}) stays plain text, so sos works without "
        "the passphrase. To keep the plan inside the lock only: relapse plan mirror off"
    )
    assert cli("history").code == 2  # really locked: other commands need the passphrase
    res = cli("sos")
    assert res.code == 0 and res.out == SCREEN_GB


def test_lock_without_a_plan_says_nothing_about_a_copy(cli, journal, tmp_path):
    pytest.importorskip("sqlcipher3")
    assert cli("log", "mood", "5").code == 0
    secret = tmp_path / "pass.txt"
    secret.write_text("correct horse battery\n")
    locked = cli("lock", "--passphrase-file", str(secret))
    assert locked.code == 0 and "sos" not in locked.out


# --- one screen on a small terminal -----------------------------------------------------------

FULL_PLAN = (
    [{"section": "coping", "text": f"coping step {n}"} for n in (1, 2, 3, 4)]
    + [{"section": "reasons", "text": f"reason {n}"} for n in (1, 2, 3)]
    + [{"section": "matters_most", "text": "my kids"}]
    + [{"section": "people", "name": f"Person {n}", "phone": f"0770090012{n}"} for n in (1, 2, 3)]
    + [{"section": "professionals", "name": f"Service {n}", "phone": "020 7946 0001"}
       for n in (1, 2, 3)]
)  # fmt: skip

# Worked out by hand: at 80 columns the two grounding lines (91 and 90 characters), the 988
# line's texting note (96) and the emergency sentence (87) take two rows each; they are
# wrapped at word boundaries (never by the terminal), the second row of each a line of its own.
US_TIGHT = """\
SOS. You reached for help, and that matters. Breathe out slowly. Feel your feet
on the floor.
This feeling will rise, peak and pass. You only need to get through the next few
minutes.
What helps you:
  - coping step 1
  - coping step 2
Why you are doing this:
  - my kids
  - reason 1
People to call:
  - Person 1, 07700900121
  - Person 2, 07700900122
Your care team:
  - Service 1, 020 7946 0001
Crisis lines (United States):
  - 988 Suicide & Crisis Lifeline: 988 (24/7)
  - SAMHSA National Helpline: 1-800-662-4357 (24/7, 365 days a year)
  - Crisis Text Line: 741741 (24/7)
If you are in danger now, call your local emergency number (911 in the United
States).
"""


def _screen(rows, cols=80, country="US"):
    from relapse_cli.plan.model.crisis import lines_for
    from relapse_cli.plan.view.sos_text import sos_screen

    return sos_screen(FULL_PLAN, lines_for(country), color=False, rows=rows, cols=cols)


def test_a_pipe_gets_the_whole_screen():
    lines = _screen(None, cols=132)  # wide enough that no line wraps
    # 3 grounding, 4 coping, 4 reasons, 4 people, 3 care team, 1 blank, 8 crisis lines
    assert len(lines) == 27 and "      Text HOME to 741741." in lines
    assert "  - coping step 3" in lines and "  - Service 2, 020 7946 0001" in lines


def test_a_24_row_terminal_keeps_the_grounding_line_in_view():
    from relapse_cli.plan.view.sos_text import screen_rows

    lines = _screen(24 - 3)  # room for the offers line and its prompt
    assert "\n".join(lines) + "\n" == US_TIGHT
    assert screen_rows(lines, 80) == 21


def test_fewer_plan_items_before_the_crisis_lines_lose_anything():
    from relapse_cli.plan.view.sos_text import screen_rows

    lines = _screen(26, cols=120)
    assert screen_rows(lines, 120) <= 26
    assert "      Text HOME to 741741." in lines and "  - coping step 3" not in lines


@pytest.mark.parametrize("country", ["US", "GB", "AU", "NZ"])
def test_every_size_keeps_every_crisis_number_and_the_sentence(country):
    from relapse_cli.plan.model.crisis import lines_for

    info = lines_for(country)
    for rows in range(1, 60):
        for cols in (40, 60, 80, 132):
            lines = _screen(rows, cols, country)
            flat = " ".join("\n".join(lines).split())  # the words, whatever the wrapping
            assert all(f": {line.number} (" in flat for line in info.lines), (rows, cols)
            assert flat.endswith(" ".join(info.sentence.split())) and flat.startswith("SOS. ")
            # wrapped to the width, and never inside a crisis number
            assert all(len(line) <= cols for line in lines), (rows, cols)
            assert all(any(line.number in row for row in lines) for line in info.lines)


@pytest.mark.slow
def test_on_a_24_by_80_terminal_the_screen_and_offers_fit(env):
    from relapse_cli.plan.view.sos_text import screen_rows

    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(sys.executable, ["-m", "relapse_cli", "sos"], env=dict(env, NO_COLOR="1"),
                          timeout=20, encoding="utf-8", dimensions=(24, 80))  # fmt: skip
    child.expect_exact("[Enter] close")
    shown = (child.before + "[Enter] close").replace("\r", "").split("\n")
    child.send("\r")
    child.expect(pexpect.EOF)
    child.close()
    assert shown[0].startswith("SOS. You reached for help")
    assert screen_rows(shown, 80) <= 23  # and the cursor's row
    assert "  - Samaritans: 116 123 (24/7)" in shown and "  - walk round the block" in shown


def test_a_terminal_that_cannot_give_one_key_still_closes_sos_with_0(cli, monkeypatch):
    """The offer's key read failing (termios on an odd terminal) never turns sos into an error:
    the crisis lines are already on screen, and sos ends as a close would."""
    from relapse_cli.plan.commands import sos

    def broken() -> str:
        raise OSError(25, "Inappropriate ioctl for device")

    monkeypatch.setattr(sos, "_stdin_tty", lambda: True)
    monkeypatch.setattr(sos, "_raw_key", broken)
    result = cli("sos", "--country", "US", interactive=True)
    assert result.code == 0 and "unexpected" not in result.err, result.err
    assert "988" in result.out

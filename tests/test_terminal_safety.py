"""Terminal safety: a person's own words never act on the terminal that shows them.

Notes and free-text fields accept anything (they are private writing), so a pasted OSC 8
hyperlink, a clear-screen sequence, a bell, a bidi override or Rich markup is stored as typed
and must come back out as visible text in every command that shows it: never as raw escape
bytes, never as styling.
"""

from __future__ import annotations

import re

import pytest

HOSTILE = (
    "link \x1b]8;;https://example.invalid\x07click\x1b]8;;\x07 "
    "clear\x1b[2J bell\x07 rtl\u202eevil [bold red]loud[/bold red] [link=https://x.invalid]y[/link]"
)
RAW = ("\x1b", "\x07", "\u202e", "\x9b")


@pytest.fixture
def hostile_journal(cli):
    """Every free-text field that shows somewhere holds the hostile text."""
    logs = [
        ("log", "craving", "7", "-t", "stress", "-c", "walk", "-o", "resisted", "--note", HOSTILE,
         "-w", HOSTILE, "--with", HOSTILE, "--at", "2026-11-23 18:00"),
        ("log", "mood", "4", "--note", HOSTILE, "--at", "2026-11-23 19:00"),
        ("log", "trigger", HOSTILE[:60].replace("\x1b", "").replace("\x07", "").replace("\u202e", ""),
         "--note", HOSTILE, "--at", "2026-11-23 20:00"),
        ("log", "use", "-s", "alcohol", "--context", HOSTILE, "--led-up-to", HOSTILE,
         "--note", HOSTILE, "--at", "2026-11-22 20:00"),
    ]  # fmt: skip
    for args in logs:
        result = cli(*args)
        assert result.code == 0, result.err
    return [e["uuid"][:8] for e in cli("history", "--json").json()]


def _shows_safely(text: str) -> None:
    for raw in RAW:
        assert raw not in text, f"raw {raw!r} reached the terminal"


def test_history_and_show_print_hostile_text_as_inert_text(cli, hostile_journal):
    history = cli("history", "--limit", "10")
    assert history.code == 0
    _shows_safely(history.out + history.err)
    for short in hostile_journal:
        shown = cli("show", short)
        assert shown.code == 0, shown.err
        _shows_safely(shown.out + shown.err)
        flat = re.sub(r"[│\s]+", " ", shown.out)  # panel borders and wrapping aside
        assert "\\x1b[2J" in flat  # visible, as typed
        assert "[bold red]loud[/bold red]" in flat  # markup printed, not applied


@pytest.mark.parametrize(
    "args",
    [
        ("summary",),
        ("summary", "--all"),
        ("trends",),
        ("triggers",),
        ("coping",),
        ("export", "-f", "md"),
        ("history", "--json"),
        ("export", "-f", "json"),
    ],
)
def test_every_view_keeps_the_terminal_safe(cli, hostile_journal, args):
    result = cli(*args)
    assert result.code == 0, result.err
    _shows_safely(result.out + result.err)


def test_confirmation_line_and_edit_echo_are_safe(cli):
    result = cli("log", "craving", "5", "-w", HOSTILE, "--note", HOSTILE)
    assert result.code == 0
    _shows_safely(result.out + result.err)
    short = result.out.rsplit("id ", 1)[1].strip()
    edited = cli("edit", short, "--note", HOSTILE + " again")
    assert edited.code == 0, edited.err
    _shows_safely(edited.out + edited.err)


def test_review_of_someone_elses_export_is_safe(cli, hostile_journal, tmp_path):
    exported = tmp_path / "theirs.json"
    assert cli("export", "-f", "json", "-o", str(exported)).code == 0
    result = cli("review", str(exported))
    assert result.code == 0, result.err
    _shows_safely(result.out + result.err)


def test_new_record_kinds_show_hostile_text_inertly(cli, tmp_path):
    """Plan items, sos (plain-text lane), thought records, balance, medication, appointments,
    check-in notes and withdrawal notes: typed text comes back visible, never acting."""
    markup = "[bold red]loud[/bold red] [link=https://x.invalid]y[/link] <b>x</b>"
    setup = [  # plan items refuse control characters (one line each): markup must stay inert
        ("plan", "add", "reasons", markup),
        ("plan", "add", "coping", markup),
        ("plan", "add", "people", "Sam " + markup, "--phone", "07700 900123"),
        ("think", "--situation", HOSTILE, "--mood", "anxious=80", "--thought", HOSTILE,
         "--hot", "1", "--for", HOSTILE, "--against", HOSTILE, "--balanced", HOSTILE,
         "--belief", "50", "--mood-after", "anxious=40"),
        ("think", "balance", "--using-good", HOSTILE, "--importance", "7", "--confidence", "5"),
        ("meds", "add", "naltrexone", "--dose", HOSTILE, "--schedule", HOSTILE, "-t", "08:00"),
        ("appointments", "add", "therapy", "2026-12-01 14:00", "--with", HOSTILE,
         "--where", HOSTILE),
        ("checkin", "--mood", "5", "--note", HOSTILE),
        ("log", "withdrawal", "--tremor", "1", "--note", HOSTILE),
        ("log", "craving", "9", "--note", HOSTILE),
    ]  # fmt: skip
    for args in setup:
        result = cli(*args)
        if result.code == 2 and "control characters" in result.err:
            # Refusing them is fine too (one line, exit 2); then markup must stay inert.
            _shows_safely(result.err)
            result = cli(*(markup if a == HOSTILE else a for a in args))
        assert result.code == 0, (args, result.err)
        _shows_safely(result.out + result.err)
    record = cli("thoughts", "--json").json()[0]["id"][:8]
    for args in [("plan",), ("sos",), ("thoughts",), ("thoughts", "show", record),
                 ("think", "balance", "--show"), ("meds",), ("meds", "list"),
                 ("appointments", "list"), ("checkin", "history"), ("withdrawal",),
                 ("summary",), ("export", "-f", "md")]:  # fmt: skip
        result = cli(*args)
        assert result.code == 0, (args, result.err)
        _shows_safely(result.out + result.err)


def test_a_counselors_homework_file_cannot_act_on_the_terminal(cli, tmp_path):
    """An assignment file comes from outside: its title, message and prompts are shown as
    text, whatever bytes they hold."""
    esc = (
        "\\u001b[2J\\u001b]8;;https://x.invalid\\u0007here\\u001b]8;;\\u0007 \\u202e [bold]b[/bold]"
    )
    path = tmp_path / "hw.toml"
    path.write_text(
        f'title = "Week 1 {esc}"\nstart = 2026-11-20\ndue = 2026-12-04\n'
        f'message = "Hello {esc}"\n\n[assigned_by]\nname = "Alex {esc}"\n\n'
        f'[[tasks]]\nid = "reflect"\nkind = "reflection"\nprompt = "Three situations {esc}"\n'
    )
    for args in [("homework", "check", str(path)), ("homework", "load", str(path), "--yes"),
                 ("homework",), ("homework", "list")]:  # fmt: skip
        result = cli(*args)
        _shows_safely(result.out + result.err)

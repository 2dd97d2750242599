"""The fast lane and Typer read the same specs; on anything the fast lane accepts they agree."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relapse_cli.cli import fastpath
from relapse_cli.log.commands.spec import GLOBAL, LOG_COMMANDS

CORPUS = [
    ["craving", "7"],
    ["craving", "7", "-t", "stress", "-t", "payday", "-s", "alcohol"],
    ["craving", "--trigger=stress", "6", "--coped", "walk", "-c", "call", "--outcome", "resisted"],
    ["craving", "-a", "3", "5", "--minutes", "20", "--note", "-"],
    ["craving", "5", "--note", "--outcome"],  # a value may look like an option
    ["craving", "--", "5"],
    ["mood", "4", "--anxiety", "7", "--sleep", "5.5", "--energy", "2"],
    ["mood", "--sleep", "nan", "3"],
    ["trigger", "walked past the bar", "-i", "4", "-t", "evening"],
    ["trigger", "--", "-weird name"],
    ["use", "-s", "alcohol", "--amount", "3", "--unit", "drinks", "--led-up-to", "payday"],
    ["use", "--amount", "-2"],
    ["craving", "7", "--at", "yesterday 18:30"],
]

DECLINED = [
    ["craving", "--help"],
    ["craving", "-h"],
    ["craving", "seven"],
    ["craving", "7", "8"],
    ["craving", "7", "--bogus", "x"],
    ["craving", "7", "-tstress"],
    ["craving", "7", "--trigger"],
    ["mood", "--sleep", "lots"],
]


def typer_values(kind: str, args: list[str], monkeypatch) -> dict:
    """What the Typer command hands to run_log for these args."""
    seen: dict = {}

    def capture(app, k, values):
        seen.update(values)
        return 0

    monkeypatch.setattr("relapse_cli.log.commands.log.run_log", capture)
    from relapse_cli.cli.context import AppContext
    from relapse_cli.entry import _typer_lane

    code = _typer_lane(["log", kind, *args], AppContext())
    assert code == 0
    return seen


def normal(values: dict) -> dict:
    """Lists as lists, absent values dropped, floats by repr (so nan equals nan)."""
    out = {}
    for key, value in values.items():
        if value is None or value == [] or value == ():
            continue
        value = list(value) if isinstance(value, (list, tuple)) else value
        out[key] = repr(value) if isinstance(value, float) else value
    return out


@pytest.mark.parametrize("argv", CORPUS, ids=[" ".join(a) for a in CORPUS])
def test_fast_lane_agrees_with_typer(argv, monkeypatch):
    kind, args = argv[0], argv[1:]
    fast = fastpath.parse(LOG_COMMANDS[kind], args)
    assert fast is not None, "the fast lane should take this one"
    slow = typer_values(kind, args, monkeypatch)
    assert normal(fast) == normal(slow)


@pytest.mark.parametrize("argv", DECLINED, ids=[" ".join(a) for a in DECLINED])
def test_fast_lane_declines_what_it_is_unsure_of(argv):
    assert fastpath.parse(LOG_COMMANDS[argv[0]], argv[1:]) is None


def test_every_spec_option_exists_in_typer():
    from relapse_cli.cli.app import build_click

    log_group = build_click().commands["log"]
    for name, spec in LOG_COMMANDS.items():
        command = log_group.commands[name]
        typer_decls = {d for p in command.params for d in getattr(p, "opts", [])}
        for param in spec.params:
            if not param.positional:
                assert set(param.decls) <= typer_decls, (name, param.decls)


def test_global_options_split():
    assert fastpath.split_globals(GLOBAL, ["--journal", "/x.db", "--debug", "log", "mood", "3"]) \
        == ({"journal": "/x.db", "debug": True}, ["log", "mood", "3"])  # fmt: skip
    assert fastpath.split_globals(GLOBAL, ["--journal=/y.db", "log"])[0]["journal"] == "/y.db"
    assert fastpath.split_globals(GLOBAL, ["--nope", "log"]) is None


WORDS = st.sampled_from(
    ["7", "3", "-t", "--trigger", "stress", "-s", "alcohol", "--coped", "walk", "-o", "used",
     "--after", "2", "--minutes", "5", "-m", "4", "--note", "-", "--", "x,y", "--at", "now",
     "--with", "-w", "1.5", "--bogus"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=8))
def test_random_command_lines_agree_or_are_declined(words):
    fast = fastpath.parse(LOG_COMMANDS["craving"], words)
    if fast is None:
        return
    with pytest.MonkeyPatch.context() as m:
        assert normal(fast) == normal(typer_values("craving", words, m))


NUMBERISH = st.text(st.sampled_from("0123456789_.-+e \u0661\uff15\u00b2"), min_size=1, max_size=5)


@settings(max_examples=120, deadline=None)
@given(number=NUMBERISH, where=st.sampled_from([("craving", None), ("mood", "--sleep")]))
def test_both_lanes_read_numbers_alike(number, where):
    """Plain ASCII digits only (no ``1_0``, no Unicode digits), the same in both parsers."""
    kind, flag = where
    args = [number] if flag is None else ["5", flag, number]
    fast = fastpath.parse(LOG_COMMANDS[kind], ["--", *args] if flag is None else args)
    with pytest.MonkeyPatch.context() as m:
        try:
            slow = typer_values(kind, ["--", *args] if flag is None else args, m)
        except Exception as exc:  # Typer refused (BadInput from the number check)
            from relapse_cli.core.errors import BadInput

            assert isinstance(exc, BadInput), exc
            assert "plain digits" in exc.message
            slow = None
    if fast is not None:
        assert slow is not None and normal(fast) == normal(slow)
    if any(ch in number for ch in "_\u0661\uff15\u00b2"):
        assert fast is None and slow is None

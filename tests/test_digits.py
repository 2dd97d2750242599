"""Digits that are not ASCII ('²', '١', '５'): `str.isdigit()` says yes to them and `int()`
refuses some ('²'), so every "is it a number N?" asks core/text.plain_digits instead. The
long fuzz run found `homework archive ²` ending in "unexpected ValueError"; these are the
other places of the same class, through the CLI."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relapse_cli.core.text import plain_digits
from relapse_cli.plan.model.plan import step_of

NOT_ASCII_DIGITS = ["²", "١", "５", "߁", "𝟙", "1²", "²1"]


@given(st.text(max_size=6))
def test_plain_digits_are_what_int_reads_as_ascii(text):
    if plain_digits(text):
        assert int(text) >= 0 and text.isascii()


@pytest.mark.parametrize("raw", NOT_ASCII_DIGITS)
def test_a_safety_step_never_raises(raw):
    assert step_of({"step": raw}) == 0  # sos sorts by it


@pytest.mark.parametrize("raw", NOT_ASCII_DIGITS)
def test_homework_references_are_one_line(cli, raw):
    assert cli("homework", "example").code == 0
    result = cli("homework", "archive", raw)
    assert result.code == 2 and "unexpected" not in result.err
    assert result.err.count("\n") == 1


@pytest.mark.parametrize("raw", [*NOT_ASCII_DIGITS, "wide", "-3", ""])
def test_an_unreadable_terminal_size_is_ignored(cli, monkeypatch, raw):
    assert cli("log", "craving", "5").code == 0
    monkeypatch.setenv("COLUMNS", raw)
    monkeypatch.setenv("LINES", raw)
    for args in (("history",), ("summary",), ("sos", "--no-offers")):
        result = cli(*args)
        assert result.code == 0 and "unexpected" not in result.err, (args, result.err)

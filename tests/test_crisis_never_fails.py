"""The crisis path never fails (issue 15 item 1): whatever the sos mirror or the settings file
hold, `relapse sos` exits 0 and prints the crisis lines for the country and the emergency
sentence, and so do the PHQ-9 item-9 safety screen and every withdrawal red-flag screen.

A Hypothesis property over the content of ``sos.toml`` and ``settings.toml``: arbitrary text,
arbitrary bytes, TOML-ish structures (wrong types, out-of-range steps, nested tables),
truncated TOML, a directory in the file's place, an unreadable file. The expected country is
worked out here from the raw settings, independently of the code under test. Example count:
small in CI; ``RELAPSE_PROPERTY_EXAMPLES=500`` for a longer run.
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import datetime

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relapse_cli.care.model import withdrawal as wd
from relapse_cli.plan.model.crisis import lines_for
from relapse_cli.plan.model.plan import BY_KEY, FIELDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXAMPLES = int(os.environ.get("RELAPSE_PROPERTY_EXAMPLES", "12"))
FLAG_OPTION = {f: "--" + f.replace("_", "-") for f in wd.RED_FLAGS}

scalars = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 1, 1)),
    st.sampled_from(["four", "4th", "4", "0", "7", " 2 ", "GB", "uk", "ZZ", "on", "off"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6)  # fmt: skip
keys = st.sampled_from([*BY_KEY, *FIELDS, "country", "sos_mirror", "format", "x"])
blocks = st.dictionaries(st.sampled_from([*FIELDS, "section", "odd"]), values, max_size=4)
plan_like = st.dictionaries(
    keys, st.one_of(st.lists(st.one_of(blocks, values), max_size=3), values), max_size=5
)


def _toml(data: dict) -> bytes:
    try:
        return tomli_w.dumps(data).encode()
    except Exception:  # noqa: BLE001 - something TOML cannot hold: write its repr instead
        return repr(data).encode()


content = st.one_of(
    st.none(),  # no file
    st.just("dir"),  # a directory in the file's place
    st.text(max_size=60).map(str.encode),
    st.binary(max_size=60),
    plan_like.map(_toml),
    st.tuples(plan_like.map(_toml), st.integers(0, 80)).map(lambda t: t[0][: t[1]]),  # truncated
    st.tuples(plan_like.map(_toml), st.just("unreadable")),
)


def _place(path: str, what: object) -> None:
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.chmod(path, 0o600)
        os.remove(path)
    if what is None:
        return
    if what == "dir":
        os.mkdir(path)
        return
    unreadable = isinstance(what, tuple)
    with open(path, "wb") as fh:
        fh.write(what[0] if unreadable else what)  # type: ignore[index]
    if unreadable:
        os.chmod(path, 0)


def expected_country(raw: object) -> str:
    """What the settings say, read here on its own; else the locale (en_GB in these tests)."""
    if isinstance(raw, bytes):
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            data = {}
        code = data.get("country")
        if isinstance(code, str):
            code = code.strip().upper()
            code = "GB" if code == "UK" else code
            if len(code) == 2 and code.isascii() and code.isalpha():
                return code
    return "GB"


def assert_crisis_lines(out: str, country: str) -> None:
    info = lines_for(country)
    assert info.sentence in out, out
    for line in info.lines:
        assert f"{line.name}: {line.number}" in out, out
    if not info.lines and not info.known:
        assert "Crisis lines by country:" in out or "No crisis lines for" in out, out


@pytest.fixture
def crisis_env(monkeypatch, journal):
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    os.makedirs(os.path.dirname(journal), exist_ok=True)
    return os.path.dirname(journal)


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(mirror=content, settings_file=content, flag=st.sampled_from(wd.RED_FLAGS))
def test_crisis_screens_survive_any_mirror_and_settings(cli, crisis_env, mirror, settings_file,
                                                        flag):  # fmt: skip
    mirror_path = os.path.join(crisis_env, "sos.toml")
    settings_path = os.path.join(crisis_env, "settings.toml")
    try:
        _place(mirror_path, mirror)
        _place(settings_path, settings_file)
        raw = settings_file
        if isinstance(raw, tuple):  # unreadable, except to root
            raw = raw[0] if os.geteuid() == 0 else None
        country = expected_country(raw)
        res = cli("sos", "--no-offers")
        assert res.code == 0, res.err
        assert "Traceback" not in res.err and "unexpected" not in res.err
        assert_crisis_lines(res.out, country)

        res = cli("checkin", "phq9", "--answers", "0,0,0,0,0,0,0,0,2")
        assert "Your safety plan" in res.out
        assert_crisis_lines(res.out, country)

        res = cli("log", "withdrawal", FLAG_OPTION[flag])
        assert "urgent" in res.out.lower()
        assert_crisis_lines(res.out, country)
        if flag == "self_harm":
            assert "Your safety plan" in res.out
    finally:
        _place(mirror_path, None)
        _place(settings_path, None)


BAD_MIRRORS = [
    b'[[safety_steps]]\nstep = "four"\ntext = "call Sam"\n[[coping]]\ntext = "walk"\n',
    b'[[safety_steps]]\nstep = "4th"\ntext = "x"\n',
    b"[[safety_steps]]\nstep = 99\ntext = 'x'\n",
    b"[[coping]]\ntext = 7\n[[people]]\nname = {a = 1}\n",
    b"coping = 3\nsafety_steps = [1, 2]\n",
    b"[[coping]\ntext = broken",
    b"\xff\xfe\x00garbage",
]


@pytest.mark.parametrize("mirror", BAD_MIRRORS)
@pytest.mark.parametrize("flag", wd.RED_FLAGS)
def test_every_red_flag_screen_with_a_damaged_mirror(cli, crisis_env, mirror, flag):
    _place(os.path.join(crisis_env, "sos.toml"), mirror)
    assert cli("config", "country", "US").code == 0
    res = cli("log", "withdrawal", FLAG_OPTION[flag])
    assert res.code == 0, res.err
    assert_crisis_lines(res.out, "US")


@pytest.mark.parametrize("mirror", BAD_MIRRORS)
def test_sos_skips_a_damaged_part_in_one_line(cli, crisis_env, mirror):
    _place(os.path.join(crisis_env, "sos.toml"), mirror)
    res = cli("sos", "--no-offers")
    assert res.code == 0 and res.err == ""
    assert_crisis_lines(res.out, "GB")
    said = [line for line in res.out.splitlines() if "could not be read" in line]
    assert len(said) == 1, res.out
    if mirror.startswith(b'[[safety_steps]]\nstep = "four"'):
        assert "  - walk" in res.out  # what can be read is still shown


def test_item9_screen_with_step_four_in_the_mirror(cli, crisis_env):
    _place(os.path.join(crisis_env, "sos.toml"), BAD_MIRRORS[0])
    res = cli("checkin", "phq9", "--answers", "1,1,1,1,1,1,1,1,2,0")
    assert res.code == 0, res.err
    assert res.out.index("Your safety plan") < res.out.index("PHQ-9: 10 of 27")
    assert_crisis_lines(res.out, "GB")


@pytest.mark.parametrize(("country", "step5"), [
    ("GB", "    (crisis lines below)"),
    ("JP", "    (your local emergency number, below)"),  # no shipped lines for JP
    (None, "    (crisis lines below)"),  # no country: the shipped countries' lines follow
])  # fmt: skip
def test_step_5_never_promises_lines_that_are_not_below(cli, monkeypatch, journal, country,
                                                        step5):  # fmt: skip
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    if country:
        assert cli("config", "country", country).code == 0
    out = cli("checkin", "phq9", "--answers", "0,0,0,0,0,0,0,0,2").out
    lines = out.splitlines()
    at = lines.index(next(x for x in lines if x.startswith("5. Reach professionals")))
    assert lines[at + 1] == step5
    below = "\n".join(lines[at:])
    if "crisis lines below" in step5:
        assert "Crisis lines (" in below or "Crisis lines by country:" in below

"""Issue 16 (and 22 items 6 and 10, 19 item 19): the inputs that used to end in the catch-all
"unexpected <Error>" line, each fixed at its mechanism and tested as a class."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import sys
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relapse_cli.core.clock import FakeClock
from relapse_cli.core.prompter import Interrupted
from relapse_cli.entry import main
from tests.conftest import LONDON, NOW, records


def _one_line(result, code: int, words: str) -> None:
    assert result.code == code, (result.code, result.err)
    assert result.err.startswith("relapse: ") and result.err.count("\n") == 1, result.err
    assert words in result.err, result.err
    assert "unexpected" not in result.err.lower()


# --- text that is not UTF-8 ------------------------------------------------------------------

NOT_UTF8 = [  # (argv as Python decodes it with surrogateescape, what is stored, bytes replaced)
    ("a\udcff\udcfe", "a\ufffd\ufffd", 2),
    ("caf\udce9", "caf\ufffd", 1),
    ("caf\udcc3\udca9", "café", 0),  # escaped bytes that are UTF-8 together: decoded, not lost
    ("\ud800x", "\ufffdx", 1),  # a lone surrogate given in-process
]


@pytest.mark.parametrize(("raw", "stored", "n"), NOT_UTF8)
@pytest.mark.parametrize("flag", ["--note", "-w", "--with", "-s", "-t", "-c"])
def test_typed_text_not_utf8_is_kept_with_replacements_and_said(cli, journal, raw, stored, n, flag):
    result = cli("log", "craving", "5", flag, raw, "-o", "resisted")
    assert result.code == 0, result.err
    assert ("not UTF-8 text" in result.err) == (n > 0), result.err
    if n:
        assert f"relapse: {n} byte" in result.err
    import sqlite3

    con = sqlite3.connect(journal)
    texts = [v for row in con.execute("SELECT * FROM entries") for v in row if isinstance(v, str)]
    texts += [r[0] for r in con.execute("SELECT name FROM triggers UNION SELECT name FROM coping")]
    con.close()
    folded = stored.lower() if flag in ("-s",) else stored
    assert any(folded in t for t in texts), texts


def test_note_from_stdin_that_is_not_utf8(journal, clock, monkeypatch):
    """`printf 'a\\xff\\xfe' | relapse log craving 5 --note -`: stdin is decoded with the same rule."""
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(b"a\xff\xfe"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = main(["log", "craving", "5", "--note", "-"], clock=clock)
    monkeypatch.undo()
    assert code == 0, err.getvalue()
    assert "2 bytes that were not UTF-8 text were kept" in err.getvalue()
    import sqlite3

    con = sqlite3.connect(journal)
    assert con.execute("SELECT note FROM entries").fetchone()[0] == "a\ufffd\ufffd"
    con.close()


def test_a_path_argument_with_non_utf8_bytes_is_left_as_the_name(cli, journal, tmp_path, seeded):
    """A file whose name is not UTF-8 is still found: paths are names, not text to store."""
    name = os.fsdecode(b"export-\xff.json")
    target = str(tmp_path / name)
    assert cli("export", "-f", "json", "-o", str(tmp_path / "e.json")).code == 0
    os.rename(tmp_path / "e.json", target)
    assert cli("import", target).code == 0


@pytest.fixture
def seeded(cli, journal):
    assert cli("log", "craving", "5", "-t", "stress", "--at", "2026-11-24 18:00").code == 0
    assert cli("log", "mood", "6").code == 0
    return records(journal)


def test_settings_that_are_not_utf8_are_one_line(cli, journal, seeded, tmp_path):
    (tmp_path / "settings.toml").write_bytes(b'name = "caf\xe9"\n')
    _one_line(cli("summary"), 1, "not UTF-8 text")


# --- output streams that cannot hold every character (issue 22 item 6) ----------------------


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize(
    "args", [["log", "craving", "6", "-n", "café · ☕"], ["summary"], ["history"],
             ["history", "--json"], ["sos"]],
)  # fmt: skip
def test_a_narrow_stdout_degrades_instead_of_failing(journal, clock, seeded, encoding, args):
    raw, err = io.BytesIO(), io.StringIO()
    saved = sys.stdout, sys.stderr, sys.stdin
    narrow = io.TextIOWrapper(raw, encoding=encoding)  # errors='strict', as Python sets it
    sys.stdout, sys.stderr, sys.stdin = narrow, err, io.StringIO("")
    try:
        code = main(args, clock=clock, interactive=False)
        narrow.flush()
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved
        narrow.detach()
    assert code == 0, err.getvalue()
    assert "unexpected" not in err.getvalue()
    text = raw.getvalue().decode(encoding)
    if args[-1] == "--json":
        assert json.loads(text)  # \\u escapes: still valid JSON, nothing lost
    if args[0] == "log":
        assert "Saved craving" in text
        assert len(records(journal)) > len(seeded)


@pytest.mark.slow
def test_ascii_stdout_from_the_installed_command(tmp_path):
    import subprocess

    exe = os.path.join(os.path.dirname(sys.executable), "relapse")
    env = dict(os.environ, RELAPSE_JOURNAL=str(tmp_path / "j.db"), PYTHONIOENCODING="ascii")
    proc = subprocess.run([exe, "log", "craving", "6", "-n", "café"], env=env,
                          capture_output=True, timeout=60)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert b"Saved craving 6/10" in proc.stdout
    proc = subprocess.run([exe, "history"], env=dict(env, PYTHONIOENCODING="latin-1"),
                          capture_output=True, timeout=60)  # fmt: skip
    assert proc.returncode == 0 and b"caf\xe9" in proc.stdout, proc.stderr


# --- times are bounded ------------------------------------------------------------------------

TIMES = [
    ("99999999h ago", "too far in the past"),
    ("9" * 400 + "m ago", "too far in the past"),
    ("200000 days ago", "too far in the past"),
    ("1899-12-31 10:00", "too far in the past"),
    ("0001-01-01", "too far in the past"),
    ("2026-12-01", "in the future"),
]


@pytest.mark.parametrize(("when", "words"), TIMES)
def test_times_out_of_bounds_are_one_line(cli, journal, seeded, when, words):
    _one_line(cli("log", "craving", "5", "--at", when), 2, words)
    assert records(journal) == seeded


@pytest.mark.parametrize(("flag", "when", "words"), [
    ("--since", "0001-01-01", "too far in the past"),
    ("--until", "9999-12-31", "too far ahead"),
    ("--since", "99999999999999999999 days ago", "too far in the past"),
])  # fmt: skip
def test_bounds_of_periods(cli, seeded, flag, when, words):
    _one_line(cli("history", flag, when), 2, words)


@settings(max_examples=40, deadline=None)
@given(amount=st.integers(0, 10**30), unit=st.sampled_from(["m", "h", "d", "days", "minutes"]))
def test_any_ago_is_a_time_or_one_clear_refusal(amount, unit):
    """The class: every "N unit ago" is either a moment at or after 1900 or a BadInput."""
    from relapse_cli.core.errors import BadInput
    from relapse_cli.core.timeparse import EARLIEST_YEAR, parse_when

    try:
        when = parse_when(f"{amount}{unit} ago", FakeClock(NOW, tz=LONDON))
    except BadInput as exc:
        assert "too far in the past" in exc.message
    else:
        assert when.year >= EARLIEST_YEAR


# --- documents: depth and size ------------------------------------------------------------------

DEEP = [
    ("import", "deep.json", "[" * 5000 + "]" * 5000, "nested more than 32 levels"),
    ("import", "deep.json", '{"a":' * 900 + "1" + "}" * 900, "nested more than 32 levels"),
    ("review", "deep.json", "[" * 5000 + "]" * 5000, "nested more than 32 levels"),
]


@pytest.mark.parametrize(("command", "name", "text", "words"), DEEP)
def test_deep_exports_are_refused_before_they_are_walked(cli, journal, seeded, tmp_path,
                                                         command, name, text, words):  # fmt: skip
    path = tmp_path / name
    path.write_text(text)
    _one_line(cli(command, str(path)), 2, words)
    assert records(journal) == seeded


@pytest.mark.parametrize("text", [
    "a = " + "[" * 5000 + "]" * 5000 + "\n",
    "[" + ".".join(["a"] * 3000) + "]\n",
    "a = " + "{b = " * 400 + "1" + "}" * 400 + "\n",
])  # fmt: skip
@pytest.mark.parametrize("command", [["homework", "check"], ["homework", "load", "--yes"]])
def test_deep_assignment_files_are_refused(cli, journal, seeded, tmp_path, text, command):
    path = tmp_path / "deep.toml"
    path.write_text(text)
    result = cli(*command, str(path))
    assert result.code == 2, result.err
    assert "nested more than 32 levels deep" in result.err
    assert "unexpected" not in result.err.lower()
    assert records(journal) == seeded


def test_a_deep_json_column_inside_a_record_is_refused(cli, journal, seeded, tmp_path):
    assert cli("checkin", "phq9", "--answers", "1,1,1,1,1,1,1,1,0").code == 0
    path = tmp_path / "e.json"
    assert cli("export", "-f", "json", "-o", str(path)).code == 0
    doc = json.loads(path.read_text())
    doc["tables"]["screenings"][0]["answers"] = "[" * 3000 + "]" * 3000
    path.write_text(json.dumps(doc))
    fresh = str(tmp_path / "fresh.db")
    _one_line(cli("--journal", fresh, "import", str(path)), 2, "nested more than 32 levels")


@pytest.mark.parametrize("limit", [1000])
def test_huge_or_endless_imports_are_refused_by_a_size_cap(cli, journal, seeded, tmp_path,
                                                           monkeypatch, limit):  # fmt: skip
    from relapse_cli.core import limits

    monkeypatch.setattr(limits, "MAX_EXPORT_BYTES", limit)
    big = tmp_path / "big.json"
    big.write_text(" " * (limit + 1))
    _one_line(cli("import", str(big)), 2, "is larger than")
    _one_line(cli("import", "/dev/zero"), 2, "is larger than")
    _one_line(cli("review", "/dev/zero"), 2, "is larger than")
    assert records(journal) == seeded


@pytest.mark.slow
def test_import_dev_zero_at_the_real_cap(cli, journal, seeded):
    _one_line(cli("import", "/dev/zero"), 2, "larger than 64 MB")


def test_check_depth_is_iterative_and_exact():
    from relapse_cli.core.limits import TooDeep, check_depth

    value: object = 1
    for _ in range(32):
        value = [value]
    check_depth(value)  # 32 levels: fine
    with pytest.raises(TooDeep):
        check_depth([value])
    deep: object = 1
    for _ in range(100_000):  # far past the recursion limit: no RecursionError
        deep = {"a": deep}
    with pytest.raises(TooDeep):
        check_depth(deep)


def _json_verdict(loads, text: str) -> str:
    try:
        loads(text)
    except ValueError as exc:  # TooDeep, NotUnicode, JSONDecodeError
        return type(exc).__name__
    return "ok"


def _json_by_full_walk(text: str) -> object:
    """The reference: json.loads, then the walk over every value and text."""
    from relapse_cli.core.limits import check_depth

    return check_depth(json.loads(text), strings=True)


_JSON_TEXT = st.recursive(
    st.sampled_from(["null", "true", "1", "-2.5", '"\\ud800"', '"\\udfff"', '"\\ud83d\\ude00"',
                     '"\\u00e9"', '"é"', '"\ud800"', '"\\\\ud800"'])
    | st.text(max_size=4).map(lambda t: json.dumps(t, ensure_ascii=False)),
    lambda inner: st.lists(inner, max_size=3).map(lambda xs: "[" + ",".join(xs) + "]")
    | st.dictionaries(st.sampled_from(['"a"', '"\\udc80"', '"\udc80"', '"b"']), inner,
                      max_size=2).map(lambda d: "{" + ",".join(f"{k}:{v}" for k, v in d.items()) + "}"),
    max_leaves=40,
)  # fmt: skip


@given(_JSON_TEXT, st.integers(0, 40))
@settings(max_examples=300, deadline=None)
def test_json_loads_shortcut_is_the_full_walk(body, extra):
    """limits.json_loads skips the text walk when no text can be a lone surrogate and walks
    only containers: it refuses exactly what the full walk refuses, for the same reason."""
    from relapse_cli.core.limits import json_loads

    text = "[" * extra + body + "]" * extra
    assert _json_verdict(json_loads, text) == _json_verdict(_json_by_full_walk, text)


# --- imports dated in the future ------------------------------------------------------------


def _export(cli, tmp_path) -> tuple[str, dict]:
    path = tmp_path / "e.json"
    assert cli("export", "-f", "json", "-o", str(path)).code == 0
    return str(path), json.loads(path.read_text())


@pytest.mark.parametrize(("table", "column"), [
    ("entries", "occurred_at"), ("screenings", "taken_at"), ("export_sessions", "exported_at"),
])  # fmt: skip
def test_import_refuses_records_from_the_future_all_or_nothing(cli, journal, tmp_path, table,
                                                               column):  # fmt: skip
    assert cli("log", "craving", "5").code == 0
    assert cli("checkin", "phq9", "--answers", "1,1,1,1,1,1,1,1,0").code == 0
    assert cli("export", "-f", "json", "--session", "-o", str(tmp_path / "s.json")).code == 0
    path, doc = _export(cli, tmp_path)
    fresh = str(tmp_path / "fresh.db")
    assert cli("--journal", fresh, "log", "mood", "5").code == 0
    before = records(fresh)
    doc["tables"][table][0][column] = "2026-11-24T21:11:00Z"  # 11 min ahead of the clock
    with open(path, "w") as fh:
        json.dump(doc, fh)
    _one_line(cli("--journal", fresh, "import", path), 2, "in the future")
    assert records(fresh) == before
    _one_line(cli("review", path), 2, "in the future")
    doc["tables"][table][0][column] = "2026-11-24T21:09:00Z"  # within the 10-minute skew
    with open(path, "w") as fh:
        json.dump(doc, fh)
    assert cli("--journal", fresh, "import", path).code == 0


# --- CSV injection (OWASP) ------------------------------------------------------------------

LEADING = ["=", "+", "-", "@", "\t", "\r", "\t=", "\r=", "\t+", "\r@", "\t-"]


@pytest.mark.parametrize("lead", LEADING)
def test_every_csv_cell_that_could_start_a_formula_is_neutralised(cli, tmp_path, lead):
    payload = lead + 'HYPERLINK("http://x")' if lead.strip() else lead + "=1+1"
    assert cli("log", "craving", "5", f"--note={payload}", f"--where={payload}").code == 0
    assert cli("log", "use", "-s", "alcohol", "--unit", "drinks", f"--context={payload}").code == 0
    out = tmp_path / "out.zip"
    assert cli("export", "-f", "csv", "-o", str(out)).code == 0
    cells = []
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            with zf.open(name) as fh:
                cells += [c for row in csv.reader(io.TextIOWrapper(fh, "utf-8", newline=""))
                          for c in row]  # fmt: skip
    risky = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert risky == [], risky
    assert any(c == "'" + payload for c in cells)


def test_tlfb_csv_cells_are_neutralised(cli, tmp_path):
    from relapse_cli.share.formats.csvfmt import csv_cell

    assert cli("config", "name", "=cmd").code == 0  # the person id column of the TLFB file
    assert cli("log", "use", "-s", "@sum", "--amount", "2", "--unit", "+u").code == 0
    result = cli("export", "-f", "tlfb", "-o", str(tmp_path / "t.csv"))
    assert result.code == 0, result.err
    with open(tmp_path / "t.csv", newline="", encoding="utf-8") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
    assert csv_cell(-3) == -3 and csv_cell("-3 drinks") == "'-3 drinks"


# --- plain digits -------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1_0", "1_000", "\u0661", "\uff15", "\u00b2", "٣.٥"])
@pytest.mark.parametrize("where", [
    ("log", "craving", "{}"), ("log", "mood", "5", "--sleep", "{}"), ("history", "--limit", "{}"),
    ("log", "trigger", "stress", "-i", "{}"),
])  # fmt: skip
def test_only_plain_digits_are_numbers(cli, journal, seeded, raw, where):
    result = cli(*(w.format(raw) for w in where))
    _one_line(result, 2, "plain digits")
    assert records(journal) == seeded


def test_plain_number_agrees_for_both_parsers():
    from relapse_cli.cli.fastpath import parse
    from relapse_cli.core.text import plain_number
    from relapse_cli.log.commands.spec import CRAVING

    assert parse(CRAVING, ["1_0"]) is None  # the fast path declines; Typer answers
    assert parse(CRAVING, ["7"])["intensity"] == 7
    assert plain_number(float, "6.5") == 6.5
    for bad in ("1_0", "\u0661", "\uff15"):
        with pytest.raises(ValueError):
            plain_number(int, bad)


# --- wording (issue 19 item 19) ---------------------------------------------------------------

WORDING = [
    (("log", "craving", "-1"), "craving intensity (0 none, 10 the strongest ever) must be 0–10, not -1"),
    (("log", "mood", "-2"), "must be 0–10, not -2"),
    (("log", "craving", "7.5"), "craving intensity (0 none, 10 the strongest ever) must be a whole number"),
    (("log", "cravng", "5"), "did you mean: relapse log craving?"),
    (("log", "trigger", "stress", "-i", "12"), "the trigger's pull"),
    (("log", "craving", "5", "--journal", "x.db"), "--journal is an option of relapse itself"),
    (("think", "--situation", "s", "--thought", "t", "--hot", "3"), "there is only one thought"),
    (("remind", "x"), "takes fewer arguments"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "words"), WORDING)
def test_error_wording(cli, journal, seeded, args, words):
    result = cli(*args)
    _one_line(result, 2, words)
    assert "No such option: -1" not in result.err and "is not a valid" not in result.err
    assert "craving intensity" not in result.err or args[1] == "craving"
    assert "use --hot 1 to --hot 1" not in result.err
    assert records(journal) == seeded


@pytest.mark.parametrize(("word", "outcome"), [
    ("r", "resisted"), ("u", "used"), ("o", "ongoing"), ("res", "resisted"), ("USED", "used"),
    ("ongoing", "ongoing"),
])  # fmt: skip
def test_outcome_takes_what_the_prompt_takes(cli, word, outcome):
    result = cli("log", "craving", "5", "-o", word, "-n", "x")
    assert result.code == 0, result.err
    assert f"· {outcome} ·" in result.out


def test_think_ctrl_c_says_only_what_is_true(cli):
    from relapse_cli.core.prompter import ScriptedPrompter

    prompter = ScriptedPrompter(["at home", KeyboardInterrupt])
    result = cli("think", prompter=prompter, interactive=True)
    said = " ".join(prompter.said)
    assert "nothing you typed is lost" not in said
    assert result.code == 130
    if "draft" in said:
        assert "a line still being typed when you stopped is not" in said


def test_a_nul_in_an_argument_is_one_line(cli, journal, seeded):
    for args in (("import", "\x00"), ("log", "craving", "5", "-n", "a\x00b"), ("show", "\x00")):
        _one_line(cli(*args), 2, "NUL")
    assert records(journal) == seeded


@pytest.mark.parametrize("where", ["value", "key"])
@pytest.mark.parametrize("command", ["import", "review"])
def test_lone_surrogate_escapes_in_an_export_are_refused(cli, journal, seeded, tmp_path, where,
                                                         command):  # fmt: skip
    path, doc = _export(cli, tmp_path)
    row = doc["tables"]["entries"][0]
    if where == "value":
        row["note"] = "a\ud800b"
    else:
        row["\udcff"] = 1
    with open(path, "w") as fh:
        json.dump(doc, fh)  # written as the escape \\ud800, which json.loads turns back
    fresh = str(tmp_path / "fresh.db")
    _one_line(cli("--journal", fresh, command, path), 2, "not valid Unicode")


@pytest.mark.parametrize("answers, field", [
    ([Interrupted("at the bus st")], "situation"),
    (["at the bus stop", "anxious=70", "", Interrupted("I can't cope with")], "thoughts"),
])  # fmt: skip
def test_think_ctrl_c_keeps_the_half_typed_line(cli, journal, answers, field):
    from relapse_cli.core.prompter import ScriptedPrompter

    prompter = ScriptedPrompter(list(answers))
    result = cli("think", prompter=prompter, interactive=True)
    assert result.code == 130
    assert "the line you were still typing too" in " ".join(prompter.said)
    con = sqlite3.connect(journal)
    try:
        ((status, value),) = con.execute(f"SELECT status, {field} FROM thought_records").fetchall()
    finally:
        con.close()
    assert status == "draft" and answers[-1].partial in value

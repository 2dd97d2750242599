"""Every page the tool writes passes axe-core in real headless Chromium (issue 20).

The pages: the session report (``relapse export -f html``) of a journal with every kind of
record, of a mood-only journal, of an empty period and with ``--no-notes``, and the page
``relapse review FILE --html`` writes from someone's export, and the caseload page of
``relapse review DIR --html``. Each is checked on screen and
with print media emulated (counselors print the report): 0 violations, and every contrast
that axe measured but left "incomplete" (a one-digit calendar day is "too short to be sure
it is text") must still meet its ratio. The other incomplete results are listed in the test
output for a person to look at.

axe-core comes from the npm registry, pinned in ``.ci/a11y/package.json`` and its lock file,
installed by ``.ci/run`` (``npm ci``); Playwright (the PyPI wheel, in the test extra) drives
Debian's Chromium at its own path: no browser is downloaded.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_report_html import add_every_other_kind, chromium, html_of

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / ".ci" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
AXE_VERSION = json.loads((ROOT / ".ci" / "a11y" / "package.json").read_text())["dependencies"][
    "axe-core"
]
PRINT_RULES = ["color-contrast", "link-in-text-block"]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def axe_source() -> str:
    if not AXE_JS.exists():
        why = "axe-core is not installed: npm ci --prefix .ci/a11y (as .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(pages: dict[str, Path]) -> dict[tuple[str, str], dict]:
    """axe.run on each page, on screen and in print media; {(page, media): results}."""
    from playwright.sync_api import sync_playwright

    source, browser_path = axe_source(), chromium()
    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=browser_path, args=FLAGS)
        try:
            # The report's Content-Security-Policy forbids every script, axe's too: the test
            # context bypasses it (the page as written still runs nothing, test_report_html).
            context = browser.new_context(bypass_csp=True)
            for name, path in pages.items():
                page = context.new_page()
                page.goto(path.as_uri())
                page.add_script_tag(content=source)
                # Print media changes only the styles: there, the rules that read styles.
                for media, only in (("screen", None), ("print", PRINT_RULES)):
                    page.emulate_media(media=media)
                    results[name, media] = page.evaluate(
                        "async (only) => await axe.run(document, only ? "
                        "{runOnly: {type: 'rule', values: only}} : {})",
                        only,
                    )
                page.close()
        finally:
            browser.close()
    return results


def short_text_contrast(result: dict) -> list[str]:
    """Contrasts axe measured but left incomplete (short text): each must meet its ratio."""
    failing = []
    for rule in result["incomplete"]:
        if rule["id"] != "color-contrast":
            continue
        for node in rule["nodes"]:
            for check in node["any"]:
                data = check.get("data") or {}
                ratio, needed = data.get("contrastRatio"), data.get("expectedContrastRatio")
                if ratio and needed and ratio < float(str(needed).split(":")[0]):
                    failing.append(f"{node['target']}: {data.get('fgColor')} on "
                                   f"{data.get('bgColor')} is {ratio}:1, needs {needed}")  # fmt: skip
    return failing


@pytest.fixture
def pages(cli, tmp_path) -> dict[str, Path]:
    demo = str(tmp_path / "demo.db")
    assert cli("demo", "--out", demo).code == 0
    every = add_every_other_kind(cli, demo)
    assert cli("--journal", every, "config", "name", "Jordan").code == 0
    moods, empty = str(tmp_path / "moods.db"), str(tmp_path / "empty.db")
    assert cli("--journal", moods, "log", "mood", "6", "--anxiety", "3").code == 0
    assert cli("--journal", empty, "log", "mood", "6", "--at", "2026-01-05 10:00").code == 0
    out: dict[str, Path] = {}
    for name, journal, args in (("every kind", every, ()), ("no notes", every, ("--no-notes",)),
                                ("mood only", moods, ()),
                                ("empty period", empty, ("--since", "2026-11-01"))):  # fmt: skip
        html_of(cli, journal, tmp_path, *args)
        out[name] = (tmp_path / "report.html").rename(tmp_path / f"{name.replace(' ', '-')}.html")
    export = str(tmp_path / "export.json")
    assert cli("--journal", every, "export", "-f", "json", "-o", export).code == 0
    review = tmp_path / "review.html"
    result = cli("review", export, "--html", str(review))
    assert result.code == 0, result.err
    out["review"] = review
    # The caseload page (issue 18) of two people's exports, one of them the review's.
    folder = tmp_path / "caseload"
    folder.mkdir()
    assert cli("--journal", moods, "export", "-f", "json", "-o", str(folder / "m.json")).code == 0
    (folder / "every.json").write_bytes(Path(export).read_bytes())
    caseload = tmp_path / "caseload-page" / "caseload.html"
    caseload.parent.mkdir()
    result = cli("review", str(folder), "--html", str(caseload))
    assert result.code == 0, result.err
    out["caseload"] = caseload
    return out


BAD_PAGE = """<!DOCTYPE html><html><head><title>bad</title></head><body>
<p style="color: #cbd2d9">grey words on white</p><table><tr><th></th><th>a</th></tr>
<tr><td>1</td><td style="color: #cbd2d9">2</td></tr></table></body></html>"""


@pytest.mark.slow
def test_every_page_passes_axe_core_on_screen_and_in_print(pages, capsys):
    bad = pages["every kind"].parent / "bad.html"
    bad.write_text(BAD_PAGE, encoding="utf-8")
    results = run_axe({**pages, "bad": bad})
    # The harness can fail: a page with the report's old faults fails it, on screen and on paper.
    control = {media: results.pop(("bad", media)) for media in ("screen", "print")}
    found = {r["id"] for r in control["screen"]["violations"]}
    assert {
        "color-contrast",
        "empty-table-header",
        "landmark-one-main",
        "region",
        "html-has-lang",
    } <= found
    assert {r["id"] for r in control["print"]["violations"]} == {"color-contrast"}
    assert short_text_contrast(control["print"]), control["print"]["incomplete"]
    problems, listed = [], []
    for (name, media), result in results.items():
        assert result["testEngine"]["version"] == AXE_VERSION
        assert result["passes"], (name, media)  # axe really ran its rules on the page
        for rule in result["violations"]:
            targets = [n["target"] for n in rule["nodes"]][:5]
            problems.append(f"{name} ({media}): {rule['id']} ({rule['impact']}) {targets}")
        problems += [f"{name} ({media}): {p}" for p in short_text_contrast(result)]
        for rule in result["incomplete"]:
            listed.append(f"{name} ({media}): {rule['id']}: {len(rule['nodes'])} node(s), "
                          f"e.g. {rule['nodes'][0]['target']}")  # fmt: skip
    with capsys.disabled():  # shown in the test output whatever pytest's capture
        print(f"\naxe-core {AXE_VERSION}: {len(results)} runs; incomplete (for a person to "
              f"check): {len(listed)}")  # fmt: skip
        for line in listed:
            print("  " + line)
    assert not problems, "\n".join(problems)

"""Charts in words (render/describe.py) and the report's colours (issue 20).

The sentences stand in for charts a person cannot see, so every figure a chart shows at a
glance (its highest value and day, the usual range, the mean, the days with no entry; a
heatmap's total and busiest hours) must be in the words: a property test over any series.
The colours: every text colour in the report's style and the SVG charts meets WCAG 2.1 AA on
white (4.5:1), and every colour that draws data meets 3:1 (non-text contrast).
"""

from __future__ import annotations

import os
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from relapse_cli.render import describe
from relapse_cli.share.view import report_html, svg

EXAMPLES = int(os.environ.get("RELAPSE_HYPOTHESIS_EXAMPLES", "60"))
DAYS = [f"2026-11-{d:02d}" for d in range(1, 31)]


def test_a_craving_series_in_one_sentence():
    values = [0, 1, 2, 0, 1, 0, 0, 2, 4, 1] + [1] * 20
    text = describe.series("Cravings per day", DAYS, values)
    assert text == ("Cravings per day over 30 days: mostly 0 to 2, highest 4 on Mon 9 Nov, "
                    "mean 1.")  # fmt: skip


def test_days_without_an_entry_are_counted_and_an_empty_series_says_so():
    assert describe.series("Mood", DAYS[:3], [None, 5, None], scale=" (0 to 10)") == (
        "Mood over 3 days (0 to 10): mostly 5, highest 5 on Mon 2 Nov, mean 5; "
        "2 days with no entry."
    )
    assert describe.series("Mood", DAYS[:2], [None, None]) == "Mood over 2 days: no entries."


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=1, max_size=30))
def test_every_figure_of_a_series_is_in_its_sentence(values):
    days = DAYS[: len(values)]
    text = describe.series("Cravings per day", days, values)
    known = [v for v in values if v is not None]
    assert text.startswith(f"Cravings per day over {len(values)} day")
    if not known:
        assert text.endswith("no entries.")
        return
    top = max(known)
    last_top = max(i for i, v in enumerate(values) if v == top)
    assert f"highest {top} on {describe._day(days[last_top])}" in text
    usual = re.search(r"mostly ([\d.]+)(?: to ([\d.]+))?", text)
    low = float(usual.group(1))
    high = float(usual.group(2) or low)
    assert min(known) <= low <= high <= top
    mean = float(re.search(r"mean (\d+(?:\.\d+)?)", text).group(1))
    assert abs(mean - sum(known) / len(known)) <= 0.05 + 1e-9
    missing = len(values) - len(known)
    assert (f"{missing} day" in text) == bool(missing)
    assert not set(text) & set("▁▂▃▄▅▆▇█")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.lists(st.integers(0, 5), min_size=24, max_size=24), min_size=7, max_size=7))
def test_every_figure_of_a_heatmap_is_in_its_sentence(grid):
    text = describe.heatmap(grid)
    total = sum(map(sum, grid))
    if not total:
        assert text == "No cravings by weekday and hour."
        return
    noun = "craving" if total == 1 else "cravings"  # "1 craving", never "1 cravings"
    assert text.startswith(f"{total} {noun} by weekday and hour")
    top = max(max(row) for row in grid)
    assert f"({top})" in text.split("; busiest hours: ")[1].split(",")[0]
    by_day = max(sum(row) for row in grid)
    assert f"s ({by_day}) and at" in text


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str = "#ffffff") -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_text_colour_of_the_report_meets_aa_on_white_and_on_a_shaded_day():
    text_colours = set(re.findall(r"(?<![-\w])color:\s*(#[0-9a-f]{6})", report_html.STYLE))
    assert len(text_colours) >= 3, text_colours
    for colour in text_colours:
        assert contrast(colour) >= 4.5, colour
    shaded = re.search(r"td\.use \{ background: (#[0-9a-f]{6})", report_html.STYLE).group(1)
    assert contrast(report_html.STYLE.split("body {")[1].split("color: ")[1][:7], shaded) >= 4.5
    for colour in (svg.INK, svg.MUTED):  # the charts' words
        assert contrast(colour) >= 4.5, colour
    for colour in (svg.BAR, svg.SOFT, svg.ALT):  # lines and bars that carry data
        assert contrast(colour) >= 3, colour

"""The caseload's rows and who needs attention first: pure data, no I/O, no Rich.

The order is stated rules, in this order, never a score that pretends to predict: a row is
placed by the first rule it meets, and each rule it meets is written as a reason in words,
with dates. Rows meeting no rule follow; files that could not be read come last, each with
its reason. Ties go by the person's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

# Cravings per day "up by half": the newer rate at least this share above the older.
CRAVING_RISE = 0.5
# PHQ-9 "a rise of two bands": the latest band at least this many bands above the previous.
PHQ9_BAND_RISE = 2
# Homework "far behind": fewer than this share of the tasks expected by the export's day.
HOMEWORK_BEHIND = 0.5
# Without an earlier export, the craving trend compares the export's last TREND_DAYS days
# with the TREND_DAYS before them (shown only when the export covers both).
TREND_DAYS = 14


@dataclass(frozen=True)
class Rule:
    key: str
    text: str  # the rule in words, as the docs and the page's legend state it


RULES: tuple[Rule, ...] = (
    Rule("safety", "PHQ-9 item 9 above 0, or a self-harm red flag in a withdrawal check, in "
                   "the period"),
    Rule("withdrawal", "withdrawal red flags in the period"),
    Rule("lapse", "a lapse since the previous export (or in the period, for a first export)"),
    Rule("rise", f"PHQ-9 up {PHQ9_BAND_RISE} bands or more, or cravings per day up by "
                 f"{round(100 * CRAVING_RISE)} % or more"),
    Rule("homework", f"homework far behind: under {round(100 * HOMEWORK_BEHIND)} % of what was "
                     "expected by the export's day"),
)  # fmt: skip
RULE_INDEX = {r.key: i for i, r in enumerate(RULES)}


@dataclass(frozen=True)
class Score:
    """One screener result: total, band, the band's place among the instrument's bands."""

    total: int
    band: str
    band_index: int
    day: str  # ISO local day


@dataclass(frozen=True)
class Figures:
    """What one export says, as the row needs it (everything else of the export is let go)."""

    source: str  # the file, as given
    person: str  # the name in the export, else the file name
    named: bool  # the person's name came from the export
    journal_id: str | None
    exported_at: str  # UTC storage text: orders a series
    first_day: str
    last_day: str
    days_since_last_use: int | None
    last_use_day: str | None
    use_days: int
    cravings: int
    cravings_per_day: float | None
    recent_per_day: float | None  # the last TREND_DAYS days
    before_per_day: float | None  # the TREND_DAYS before them
    peak_craving: int | None
    phq9: Score | None
    phq9_before: Score | None  # the result before the latest, within this export
    gad7: Score | None
    gad7_before: Score | None
    item9_days: tuple[str, ...]  # "item 9 above 0 ... on Tue 3 Nov 2026" texts
    self_harm_days: tuple[str, ...]  # ISO days of a self-harm withdrawal red flag
    withdrawal_flags: tuple[tuple[str, str], ...]  # (ISO day, "seizure, fever")
    meds_percent: float | None
    appointments_missed: int | None
    homework_done: int | None
    homework_expected: int | None  # expected by the export's day
    report: str | None = None  # the per-person page's file name (--html)

    @property
    def series_key(self) -> str:
        """Same journal id: one person. Without one (exports before issue 18): the name in
        the export, else the file name (each such file its own person)."""
        if self.journal_id:
            return "id:" + self.journal_id
        return ("name:" + self.person.casefold()) if self.named else ("file:" + self.source)

    @property
    def duplicate_key(self) -> tuple:
        return (self.series_key, self.exported_at, self.first_day, self.last_day)


@dataclass(frozen=True)
class Unreadable:
    """A file that is no export we can read: listed with its one-line reason."""

    source: str
    reason: str

    @property
    def person(self) -> str:
        return self.source


@dataclass(frozen=True)
class Row:
    """A person's newest export, what changed since their previous one, and why to look."""

    latest: Figures
    previous: Figures | None
    exports: int  # distinct exports of this person in the caseload
    duplicates: int  # copies of an export counted once
    reasons: tuple[tuple[str, str], ...] = field(default=())  # (rule key, words)

    @property
    def rule(self) -> int | None:
        return RULE_INDEX[self.reasons[0][0]] if self.reasons else None

    @property
    def lapse_since_previous(self) -> bool | None:
        """A use day after the previous export's last day (None: no previous export)."""
        if self.previous is None:
            return None
        last = self.latest.last_use_day
        return last is not None and last > self.previous.last_day

    @property
    def craving_trend(self) -> tuple[float, float, str] | None:
        """(before, now, against what): the previous export's rate, else the period before."""
        now = self.latest
        if self.previous is not None:
            if now.cravings_per_day is None or self.previous.cravings_per_day is None:
                return None
            return self.previous.cravings_per_day, now.cravings_per_day, "the previous export"
        if now.recent_per_day is None or now.before_per_day is None:
            return None
        return now.before_per_day, now.recent_per_day, f"the {TREND_DAYS} days before"

    @property
    def phq9_change(self) -> tuple[Score, Score] | None:
        return _change(
            self.latest.phq9, self.previous.phq9 if self.previous else None, self.latest.phq9_before
        )

    @property
    def gad7_change(self) -> tuple[Score, Score] | None:
        return _change(
            self.latest.gad7, self.previous.gad7 if self.previous else None, self.latest.gad7_before
        )


def _change(
    now: Score | None, from_previous: Score | None, within: Score | None
) -> tuple[Score, Score] | None:
    """(earlier, latest): the previous export's latest result when it is an earlier one,
    else the result before the latest within this export."""
    if now is None:
        return None
    for earlier in (from_previous, within):
        if earlier is not None and earlier.day < now.day:
            return earlier, now
    return (within, now) if within is not None else None


def long_day(iso: str) -> str:
    return f"{date.fromisoformat(iso):%a %-d %b %Y}"


def reasons(row: Row) -> tuple[tuple[str, str], ...]:
    """Every rule the row meets, in the rules' order, each in words with its dates."""
    f = row.latest
    out: list[tuple[str, str]] = []
    for text in f.item9_days:
        out.append(("safety", "PHQ-9 " + text))
    for day in f.self_harm_days:
        out.append(("safety", f"self-harm red flag in a withdrawal check on {long_day(day)}"))
    for day, flags in f.withdrawal_flags:
        out.append(("withdrawal", f"withdrawal red flags on {long_day(day)}: {flags}"))
    if f.last_use_day is not None:
        if row.previous is not None and row.lapse_since_previous:
            out.append(
                (
                    "lapse",
                    f"a lapse on {long_day(f.last_use_day)}, after the previous "
                    f"export (to {long_day(row.previous.last_day)})",
                )
            )
        elif row.previous is None and f.first_day <= f.last_use_day <= f.last_day:
            out.append(
                ("lapse", f"a lapse on {long_day(f.last_use_day)}, in this first export's period")
            )
    change = row.phq9_change
    if change is not None and change[1].band_index - change[0].band_index >= PHQ9_BAND_RISE:
        was, now = change
        out.append(
            (
                "rise",
                f"PHQ-9 up from {was.band} ({was.total}, {long_day(was.day)}) to "
                f"{now.band} ({now.total}, {long_day(now.day)})",
            )
        )
    trend = row.craving_trend
    if (
        trend is not None
        and trend[0] > 0
        and round(trend[1] - trend[0] * (1 + CRAVING_RISE), 6) >= 0
    ):
        out.append(("rise", f"cravings {trend[1]:.1f} a day, up from {trend[0]:.1f} ({trend[2]})"))
    if (
        f.homework_expected
        and f.homework_done is not None
        and (f.homework_done < HOMEWORK_BEHIND * f.homework_expected)
    ):
        out.append(
            (
                "homework",
                f"homework {f.homework_done} of {f.homework_expected} done by "
                f"{long_day(f.last_day)}",
            )
        )
    return tuple(out)


def series(exports: list[Figures]) -> list[Row]:
    """One row per person: exports with the same series key, newest as the row, the one
    before it for the change; an export seen twice (same moment and period) counts once."""
    people: dict[str, dict[tuple, Figures]] = {}
    copies: dict[str, int] = {}
    for f in exports:
        seen = people.setdefault(f.series_key, {})
        if f.duplicate_key in seen:
            copies[f.series_key] = copies.get(f.series_key, 0) + 1
            continue
        seen[f.duplicate_key] = f
    rows = []
    for key, found in people.items():
        ordered = sorted(found.values(), key=lambda f: (f.exported_at, f.last_day))
        row = Row(
            ordered[-1], ordered[-2] if len(ordered) > 1 else None, len(ordered), copies.get(key, 0)
        )
        rows.append(replace(row, reasons=reasons(row)))
    return rows


def ordered(rows: list[Row], unreadable: list[Unreadable]) -> list[Row | Unreadable]:
    """Flagged rows by their first rule, then the others, then files that could not be
    read; ties by name (then file)."""

    def key(r: Row) -> tuple:
        return (
            len(RULES) if r.rule is None else r.rule,
            r.latest.person.casefold(),
            r.latest.source,
        )

    return [*sorted(rows, key=key), *sorted(unreadable, key=lambda u: u.source)]


# ---------------------------------------------------------------- the row as words (every form)

COLUMNS = (
    "Attention",
    "Person",
    "Export",
    "Since last use",
    "Cravings a day",
    "Strongest",
    "PHQ-9",
    "GAD-7",
    "Withdrawal red flags",
    "Medication",
    "Missed appointments",
    "Homework",
    "Why",
)


def not_a_diagnosis() -> str:
    """The single review's line (domain.screeners, turned for the clinician)."""
    from relapse_cli.checkins.screeners import NOT_A_DIAGNOSIS
    from relapse_cli.share.model.audience import third_person

    return third_person(NOT_A_DIAGNOSIS)


def _short(iso: str) -> str:
    return f"{date.fromisoformat(iso):%-d %b %Y}"


def _score(now: Score | None, change: tuple[Score, Score] | None) -> str:
    if now is None:
        return "—"
    text = f"{now.total}, {now.band} ({_short(now.day)})"
    if change is not None:
        delta = now.total - change[0].total
        text += (
            f"; {'+' if delta > 0 else ''}{delta} since {_short(change[0].day)}"
            if delta
            else (f"; same as {_short(change[0].day)}")
        )
    return text


def cells(item: Row | Unreadable) -> dict[str, str]:
    """One row of the caseload table in words, the same in the terminal, HTML and CSV."""
    if isinstance(item, Unreadable):
        return dict.fromkeys(COLUMNS, "") | {
            "Attention": "unreadable",
            "Person": item.source,
            "Why": item.reason,
        }
    f = item.latest
    use = (
        "no use recorded"
        if f.days_since_last_use is None
        else (
            f"{f.days_since_last_use} days (last {_short(f.last_use_day)})"
            if f.last_use_day
            else f"{f.days_since_last_use} days"
        )
    )
    lapse = item.lapse_since_previous
    if lapse is not None:
        use += (
            "; a lapse since the previous export"
            if lapse
            else "; no lapse since the previous export"
        )
    per_day = "—" if f.cravings_per_day is None else f"{f.cravings_per_day:.1f}"
    trend = item.craving_trend
    if trend is not None:
        before, now, against = trend
        word = "up" if now > before else "down" if now < before else "same"
        per_day += f" ({word}: {now:.1f} vs {before:.1f}, {against})"
    flags = len(f.withdrawal_flags) + len(f.self_harm_days)
    export = f"{_short(f.exported_at[:10])}, {_short(f.first_day)} to {_short(f.last_day)}"
    if item.exports > 1:
        export += f" ({item.exports} exports)"
    if item.duplicates:
        export += f" ({item.duplicates} duplicate{'s' * (item.duplicates != 1)} counted once)"
    rule = item.rule
    return {
        "Attention": "—" if rule is None else f"{rule + 1}. {RULES[rule].key}",
        "Person": f.person,
        "Export": export,
        "Since last use": use,
        "Cravings a day": per_day,
        "Strongest": "—" if f.peak_craving is None else f"{f.peak_craving}/10",
        "PHQ-9": _score(f.phq9, item.phq9_change),
        "GAD-7": _score(f.gad7, item.gad7_change),
        "Withdrawal red flags": str(flags) if flags else "none",
        "Medication": "—" if f.meds_percent is None else f"{f.meds_percent} % of doses",
        "Missed appointments": "—" if f.appointments_missed is None else str(f.appointments_missed),
        "Homework": "—"
        if f.homework_expected is None
        else f"{f.homework_done} of {f.homework_expected} expected",
        "Why": "; ".join(words for _, words in item.reasons),
    }


def as_data(item: Row | Unreadable) -> dict:
    """The row for --json: every figure as data, the change, the reasons with their rule."""
    from dataclasses import asdict

    if isinstance(item, Unreadable):
        return {"source": item.source, "unreadable": item.reason}
    return {
        "person": item.latest.person,
        "attention": None if item.rule is None else RULES[item.rule].key,
        "reasons": [{"rule": k, "why": w} for k, w in item.reasons],
        "exports": item.exports,
        "duplicates": item.duplicates,
        "lapse_since_previous": item.lapse_since_previous,
        "craving_trend": None
        if item.craving_trend is None
        else dict(zip(("before", "now", "against"), item.craving_trend, strict=True)),
        "latest": asdict(item.latest),
        "previous": None if item.previous is None else asdict(item.previous),
    }

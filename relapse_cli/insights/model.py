"""The insights dashboard's figures, as pure functions over plain rows.

Inputs are what insights/store.py returns (one row per local day, per weekday-hour, per
trigger or coping strategy); outputs are plain dicts with the numbers *and* the plain
sentences a person reads, so ``relapse summary`` and ``relapse summary --json`` say the same.

Principles (CLINICAL.md §2, §4, §10): small numbers are shown as they are and never turned
into percentages or trends ("2 cravings: too few to compare"); relations between mood and
cravings are described as happening together, never as one causing the other; lapses are
information, and sober days are always shown beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypedDict

from relapse_cli.core.errors import BadInput

DEFAULT_DAYS = 30
MIN_TO_COMPARE = 6  # fewer cravings than this over both periods: no percentage change
MIN_USES_TO_RANK = 3  # coping strategies used fewer times are "not enough data yet"
MIN_FOR_WINDOW = 5  # cravings needed before naming a riskiest time
MIN_IN_WINDOW = 2  # a time of the week with a single craving is not a pattern
MIN_DAYS_IN_WINDOW = 2  # ... nor one whose cravings all came on one day (one morning's two)
WINDOW_HOURS = 3
LOW_MOOD = 4  # a day whose mean mood (0-10) is at or below this is a "low-mood day"
MIN_DAYS_TO_RELATE = 3  # low-mood days and other days needed (each) to relate mood and cravings
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HALT = ("hungry", "angry", "lonely", "tired")
NOT_CAUSE = "These happened together; that does not show one causes the other."


def _d(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def plural(n: int | float, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


# --------------------------------------------------------------------------- the period


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    label: str
    kind: str  # days | week | month | all | range

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period | None:
        """The same number of days just before (None for ``--all``: nothing before it)."""
        if self.kind == "all":
            return None
        last = self.first - timedelta(days=1)
        first = last - timedelta(days=self.days - 1)
        return Period(first, last, f"the {plural(self.days, 'day')} before", "range")

    def day_list(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(self.days)]

    def as_dict(self) -> dict:
        return {
            "first_day": self.first.isoformat(),
            "last_day": self.last.isoformat(),
            "days": self.days,
            "label": self.label,
            "kind": self.kind,
        }


def choose_period(
    today: date,
    *,
    since: date | None = None,
    until: date | None = None,
    week: bool = False,
    month: bool = False,
    everything: bool = False,
    first_entry: date | None = None,
    default_days: int = DEFAULT_DAYS,
) -> Period:
    """The local days a summary covers, from the command's options.

    Default: the last ``default_days`` days ending ``until`` (today). ``week``: the calendar
    week (Monday to Sunday) holding ``until``; ``month``: its calendar month; ``everything``:
    from the first entry. A period never runs past today.
    """
    if sum([week, month, everything]) > 1:
        raise BadInput("choose one of --week, --month and --all")
    if everything and since is not None:
        raise BadInput("--all already starts at the first entry; leave out --since")
    if (week or month) and since is not None:
        raise BadInput("--week and --month choose their own start; leave out --since")
    end = min(until or today, today)
    if until is not None and until > today:
        end = today
    if since is not None and since > end:
        raise BadInput(f"--since ({since}) is after the end of the period ({end})")
    so_far = " so far" if end == today else ""
    if week:
        first = end - timedelta(days=end.weekday())
        last = min(first + timedelta(days=6), today)
        return Period(
            first, last, f"the week of Monday {_d(first)}{so_far if last == today else ''}", "week"
        )
    if month:
        first = end.replace(day=1)
        nxt = (first + timedelta(days=32)).replace(day=1)
        last = min(nxt - timedelta(days=1), today)
        return Period(first, last, f"{first:%B %Y}{so_far if last == today else ''}", "month")
    if everything:
        first = min(first_entry or end, end)
        return Period(first, end, f"everything since {_d(first)}", "all")
    if since is not None:
        return Period(since, end, f"{_d(since)} to {_d(end)}", "range")
    first = end - timedelta(days=default_days - 1)
    label = (
        f"the last {default_days} days" if end == today else f"the {default_days} days to {_d(end)}"
    )
    return Period(first, end, label, "days")


class Summary(TypedDict):
    """Every figure of the dashboard (``insights.summary.build_summary``): what ``relapse
    summary --json`` prints and the renderer draws, read by the HTML report, ``review`` and
    ``demo``. The sections' dicts are each shaped by the function named."""

    as_of: str
    period: dict  # Period.as_dict
    previous_period: dict | None
    journal_is_empty: bool  # nothing at all: no entry and no other record kind's section
    first_entry_day: str | None
    # The headline figures also at the top level (read by `review` and the HTML report).
    recovery_start: str | None
    recovery_start_is_set: bool
    days_since_last_use: int | None
    longest_streak: int | None
    sober_days: int | None
    days_counted: int | None
    use_days: int | None
    recovery: dict  # recovery()
    cravings: dict  # cravings()
    when: dict  # riskiest_window(), with the heatmap
    triggers: dict  # triggers()
    halt_checkins: dict | None  # checkin_halt()
    what_works: dict  # coping()
    mood: dict  # mood()
    more: dict[str, dict]  # the other record kinds' sections, by key
    no_entries: bool  # no craving, mood, trigger or use logged yet


# --------------------------------------------------------------------------- recovery


def recovery(
    lapse_days: list[date],
    start: date | None,
    start_is_set: bool,
    as_of: date,
    period: Period,
    amounts: list[dict],
) -> dict:
    """Streaks (whole history) and the period's TLFB figures (CLINICAL.md §4).

    ``lapse_days``: every local day with a lapse; ``start``: recovery start (or first
    entry); ``amounts``: stats.use_amounts rows for the period.
    """
    from relapse_cli.insights.streaks import streaks

    s = streaks(lapse_days, start, as_of)
    past = [d for d in lapse_days if d <= as_of]
    last_use = max(past) if past else None
    # Days of the period that count: from the recovery start (or first entry) to as_of.
    lo = max(period.first, start) if start else None
    hi = min(period.last, as_of)
    counted = (hi - lo).days + 1 if lo is not None and lo <= hi else 0
    in_period = {d for d in lapse_days if lo is not None and lo <= d <= hi}
    sober = counted - len(in_period)
    out = {
        "recovery_start": start.isoformat() if start else None,
        "recovery_start_is_set": start_is_set,
        "last_use_day": last_use.isoformat() if last_use else None,
        "days_since_last_use": (as_of - last_use).days if last_use else None,
        "current_streak": s["current"],
        "longest_streak": s["longest"],
        "sober_days_total": s["sober_days"],
        "days_counted_total": s["days_counted"],
        "use_days_total": s["use_days"],
        "period_days_counted": counted,
        "period_counted_from": lo.isoformat() if counted and lo is not None else None,
        "period_sober_days": sober if counted else None,
        "period_use_days": len(in_period),
        "percent_days_abstinent": round(100 * sober / counted, 1) if counted else None,
        "uses_logged": sum(int(r["uses"] or 0) for r in amounts),
        "substances": tlfb(amounts),
    }
    return out


def tlfb(amounts: list[dict]) -> list[dict]:
    """Per substance: use days, amount per use day (days with an amount logged), heavy days
    for alcohol (NIAAA). ``amounts``: stats.use_amounts rows; what a day holds is decided
    by domain.use_days, the rule the report, review, TLFB and FHIR exports share."""
    from relapse_cli.insights import use_days

    return use_days.figures(use_days.use_days(amounts))


# --------------------------------------------------------------------------- cravings


def fill_days(period: Period, rows: list[dict]) -> list[dict]:
    """Per-day rows for every day of the period (days without entries get zeros/None)."""
    have = {r["day"]: r for r in rows}
    out = []
    for day in period.day_list():
        key = day.isoformat()
        r = have.get(key) or {}
        out.append(
            {
                "day": key,
                "cravings": int(r.get("cravings") or 0),
                "intensity_sum": int(r.get("intensity_sum") or 0),
                "intensity_n": int(r.get("intensity_n") or 0),
                "peak_intensity": r.get("peak_intensity"),
                "resisted": int(r.get("resisted") or 0),
                "craving_used": int(r.get("craving_used") or 0),
                "uses": int(r.get("uses") or 0),
                "mood": r.get("mood"),
                "anxiety": r.get("anxiety"),
            }
        )
    return out


def compare(now: int, before: int, before_label: str, noun: str = "craving") -> dict:
    """'down 18 % from the 30 days before', honest about small numbers."""
    enough = now + before >= MIN_TO_COMPARE
    out: dict = {"now": now, "before": before, "enough_to_compare": enough, "change_percent": None}
    if not enough:
        total = now + before
        out["text"] = f"{plural(now, noun)} now and {before} in {before_label}: too few to compare"
        if total == 0:
            out["text"] = f"no {noun}s logged now or in {before_label}"
        return out
    if before == 0:
        out["text"] = f"none in {before_label}"
        return out
    pct = round(100 * (now - before) / before)
    out["change_percent"] = pct
    if pct == 0:
        out["text"] = f"the same number as {before_label}"
    else:
        out["text"] = f"{'up' if pct > 0 else 'down'} {abs(pct)} % from {before_label} ({before})"
    return out


def cravings(days: list[dict], previous: dict | None, previous_label: str | None) -> dict:
    """Totals, intensity, outcomes and the comparison with the previous period."""
    count = sum(d["cravings"] for d in days)
    n = sum(d["intensity_n"] for d in days)
    mean = sum(d["intensity_sum"] for d in days) / n if n else None
    peaks = [d["peak_intensity"] for d in days if d["peak_intensity"] is not None]
    resisted = sum(d["resisted"] for d in days)
    used = sum(d["craving_used"] for d in days)
    out = {
        "count": count,
        "per_day": [d["cravings"] for d in days],
        "mean_per_day": round(count / len(days), 2) if days else None,
        "mean_intensity": round(mean, 1) if mean is not None else None,
        "peak_intensity": max(peaks) if peaks else None,
        "resisted": resisted,
        "ended_in_use": used,
        "other_outcome": count - resisted - used,
        "resisted_share": round(resisted / count, 3) if count else None,
        "previous": None,
    }
    if previous is not None and previous_label is not None:
        before = int(previous.get("cravings") or 0)
        cmp = compare(count, before, previous_label)
        pm = previous.get("mean_intensity")
        cmp["mean_intensity_before"] = round(pm, 1) if pm is not None else None
        cmp["intensity_text"] = None
        if mean is not None and pm is not None and count >= 3 and before >= 3:
            diff = round(mean - pm, 1)
            cmp["intensity_text"] = (
                f"about the same intensity as {previous_label} ({pm:.1f})"
                if abs(diff) < 0.5
                else f"{'stronger' if diff > 0 else 'milder'} on average than {previous_label} "
                f"({pm:.1f})"
            )
        out["previous"] = cmp
    return out


# --------------------------------------------------------------------------- when


def _hours(start: int, width: int) -> str:
    return f"{start % 24:02d}:00–{(start + width) % 24:02d}:00"


def window_is_evidence(count: int, days: int | None) -> bool:
    """THE minimum-evidence rule for naming a time of the week (the summary's riskiest time
    and `remind --risky`'s alarms): at least MIN_IN_WINDOW cravings, on at least
    MIN_DAYS_IN_WINDOW different days (``days`` None: not known, count only)."""
    return count >= MIN_IN_WINDOW and (days is None or days >= MIN_DAYS_IN_WINDOW)


def window_days(dates: list[list[frozenset[int]]] | None, start: int, width: int) -> int | None:
    """On how many different days the cravings of the window starting at week hour ``start``
    came (None when ``dates`` is not given)."""
    if dates is None:
        return None
    seen: set[int] = set()
    for k in range(width):
        h = (start + k) % 168
        seen |= dates[h // 24][h % 24]
    return len(seen)


def riskiest_window(
    grid: list[list[int]],
    period_days: int,
    width: int = WINDOW_HOURS,
    dates: list[list[frozenset[int]]] | None = None,
) -> dict:
    """The ``width``-hour stretch of the week with the most cravings, and of the day.

    The week is a ring of 168 hours (a window may run past midnight into the next day).
    Windows that only slide over empty hours are the same window; real ties go to the
    earliest and are reported as ties. Below MIN_FOR_WINDOW cravings no window is named,
    and a time of the week is named only when it passes ``window_is_evidence`` (``dates``:
    the days with cravings per weekday and hour, from ``stats.heatmap_days``).
    """
    total = sum(map(sum, grid))
    flat = [grid[h // 24][h % 24] for h in range(168)]
    out: dict = {"total": total, "window_hours": width, "week": None, "day": None}
    if total < MIN_FOR_WINDOW:
        out["sentence"] = (
            f"{plural(total, 'craving')} in this period: too few to name a riskiest time yet."
        )
        return out
    sums = [sum(flat[(h + k) % 168] for k in range(width)) for h in range(168)]
    if dates is not None:  # a window whose cravings all came on one day is not a pattern
        sums = [
            n if window_is_evidence(n, window_days(dates, h, width)) else 0
            for h, n in enumerate(sums)
        ]
    best = max(sums)
    # Among the busiest windows, those that start on an hour with cravings (a window sliding
    # over empty hours holds the same cravings): the first of them, tied if there are more.
    starts = [h for h in range(168) if sums[h] == best and flat[h]] or [0]
    start = starts[0]
    by_hour = [sum(grid[d][h] for d in range(7)) for h in range(24)]
    day_sums = [sum(by_hour[(h + k) % 24] for k in range(width)) for h in range(24)]
    dbest = max(day_sums)
    dstarts = [h for h in range(24) if day_sums[h] == dbest and by_hour[h]]
    dstart = dstarts[0]
    many = period_days >= 14
    wd = WEEKDAYS[start // 24] + ("s" if many else "")
    out["week"] = {
        "weekday": WEEKDAYS[start // 24],
        "start_hour": start % 24,
        "end_hour": (start + width) % 24,
        "count": best,
        "tied": len(starts) > 1,
    }
    out["day"] = {
        "start_hour": dstart,
        "end_hour": (dstart + width) % 24,
        "count": dbest,
        "tied": len(dstarts) > 1,
    }
    sentence = f"Cravings came most often on {wd} {_hours(start, width)} ({best} of {total})"
    if out["week"]["tied"]:
        sentence += ", one of several equally busy times"
    sentence += (
        f". Across all days, {_hours(dstart, width)} was the busiest time ({dbest} of {total})."
    )
    if not window_is_evidence(best, None):
        out["week"] = None
        sentence = (
            f"Your {total} cravings were spread out; no time of the week stands out "
            f"yet. Across all days, {_hours(dstart, width)} had the most ({dbest})."
        )
    out["sentence"] = sentence
    return out


# --------------------------------------------------------------------------- triggers


def triggers(rows: list[dict], craving_count: int) -> dict:
    """Triggers ranked by how often they were named, with mean craving intensity and the
    share of those entries that were lapses; HALT answers (stored as triggers) apart."""
    ranked = sorted(rows, key=lambda r: (-r["count"], r["name"].casefold()))
    items = []
    for r in ranked:
        items.append(
            {
                "name": r["name"],
                "category": r.get("category"),
                "count": r["count"],
                "cravings": int(r.get("cravings") or 0),
                "mean_intensity": round(r["mean_intensity"], 1)
                if r.get("mean_intensity") is not None
                else None,
                "ended_in_use": int(r.get("ended_in_use") or 0),
                "ended_in_use_share": round((r.get("ended_in_use") or 0) / r["count"], 3),
            }
        )
    halt = []
    by_key = {(r.get("key") or r["name"]).casefold(): r for r in rows}
    for word in HALT:
        found = by_key.get(word)
        if found is not None and found.get("cravings"):
            halt.append(
                {
                    "name": word,
                    "cravings": int(found["cravings"]),
                    "share_of_cravings": round(found["cravings"] / craving_count, 3)
                    if craving_count
                    else None,
                }
            )
    return {"ranked": items, "halt": halt}


def checkin_halt(counts: dict) -> dict | None:
    """The daily check-ins' HALT answers: on how many of the check-in days that answered the
    question each of hungry, angry, lonely, tired applied (None: no answers)."""
    days = int(counts.get("days_answered") or 0)
    if not days:
        return None
    words = [
        {
            "name": w,
            "days": int(counts.get(w) or 0),
            "share_of_days": round(int(counts.get(w) or 0) / days, 3),
        }
        for w in HALT
    ]
    return {"days_answered": days, "words": words}


# --------------------------------------------------------------------------- what works


def coping(rows: list[dict], min_uses: int = MIN_USES_TO_RANK) -> dict:
    """Coping strategies ranked by how often the craving ended resisted, and by the mean drop
    in intensity; only those used at least ``min_uses`` times are ranked."""
    items = []
    for r in rows:
        times = int(r["times"])
        drop_n = int(r.get("drop_n") or 0)
        items.append(
            {
                "name": r["name"],
                "times": times,
                "resisted": int(r.get("resisted") or 0),
                "ended_in_use": int(r.get("used") or 0),
                "resisted_share": round((r.get("resisted") or 0) / times, 3) if times else None,
                "drop_n": drop_n,
                "mean_drop": round(r["mean_drop"], 1)
                if r.get("mean_drop") is not None and drop_n
                else None,
            }
        )
    ranked = [i for i in items if i["times"] >= min_uses]
    by_success = sorted(
        ranked, key=lambda i: (-(i["resisted_share"] or 0), -i["times"], i["name"].casefold())
    )
    by_drop = sorted(
        (i for i in ranked if i["drop_n"] >= min_uses),
        key=lambda i: (-(i["mean_drop"] or 0), -i["drop_n"], i["name"].casefold()),
    )
    few = sorted(
        (i for i in items if i["times"] < min_uses),
        key=lambda i: (-i["times"], i["name"].casefold()),
    )
    return {
        "min_uses": min_uses,
        "by_success": by_success,
        "by_drop": by_drop,
        "not_enough_data": few,
    }


# --------------------------------------------------------------------------- mood


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def mood(days: list[dict], previous: dict | None, previous_label: str | None) -> dict:
    """Mood and anxiety over the days, and cravings on low-mood days against other days."""
    moods = [d["mood"] for d in days if d["mood"] is not None]
    anx = [d["anxiety"] for d in days if d["anxiety"] is not None]
    out: dict = {
        "days_with_mood": len(moods),
        "mood_per_day": [None if d["mood"] is None else round(d["mood"], 1) for d in days],
        "anxiety_per_day": [None if d["anxiety"] is None else round(d["anxiety"], 1) for d in days],
        "mean_mood": _mean(moods),
        "mean_anxiety": _mean(anx),
        "mean_mood_before": None,
        "mean_anxiety_before": None,
        "low_mood_threshold": LOW_MOOD,
        "relation": None,
    }
    if previous is not None:
        for k in ("mood", "anxiety"):
            v = previous.get(f"mean_{k}")
            out[f"mean_{k}_before"] = round(v, 1) if v is not None else None
    low = [d for d in days if d["mood"] is not None and d["mood"] <= LOW_MOOD]
    other = [d for d in days if d["mood"] is not None and d["mood"] > LOW_MOOD]

    def side(group: list[dict]) -> dict:
        n = sum(d["intensity_n"] for d in group)
        c = sum(d["cravings"] for d in group)
        return {
            "days": len(group),
            "cravings": c,
            "cravings_per_day": round(c / len(group), 1) if group else None,
            "mean_intensity": round(sum(d["intensity_sum"] for d in group) / n, 1) if n else None,
        }

    lo, ot = side(low), side(other)
    rel: dict[str, object] = {"low_mood_days": lo, "other_days": ot, "note": NOT_CAUSE}
    if len(low) < MIN_DAYS_TO_RELATE or len(other) < MIN_DAYS_TO_RELATE:
        rel["sentence"] = (
            f"{plural(len(low), 'low-mood day')} and {plural(len(other), 'other day')}"
            " with a mood logged: too few to compare cravings between them."
        )
    else:
        s = (
            f"On low-mood days (mood {LOW_MOOD} or lower, {lo['days']} days) you logged "
            f"{lo['cravings_per_day']} cravings a day"
        )
        if lo["mean_intensity"] is not None:
            s += f", mean intensity {lo['mean_intensity']}"
        s += f"; on other days ({ot['days']}) {ot['cravings_per_day']} a day"
        if ot["mean_intensity"] is not None:
            s += f", mean intensity {ot['mean_intensity']}"
        rel["sentence"] = s + "."
    out["relation"] = rel
    return out


# --------------------------------------------------------------------------- trends


def trend_buckets(first: date, last: date, by: str) -> list[tuple[date, date, str]]:
    """Calendar weeks (Monday first) or months covering first..last, clipped to them."""
    out = []
    if by == "week":
        start = first - timedelta(days=first.weekday())
        while start <= last:
            end = start + timedelta(days=6)
            out.append((max(start, first), min(end, last), f"{start.day} {start:%b %Y}"))
            start = end + timedelta(days=1)
    else:
        start = first.replace(day=1)
        while start <= last:
            nxt = (start + timedelta(days=32)).replace(day=1)
            out.append((max(start, first), min(nxt - timedelta(days=1), last), f"{start:%b %Y}"))
            start = nxt
    return out


def trends(
    per_day_rows: list[dict],
    first: date,
    last: date,
    by: str,
    counted_from: date | None,
    lapse_days: set[str] | None = None,
) -> list[dict]:
    """One row per week or month: the dashboard's key figures over time. ``lapse_days``: the
    ISO days holding a lapse by domain.use_days' rule (default: from the per-day rows)."""
    have = {r["day"]: r for r in per_day_rows}
    if lapse_days is None:
        lapse_days = {r["day"] for r in per_day_rows if r.get("uses") or r.get("craving_used")}
    out = []
    for lo, hi, label in trend_buckets(first, last, by):
        p = Period(lo, hi, label, "range")
        days = fill_days(p, [have[d.isoformat()] for d in p.day_list() if d.isoformat() in have])
        c = cravings(days, None, None)
        moods = [d["mood"] for d in days if d["mood"] is not None]
        anx = [d["anxiety"] for d in days if d["anxiety"] is not None]
        use_days = sum(1 for d in days if d["day"] in lapse_days)
        from_day = max(lo, counted_from) if counted_from else None
        counted = (hi - from_day).days + 1 if from_day and from_day <= hi else 0
        counted_use = sum(
            1
            for d in days
            if d["day"] in lapse_days and from_day and d["day"] >= from_day.isoformat()
        )
        out.append(
            {
                "label": label,
                "first_day": lo.isoformat(),
                "last_day": hi.isoformat(),
                "days": p.days,
                "cravings": c["count"],
                "cravings_per_day": c["mean_per_day"],
                "mean_intensity": c["mean_intensity"],
                "resisted": c["resisted"],
                "resisted_share": c["resisted_share"],
                "use_days": use_days,
                "days_counted": counted,
                "percent_days_abstinent": round(100 * (counted - counted_use) / counted, 1)
                if counted
                else None,
                "mean_mood": _mean(moods),
                "mean_anxiety": _mean(anx),
            }
        )
    return out

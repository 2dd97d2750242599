"""Turning what a person types after ``--at`` into a moment in time.

Relative forms ("now", "20m ago", "yesterday 18:30", "mon 9pm", "18:30") are parsed here by
hand because they are the common case and must not pay for importing dateutil (~17 ms);
anything else (e.g. "2026-11-20 07:15", "Nov 20 7am") goes to ``dateutil.parser``, imported
only then. Times are returned aware, in local time; a moment in the future is refused.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from relapse_cli.core.errors import BadInput

TYPE_CHECKING = False  # not `from typing import`: typing costs the hot path ~2 ms
if TYPE_CHECKING:
    from typing import TypeGuard

    from relapse_cli.core.clock import Clock

EXAMPLES = 'e.g. "now", "20m ago", "2h ago", "yesterday 18:30", "mon 9pm", "2026-11-20 07:15"'

_UNITS = {
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 7 * 86400, "wk": 7 * 86400, "wks": 7 * 86400, "week": 7 * 86400, "weeks": 7 * 86400,
}  # fmt: skip
# Calendar units: "1 month ago" is the same day last month (clamped: 31 Mar -> 28/29 Feb).
_MONTH_UNITS = {
    "month": 1,
    "months": 1,
    "mo": 1,
    "year": 12,
    "years": 12,
    "yr": 12,
    "yrs": 12,
    "y": 12,
}
# Words for a time of day; "last night" alone is 22:00 the evening before.
_TIME_WORDS = {"noon": "12:00", "midday": "12:00", "midnight": "0:00"}
LAST_NIGHT = (22, 0)
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}


EARLIEST_YEAR = 1900  # every time form is bounded: 1900-01-01 up to now (or a day's end)


def _too_early(text: str) -> BadInput:
    shown = text if len(text) <= 40 else text[:39] + "…"
    return BadInput(
        f"that time is too far in the past: {shown!r}",
        f"times go back to {EARLIEST_YEAR}-01-01 at the earliest",
    )


def _bad(text: str, why: str = "unknown time") -> BadInput:
    return BadInput(f"{why}: {text!r}", f"{EXAMPLES}")


def _digits(text: str) -> bool:
    """ASCII digits only (core/text.plain_digits)."""
    from relapse_cli.core.text import plain_digits

    return plain_digits(text)


def is_iso_day(value: object) -> TypeGuard[str]:
    """A real calendar day written exactly YYYY-MM-DD. ``date.fromisoformat`` alone is not
    enough: on Python 3.11 it also takes week dates ("2026-W48-2") and "20261124", which
    stored days could not be compared with as text."""
    if not (
        isinstance(value, str)
        and len(value) == 10
        and value[4] == value[7] == "-"
        and _digits(value[:4] + value[5:7] + value[8:])
    ):
        return False
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def parse_clock_time(text: str) -> tuple[int, int] | None:
    """'18:30', '6pm', '6:30 pm', '0915'? -> (hour, minute); None if it is not a time of day."""
    t = text.strip().lower().replace(" ", "").replace(".", ":")
    suffix = ""
    if t.endswith(("am", "pm")):
        suffix, t = t[-2:], t[:-2]
    if not t:
        return None
    if ":" in t:
        hh, _, mm = t.partition(":")
    else:
        hh, mm = t, "00"
    if not (_digits(hh) and _digits(mm) and 1 <= len(hh) <= 2 and len(mm) == 2):
        return None
    hour, minute = int(hh), int(mm)
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif ":" not in t:
        return None  # a bare number is not a time ("7" could be anything)
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def _months_back(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, _month_days(year, month + 1)))


def _month_days(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def _time_of_day(rest: list[str], text: str) -> tuple[int, int]:
    """The clock time in the words after a day ('18:30', '6pm', 'noon'), or a BadInput that
    says what is wrong with it ('25:00' has no hour 25) instead of "unknown time"."""
    joined = " ".join(rest)
    hm = parse_clock_time(joined)
    if hm is not None:
        return hm
    if any(ch.isdigit() for ch in joined) and (":" in joined or joined.endswith(("am", "pm"))):
        raise BadInput(
            f"{joined!r} is not a time of day (hours 0-23, or 1-12 with am/pm; "
            f"minutes 0-59): {text!r}",
            EXAMPLES,
        )
    raise _bad(text)


def _relative(
    words: list[str], now: datetime, clock: Clock, text: str = ""
) -> tuple[datetime, bool] | None:
    """The hand-parsed forms, with whether a time of day was part of them (a ``--since``
    bound of "last week" starts at the beginning of that day); None when the text is not
    one of them."""
    text = text or " ".join(words)
    words = [_TIME_WORDS.get(w, w) for w in words if w != "at"]  # "yesterday at noon"
    if words == ["now"]:
        return now, True
    if words and words[0] in ("tomorrow", "next", "in"):
        raise BadInput(
            f"{text!r} is in the future: entries record what already happened",
            'e.g. "now", "20m ago", "yesterday 18:30"',
        )
    # "20m ago", "2 h ago", "90 minutes ago", "2 days ago 18:00", "1 year ago"
    if "ago" in words:
        i = words.index("ago")
        body, rest = "".join(words[:i]), words[i + 1 :]
        digits = ""
        while body and (_digits(body[0]) or body[0] == "."):
            digits, body = digits + body[0], body[1:]
        if not digits or (body not in _UNITS and body not in _MONTH_UNITS):
            return None
        try:
            amount = float(digits)
        except ValueError:
            return None
        if body in _MONTH_UNITS:
            months = amount * _MONTH_UNITS[body]
            if not months <= (now.year - EARLIEST_YEAR) * 12 + now.month - 1:  # also inf
                raise _too_early(" ".join(words))
            if amount != int(amount):
                return None
            base = _months_back(now.date(), int(months))
        else:
            seconds = amount * _UNITS[body]
            span = now.replace(tzinfo=None) - datetime(EARLIEST_YEAR, 1, 1)
            if not seconds <= span.total_seconds():  # also inf from 400 digits
                raise _too_early(" ".join(words))
            if not rest:  # "2h ago" is a moment; "3 days ago" as a --since bound is that day
                return now - timedelta(seconds=seconds), _UNITS[body] < 86400
            if _UNITS[body] % 86400 or amount != int(amount):
                return None  # "2h ago 18:00" says two different times
            base = now.date() - timedelta(seconds=seconds)
        if not rest:
            return clock.localize(datetime.combine(base, now.time())), False
        hm = _time_of_day(rest, text)
        return clock.localize(datetime(base.year, base.month, base.day, *hm)), True
    day_word, rest = (words[0], words[1:]) if words else ("", [])
    if day_word == "last" and rest:
        return _last(rest, now, clock, text)
    base_date = None
    if day_word == "today":
        base_date = now.date()
    elif day_word == "yesterday":
        base_date = now.date() - timedelta(days=1)
    elif day_word in _WEEKDAYS:
        back = (now.weekday() - _WEEKDAYS[day_word]) % 7
        base_date = now.date() - timedelta(days=back)
    else:
        rest = words
    if base_date is None:
        typed = parse_clock_time(" ".join(rest)) if rest else None
        if typed is None:
            return None
        naive = datetime.combine(now.date(), datetime.min.time()).replace(
            hour=typed[0], minute=typed[1]
        )
        when = clock.localize(naive)
        if when > now + timedelta(seconds=59):  # "23:00" typed in the morning: last night
            when = clock.localize(naive - timedelta(days=1))
        return when, True
    hm = (now.hour, now.minute) if not rest else _time_of_day(rest, text)
    naive = datetime(base_date.year, base_date.month, base_date.day, hm[0], hm[1])
    when = clock.localize(naive)
    if day_word in _WEEKDAYS and when > now:
        when = clock.localize(naive - timedelta(days=7))
    return when, bool(rest)


def _last(rest: list[str], now: datetime, clock: Clock, text: str) -> tuple[datetime, bool] | None:
    """'last tuesday [9pm]' (the one before today), 'last night [11pm]', 'last week/month/year'
    (that long ago)."""
    word, more = rest[0], rest[1:]
    today = now.date()
    if word in _WEEKDAYS:
        back = (now.weekday() - _WEEKDAYS[word]) % 7 or 7
        day = today - timedelta(days=back)
        hm = _time_of_day(more, text) if more else (now.hour, now.minute)
        return clock.localize(datetime(day.year, day.month, day.day, *hm)), bool(more)
    if word == "night":
        hm = _time_of_day(more, text) if more else LAST_NIGHT
        # the evening before, or the small hours of today ("last night 2am")
        day = today - timedelta(days=1) if hm[0] >= 12 else today
        return clock.localize(datetime(day.year, day.month, day.day, *hm)), True
    if word in ("week", "month", "year") and not more:
        day = (
            today - timedelta(days=7)
            if word == "week"
            else _months_back(today, 1 if word == "month" else 12)
        )
        return clock.localize(datetime.combine(day, now.time())), False
    return None


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _looks_like_a_date(text: str) -> bool:
    """A month name, or digits joined by '-', '/' or '.' (2026-11-20, 20/11/2026)."""
    lowered = text.lower()
    if any(ch.isalpha() for ch in lowered) and any(m in lowered for m in _MONTHS):
        return True
    for sep in "-/.":
        parts = lowered.split()[0].split(sep) if lowered.split() else []
        if len(parts) >= 2 and all(_digits(p) for p in parts[:2]):
            return True
    return False


def parse_when(text: str, clock: Clock) -> datetime:
    """Parse ``--at`` text into an aware local datetime, refusing the future."""
    now = clock.now()
    cleaned = text.strip().lower()
    if not cleaned:
        raise _bad(text, "empty time")
    return _checked(_parse(text, clock)[0], now)


def _parse(text: str, clock: Clock) -> tuple[datetime, bool]:
    """(the moment, whether it names a time of day): relative forms, else an absolute date."""
    now = clock.now()
    cleaned = text.strip().lower()
    if not cleaned:
        raise _bad(text, "empty time")
    try:
        found = _relative(cleaned.replace(",", " ").split(), now, clock, text.strip())
    except (OverflowError, ValueError):  # "99999 years ago": before the calendar begins
        raise _bad(text, "date too far in the past") from None
    if found is None:
        when = _absolute(text.strip(), now, clock)
        found = (when, when.time() != datetime.min.time())
    return found


def _checked(when: datetime, now: datetime) -> datetime:
    if when > now + timedelta(seconds=59):
        raise BadInput(
            f"that time is in the future: {when:%Y-%m-%d %H:%M}",
            'entries record what already happened; try "now" or "20m ago"',
        )
    return when


def when_text(when: datetime, now: datetime, typed: object = None, *, clock: bool = True) -> str:
    """THE way a moment is shown in confirmations: 'Mon 23 Nov 23:00', with the year when it
    is not this year ('Tue 24 Nov 2025 18:00'). ``typed``: what the person gave ``--at``; a
    bare time of day that became yesterday's ("23:00" typed in the morning) says so."""
    text = f"{when:%a} {when.day} {when:%b}"
    if when.year != now.year:
        text += f" {when.year}"
    if clock:
        text += f" {when:%H:%M}"
    if isinstance(typed, str) and when.date() == now.date() - timedelta(days=1):
        words = [_TIME_WORDS.get(w, w) for w in typed.strip().lower().split() if w != "at"]
        if words and parse_clock_time(" ".join(words)) is not None:
            text += " (yesterday: that time has not come yet today)"
    return text


def _absolute(text: str, now: datetime, clock: Clock) -> datetime:
    from dateutil import parser as dateparser

    if not _looks_like_a_date(text):
        # dateutil would happily read "7" as the 7th or "2h" as 02:00; we don't guess.
        raise _bad(text)
    _no_such_day(text)
    try:
        default = now.replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
        parsed = dateparser.parse(text, default=default, dayfirst=False)
    except (ValueError, OverflowError):
        raise _bad(text) from None
    if parsed.year < EARLIEST_YEAR:
        raise _too_early(text)
    if parsed.tzinfo is None:
        return clock.localize(parsed)
    return parsed.astimezone(now.tzinfo)


def _no_such_day(text: str) -> None:
    """'2026-11-31' -> "November 2026 has 30 days", rather than "unknown time"."""
    head = text.split()[0] if text.split() else ""
    for sep in "-/":
        parts = head.split(sep)
        if len(parts) == 3 and len(parts[0]) == 4 and all(_digits(p) for p in parts):
            year, month, day = (int(p) for p in parts)
            if not 1 <= month <= 12:
                raise BadInput(
                    f"{head} is not a date: there is no month {month}",
                    "write it as YYYY-MM-DD, e.g. 2026-11-20",
                )
            days = _month_days(year, month) if year >= 1 else 31
            if not 1 <= day <= days:
                raise BadInput(
                    f"{head} is not a date: {_MONTH_NAMES[month - 1]} {year} has {days} days",
                    "write it as YYYY-MM-DD, e.g. 2026-11-20",
                )


def to_storage(when: datetime) -> tuple[str, int]:
    """UTC ISO text ('2026-11-24T18:30:00Z') and the UTC offset in minutes at that moment."""
    offset = when.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    utc = when - (offset or timedelta(0))
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ"), minutes


def from_storage(utc_text: str, offset_min: int) -> datetime:
    """Back to the wall time the person lived it in (the stored offset, not today's)."""
    from datetime import timezone

    utc = datetime.strptime(utc_text, "%Y-%m-%dT%H:%M:%SZ")
    tz = timezone(timedelta(minutes=offset_min))
    return utc.replace(tzinfo=timezone.utc).astimezone(tz)


def parse_bound(text: str, clock: Clock, *, end: bool) -> datetime:
    """A ``--since``/``--until`` bound: a bare date means the start (or the end) of that day."""
    stripped = text.strip()
    if len(stripped) == 10 and stripped[4] == "-" and stripped[7] == "-":
        try:
            day = datetime.strptime(stripped, "%Y-%m-%d")
        except ValueError:
            raise _bad(text, "not a date") from None
        if day.year < EARLIEST_YEAR:
            raise _too_early(text)
        if day.year > clock.now().year + 1:  # a bound past next year is a typo, not a plan
            raise BadInput(
                f"that date is too far ahead: {text!r}",
                "give a day up to the end of next year, or leave --until out",
            )
        if end:
            day = day + timedelta(days=1, seconds=-1)
        return clock.localize(day)
    when, timed = _parse(text, clock)
    if timed:
        return _checked(when, clock.now())
    # "last week", "3 days ago", "yesterday": from the start (or to the end) of that day
    start = datetime.combine(when.date(), datetime.min.time())
    if end:
        return clock.localize(start + timedelta(days=1, seconds=-1))
    return _checked(clock.localize(start), clock.now())


def utc_text(when: datetime) -> str:
    """The storage form of an aware time, for comparing with ``occurred_at``."""
    return to_storage(when)[0]

"""Turning what a person types after ``--at`` into a moment in time.

Relative forms ("now", "20m ago", "yesterday 18:30", "mon 9pm", "18:30") are parsed here by
hand because they are the common case and must not pay for importing dateutil (~17 ms);
anything else (e.g. "2026-11-20 07:15", "Nov 20 7am") goes to ``dateutil.parser``, imported
only then. Times are returned aware, in local time; a moment in the future is refused.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from relapse_cli.errors import BadInput

TYPE_CHECKING = False  # not `from typing import`: typing costs the hot path ~2 ms
if TYPE_CHECKING:
    from relapse_cli.clock import SystemClock

EXAMPLES = 'e.g. "now", "20m ago", "2h ago", "yesterday 18:30", "mon 9pm", "2026-11-20 07:15"'

_UNITS = {
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
}  # fmt: skip
_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip


EARLIEST_YEAR = 1900  # every time form is bounded: 1900-01-01 up to now (or a day's end)


def _too_early(text: str) -> BadInput:
    shown = text if len(text) <= 40 else text[:39] + "…"
    return BadInput(f"that time is too far in the past: {shown!r}",
                    f"times go back to {EARLIEST_YEAR}-01-01 at the earliest")  # fmt: skip


def _bad(text: str, why: str = "unknown time") -> BadInput:
    return BadInput(f"{why}: {text!r}", f"{EXAMPLES}")


def _digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() also accepts '²' and other digits int() refuses."""
    return text.isascii() and text.isdigit()


def is_iso_day(value: object) -> bool:
    """A real calendar day written exactly YYYY-MM-DD. ``date.fromisoformat`` alone is not
    enough: on Python 3.11 it also takes week dates ("2026-W48-2") and "20261124", which
    stored days could not be compared with as text."""
    if not (isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-"
            and _digits(value[:4] + value[5:7] + value[8:])):  # fmt: skip
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


def _relative(words: list[str], now: datetime, clock: SystemClock) -> datetime | None:
    """The hand-parsed forms; None when the text is not one of them."""
    if words == ["now"]:
        return now
    # "20m ago", "2 h ago", "90 minutes ago"
    if words and words[-1] == "ago":
        body = "".join(words[:-1])
        digits = ""
        while body and (_digits(body[0]) or body[0] == "."):
            digits, body = digits + body[0], body[1:]
        if digits and body in _UNITS:
            try:
                amount = float(digits)
            except ValueError:
                return None
            seconds = amount * _UNITS[body]
            span = now.replace(tzinfo=None) - datetime(EARLIEST_YEAR, 1, 1)
            if not seconds <= span.total_seconds():  # also inf from 400 digits
                raise _too_early(" ".join(words))
            return now - timedelta(seconds=seconds)
        return None
    day_word, rest = (words[0], words[1:]) if words else ("", [])
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
        hm = parse_clock_time(" ".join(rest)) if rest else None
        if hm is None:
            return None
        return clock.localize(
            datetime.combine(now.date(), datetime.min.time()).replace(hour=hm[0], minute=hm[1])
        )
    if not rest:
        hm = (now.hour, now.minute)
    else:
        hm = parse_clock_time(" ".join(rest))
        if hm is None:
            return None
    naive = datetime(base_date.year, base_date.month, base_date.day, hm[0], hm[1])
    when = clock.localize(naive)
    if day_word in _WEEKDAYS and when > now:
        when = clock.localize(naive - timedelta(days=7))
    return when


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


def parse_when(text: str, clock: SystemClock) -> datetime:
    """Parse ``--at`` text into an aware local datetime, refusing the future."""
    now = clock.now()
    cleaned = text.strip().lower()
    if not cleaned:
        raise _bad(text, "empty time")
    when = _relative(cleaned.replace(",", " ").split(), now, clock)
    if when is None:
        when = _absolute(text.strip(), now, clock)
    if when > now + timedelta(seconds=59):
        raise BadInput(
            f"that time is in the future: {when:%Y-%m-%d %H:%M}",
            'entries record what already happened; try "now" or "20m ago"',
        )
    return when


def _absolute(text: str, now: datetime, clock: SystemClock) -> datetime:
    from dateutil import parser as dateparser

    if not _looks_like_a_date(text):
        # dateutil would happily read "7" as the 7th or "2h" as 02:00; we don't guess.
        raise _bad(text)
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


def parse_bound(text: str, clock: SystemClock, *, end: bool) -> datetime:
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
            raise BadInput(f"that date is too far ahead: {text!r}",
                           "give a day up to the end of next year, or leave --until out")  # fmt: skip
        if end:
            day = day + timedelta(days=1, seconds=-1)
        return clock.localize(day)
    return parse_when(text, clock)


def utc_text(when: datetime) -> str:
    """The storage form of an aware time, for comparing with ``occurred_at``."""
    return to_storage(when)[0]

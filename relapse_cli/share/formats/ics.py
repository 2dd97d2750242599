"""iCalendar (RFC 5545) files from plain event descriptions, with the ``icalendar`` library.

Each event is recurring (RRULE) and carries one display alarm (VALARM). Start times are
floating local times; DTSTAMP is UTC. The library folds lines at 75 octets with CRLF endings
(checked by an independent validator in tests/test_remind.py).
"""

from __future__ import annotations

from datetime import datetime


def calendar(events: list[dict], *, now_utc: datetime, name: str, discreet: bool = False) -> bytes:
    """``discreet``: nothing in the file names the tool or what the reminders are for."""
    from icalendar import Alarm, Calendar, Event

    from relapse_cli import __version__

    cal = Calendar()
    product = (
        "-//local//reminders//EN" if discreet else f"-//relapse-cli//relapse-cli {__version__}//EN"
    )
    cal.add("prodid", product)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Reminders" if discreet else name)
    for e in events:
        ev = Event()
        ev.add("uid", e["uid"])
        ev.add("dtstamp", now_utc)
        ev.add("dtstart", e["start"])
        ev.add("duration", e["duration"])
        ev.add("summary", e["summary"])
        ev.add("description", e["description"])
        ev.add("rrule", e["rrule"])
        ev.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", e["alarm_text"])
        alarm.add("trigger", -e["alarm_before"])
        ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()

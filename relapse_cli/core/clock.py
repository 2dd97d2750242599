"""The one place the tool asks what time it is.

Guided flows and time parsing take a clock object so tests can run whole sessions on a fake
clock (no sleeping, no dependence on the machine's time zone).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, tzinfo

TYPE_CHECKING = False  # not `from typing import`: the clock is on the hot path

if TYPE_CHECKING:
    from typing import Protocol

    class Clock(Protocol):
        """What reads the time needs of a clock (``SystemClock``, ``FakeClock``, or a fixed
        moment such as the share report's "as of")."""

        def now(self) -> datetime: ...

        def localize(self, naive: datetime) -> datetime: ...


class SystemClock:
    """The real clock, in the machine's local time zone."""

    def now(self) -> datetime:
        """Aware local time now."""
        return datetime.now().astimezone()

    def localize(self, naive: datetime) -> datetime:
        """Attach the local offset that was in force at that wall time (DST-aware)."""
        return naive.astimezone()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class FakeClock:
    """A clock for tests: fixed local time in a given zone; ``sleep`` just advances it."""

    def __init__(self, now: datetime, tz: tzinfo | None = None) -> None:
        if now.tzinfo is None:
            if tz is None:
                raise ValueError("FakeClock needs an aware time or a tz")
            now = now.replace(tzinfo=tz)
        self.tz = tz or now.tzinfo
        self._now = now
        self._mono = 1000.0

    def now(self) -> datetime:
        return self._now.astimezone(self.tz)

    def localize(self, naive: datetime) -> datetime:
        return naive.replace(tzinfo=self.tz)

    def monotonic(self) -> float:
        return self._mono

    def sleep(self, seconds: float) -> None:
        self.advance(max(seconds, 0.0))

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._now = self._now + timedelta(seconds=seconds)

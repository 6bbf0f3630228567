"""orbitwatch's time system: UTC as exact integer microseconds since 1970-01-01, handed
to SGP4 as split Julian dates.

Why: a single float64 Julian date has a 20 us plateau (python-sgp4's README); TLE epochs
are multiples of 1e-8 day = 864 us and OMM epochs carry six decimals, so both are exact
in integer microseconds. Split Julian dates keep the whole day (ending in .5) apart from
the fraction, as python-sgp4's ``sgp4(jd, fr)`` takes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

#: Unix epoch as a Julian date (UTC).
JD_UNIX_EPOCH = 2440587.5
SECONDS_PER_DAY = 86_400.0
US_PER_DAY = 86_400_000_000
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def datetime_to_us(t: datetime) -> int:
    """Integer microseconds since the Unix epoch of an aware datetime (exact)."""
    delta = t - _UNIX_EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def us_to_datetime(us: int) -> datetime:
    """Inverse of :func:`datetime_to_us`: an aware UTC datetime."""
    return _UNIX_EPOCH + timedelta(microseconds=int(us))


def us_to_split_jd(us: int) -> tuple[float, float]:
    """Microseconds since the Unix epoch -> (Julian date at 0h UTC, fraction of day)."""
    days, rest = divmod(int(us), US_PER_DAY)
    return JD_UNIX_EPOCH + days, rest / US_PER_DAY


def datetime_to_split_jd(t: datetime) -> tuple[float, float]:
    """Aware datetime -> split Julian date (whole part ending in .5, fraction)."""
    return us_to_split_jd(datetime_to_us(t))


def format_epoch(t: datetime) -> str:
    """ISO-8601 UTC with six decimals and no zone suffix, as CelesTrak's OMM."""
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def iso_ms(us: int) -> str:
    """Microseconds since 1970 UTC as ISO-8601 UTC with milliseconds and ``Z``."""
    return format_epoch(us_to_datetime(round(us / 1000.0) * 1000))[:23] + "Z"


def parse_utc(text: str) -> datetime:
    """Parse a user-given UTC time: ISO date or date-time, with or without ``Z``, or
    ``now``. Raises ValueError naming the text when it is not a time."""
    s = text.strip()
    if s.lower() == "now":
        return datetime.now(UTC)
    if s.endswith(("Z", "z")):
        s = s[:-1]
    try:
        t = datetime.fromisoformat(s)
    except ValueError:
        raise ValueError(f"not an ISO-8601 UTC time: {text!r} (expected e.g. 2026-03-10T12:00:00Z)")
    if t.tzinfo is None:
        return t.replace(tzinfo=UTC)
    return t.astimezone(UTC)


def split_jd_after(jd0: float, fr0: float, t_s) -> tuple[np.ndarray, np.ndarray]:
    """Split Julian dates ``(jd, fr)`` of offsets ``t_s`` (s, any shape) after the split
    date ``(jd0, fr0)``: the whole day stays apart, so offsets of days keep microseconds."""
    fr = fr0 + np.asarray(t_s, dtype=np.float64) / SECONDS_PER_DAY
    return np.full(fr.shape, jd0), fr


@dataclass(frozen=True, slots=True)
class TimeBase:
    """A reference instant (exact UTC microseconds) from which times are counted in
    seconds: the time base of a propagation, a screening window or a pass search.

    ``split_jd(t_s)`` gives the split Julian dates SGP4 takes for offsets ``t_s`` (s);
    offsets of days keep microsecond resolution since the whole day stays apart.
    """

    start_us: int

    @classmethod
    def at(cls, t: datetime) -> TimeBase:
        return cls(datetime_to_us(t))

    @property
    def jd0(self) -> tuple[float, float]:
        """The reference instant as a split Julian date (UTC)."""
        return us_to_split_jd(self.start_us)

    def split_jd(self, t_s: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """Split Julian dates ``(jd, fr)`` (arrays shaped as ``t_s``) of offsets ``t_s``
        seconds after the reference."""
        return split_jd_after(*self.jd0, t_s)

    def iso(self, t_s: float) -> str:
        """ISO-8601 UTC, milliseconds, of the offset ``t_s`` seconds."""
        return iso_ms(self.start_us + round(float(t_s) * 1e6))

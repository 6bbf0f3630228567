"""User text -> values, with errors that name the parameter (CLI option or API field)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from orbitwatch.core.time import parse_utc
from orbitwatch.errors import InputError

#: Catalog numbers run from 0 to 999,999,999 (nine digits: OMM and Space-Track's limit).
MAX_CATALOG_NUMBER = 999_999_999


def parse_owners(text: str | None) -> list[str] | None:
    """``"US, PRC"`` as SATCAT owner codes (None for no text or no codes)."""
    owners = [o.strip() for o in (text or "").split(",") if o.strip()]
    return owners or None


def parse_ids(text: str | None, name: str = "ids") -> list[int] | None:
    """``"25544, 48274"`` as catalog numbers (None for no text), or an InputError naming
    the parameter."""
    if text is None or not text.strip():
        return None
    try:
        ids = [int(x) for x in text.replace(" ", "").split(",") if x]
    except ValueError:
        raise InputError(f"{name}: catalog numbers must be integers separated by commas, "
                         f"got {text!r}")
    if any(not 0 <= i <= MAX_CATALOG_NUMBER for i in ids):
        raise InputError(f"{name}: catalog numbers are 0 .. {MAX_CATALOG_NUMBER}, got {text!r}")
    return ids


#: Times orbitwatch computes for: from Sputnik 1 to the end of 2099 (SGP4 from public
#: element sets means nothing far from their epochs, and deep-space propagation over
#: centuries takes minutes per object).
TIME_RANGE = (datetime(1957, 10, 4, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


def parse_time(text: str | None, name: str = "at", default: datetime | None = None) -> datetime:
    """A UTC time from ISO-8601 text (``now`` allowed); ``default`` (or now) when absent;
    an InputError naming the parameter when it is not a time or outside ``TIME_RANGE``."""
    if text is None or not text.strip():
        return default if default is not None else datetime.now(UTC)
    try:
        t = parse_utc(text)
    except ValueError as exc:
        raise InputError(f"{name}: {exc}")
    if not TIME_RANGE[0] <= t < TIME_RANGE[1]:
        raise InputError(f"{name}: {text!r} is outside 1957-10-04 .. 2099-12-31, the times "
                         "orbitwatch computes for")
    return t


def window_end(start: datetime, days: float, name: str = "days") -> datetime:
    """The end of a window of ``days`` from ``start``; an InputError naming the parameter
    when it ends after TIME_RANGE (or past what a datetime can hold)."""
    try:
        end = start + timedelta(days=days)
    except OverflowError:
        end = None
    if end is None or end > TIME_RANGE[1]:
        raise InputError(f"{name}: a window of {days:g} days from {start:%Y-%m-%d} ends after "
                         "2099-12-31, the last time orbitwatch computes for")
    return end

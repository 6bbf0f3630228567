"""User text -> values, with errors that name the parameter (CLI option or API field)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from orbitwatch.catalog.snapshot import name_pattern
from orbitwatch.core.time import parse_utc
from orbitwatch.errors import InputError

#: Catalog numbers run from 0 to 999,999,999 (nine digits: OMM and Space-Track's limit).
MAX_CATALOG_NUMBER = 999_999_999


def parse_owners(text: str | None) -> list[str] | None:
    """``"US, PRC"`` as SATCAT owner codes (None for no text or no codes)."""
    owners = [o.strip() for o in (text or "").split(",") if o.strip()]
    return owners or None


@dataclass(frozen=True)
class ObjectSelection:
    """Objects chosen by catalog numbers, SATCAT owner codes and a name pattern (RE2, any
    case, anywhere in the name): an object is chosen when it meets every part given; an
    empty selection chooses every object."""

    ids: list[int] | None = None
    owners: list[str] | None = None
    name: str | None = None

    @classmethod
    def parse(cls, ids: str | None = None, owners: str | None = None,
              name: str | None = None, ids_param: str = "ids") -> ObjectSelection:
        """From user text; a bad catalog number or pattern is an InputError naming
        ``ids_param`` or the pattern."""
        if name:
            name_pattern(name)  # a bad pattern is refused here, before any work
        return cls(parse_ids(ids, ids_param), parse_owners(owners), name or None)

    def __bool__(self) -> bool:
        return bool(self.ids or self.owners or self.name)

    def mask(self, norad_cat_id: np.ndarray, owner: Sequence[str | None],
             object_name: Sequence[str | None]) -> np.ndarray:
        """Which of these objects are chosen (one bool each)."""
        keep = np.ones(len(norad_cat_id), bool)
        if self.ids:
            keep &= np.isin(norad_cat_id, self.ids)
        if self.owners:
            chosen = set(self.owners)
            keep &= np.fromiter((o in chosen for o in owner), bool, len(keep))
        if self.name:
            rx = name_pattern(self.name)
            keep &= np.fromiter((bool(rx.search(n or "")) for n in object_name), bool,
                                len(keep))
        return keep


#: The empty selection: every object.
EVERY_OBJECT = ObjectSelection()


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

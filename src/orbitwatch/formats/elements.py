"""The mean element set every format reads into and writes from, and parse results.

Field names are the CCSDS OMM keywords in lower case, so a file maps one to one onto
an :class:`ElementSet`; units are those of the OMM for SGP4 (TEME frame, UTC epoch).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime

from orbitwatch.core.orbit import perigee_altitude_km, period_min
from orbitwatch.core.time import datetime_to_us, format_epoch, us_to_split_jd
from orbitwatch.errors import RecordError


@dataclass(frozen=True, slots=True)
class ElementSet:
    """One SGP4 mean element set (a TLE or an OMM with MEAN_ELEMENT_THEORY SGP4).

    Attributes:
        norad_cat_id: catalog number (0 to 999,999,999).
        epoch: epoch, timezone-aware UTC, exact to the microsecond (TLE epochs are
            multiples of 1e-8 day = 864 us, OMM epochs carry at most 6 decimals).
        mean_motion: Kozai mean motion, revolutions per day.
        eccentricity: dimensionless, 0 <= e < 1.
        inclination, ra_of_asc_node, arg_of_pericenter, mean_anomaly: degrees, TEME.
        bstar: SGP4 drag term B*, 1 / Earth radii.
        mean_motion_dot: first derivative of mean motion / 2, rev/day**2, as TLE and
            OMM print it (not used by SGP4).
        mean_motion_ddot: second derivative / 6, rev/day**3, as printed.
        object_name, object_id: name and COSPAR designator (``1998-067A``), or None.
    """

    norad_cat_id: int
    epoch: datetime
    mean_motion: float
    eccentricity: float
    inclination: float
    ra_of_asc_node: float
    arg_of_pericenter: float
    mean_anomaly: float
    bstar: float = 0.0
    mean_motion_dot: float = 0.0
    mean_motion_ddot: float = 0.0
    object_name: str | None = None
    object_id: str | None = None
    classification_type: str = "U"
    ephemeris_type: int = 0
    element_set_no: int = 0
    rev_at_epoch: int = 0

    def __post_init__(self) -> None:
        if self.epoch.tzinfo is None:
            raise ValueError("ElementSet.epoch must be timezone-aware (UTC)")

    # --- time -----------------------------------------------------------------
    @property
    def epoch_us(self) -> int:
        """Epoch as integer microseconds since 1970-01-01T00:00:00 UTC (exact)."""
        return datetime_to_us(self.epoch)

    @property
    def epoch_jd(self) -> tuple[float, float]:
        """Epoch as a split Julian date (whole part ending in .5, fraction of day), UTC."""
        return us_to_split_jd(self.epoch_us)

    @property
    def epoch_iso(self) -> str:
        """Epoch as ISO-8601 UTC with microseconds, the form CelesTrak writes."""
        return format_epoch(self.epoch)

    # --- derived orbit quantities ----------------------------------------------
    @property
    def period_min(self) -> float:
        """Orbital period, minutes."""
        return period_min(self.mean_motion)

    def fingerprint(self) -> str:
        """A stable hash of every value: identical element sets share it."""
        text = "|".join(repr(getattr(self, f.name)) for f in fields(self) if f.name != "epoch")
        text += f"|{self.epoch_us}"
        return hashlib.sha1(text.encode()).hexdigest()


#: Bounds of the values an SGP4 element set can have, whatever format it came in. Mean
#: motion: the public catalogs hold 0.0196 to 16.6 rev/day; 0.001 rev/day is an orbit of
#: 1.4 million km, at the edge of the Earth's sphere of influence, 20 rev/day is below
#: the surface. Epochs: the years a TLE can write (1957-2056) and OMM's beyond, to 2099.
MEAN_MOTION_RANGE_REV_DAY = (0.001, 20.0)
EPOCH_RANGE = (datetime(1957, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
MAX_COUNTER = 999_999_999  # ELEMENT_SET_NO, REV_AT_EPOCH
_ANGLES = (("inclination", "INCLINATION", 180.0), ("ra_of_asc_node", "RA_OF_ASC_NODE", 360.0),
           ("arg_of_pericenter", "ARG_OF_PERICENTER", 360.0),
           ("mean_anomaly", "MEAN_ANOMALY", 360.0))
_FLOAT_FIELDS = (("mean_motion", "MEAN_MOTION"), ("eccentricity", "ECCENTRICITY"),
                 ("inclination", "INCLINATION"), ("ra_of_asc_node", "RA_OF_ASC_NODE"),
                 ("arg_of_pericenter", "ARG_OF_PERICENTER"), ("mean_anomaly", "MEAN_ANOMALY"),
                 ("bstar", "BSTAR"), ("mean_motion_dot", "MEAN_MOTION_DOT"),
                 ("mean_motion_ddot", "MEAN_MOTION_DDOT"))


def control_characters(text: str) -> list[str]:
    """The control characters (C0, DEL, C1) in ``text``, as ``repr`` strings: what must
    not reach a KVN line, a TLE or XML."""
    return [repr(c) for c in text if ord(c) < 32 or 127 <= ord(c) < 160]


def one_line(text: str) -> str:
    """``text`` safe for one line of KVN, TLE or XML output: every control character
    (which could start a new KVN line or break XML) becomes U+FFFD, so that nothing is
    injected and what was there stays visible."""
    if not control_characters(text):
        return text
    return "".join("\ufffd" if ord(c) < 32 or 127 <= ord(c) < 160 else c for c in text)


def non_finite_field(es: ElementSet) -> str | None:
    """The OMM keyword of the first value of ``es`` that is not a finite number, or None:
    what no writer can put in a TLE, JSON (which has no NaN or Infinity) or XML."""
    for attr, key in _FLOAT_FIELDS:
        if not math.isfinite(getattr(es, attr)):
            return key
    return None


def value_problem(es: ElementSet) -> tuple[str, str] | None:
    """The first value of ``es`` that no SGP4 element set can have, as (OMM keyword,
    reason), or None. Every reader checks this, so that NaN, infinities and values out
    of range become rejects naming their field instead of reaching SGP4 or the store."""
    for attr, key in _FLOAT_FIELDS:
        value = getattr(es, attr)
        if not math.isfinite(value):
            return key, f"{key} must be a finite number, got {value!r}"
    lo, hi = MEAN_MOTION_RANGE_REV_DAY
    if not lo <= es.mean_motion <= hi:
        return "MEAN_MOTION", (f"MEAN_MOTION {es.mean_motion!r} rev/day is outside "
                               f"{lo:g}..{hi:g}")
    if not 0.0 <= es.eccentricity < 1.0:
        return "ECCENTRICITY", f"ECCENTRICITY {es.eccentricity!r} is outside [0, 1)"
    for attr, key, limit in _ANGLES:
        if not 0.0 <= getattr(es, attr) <= limit:
            return key, f"{key} {getattr(es, attr)!r} deg is outside 0..{limit:g}"
    perigee_km = perigee_altitude_km(es.mean_motion, es.eccentricity)
    if perigee_km < 0.0:
        return "ECCENTRICITY", (f"perigee {perigee_km:.0f} km below the Earth's surface "
                                f"(ECCENTRICITY {es.eccentricity!r} at MEAN_MOTION "
                                f"{es.mean_motion!r} rev/day)")
    if not EPOCH_RANGE[0] <= es.epoch < EPOCH_RANGE[1]:
        return "EPOCH", f"EPOCH {format_epoch(es.epoch)} is outside 1957 .. 2099"
    if not 0 <= es.ephemeris_type <= 9:
        return "EPHEMERIS_TYPE", f"EPHEMERIS_TYPE {es.ephemeris_type} is not one digit (0..9)"
    for attr, key in (("element_set_no", "ELEMENT_SET_NO"), ("rev_at_epoch", "REV_AT_EPOCH")):
        if not 0 <= getattr(es, attr) <= MAX_COUNTER:
            return key, f"{key} {getattr(es, attr)} is outside 0..{MAX_COUNTER}"
    for attr, key in (("object_name", "OBJECT_NAME"), ("object_id", "OBJECT_ID")):
        bad = control_characters(getattr(es, attr) or "")
        if bad:
            return key, f"{key} holds control characters {', '.join(bad[:5])}"
    return None


@dataclass(frozen=True, slots=True)
class Reject:
    """A record a parser refused: where it was, what was wrong, and its raw text."""

    source: str
    line_no: int | None
    field: str | None
    reason: str
    raw: str

    @classmethod
    def from_error(cls, err: RecordError, raw: str | None = None) -> Reject:
        return cls(
            source=err.source or "<stream>",
            line_no=err.line_no,
            field=err.field,
            reason=err.reason,
            raw=raw if raw is not None else (err.raw or ""),
        )

    def __str__(self) -> str:
        where = self.source + (f", line {self.line_no}" if self.line_no is not None else "")
        what = f"field {self.field}: " if self.field else ""
        return f"{where}: {what}{self.reason}"


@dataclass(slots=True)
class ParseResult:
    """What a parser read from one source: good records, and rejects with reasons."""

    source: str
    records: list[ElementSet] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)

    def __iter__(self) -> Iterator[ElementSet]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

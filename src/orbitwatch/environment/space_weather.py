"""CelesTrak's space-weather file (SW-All / sw19571001.txt, format 1.2): daily F10.7
(observed, and its 81-day centred average) and the daily planetary Ap, from its three
sections: OBSERVED, DAILY_PREDICTED (about 45 days) and MONTHLY_PREDICTED (years ahead,
one row per month: F10.7 only, no Ap).

Columns (CelesTrak's SpaceWx-format, FORMAT(I4,I3,I3,I5,I3,8I3,I4,8I4,I4,F4.1,I2,I4,
F6.1,I2,5F6.1)): date, Bartels rotation, Kp x8, sum, Ap x8, Ap average, Cp, C9, ISN,
F10.7 adjusted, Q, 81-day centred and last averages (adjusted), F10.7 observed, its
81-day centred and last averages. NRLMSISE-00 takes the observed F10.7 (previous day),
its 81-day centred average and the daily Ap.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from orbitwatch.errors import InputError

SECTIONS = ("OBSERVED", "DAILY_PREDICTED", "MONTHLY_PREDICTED")
#: Ap assumed where the file gives none (its monthly predictions): the mean daily Ap of
#: 1932-2024 is about 13; quiet years sit near 6-8, active ones near 20.
ASSUMED_AP = 12.0

# fixed columns (0-based, end exclusive) of the fields read
_DATE = ((0, 4), (5, 7), (8, 10))
_AP_AVG = (78, 82)
_F107_OBS = (112, 118)
_F107_OBS_C81 = (118, 124)


@dataclass(slots=True)
class SpaceWeather:
    """Daily solar and geomagnetic indices, one row per day, in date order."""

    source: str
    day: np.ndarray  # (n,) datetime64[D]
    f107: np.ndarray  # observed F10.7 (sfu)
    f107_c81: np.ndarray  # its 81-day centred average (sfu)
    ap: np.ndarray  # daily planetary Ap
    section: np.ndarray  # (n,) str: a section of the file, or INTERPOLATED
    sha256: str

    @property
    def last_observed(self) -> date:
        observed = self.day[self.section == "OBSERVED"]
        return observed[-1].astype(object) if len(observed) else self.day[0].astype(object)

    @property
    def first(self) -> date:
        return self.day[0].astype(object)

    @property
    def last(self) -> date:
        return self.day[-1].astype(object)


def _field(line: str, cols: tuple[int, int], path: str, line_no: int, name: str,
           required: bool = True) -> float:
    text = line[cols[0]:cols[1]].strip()
    if not text:
        if required:
            raise InputError(f"{path}:{line_no}: field {name} (columns {cols[0] + 1}-"
                             f"{cols[1]}) is empty")
        return float("nan")
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{path}:{line_no}: field {name} (columns {cols[0] + 1}-{cols[1]}) "
                         f"is {text!r}, not a number") from None


def read_space_weather(path: str | Path) -> SpaceWeather:
    """Parse a CelesTrak space-weather file; an InputError naming the file, line and
    field for anything it cannot read. Monthly predictions are spread over the days of
    their month; days without an Ap get ASSUMED_AP."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read space-weather file {path}: {exc.strerror}") from None
    text = raw.decode("ascii", errors="replace")
    name = str(path)
    rows: dict[date, tuple[float, float, float, str]] = {}
    section = None
    seen = set()
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("BEGIN "):
            section = stripped.split()[1]
            seen.add(section)
            continue
        if stripped.startswith("END "):
            section = None
            continue
        if section not in SECTIONS or not stripped or stripped.startswith("#"):
            continue
        try:
            day = date(*(int(_field(line, c, name, line_no, f)) for c, f in
                         zip(_DATE, ("year", "month", "day"), strict=True)))
        except ValueError as exc:
            raise InputError(f"{name}:{line_no}: field date: {exc}") from None
        f107 = _field(line, _F107_OBS, name, line_no, "F10.7 OBS")
        c81 = _field(line, _F107_OBS_C81, name, line_no, "F10.7 OBS CTR81")
        if section == "MONTHLY_PREDICTED":
            ap = ASSUMED_AP
            following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
            days = [day + timedelta(days=k) for k in range((following - day).days)]
        else:
            ap = _field(line, _AP_AVG, name, line_no, "Ap AVG")
            days = [day]
        if not (0 < f107 < 1000 and 0 < c81 < 1000 and 0 <= ap < 1000):
            raise InputError(f"{name}:{line_no}: F10.7 {f107}, its 81-day average {c81} or "
                             f"Ap {ap} is outside the physical range")
        for d in days:
            rows.setdefault(d, (f107, c81, ap, section))  # observed first, then predictions
    if "OBSERVED" not in seen or not rows:
        raise InputError(f"{name}: not a CelesTrak space-weather file (no BEGIN OBSERVED "
                         "section with data)")
    given = np.array(sorted(rows), "datetime64[D]")
    values = [rows[d] for d in sorted(rows)]
    # every day from the first to the last; days the file skips (between its daily and
    # monthly predictions) interpolated linearly
    every = np.arange(given[0], given[-1] + 1)
    t, t_given = every.astype(float), given.astype(float)
    section = np.full(len(every), "INTERPOLATED", "U17")
    section[np.searchsorted(every, given)] = [v[3] for v in values]
    return SpaceWeather(
        name, every, *(np.interp(t, t_given, [v[k] for v in values]) for k in range(3)),
        section, hashlib.sha256(raw).hexdigest())

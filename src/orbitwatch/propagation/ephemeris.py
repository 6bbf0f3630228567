"""Propagate element sets to times, in a chosen frame: the domain API over the kernels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from orbitwatch.core.time import datetime_to_split_jd, datetime_to_us
from orbitwatch.errors import InputError
from orbitwatch.formats.elements import ElementSet
from orbitwatch.propagation.element_arrays import ElementArrays
from orbitwatch.propagation.eop import EarthOrientation
from orbitwatch.propagation.frames import teme_to_gcrf, teme_to_itrf
from orbitwatch.propagation.sgp4_batch import (
    DECAYED,
    propagate_teme,
    summarize_errors,
)

FRAMES = ("teme", "itrf", "gcrf")


def time_grid(start: datetime, step_s: float, count: int) -> list[datetime]:
    """``count`` UTC times from ``start`` every ``step_s`` seconds."""
    if count < 1 or (step_s <= 0 and count > 1):
        raise InputError(f"a time grid needs count >= 1 and step > 0 s, got {count}, {step_s}")
    return [start + timedelta(seconds=step_s * k) for k in range(count)]


def split_jd(times: Sequence[datetime]) -> tuple[np.ndarray, np.ndarray]:
    """Aware datetimes -> split UTC Julian dates (exact to the microsecond)."""
    pairs = [datetime_to_split_jd(t) for t in times]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


@dataclass(slots=True)
class Ephemeris:
    """States of ``n`` objects at ``t`` times.

    ``position_km`` and ``velocity_km_s`` are ``(n, t, 3)`` in ``frame`` (NaN where
    SGP4 failed); ``error`` is ``(n, t)`` with python-sgp4's error codes.
    """

    norad_cat_id: np.ndarray
    times: list[datetime]
    frame: str
    position_km: np.ndarray
    velocity_km_s: np.ndarray
    error: np.ndarray

    def error_summary(self) -> dict[str, int]:
        """Failing objects counted by SGP4 error message."""
        return summarize_errors(self.error)

    @property
    def decayed(self) -> np.ndarray:
        """(n,) True for objects SGP4 reports as decayed at some time of the grid."""
        return (self.error == DECAYED).any(axis=1)


def propagate(
    element_sets: Sequence[ElementSet], times: Sequence[datetime], *, frame: str = "teme",
    eop: EarthOrientation | None = None,
) -> Ephemeris:
    """Positions and velocities of every element set at every time (SGP4, WGS72).

    ``frame`` is 'teme' (SGP4's own), 'itrf' (Earth-fixed) or 'gcrf' (inertial, as in
    CDMs); see :mod:`orbitwatch.propagation.frames` for the conventions.
    """
    if frame not in FRAMES:
        raise InputError(f"unknown frame {frame!r}; use one of {', '.join(FRAMES)}")
    for t in times:
        if t.tzinfo is None:
            raise InputError(f"time {t} has no time zone; give UTC times")
    jd, fr = split_jd(times)
    sats = ElementArrays.from_element_sets(element_sets).satrecs()
    err, r, v = propagate_teme(sats, jd, fr)
    if frame == "itrf":
        r, v = teme_to_itrf(r, v, jd, fr, eop)
    elif frame == "gcrf":
        r, v = teme_to_gcrf(r, v, jd, fr, eop)
    ids = np.array([es.norad_cat_id for es in element_sets], dtype=np.int64)
    return Ephemeris(ids, list(times), frame, r, v, err)


def days_from_epoch(es: ElementSet, t: datetime) -> float:
    """Days from the element set's epoch to ``t`` (negative before the epoch)."""
    return (datetime_to_us(t) - es.epoch_us) / 86_400e6

"""Orbit geometry from mean elements: semi-major axis, perigee and apogee, period.

All functions take scalars or arrays (broadcast). Mean motion in revolutions per day
(the TLE / OMM unit); distances in km; the semi-major axis is the two-body one of the
Kozai mean motion (for SGP4's own Brouwer value see ``Satrec.no_unkozai``), which is
within about 10 km in LEO and serves geometry and classification, not propagation.
"""

from __future__ import annotations

import math

import numpy as np

from orbitwatch.core.constants import EARTH_RADIUS_KM, MU_KM3_S2

_REV_PER_DAY_TO_RAD_S = 2.0 * math.pi / 86_400.0

#: Days after its epoch at which an element set is stale, by orbit regime: where SGP4's
#: in-track error reaches a few km (LEO about 1 km/day, up to 3 below 500 km).
STALE_AFTER_DAYS = {"LEO": 3.0, "MEO": 14.0, "GEO": 30.0, "HEO": 7.0, "other": 30.0}


def mean_motion_rad_s(mean_motion_rev_day):
    """Mean motion in rad/s of a mean motion in revolutions per day."""
    return np.asarray(mean_motion_rev_day, dtype=np.float64) * _REV_PER_DAY_TO_RAD_S


def semi_major_axis_km(mean_motion_rev_day):
    """Semi-major axis (km) of a mean motion (rev/day): Kepler's third law, a = (mu/n^2)^(1/3).
    A mean motion of zero or below gives inf."""
    if isinstance(mean_motion_rev_day, float | int):  # one value: no array machinery
        n = float(mean_motion_rev_day) * _REV_PER_DAY_TO_RAD_S
        return (MU_KM3_S2 / (n * n)) ** (1.0 / 3.0) if n > 0 else math.inf
    n = mean_motion_rad_s(mean_motion_rev_day)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(n > 0, np.cbrt(MU_KM3_S2 / np.where(n > 0, n, 1.0) ** 2), np.inf)
    return a if a.ndim else float(a)


def mean_motion_rev_day(semi_major_axis_km_):
    """Inverse of :func:`semi_major_axis_km`: rev/day of a semi-major axis (km)."""
    a = np.asarray(semi_major_axis_km_, dtype=np.float64)
    n = np.sqrt(MU_KM3_S2 / a**3) / _REV_PER_DAY_TO_RAD_S
    return n if n.ndim else float(n)


def perigee_altitude_km(mean_motion_rev_day_, eccentricity):
    """Perigee altitude above the equatorial radius (km): a (1 - e) - R_E."""
    a = semi_major_axis_km(mean_motion_rev_day_)
    if isinstance(a, float) and isinstance(eccentricity, float | int):
        return a * (1.0 - eccentricity) - EARTH_RADIUS_KM
    return a * (1.0 - np.asarray(eccentricity)) - EARTH_RADIUS_KM


def apogee_altitude_km(mean_motion_rev_day_, eccentricity):
    """Apogee altitude above the equatorial radius (km): a (1 + e) - R_E."""
    a = semi_major_axis_km(mean_motion_rev_day_)
    return a * (1.0 + np.asarray(eccentricity)) - EARTH_RADIUS_KM


def period_min(mean_motion_rev_day_):
    """Orbital period, minutes (inf for a mean motion of zero or below)."""
    n = np.asarray(mean_motion_rev_day_, dtype=np.float64)
    with np.errstate(divide="ignore"):
        p = np.where(n > 0, 1440.0 / np.where(n > 0, n, 1.0), np.inf)
    return p if p.ndim else float(p)


def specific_angular_momentum_km2_s(mean_motion_rev_day_, eccentricity):
    """h = sqrt(mu a (1 - e^2)), km^2/s."""
    a = semi_major_axis_km(mean_motion_rev_day_)
    return np.sqrt(MU_KM3_S2 * a * (1.0 - np.asarray(eccentricity) ** 2))


def period_s_from_state(r, v, mu: float = MU_KM3_S2) -> float:
    """Two-body period (s) of an inertial state (r, v in consistent units with ``mu``);
    inf for an unbound orbit."""
    energy = 0.5 * float(np.dot(v, v)) - mu / float(np.linalg.norm(r))
    if energy >= 0:
        return math.inf
    a = -mu / (2.0 * energy)
    return 2.0 * math.pi * math.sqrt(a**3 / mu)


def orbit_regime(mean_motion_rev_day_, eccentricity):
    """Coarse orbit regime (str, or an array of str): HEO (e >= 0.25), LEO (apogee below
    2,000 km), GEO (period 1,400-1,460 min, e < 0.05), MEO (apogee below 35,000 km), or
    'other' beyond GEO. The screening volumes and the assumed covariances are per regime."""
    n = np.asarray(mean_motion_rev_day_, dtype=np.float64)
    ecc = np.asarray(eccentricity, dtype=np.float64)
    apogee = apogee_altitude_km(n, ecc)
    period = period_min(n)
    regime = np.select(
        [ecc >= 0.25, apogee < 2000.0, (period >= 1400.0) & (period <= 1460.0) & (ecc < 0.05),
         apogee < 35_000.0],
        ["HEO", "LEO", "GEO", "MEO"], "other")
    return regime if regime.ndim else str(regime)

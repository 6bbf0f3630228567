"""Geometry for access planning, on plain arrays: the Sun, Earth shadow, sites in TEME
and look angles (azimuth, elevation, range).

Frames and conventions: satellite states are TEME (SGP4's frame). A site fixed on the
Earth is carried into TEME by GMST 1982 at UT1 (as propagation.frames does the other
way); polar motion is left out here (under 20 m on the ground, under 0.003 deg of
elevation for a satellite 400 km away). Times are seconds from a split UTC Julian date
``(jd0, fr0)``; UT1 - UTC from an :class:`EarthOrientation` when given.

The Sun: the low-precision formulae of the Astronomical Almanac (section C, "Low
precision formulas for the Sun": about 0.01 deg from 1950 to 2050), in the equator and
equinox of date, which TEME is within arcseconds of for this purpose.
"""

from __future__ import annotations

import numpy as np

from orbitwatch.core.constants import EARTH_RADIUS_KM
from orbitwatch.propagation.eop import EarthOrientation
from orbitwatch.propagation.frames import gmst82_rad

AU_KM = 149_597_870.7
_J2000_JD = 2451545.0


def sun_teme_km(jd: np.ndarray, fr: np.ndarray) -> np.ndarray:
    """Geocentric position of the Sun (km), equator and equinox of date, (n, 3)."""
    n = (np.asarray(jd) - _J2000_JD) + np.asarray(fr)
    mean_lon = np.radians(280.460 + 0.9856474 * n)
    g = np.radians(357.528 + 0.9856003 * n)
    lam = mean_lon + np.radians(1.915) * np.sin(g) + np.radians(0.020) * np.sin(2 * g)
    eps = np.radians(23.439 - 0.0000004 * n)
    dist = AU_KM * (1.00014 - 0.01671 * np.cos(g) - 0.00014 * np.cos(2 * g))
    return np.stack([dist * np.cos(lam), dist * np.cos(eps) * np.sin(lam),
                     dist * np.sin(eps) * np.sin(lam)], axis=-1)


def sunlit(position_km: np.ndarray, sun_km: np.ndarray) -> np.ndarray:
    """Whether each position (..., 3) sees the Sun's centre: the segment towards the Sun
    does not cross a sphere of the Earth's equatorial radius (the same test as
    Skyfield's ``is_sunlit``)."""
    to_sun = sun_km - position_km
    u = to_sun / np.linalg.norm(to_sun, axis=-1, keepdims=True)
    along = np.einsum("...k,...k->...", position_km, u)
    closest2 = np.einsum("...k,...k->...", position_km, position_km) - along**2
    # the line meets the Earth only ahead of the satellite (along < 0 means sunward
    # of the Earth's centre is behind)
    return ~((along < 0.0) & (closest2 < EARTH_RADIUS_KM**2))


def sidereal_angle_rad(jd: np.ndarray, fr: np.ndarray,
                       eop: EarthOrientation | None = None) -> np.ndarray:
    """GMST 1982 (rad) at UT1 for split UTC Julian dates."""
    jd, fr = np.atleast_1d(jd), np.atleast_1d(fr)
    dut1 = (eop or EarthOrientation.zero()).at(jd + fr)[2]
    return gmst82_rad(jd, fr + dut1 / 86400.0)


def site_teme(site_itrf_km: np.ndarray, enu_itrf: np.ndarray, jd: np.ndarray, fr: np.ndarray,
              eop: EarthOrientation | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The site's position (n, 3) km and its east/north/up rows (n, 3, 3) in TEME."""
    theta = sidereal_angle_rad(jd, fr, eop)
    c, s = np.cos(theta), np.sin(theta)
    rot = np.zeros((len(theta), 3, 3))  # ITRF (PEF) -> TEME: R3(-theta)
    rot[:, 0, 0], rot[:, 0, 1], rot[:, 1, 0], rot[:, 1, 1], rot[:, 2, 2] = c, -s, s, c, 1.0
    pos = rot @ site_itrf_km
    basis = np.einsum("tij,kj->tki", rot, enu_itrf)
    return pos, basis


def look_angles(sat_teme_km: np.ndarray, site_pos: np.ndarray,
                site_basis: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Azimuth (deg from north, clockwise, 0..360), elevation (deg) and range (km) of
    satellites at ``sat_teme_km`` (..., n, 3) from the site at (n, 3) / (n, 3, 3)."""
    d = sat_teme_km - site_pos
    enu = np.einsum("...kj,...j->...k", site_basis, d)
    rng = np.linalg.norm(enu, axis=-1)
    el = np.degrees(np.arcsin(np.clip(enu[..., 2] / rng, -1.0, 1.0)))
    az = np.mod(np.degrees(np.arctan2(enu[..., 0], enu[..., 1])), 360.0)
    return az, el, rng

"""Frames: TEME -> PEF -> ITRF -> WGS84 geodetic, and TEME -> GCRF.

Conventions (Vallado, Crawford, Hujsak and Kelso 2006, "Revisiting Spacetrack Report
#3", AIAA 2006-6753, section on TEME and appendix C):

* TEME -> PEF: rotation about z by GMST 1982 (IAU-82 sidereal time, the angle SGP4
  itself is built on), evaluated at UT1 = UTC + (UT1-UTC). Velocities subtract the
  Earth's rotation, omega = 7.292115146706979e-5 rad/s x (1 - LOD / 86400 s).
* PEF -> ITRF: polar motion xp, yp (IAU-76/FK5 form, Vallado's ``polarm`` '80').
* TEME -> GCRF: PEF is taken as the terrestrial intermediate frame (TIRS); then the
  Earth rotation angle and the IAU 2006/2000A celestial-to-intermediate matrix from
  ERFA (``era00``, ``c2i06a``) with TT from UTC through ERFA's leap-second table.
  This is the frame CCSDS CDMs use for states (GCRF / EME2000 within ~20 mas).

Arrays: positions ``(..., n_times, 3)`` in km, velocities in km/s, times as split UTC
Julian dates ``jd, fr`` of shape ``(n_times,)``; EOP from :class:`EarthOrientation`
(all zero when none is given).
"""

from __future__ import annotations

import erfa
import numpy as np

from orbitwatch.core.constants import EARTH_ROTATION_RAD_S, WGS84_A_KM, WGS84_F
from orbitwatch.propagation.eop import EarthOrientation

_ARCSEC = np.pi / (180.0 * 3600.0)
_J2000_JD = 2451545.0


def gmst82_rad(jd_ut1: np.ndarray, fr_ut1: np.ndarray) -> np.ndarray:
    """Greenwich mean sidereal time, IAU 1982 model (Vallado's ``gstime``), radians."""
    tut1 = ((np.asarray(jd_ut1) - _J2000_JD) + np.asarray(fr_ut1)) / 36525.0
    seconds = (
        -6.2e-6 * tut1**3 + 0.093104 * tut1**2
        + (876600.0 * 3600.0 + 8640184.812866) * tut1 + 67310.54841
    )
    return np.mod(seconds * (np.pi / 180.0) / 240.0, 2.0 * np.pi)


def _rot3(angle: np.ndarray) -> np.ndarray:
    """Frame rotation about z by ``angle`` (n,) -> (n, 3, 3): x' = R x."""
    c, s = np.cos(angle), np.sin(angle)
    z, o = np.zeros_like(c), np.ones_like(c)
    return np.stack([np.stack([c, s, z], -1), np.stack([-s, c, z], -1),
                     np.stack([z, z, o], -1)], -2)


def _apply(matrix: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """matrix (n_t, 3, 3) applied to vectors (..., n_t, 3)."""
    return np.einsum("tij,...tj->...ti", matrix, vectors)


def _times(jd: np.ndarray, fr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.atleast_1d(np.asarray(jd, np.float64)), np.atleast_1d(np.asarray(fr, np.float64))


def teme_to_pef(
    position_teme_km: np.ndarray, velocity_teme_km_s: np.ndarray, jd: np.ndarray,
    fr: np.ndarray, eop: EarthOrientation | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """TEME -> pseudo Earth-fixed (PEF): GMST82 at UT1, and the Earth's rotation."""
    jd, fr = _times(jd, fr)
    _, _, dut1, lod = (eop or EarthOrientation.zero()).at(jd + fr)
    rot = _rot3(gmst82_rad(jd, fr + dut1 / 86400.0))
    r_pef = _apply(rot, position_teme_km)
    omega = EARTH_ROTATION_RAD_S * (1.0 - lod / 86400.0)
    w = np.stack([np.zeros_like(omega), np.zeros_like(omega), omega], -1)  # (n_t, 3)
    v_pef = _apply(rot, velocity_teme_km_s) - np.cross(w, r_pef)
    return r_pef, v_pef


def _polar_motion(xp_arcsec: np.ndarray, yp_arcsec: np.ndarray) -> np.ndarray:
    """Vallado's polar-motion matrix W ('80'): r_pef = W r_itrf."""
    xp, yp = np.asarray(xp_arcsec) * _ARCSEC, np.asarray(yp_arcsec) * _ARCSEC
    cx, sx, cy, sy = np.cos(xp), np.sin(xp), np.cos(yp), np.sin(yp)
    return np.stack([
        np.stack([cx, np.zeros_like(cx), -sx], -1),
        np.stack([sx * sy, cy, cx * sy], -1),
        np.stack([sx * cy, -sy, cx * cy], -1),
    ], -2)


def teme_to_itrf(
    position_teme_km: np.ndarray, velocity_teme_km_s: np.ndarray, jd: np.ndarray,
    fr: np.ndarray, eop: EarthOrientation | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """TEME -> ITRF (km, km/s): GMST82 at UT1, Earth rotation with LOD, polar motion."""
    jd, fr = _times(jd, fr)
    eop = eop or EarthOrientation.zero()
    r_pef, v_pef = teme_to_pef(position_teme_km, velocity_teme_km_s, jd, fr, eop)
    xp, yp, _, _ = eop.at(jd + fr)
    w_t = np.swapaxes(_polar_motion(xp, yp), -1, -2)
    return _apply(w_t, r_pef), _apply(w_t, v_pef)


def itrf_to_geodetic(position_itrf_km: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ITRF (km) -> WGS84 geodetic latitude (deg), longitude (deg, -180..180), height
    above the ellipsoid (km). Closed form of Heikkinen (1982), exact to well below 1 mm
    for points outside the Earth's core."""
    r = np.asarray(position_itrf_km, dtype=np.float64)
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    a = WGS84_A_KM
    b = a * (1.0 - WGS84_F)
    e2 = 1.0 - (b / a) ** 2
    ep2 = (a / b) ** 2 - 1.0
    p = np.hypot(x, y)
    big_f = 54.0 * b**2 * z**2
    g = p**2 + (1.0 - e2) * z**2 - e2 * (a**2 - b**2)
    c = e2**2 * big_f * p**2 / g**3
    s = np.cbrt(1.0 + c + np.sqrt(c**2 + 2.0 * c))
    k = s + 1.0 + 1.0 / s
    big_p = big_f / (3.0 * k**2 * g**2)
    q = np.sqrt(1.0 + 2.0 * e2**2 * big_p)
    r0 = -(big_p * e2 * p) / (1.0 + q) + np.sqrt(
        0.5 * a**2 * (1.0 + 1.0 / q) - big_p * (1.0 - e2) * z**2 / (q * (1.0 + q))
        - 0.5 * big_p * p**2
    )
    u = np.hypot(p - e2 * r0, z)
    v = np.sqrt((p - e2 * r0) ** 2 + (1.0 - e2) * z**2)
    z0 = b**2 * z / (a * v)
    height = u * (1.0 - b**2 / (a * v))
    lat = np.degrees(np.arctan2(z + ep2 * z0, p))
    lon = np.degrees(np.arctan2(y, x))
    return lat, lon, height


def teme_to_gcrf(
    position_teme_km: np.ndarray, velocity_teme_km_s: np.ndarray, jd: np.ndarray,
    fr: np.ndarray, eop: EarthOrientation | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """TEME -> GCRF (km, km/s) through PEF (= TIRS), ERA and IAU 2006/2000A CIO matrices."""
    jd, fr = _times(jd, fr)
    eop = eop or EarthOrientation.zero()
    _, _, dut1, _ = eop.at(jd + fr)
    rot_g = _rot3(gmst82_rad(jd, fr + dut1 / 86400.0))
    tai1, tai2 = erfa.utctai(jd, fr)
    tt1, tt2 = erfa.taitt(tai1, tai2)
    era = erfa.era00(jd, fr + dut1 / 86400.0)
    c2i = erfa.c2i06a(tt1, tt2)  # GCRS -> CIRS
    # TEME -> TIRS is rot_g; TIRS -> CIRS is R3(-ERA); CIRS -> GCRS is c2i^T.
    to_gcrs = np.einsum("tji,tjk,tkl->til", c2i, _rot3(-era), rot_g)
    return _apply(to_gcrs, position_teme_km), _apply(to_gcrs, velocity_teme_km_s)


def rtn_basis(position: np.ndarray, velocity: np.ndarray) -> np.ndarray:
    """Rows R (radial), T (transverse, in-track for a near-circular orbit) and N (orbit
    normal) of the orbit frame of each state: (..., 3) in, (..., 3, 3) out; any units."""
    r_hat = position / np.linalg.norm(position, axis=-1, keepdims=True)
    h = np.cross(position, velocity)
    n_hat = h / np.linalg.norm(h, axis=-1, keepdims=True)
    t_hat = np.cross(n_hat, r_hat)
    return np.stack((r_hat, t_hat, n_hat), axis=-2)

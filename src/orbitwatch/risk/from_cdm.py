"""Collision probability of the conjunction a CDM describes, by each method."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from orbitwatch.errors import InputError
from orbitwatch.formats.cdm import Cdm
from orbitwatch.risk.encounter import rtn_to_eci
from orbitwatch.risk.pc2d import pc_foster


@dataclass(frozen=True, slots=True)
class CdmStates:
    """Both objects at TCA in the CDM's inertial frame: m, m/s, and 6x6 covariances in
    m^2, m^2/s, m^2/s^2 rotated from each object's RTN frame."""

    r1: np.ndarray
    v1: np.ndarray
    cov1: np.ndarray
    r2: np.ndarray
    v2: np.ndarray
    cov2: np.ndarray


#: Earth's rotation rate (rad/s), IERS conventions.
EARTH_RATE_RAD_S = 7.292115146706979e-5
#: Geocentric distance (km) beyond which a CDM state is no Earth orbit (10x the Moon's).
MAX_RADIUS_KM = 4.0e6


def _check_object(cdm: Cdm, k: int, state_km: np.ndarray, cov_rtn: np.ndarray) -> None:
    """An InputError naming the object and field for a state that is no Earth orbit or a
    negative variance (not a covariance: its Pc would be meaningless, not zero). A
    covariance with positive variances that is not positive definite is remediated as
    CARA's tools do (eigenvalues clipped, risk.pc2d), not refused."""
    where = f"{cdm.source}, OBJECT{k}"
    if not np.isfinite(state_km).all():
        raise InputError(f"{where}: the state holds a value that is not finite")
    radius = math.hypot(*(float(x) for x in state_km[:3]))  # no overflow at 1e308
    if not 6000.0 < radius < MAX_RADIUS_KM:
        raise InputError(f"{where}: X, Y, Z put the object {radius:.6g} km from the Earth's "
                         f"centre (expected 6,000 .. {MAX_RADIUS_KM:,.0f} km)")
    if not math.hypot(*(float(x) for x in state_km[3:])) < 100.0:
        raise InputError(f"{where}: X_DOT, Y_DOT, Z_DOT give a speed over 100 km/s")
    position = np.asarray(cov_rtn, float)[:3, :3]
    if not np.isfinite(position).all():
        raise InputError(f"{where}: the covariance holds a value that is not finite")
    variances = np.diag(position)
    if (variances < 0).any():
        names = ("CR_R", "CT_T", "CN_N")
        bad = [f"{names[i]} = {variances[i]:g}" for i in range(3) if variances[i] < 0]
        raise InputError(f"{where}: negative variance ({', '.join(bad)} m**2): not a "
                         "covariance")


def cdm_states(cdm: Cdm) -> CdmStates:
    """States and covariances of a CDM in an inertial frame (m, m/s).

    GCRF and EME2000 states are used as given. ITRF states (CSpOC's CDMs) are taken in
    the inertial frame aligned with ITRF at TCA: the position is unchanged and the
    velocity gains omega x r. Pc does not depend on how the axes are turned, only on the
    inertial relative velocity and on the RTN frames, which are defined by the inertial
    velocity: with it the ION SCV-008 / STARLINK-1233 CDM's own RELATIVE_POSITION and
    RELATIVE_VELOCITY are reproduced to their last digit.
    """
    out = []
    for k, obj in enumerate(cdm.objects, start=1):
        _check_object(cdm, k, obj.state_km, obj.covariance_rtn)
        r = obj.state_km[:3] * 1000.0
        v = obj.state_km[3:] * 1000.0
        if obj.ref_frame.upper() == "ITRF":
            v = v + np.cross([0.0, 0.0, EARTH_RATE_RAD_S], r)
        out += [r, v, rtn_to_eci(obj.covariance_rtn, r, v)]
    return CdmStates(*out)


def cdm_pc_foster(cdm: Cdm, hbr_m: float, shape: str = "circle") -> float:
    """Foster 2D Pc of the CDM's conjunction with combined hard-body radius ``hbr_m`` (m),
    over the disk of that radius or (``shape="square"``, as CSpOC's messages) the square
    around it."""
    s = cdm_states(cdm)
    return pc_foster(s.r1, s.v1, s.cov1, s.r2, s.v2, s.cov2, hbr_m, shape)

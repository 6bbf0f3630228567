"""Collision probability of the conjunction a CDM describes, by each method."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
    for obj in cdm.objects:
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

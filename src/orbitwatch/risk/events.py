"""Pc of screening events, many at once: states at TCA from SGP4, the assumed covariance
of each object, Foster 2D, and SOCRATES's maximum probability.

Every output row says which covariance it used ("assumed: <model>, <regime>") and
the hard-body radius and where it came from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from orbitwatch.core.constants import MU_M3_S2
from orbitwatch.propagation.frames import rtn_basis
from orbitwatch.risk.covariance_model import SOCRATES_SHAPE_RTN_M
from orbitwatch.risk.encounter import encounter_planes
from orbitwatch.risk.maxpc import max_pc_over_scale_many
from orbitwatch.risk.montecarlo import two_d_unreliable
from orbitwatch.risk.pc2d import pc_circle_many

#: CARA's colour bands of Pc.
RED, YELLOW = 1e-4, 1e-7


def band(pc: float) -> str:
    """CARA's colour band: red >= 1e-4, yellow >= 1e-7, green below."""
    if not pc >= 0.0:
        return "none"
    return "red" if pc >= RED else ("yellow" if pc >= YELLOW else "green")


def _eci_cov_from_rtn_sigma(r: np.ndarray, v: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """(n, 3, 3) ECI covariances of diagonal RTN 1-sigmas (n, 3) at states (n, 3)."""
    basis = rtn_basis(r, v)  # rows R, T, N
    return np.einsum("nki,nk,nkj->nij", basis, sigma**2, basis)


def max_pc_many(miss: np.ndarray, shape: np.ndarray, hbr: np.ndarray,
                ) -> tuple[np.ndarray, np.ndarray]:
    """Maximum Pc over the size of covariance ``shape`` (n, 2, 2) and the scale k at it,
    for n encounters (``miss`` (n, 2), ``hbr`` (n,)).

    For a disk small against the miss distance the maximum is closed-form (Alfriend et al.
    1999, Space Debris 1(1)): k^2 = m' S^-1 m / 2 and Pc_max = R^2 / (e sqrt(det S) m' S^-1 m);
    otherwise the numerical maximum (maxpc.max_pc_over_scale_many), batched."""
    n = len(miss)
    pc, scale = np.full(n, np.nan), np.full(n, np.nan)
    distance = np.linalg.norm(miss, axis=1)
    closed = hbr < 0.05 * distance
    if closed.any():
        inv = np.linalg.inv(shape[closed])
        d2 = np.einsum("ni,nij,nj->n", miss[closed], inv, miss[closed])
        pc[closed] = np.minimum(
            hbr[closed] ** 2 / (math.e * np.sqrt(np.linalg.det(shape[closed])) * d2), 1.0)
        scale[closed] = np.sqrt(d2 / 2.0)
    numeric = np.flatnonzero(~closed & np.isfinite(distance))
    pc[numeric], scale[numeric] = max_pc_over_scale_many(miss[numeric], shape[numeric],
                                                         hbr[numeric])
    return pc, scale


@dataclass(slots=True)
class EventRisk:
    pc: np.ndarray  # Foster 2D with the assumed covariances
    pc_max: np.ndarray  # maximum of pc over the size of the assumed covariance (>= pc)
    max_pc: np.ndarray  # maximum over the size of the SOCRATES shape
    dilution_km: np.ndarray  # each object's in-track 1-sigma (km) at the maximum
    relative_speed_m_s: np.ndarray
    two_d_doubtful: np.ndarray  # bool: low relative speed or a long encounter


def events_risk(r1_km, v1_km_s, r2_km, v2_km_s, sigma1_m, sigma2_m, hbr_m) -> EventRisk:
    """Pc of n events from both objects' states at TCA (any inertial or TEME frame, km and
    km/s), their RTN 1-sigmas (m, (n, 3)) and the combined hard-body radius (m, (n,))."""
    r1, v1, r2, v2 = (np.asarray(a, float) * 1000.0 for a in (r1_km, v1_km_s, r2_km, v2_km_s))
    cov = (_eci_cov_from_rtn_sigma(r1, v1, np.asarray(sigma1_m, float))
           + _eci_cov_from_rtn_sigma(r2, v2, np.asarray(sigma2_m, float)))
    shape_sigma = np.broadcast_to(SOCRATES_SHAPE_RTN_M, r1.shape)
    shape = (_eci_cov_from_rtn_sigma(r1, v1, shape_sigma)
             + _eci_cov_from_rtn_sigma(r2, v2, shape_sigma))
    n = len(r1)
    hbr = np.broadcast_to(np.asarray(hbr_m, float), (n,))
    pc = np.full(n, np.nan)
    pc_max = np.full(n, np.nan)
    max_pc = np.full(n, np.nan)
    dilution = np.full(n, np.nan)
    moving = np.linalg.norm(v2 - v1, axis=1) > 0
    idx = np.flatnonzero(moving)
    if len(idx):
        miss, c2, _ = encounter_planes(r1[idx], v1[idx], r2[idx], v2[idx], cov[idx])
        _, s2, _ = encounter_planes(r1[idx], v1[idx], r2[idx], v2[idx], shape[idx])
        pc[idx] = pc_circle_many(miss, c2, hbr[idx])
        # scale 1 is one of the sizes searched: the maximum is at least the Pc itself
        pc_max[idx] = np.fmax(max_pc_many(miss, c2, hbr[idx])[0], pc[idx])
        max_pc[idx], scale = max_pc_many(miss, s2, hbr[idx])
        dilution[idx] = scale * SOCRATES_SHAPE_RTN_M[1] / 1000.0
    speed = np.linalg.norm(v2 - v1, axis=1)
    along = (v2 - v1) / np.where(speed > 0, speed, 1.0)[:, None]
    sigma_along = np.sqrt(np.einsum("ni,nij,nj->n", along, cov, along))
    period = 2 * np.pi * np.sqrt(np.linalg.norm(r1, axis=1) ** 3 / MU_M3_S2)
    doubtful = two_d_unreliable(speed, sigma_along, period)
    return EventRisk(pc, pc_max, max_pc, dilution, speed, doubtful)


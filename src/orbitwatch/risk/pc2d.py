"""Collision probability of a short encounter (Foster 1992; Chan 2008): the mass of the
relative-position Gaussian in the encounter plane that falls inside the hard-body disk.

Same quantity as CARA's Pc2D_Foster and PcCircle (NASA CARA Analysis Tools), computed by
adaptive quadrature to a relative accuracy of about 1e-12.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import integrate, special

from orbitwatch.risk.encounter import encounter_plane

#: Eigenvalues of a 2D covariance below this fraction of the largest are clipped to it
#: (a covariance that is not positive definite, as in CARA's remediation).
EIGEN_FLOOR = 1e-12


def _interval_mass(lo: float, hi: float) -> float:
    """P(lo < X < hi) for a standard normal X, without cancellation in either tail."""
    if lo >= 0.0:
        return float(special.ndtr(-lo) - special.ndtr(-hi))
    if hi <= 0.0:
        return float(special.ndtr(hi) - special.ndtr(lo))
    return float(1.0 - special.ndtr(lo) - special.ndtr(-hi))


def pc_circle(miss: np.ndarray, cov2: np.ndarray, hbr: float) -> float:
    """Probability that X ~ N(miss, cov2) in the plane lies within ``hbr`` of the origin.

    ``miss`` (2,), ``cov2`` (2, 2) and ``hbr`` in one length unit.
    """
    if hbr <= 0.0:
        return 0.0
    vals, vecs = np.linalg.eigh(np.asarray(cov2, float))
    vals = np.maximum(vals, EIGEN_FLOOR * max(vals.max(), 0.0) + 1e-300)
    m = vecs.T @ np.asarray(miss, float)
    # outer integral along the axis of larger spread, inner along the other in closed form
    outer, inner = (1, 0) if vals[1] >= vals[0] else (0, 1)
    s_out, s_in = math.sqrt(vals[outer]), math.sqrt(vals[inner])
    m_out, m_in = m[outer], m[inner]

    def integrand(u: float) -> float:
        half = math.sqrt(max(hbr * hbr - u * u, 0.0))
        density = math.exp(-0.5 * ((u - m_out) / s_out) ** 2) / (s_out * math.sqrt(2 * math.pi))
        return density * _interval_mass((-half - m_in) / s_in, (half - m_in) / s_in)

    points = [p for p in (m_out - 5 * s_out, m_out, m_out + 5 * s_out) if -hbr < p < hbr]
    with warnings.catch_warnings():
        # at extreme aspect ratios quad reports that roundoff stops it short of 1e-12;
        # what it returns is still good to about 1e-10
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        value, _ = integrate.quad(integrand, -hbr, hbr, points=points or None, epsabs=0.0,
                                  epsrel=1e-12, limit=400)
    return min(max(value, 0.0), 1.0)


def pc_foster(r1, v1, cov1, r2, v2, cov2, hbr: float) -> float:
    """Foster 2D Pc of two objects at TCA: inertial positions and velocities, their 3x3
    (or 6x6; the position block is used) inertial covariances, and the combined hard-body
    radius, all in one length unit (m or km). NaN when the relative velocity is zero
    (no encounter plane; CARA's tools give NaN too)."""
    if not np.linalg.norm(np.asarray(v2, float) - np.asarray(v1, float)) > 0.0:
        return math.nan
    plane = encounter_plane(r1, v1, r2, v2, np.asarray(cov1)[:3, :3] + np.asarray(cov2)[:3, :3])
    return pc_circle(plane.miss, plane.covariance, hbr)

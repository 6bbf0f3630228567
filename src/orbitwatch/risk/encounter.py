"""The short-encounter geometry shared by the 2D methods: the encounter plane, the miss
vector and the combined covariance projected on it.

Frames: positions and covariances in one inertial frame (ECI: GCRF/EME2000/TEME at TCA);
units as given (m or km throughout, never mixed). RTN covariances (CDM) are rotated to ECI
with :func:`rtn_to_eci`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orbitwatch.propagation.frames import rtn_basis


def rtn_to_eci(cov_rtn: np.ndarray, r: np.ndarray, v: np.ndarray) -> np.ndarray:
    """An RTN covariance (3x3 position or 6x6 position-velocity) in the inertial frame of
    (r, v). The rotation is that of the orbit frame; the frame's own rotation rate is
    ignored for the velocity block, as in CARA's tools."""
    basis = rtn_basis(r, v)
    k = cov_rtn.shape[0] // 3
    rot = np.kron(np.eye(k), basis.T)
    return rot @ cov_rtn @ rot.T


@dataclass(frozen=True, slots=True)
class EncounterPlane:
    """Miss vector (2,) and combined position covariance (2, 2) in the encounter plane,
    whose axes are x (in the plane of r and v, normal to v) and z (along r x v)."""

    miss: np.ndarray
    covariance: np.ndarray
    relative_speed: float


def encounter_plane(r1: np.ndarray, v1: np.ndarray, r2: np.ndarray, v2: np.ndarray,
                    cov: np.ndarray) -> EncounterPlane:
    """Project the relative state (object 2 - object 1) and the combined 3x3 position
    covariance ``cov`` (C1 + C2) on the plane normal to the relative velocity.

    The states are taken as at TCA: the miss vector is (|r|, 0), as in CARA's
    Pc2D_Foster and PcCircle, also when r is not quite normal to v (rounded CDM states);
    this reproduces CARA's test values to 1e-14."""
    r = np.asarray(r2, float) - np.asarray(r1, float)
    v = np.asarray(v2, float) - np.asarray(v1, float)
    if not np.linalg.norm(v) > 0.0:
        raise ValueError("no encounter plane: the relative velocity is zero")
    y = v / np.linalg.norm(v)
    h = np.cross(r, v)
    if np.linalg.norm(h) == 0.0:  # head-on through the origin: any normal will do
        h = np.cross(y, [1.0, 0.0, 0.0] if abs(y[0]) < 0.9 else [0.0, 1.0, 0.0])
    z = h / np.linalg.norm(h)
    x = np.cross(y, z)
    proj = np.array([x, z])
    c2 = proj @ np.asarray(cov, float)[:3, :3] @ proj.T
    return EncounterPlane(np.array([np.linalg.norm(r), 0.0]), 0.5 * (c2 + c2.T),
                          float(np.linalg.norm(v)))

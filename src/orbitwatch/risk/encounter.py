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


def encounter_planes(r1: np.ndarray, v1: np.ndarray, r2: np.ndarray, v2: np.ndarray,
                     cov: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Many encounter planes at once: states (n, 3) of objects 1 and 2 and combined
    position covariances (n, 3, 3) (or 6x6, whose position block is used) ->
    ``(miss (n, 2), covariance (n, 2, 2), relative speed (n,))``.

    The plane is normal to the relative velocity v = v2 - v1, with axes x (in the plane
    of r and v) and z (along r x v). The miss vector is (|r|, 0), as in CARA's
    Pc2D_Foster and PcCircle, also when r is not quite normal to v (rounded CDM states);
    this reproduces CARA's test values to 1e-14. When r is parallel to v (a head-on pass
    through the origin) any normal will do, and one is chosen. Rows with zero relative
    velocity have no plane: NaN.
    """
    r = np.asarray(r2, float) - np.asarray(r1, float)
    v = np.asarray(v2, float) - np.asarray(v1, float)
    speed = np.linalg.norm(v, axis=-1)
    moving = speed > 0.0
    y = v / np.where(moving, speed, np.nan)[:, None]
    h = np.cross(r, v)
    h_norm = np.linalg.norm(h, axis=-1)
    along_x = np.abs(y[:, 0]) < 0.9
    helper = np.where(along_x[:, None], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0])
    h = np.where((h_norm == 0.0)[:, None], np.cross(y, helper), h)
    z = h / np.linalg.norm(h, axis=-1)[:, None]
    x = np.cross(y, z)
    proj = np.stack((x, z), axis=1)  # (n, 2, 3)
    c2 = proj @ np.asarray(cov, float)[:, :3, :3] @ proj.transpose(0, 2, 1)
    c2 = 0.5 * (c2 + c2.transpose(0, 2, 1))
    miss = np.stack((np.linalg.norm(r, axis=-1), np.zeros(len(r))), axis=1)
    miss[~moving] = np.nan
    return miss, c2, speed


def encounter_plane(r1: np.ndarray, v1: np.ndarray, r2: np.ndarray, v2: np.ndarray,
                    cov: np.ndarray) -> EncounterPlane:
    """One encounter plane (as :func:`encounter_planes`) of the relative state (object
    2 - object 1) and the combined covariance ``cov`` (C1 + C2, 3x3 or 6x6).

    Raises ValueError when the relative velocity is zero (no plane)."""
    miss, c2, speed = encounter_planes(*(np.asarray(a, float)[None] for a in (r1, v1, r2, v2, cov)))
    if not speed[0] > 0.0:
        raise ValueError("no encounter plane: the relative velocity is zero")
    return EncounterPlane(miss[0], c2[0], float(speed[0]))

"""Two-body (Keplerian) motion of many states at once by the universal variable
(Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., algorithm 8).

Units follow ``mu``: with the default (m^3/s^2) states are in m and m/s; pass
``core.constants.MU_KM3_S2`` for km and km/s. Shapes broadcast: states ``(..., 3)``,
times ``(...)`` in seconds from the states' epoch.
"""

from __future__ import annotations

import math

import numpy as np

from orbitwatch.core.constants import MU_M3_S2


def _stumpff(psi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = np.empty_like(psi)
    s = np.empty_like(psi)
    pos, neg, small = psi > 1e-6, psi < -1e-6, np.abs(psi) <= 1e-6
    sq = np.sqrt(psi[pos])
    c[pos] = (1 - np.cos(sq)) / psi[pos]
    s[pos] = (sq - np.sin(sq)) / sq**3
    sq = np.sqrt(-psi[neg])
    c[neg] = (np.cosh(sq) - 1) / -psi[neg]
    s[neg] = (np.sinh(sq) - sq) / sq**3
    c[small] = 0.5 - psi[small] / 24
    s[small] = 1 / 6 - psi[small] / 120
    return c, s


def _universal(r0: np.ndarray, v0: np.ndarray, dt: np.ndarray, mu: float):
    """Lagrange coefficients f, g (and the quantities their rates need) of two-body motion
    over ``dt`` by the universal variable (Vallado, algorithm 8)."""
    r0n = np.linalg.norm(r0, axis=-1)
    vr0 = np.einsum("...k,...k->...", r0, v0) / r0n
    alpha = 2.0 / r0n - np.einsum("...k,...k->...", v0, v0) / mu
    sqmu = math.sqrt(mu)
    r0n, vr0, alpha = (np.broadcast_to(x, np.broadcast(x, dt).shape) for x in (r0n, vr0, alpha))
    chi = sqmu * np.abs(alpha) * dt
    for _ in range(30):
        psi = chi * chi * alpha
        c, s = _stumpff(psi)
        f = (r0n * vr0 / sqmu * chi * chi * c + (1 - alpha * r0n) * chi**3 * s
             + r0n * chi - sqmu * dt)
        df = r0n * vr0 / sqmu * chi * (1 - psi * s) + (1 - alpha * r0n) * chi * chi * c + r0n
        step = f / df
        chi = chi - step
        if np.max(np.abs(step)) < 1e-9:
            break
    psi = chi * chi * alpha
    c, s = _stumpff(psi)
    f = 1 - chi * chi / r0n * c
    g = dt - chi**3 / sqmu * s
    return f, g, chi, psi, c, s, r0n


def kepler_positions(r0: np.ndarray, v0: np.ndarray, dt: np.ndarray,
                     mu: float = MU_M3_S2) -> np.ndarray:
    """Two-body positions at times ``dt`` (s, shape (..., )) from states r0, v0 (m, m/s,
    shape (..., 3), broadcast against dt)."""
    f, g, *_ = _universal(r0, v0, dt, mu)
    return f[..., None] * r0 + g[..., None] * v0


def kepler_states(r0: np.ndarray, v0: np.ndarray, dt: np.ndarray,
                  mu: float = MU_M3_S2) -> tuple[np.ndarray, np.ndarray]:
    """Two-body positions and velocities (m, m/s) at times ``dt`` (s), as
    :func:`kepler_positions`."""
    f, g, chi, psi, c, s, r0n = _universal(r0, v0, dt, mu)
    r = f[..., None] * r0 + g[..., None] * v0
    rn = np.linalg.norm(r, axis=-1)
    f_dot = math.sqrt(mu) / (rn * r0n) * chi * (psi * s - 1.0)
    g_dot = 1.0 - chi * chi / rn * c
    return r, f_dot[..., None] * r0 + g_dot[..., None] * v0

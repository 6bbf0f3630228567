"""Cubic Hermite interpolation between SGP4 samples (positions and velocities), shared
by the numba kernels of screening and access."""

from __future__ import annotations

import numba as nb


@nb.njit(cache=True, inline="always")
def hermite_weights(u: float, h: float) -> tuple[float, float, float, float]:
    """Weights of (p0, v0, p1, v1) for the position at fraction ``u`` (0..1) of an
    interval of ``h`` seconds between states (p0, v0) and (p1, v1)."""
    u2 = u * u
    u3 = u2 * u
    return 2 * u3 - 3 * u2 + 1, (u3 - 2 * u2 + u) * h, -2 * u3 + 3 * u2, (u3 - u2) * h

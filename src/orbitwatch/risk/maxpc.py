"""Maximum Pc over the size of an uncertainty of known shape (Alfano 2005, "Relating
position uncertainty to maximum conjunction probability", J. Astronaut. Sci. 53(2)).

With the covariance's shape fixed and its size scaled by k (C -> k^2 C), Pc(k) rises from
0, peaks, and falls again as the uncertainty dilutes the probability. The peak is the
largest Pc this geometry can give for any size of that covariance; the k where it occurs
is the dilution threshold: a real covariance larger than that is in the dilution region,
where more uncertainty means a lower Pc (a low Pc there is not evidence of safety).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from orbitwatch.risk.pc2d import pc_circle


@dataclass(frozen=True, slots=True)
class MaxPc:
    pc: float  # the maximum
    scale: float  # k at the maximum (covariance k^2 C)
    sigma_major: float  # 1-sigma of the scaled covariance along its major axis (input unit)


def max_pc_over_scale(miss: np.ndarray, cov2: np.ndarray, hbr: float) -> MaxPc:
    """Largest Pc of ``N(miss, k^2 cov2)`` in the disk of radius ``hbr`` over k > 0."""
    vals = np.linalg.eigvalsh(np.asarray(cov2, float))
    major = math.sqrt(max(vals.max(), 1e-300))
    miss_norm = float(np.linalg.norm(miss))
    # search log k around the scale where the major sigma equals the miss distance
    centre = math.log(max(miss_norm, hbr) / major)

    def pc_at(log_k: float) -> float:
        return pc_circle(miss, cov2 * math.exp(2 * log_k), hbr)

    log_k, pc = _global_max(pc_at, centre - 12.0, centre + 12.0)
    k = math.exp(log_k)
    return MaxPc(pc, k, k * major)


def _global_max(f, lo: float, hi: float, n: int = 73) -> tuple[float, float]:
    """Maximum of f on [lo, hi]: a grid first (Pc(scale) can have a shoulder before its
    peak when the covariance is very elongated), then Brent within the best cell."""
    grid = np.linspace(lo, hi, n)
    values = [f(x) for x in grid]
    k = int(np.argmax(values))
    a, b = grid[max(k - 1, 0)], grid[min(k + 1, n - 1)]
    best = optimize.minimize_scalar(lambda x: -f(x), bounds=(a, b), method="bounded",
                                    options={"xatol": 1e-9})
    if -best.fun >= values[k]:
        return float(best.x), float(-best.fun)
    return float(grid[k]), float(values[k])


def frisbee_max_pc(miss: np.ndarray, known_cov2: np.ndarray, hbr: float) -> MaxPc:
    """Largest Pc when only one object's covariance is known (Frisbee's method).

    The unknown object's position uncertainty is taken as the worst it can be for this
    encounter: all of it along the miss direction in the encounter plane, of any size
    s (covariance s^2 u u^T added to the known one), and Pc is maximised over s. No
    other covariance of the unknown object gives a larger Pc at its worst size: spread
    across the miss line only dilutes. ``scale`` is s at the maximum, in the input unit;
    ``sigma_major`` the same.
    """
    miss = np.asarray(miss, float)
    norm = float(np.linalg.norm(miss))
    known = np.asarray(known_cov2, float)
    if norm == 0.0:
        return MaxPc(pc_circle(miss, known, hbr), 0.0, 0.0)
    u = miss / norm

    def pc_at(log_s: float) -> float:
        s = math.exp(log_s)
        return pc_circle(miss, known + s * s * np.outer(u, u), hbr)

    base = pc_circle(miss, known, hbr)
    log_s, pc = _global_max(pc_at, math.log(norm) - 12.0, math.log(norm) + 6.0)
    if pc <= base:  # the known covariance alone is the worst case
        return MaxPc(base, 0.0, 0.0)
    s = math.exp(log_s)
    return MaxPc(pc, s, s)

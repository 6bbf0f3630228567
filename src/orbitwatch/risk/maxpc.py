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

from orbitwatch.risk.pc2d import pc_circle, pc_circle_many


@dataclass(frozen=True, slots=True)
class MaxPc:
    pc: float  # the maximum
    scale: float  # k at the maximum (covariance k^2 C)
    sigma_major: float  # 1-sigma of the scaled covariance along its major axis (input unit)


#: The grid of log k of the search: 73 points over 24 e-folds around the miss distance.
_SPAN, _POINTS = 12.0, 73


def max_pc_over_scale(miss: np.ndarray, cov2: np.ndarray, hbr: float) -> MaxPc:
    """Largest Pc of ``N(miss, k^2 cov2)`` in the disk of radius ``hbr`` over k > 0."""
    vals = np.linalg.eigvalsh(np.asarray(cov2, float))
    major = math.sqrt(max(vals.max(), 1e-300))
    miss_norm = float(np.linalg.norm(miss))
    # search log k around the scale where the major sigma equals the miss distance
    centre = math.log(max(miss_norm, hbr) / major)

    def pc_at(log_k: float) -> float:
        return pc_circle(miss, cov2 * math.exp(2 * log_k), hbr)

    log_k, pc = _global_max(pc_at, centre - _SPAN, centre + _SPAN)
    k = math.exp(log_k)
    return MaxPc(pc, k, k * major)


def _global_max(f, lo: float, hi: float, n: int = _POINTS) -> tuple[float, float]:
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


#: Golden-section steps within the best grid cell: the cell (0.67 in log k) shrinks to
#: 4e-6, where Pc(k), flat at its peak, differs from the peak by far less than 1e-9.
_GOLDEN_STEPS = 26
#: Beyond this many major 1-sigmas from the disk's edge the Gaussian's mass across it is
#: below 1e-15: the Pc is 0 (miss outside) or 1 (miss inside) to double precision.
_FAR_SIGMAS = 8.0


def _pc_at_scales(miss: np.ndarray, shape: np.ndarray, hbr: np.ndarray, major: np.ndarray,
                  log_k: np.ndarray) -> np.ndarray:
    """Pc of ``N(miss, k^2 shape)`` in the disk for every event and k at once (rows of
    ``log_k`` (m, g) per event), without quadrature where the Gaussian is far from the
    disk's edge."""
    m, g = log_k.shape
    k = np.exp(log_k)
    edge = np.linalg.norm(miss, axis=1)[:, None] - hbr[:, None]  # > 0: miss outside
    far = np.abs(edge) > _FAR_SIGMAS * major[:, None] * k
    out = np.where(edge > 0, 0.0, 1.0) * np.ones((m, g))
    rows, cols = np.nonzero(~far)
    if len(rows):
        cov = shape[rows] * (k[rows, cols] ** 2)[:, None, None]
        out[rows, cols] = pc_circle_many(miss[rows], cov, hbr[rows])
    return out


def max_pc_over_scale_many(miss: np.ndarray, shape: np.ndarray, hbr: np.ndarray,
                           ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`max_pc_over_scale` of m encounters at once (``miss`` (m, 2), ``shape``
    (m, 2, 2), ``hbr`` (m,)): the maximum Pc and the scale k at it. The same search (a
    grid over 24 e-folds of k around the miss distance, then the best cell), vectorised:
    golden section in the cell instead of Brent, batched Pc instead of adaptive
    quadrature per point."""
    miss = np.asarray(miss, float).reshape(-1, 2)
    shape = np.asarray(shape, float).reshape(-1, 2, 2)
    hbr = np.asarray(hbr, float).reshape(-1)
    m = len(miss)
    if not m:
        return np.zeros(0), np.zeros(0)
    major = np.sqrt(np.maximum(np.linalg.eigvalsh(shape).max(axis=1), 1e-300))
    centre = np.log(np.maximum(np.linalg.norm(miss, axis=1), hbr) / major)
    grid = centre[:, None] + np.linspace(-_SPAN, _SPAN, _POINTS)[None, :]
    values = _pc_at_scales(miss, shape, hbr, major, grid)
    best = np.argmax(values, axis=1)
    rows = np.arange(m)
    lo = grid[rows, np.maximum(best - 1, 0)]
    hi = grid[rows, np.minimum(best + 1, _POINTS - 1)]
    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa = _pc_at_scales(miss, shape, hbr, major, a[:, None])[:, 0]
    fb = _pc_at_scales(miss, shape, hbr, major, b[:, None])[:, 0]
    for _ in range(_GOLDEN_STEPS):
        left = fa >= fb  # the maximum lies in [lo, b]
        hi = np.where(left, b, hi)
        lo = np.where(left, lo, a)
        b_new = np.where(left, a, lo + ratio * (hi - lo))
        a_new = np.where(left, hi - ratio * (hi - lo), b)
        probe = np.where(left, a_new, b_new)
        f = _pc_at_scales(miss, shape, hbr, major, probe[:, None])[:, 0]
        fb, fa = np.where(left, fa, f), np.where(left, f, fb)
        a, b = a_new, b_new
    refined = np.where(fa >= fb, a, b)
    f_refined = np.maximum(fa, fb)
    grid_best = values[rows, best]
    take = f_refined >= grid_best
    log_k = np.where(take, refined, grid[rows, best])
    return np.where(take, f_refined, grid_best), np.exp(log_k)


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

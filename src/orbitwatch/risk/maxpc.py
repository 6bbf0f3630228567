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

    def neg(log_k: float) -> float:
        return -pc_circle(miss, cov2 * math.exp(2 * log_k), hbr)

    best = optimize.minimize_scalar(neg, bounds=(centre - 12.0, centre + 12.0), method="bounded",
                                    options={"xatol": 1e-8})
    k = math.exp(best.x)
    return MaxPc(float(-best.fun), k, k * major)

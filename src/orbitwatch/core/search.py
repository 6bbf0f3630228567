"""Vectorised event search, Skyfield's ``searchlib`` being the model: the callers sample
a function of time and find the brackets where it changes sign or peaks; here every
bracket is refined at once. Each refinement evaluates the function on all brackets in
one call per iteration, so a search over thousands of passes or conjunctions costs a
few dozen batched calls.

The functions take ``f(t)`` on an array of times (s) for all brackets at once; brackets
are arrays ``lo``, ``hi`` of the same shape.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

#: 1 / golden ratio: the fraction of a bracket golden-section search keeps per step.
GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


def bisect_sign_change(
    positive: Callable[[np.ndarray], np.ndarray], lo: np.ndarray, hi: np.ndarray,
    rising: np.ndarray | bool, tol: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The time where ``positive(t)`` (a bool array) switches in each bracket
    [lo, hi], to within ``tol``, by bisection.

    ``rising`` says which way each bracket switches (False -> True when True). Returns
    ``(t, good)``; ``good`` is False where the bracket's ends do not switch as stated
    (t is then meaningless).
    """
    lo = np.array(lo, dtype=np.float64)
    hi = np.array(hi, dtype=np.float64)
    rising = np.broadcast_to(np.asarray(rising, bool), lo.shape)
    good = (positive(lo) != rising) & (positive(hi) == rising)
    while lo.size and (hi - lo)[good].max(initial=0.0) > tol:
        mid = 0.5 * (lo + hi)
        after = positive(mid) == rising  # the switch lies before mid
        hi = np.where(after, mid, hi)
        lo = np.where(after, lo, mid)
    return 0.5 * (lo + hi), good


def bisect_root(
    f: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]], lo: np.ndarray,
    hi: np.ndarray, tol: float,
) -> tuple[np.ndarray, np.ndarray]:
    """A root of ``f`` rising through zero in each bracket [lo, hi] (f(lo) <= 0 <= f(hi)),
    to within ``tol``, by bisection.

    ``f(t)`` returns ``(values, failed)``; a bracket whose ends do not bracket a rising
    root, or where ``f`` failed at any evaluation, comes back with ``ok`` False.
    """
    lo = np.array(lo, dtype=np.float64)
    hi = np.array(hi, dtype=np.float64)
    f_lo, bad_lo = f(lo)
    f_hi, bad_hi = f(hi)
    ok = (f_lo <= 0.0) & (f_hi >= 0.0) & ~bad_lo & ~bad_hi
    while ok.any() and (hi - lo)[ok].max() > tol:
        mid = 0.5 * (lo + hi)
        f_mid, bad = f(mid)
        ok &= ~bad
        up = f_mid >= 0.0
        hi = np.where(up, mid, hi)
        lo = np.where(up, lo, mid)
    return 0.5 * (lo + hi), ok


def golden_section_max(
    f: Callable[[np.ndarray], np.ndarray], lo: np.ndarray, hi: np.ndarray,
    iterations: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The maximum of a unimodal ``f`` in each bracket [lo, hi] by golden-section search:
    ``(lo, hi, best)`` after ``iterations`` steps, the bracket having shrunk by
    GOLDEN**iterations; ``best`` is the larger of the two inner values seen last.
    For a minimum, search ``-f``."""
    lo = np.array(lo, dtype=np.float64)
    hi = np.array(hi, dtype=np.float64)
    x1 = hi - GOLDEN * (hi - lo)
    x2 = lo + GOLDEN * (hi - lo)
    f1, f2 = f(x1), f(x2)
    for _ in range(iterations):
        left = f1 >= f2  # the maximum is in [lo, x2]
        hi = np.where(left, x2, hi)
        lo = np.where(left, lo, x1)
        x_new = np.where(left, hi - GOLDEN * (hi - lo), lo + GOLDEN * (hi - lo))
        f_new = f(x_new)
        x1, x2 = np.where(left, x_new, x2), np.where(left, x1, x_new)
        f1, f2 = np.where(left, f_new, f2), np.where(left, f1, f_new)
    return lo, hi, np.maximum(f1, f2)

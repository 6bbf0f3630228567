"""Time of closest approach by Newton's method on exact SGP4 states, in batches.

Every iteration evaluates SGP4 once per (object, time) still moving, grouped by object so
that python-sgp4's vectorised ``sgp4_array`` does the work: a batch of 100k approaches
costs a few Python calls per object, not per approach.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sgp4.api import Satrec

from orbitwatch.core.constants import MU_KM3_S2
from orbitwatch.core.search import bisect_root
from orbitwatch.propagation.sgp4_batch import states_at


@dataclass(slots=True)
class Refined:
    """Closest approaches found from starting guesses (arrays, one row per guess)."""

    tca_s: np.ndarray  # s after the reference epoch
    converged: np.ndarray  # bool
    failed: np.ndarray  # bool: an SGP4 error at some iterate
    position_1_km: np.ndarray  # TEME at TCA
    velocity_1_km_s: np.ndarray
    position_2_km: np.ndarray
    velocity_2_km_s: np.ndarray


def refine_tca(
    satrecs: Sequence[Satrec], i: np.ndarray, j: np.ndarray, t_guess_s: np.ndarray,
    jd0: float, fr0: float, r_max_km: np.ndarray, *, max_step_s: float,
    tol_s: float = 1e-6, max_iter: int = 12,
) -> Refined:
    """Newton iterations on the range rate f(t) = dr . dv, with f' = |dv|^2 + dr . da and
    two-body accelerations; steps clamped to ``max_step_s``. Converged when the last step
    is below ``tol_s``."""
    t = t_guess_s.astype(np.float64).copy()
    n = len(t)
    active = np.ones(n, bool)
    converged = np.zeros(n, bool)
    failed = np.zeros(n, bool)
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if len(idx) == 0:
            break
        obj = np.concatenate((i[idx], j[idx]))
        err, pos, vel = states_at(satrecs, obj, np.concatenate((t[idx], t[idx])), jd0, fr0,
                                  r_max_km)
        m = len(idx)
        bad = (err[:m] != 0) | (err[m:] != 0)
        r1, v1, r2, v2 = pos[:m], vel[:m], pos[m:], vel[m:]
        dr, dv = r2 - r1, v2 - v1
        a1 = -MU_KM3_S2 * r1 / np.linalg.norm(r1, axis=1, keepdims=True) ** 3
        a2 = -MU_KM3_S2 * r2 / np.linalg.norm(r2, axis=1, keepdims=True) ** 3
        f = np.einsum("ij,ij->i", dr, dv)
        fp = np.einsum("ij,ij->i", dv, dv) + np.einsum("ij,ij->i", dr, a2 - a1)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(fp > 0, -f / fp, -np.sign(f) * 0.25 * max_step_s)
        step = np.clip(np.nan_to_num(step), -max_step_s, max_step_s)
        step[bad] = 0.0
        t[idx] += step
        failed[idx[bad]] = True
        done = bad | (np.abs(step) < tol_s)
        converged[idx[done & ~bad]] = True
        active[idx[done]] = False
    # Newton can cycle where the range rate is shallow (slow pairs, several minima near
    # each other): bisection on its sign change around the guess instead
    rest = np.flatnonzero(~converged & ~failed)
    if len(rest):
        t_rest, ok_rest = _bisect_range_rate(
            satrecs, i[rest], j[rest], t_guess_s[rest] - max_step_s,
            t_guess_s[rest] + max_step_s, jd0, fr0, r_max_km, tol_s)
        t[rest[ok_rest]] = t_rest[ok_rest]
        converged[rest[ok_rest]] = True
    obj = np.concatenate((i, j))
    err, pos, vel = states_at(satrecs, obj, np.concatenate((t, t)), jd0, fr0, r_max_km)
    failed |= (err[:n] != 0) | (err[n:] != 0)
    return Refined(t, converged & ~failed, failed, pos[:n], vel[:n], pos[n:], vel[n:])


def _range_rate(satrecs, i, j, t, jd0, fr0, r_max_km) -> tuple[np.ndarray, np.ndarray]:
    """``(dr . dv (km^2/s), SGP4 failed)`` of pairs (i, j) at times t."""
    m = len(t)
    err, pos, vel = states_at(satrecs, np.concatenate((i, j)), np.concatenate((t, t)),
                              jd0, fr0, r_max_km)
    f = np.einsum("ij,ij->i", pos[m:] - pos[:m], vel[m:] - vel[:m])
    return f, (err[:m] != 0) | (err[m:] != 0)


def _bisect_range_rate(satrecs, i, j, lo, hi, jd0, fr0, r_max_km,
                       tol_s: float) -> tuple[np.ndarray, np.ndarray]:
    """A zero of the range rate rising through 0 (a minimum of range) in [lo, hi], by
    bisection; ``ok`` is False where the bracket holds no such sign change."""
    return bisect_root(lambda t: _range_rate(satrecs, i, j, t, jd0, fr0, r_max_km),
                       lo, hi, tol_s)

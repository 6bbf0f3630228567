"""A dense brute-force conjunction screener: simple and obviously right, slow.

Every pair, every ``step_s``, exact SGP4 (no interpolation). A local minimum of the
range lies where the range rate dr.dv changes sign from - to +. A bracket is refined
when the straight line from the earlier sample passes within the threshold plus a crude
bound on the curvature of the relative motion (each object's acceleration is below
g0 = mu / Re^2, so the relative acceleration is below 2 g0). TCA by bisection on the
range rate with exact SGP4, to 1 microsecond.
"""

from __future__ import annotations

import numpy as np
from sgp4.api import Satrec, SatrecArray

from orbitwatch.core.constants import EARTH_RADIUS_KM, MU_KM3_S2

G0_KM_S2 = MU_KM3_S2 / EARTH_RADIUS_KM**2


def reference_events(satrecs: list[Satrec], jd0: float, fr0: float, window_s: float,
                     threshold_km: float, step_s: float = 60.0) -> list[tuple]:
    """[(i, j, tca_s, miss_km, rel_speed_km_s)] with i < j, TCA in (0, window_s)."""
    n = len(satrecs)
    n_t = int(window_s // step_s) + 1
    t = np.arange(n_t) * step_s
    err, r, v = SatrecArray(satrecs).sgp4(np.full(n_t, jd0), fr0 + t / 86400.0)
    ii, jj = np.triu_indices(n, 1)
    bad = (err != 0).any(axis=1)  # per object: indexing err by pair took 6 GB
    bad_pair = bad[ii] | bad[jj]
    ii, jj = ii[~bad_pair], jj[~bad_pair]
    slack = threshold_km + 0.5 * 2 * G0_KM_S2 * step_s**2
    f_prev = None
    brackets = []
    for k in range(n_t):
        dr = r[jj, k] - r[ii, k]
        dv = v[jj, k] - v[ii, k]
        f = np.einsum("ij,ij->i", dr, dv)
        if f_prev is not None:
            sel = np.flatnonzero((f_prev[0] < 0) & (f >= 0))
            d0, w = f_prev[1][sel], f_prev[2][sel]
            ww = np.einsum("ij,ij->i", w, w)
            s = np.clip(-np.einsum("ij,ij->i", d0, w) / np.maximum(ww, 1e-300), 0, step_s)
            near = np.linalg.norm(d0 + w * s[:, None], axis=1) <= slack
            brackets.extend((int(ii[q]), int(jj[q]), t[k - 1], t[k]) for q in sel[near])
        f_prev = (f, dr, dv)
    events = []
    for i, j, a, b in brackets:
        while b - a > 1e-6:
            m = 0.5 * (a + b)
            dr, dv = _relative(satrecs[i], satrecs[j], jd0, fr0, m)
            if np.dot(dr, dv) < 0:
                a = m
            else:
                b = m
        tca = 0.5 * (a + b)
        dr, dv = _relative(satrecs[i], satrecs[j], jd0, fr0, tca)
        miss = float(np.linalg.norm(dr))
        if miss <= threshold_km:
            events.append((i, j, tca, miss, float(np.linalg.norm(dv))))
    return events


def _relative(s1: Satrec, s2: Satrec, jd0: float, fr0: float, t_s: float):
    fr = fr0 + t_s / 86400.0
    _, r1, v1 = s1.sgp4(jd0, fr)
    _, r2, v2 = s2.sgp4(jd0, fr)
    return np.subtract(r2, r1), np.subtract(v2, v1)

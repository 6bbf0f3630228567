"""Hot loops of the screener (numba): Hermite interpolation of SGP4 samples and a
spatial-hash sweep that finds every pair that may come within the screening radius.

Plain arrays in fixed units: km, km/s, s. No objects, no I/O.

Detection argument (why nothing is missed). The window is tiled by intervals of
``step_s``; at the centre ``t_c`` of each interval every object's state comes from a
cubic Hermite interpolant of SGP4 samples. For a pair whose true distance drops to
``radius_km`` at some ``t`` in the interval, the straight-line relative motion from
``t_c`` passes within ``radius_km + pad`` of the origin during the interval, where
``pad`` bounds (a) the interpolation error of both objects' positions and velocities
and (b) the departure of the true relative motion from a straight line, which is
driven by the gravity-gradient between the two objects (norm at most 2 mu / r^3,
r >= ``R_MIN_KM``) acting over at most half the interval. A spatial hash with cells
larger than ``radius_km + pad`` plus both objects' travel over half an interval
brings every such pair to the test.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from orbitwatch.propagation.sgp4_batch import EARTH_RADIUS_KM, MU_KM3_S2

#: Smallest geocentric distance considered when bounding the gravity-gradient (km);
#: an object below it is re-entering and SGP4 reports it as decayed.
R_MIN_KM = EARTH_RADIUS_KM
_GRAD_MAX = 2.0 * MU_KM3_S2 / R_MIN_KM**3 * 1.01  # 1 % for J2's share of the gradient

# Cell offsets: the own cell first, then the 13 of a half stencil (with the own cell
# searched for j > i, every neighbouring pair of cells is visited once), then the
# other 13 (a full stencil, for searches around primaries only).
_OFFSETS = [(dx, dy, dz) for dx in (-1, 0, 1) for dy in (-1, 0, 1) for dz in (-1, 0, 1)]
_STENCIL = np.array(
    [(0, 0, 0)]
    + [o for o in _OFFSETS if o > (0, 0, 0)]
    + [o for o in _OFFSETS if o < (0, 0, 0)],
    dtype=np.int64,
)

#: Flags of a detection record.
FLAG_SLOW = 1  # relative speed below the formation threshold at the interval centre


@nb.njit(cache=True, inline="always")
def _hash3(cx: int, cy: int, cz: int, mask: int) -> int:
    h = (cx * 73856093) ^ (cy * 19349663) ^ (cz * 83492791)
    return h & mask


@nb.njit(cache=True)
def hermite_positions(pos, vel, ok, t_s, h_s, out_pos, out_ok):
    """Positions of all objects at ``t_s`` seconds after the first sample (cubic Hermite
    in each coordinate between the two samples around it).

    ``pos``/``vel`` are (n_samples, n, 3) km and km/s, ``ok`` (n_samples, n) bool;
    ``h_s`` the sample spacing in seconds.
    """
    k = int(t_s // h_s)
    if k > pos.shape[0] - 2:
        k = pos.shape[0] - 2
    u = (t_s - k * h_s) / h_s
    u2 = u * u
    u3 = u2 * u
    h00 = 2 * u3 - 3 * u2 + 1
    h10 = (u3 - 2 * u2 + u) * h_s
    h01 = -2 * u3 + 3 * u2
    h11 = (u3 - u2) * h_s
    for i in range(pos.shape[1]):
        good = ok[k, i] and ok[k + 1, i]
        out_ok[i] = good
        if good:
            for c in range(3):
                out_pos[i, c] = (h00 * pos[k, i, c] + h10 * vel[k, i, c]
                                 + h01 * pos[k + 1, i, c] + h11 * vel[k + 1, i, c])


@nb.njit(cache=True)
def sweep(pos, vel, ok, h_s, step_s, n_steps, pos_err_km, radius_km, slow_km_s, primary,
          capacity):
    """Find every pair that may come within ``radius_km`` in each detection interval.

    ``pos``/``vel``/``ok`` are SGP4 samples every ``h_s`` seconds from the chunk start;
    detection interval ``m`` spans ``[m, m + 1] * step_s`` seconds from the chunk start.
    ``pos_err_km`` (n,) bounds each object's interpolation error. ``primary`` (n,) bool:
    when any is set, only pairs with at least one primary are searched (full stencil
    around each primary), otherwise all pairs (half stencil).

    Each object's motion over an interval is replaced by its chord; the relative chord
    of a pair departs from the true relative motion by at most the interpolation errors
    plus G |dr| step^2 / 8 (G: gravity-gradient norm), so a pair is a candidate when its
    relative chord passes within ``radius_km`` plus that pad of the origin.

    Returns ``(count, i, j, t_s, d_km, flags)``: per candidate the object indices
    (i < j), the time of the chord's closest approach (s from the chunk start), its
    distance, and FLAG_SLOW when the chord's relative speed is below ``slow_km_s``.
    When more than ``capacity`` are found, ``count`` is the true number and only
    ``capacity`` are filled: call again with more.
    """
    n = pos.shape[1]
    out_i = np.empty(capacity, np.int32)
    out_j = np.empty(capacity, np.int32)
    out_t = np.empty(capacity, np.float64)
    out_d = np.empty(capacity, np.float64)
    out_f = np.empty(capacity, np.uint8)
    count = 0
    pa = np.empty((n, 3))
    pb = np.empty((n, 3))
    ok_a = np.empty(n, np.bool_)
    ok_b = np.empty(n, np.bool_)
    size = 1
    while size < n:
        size *= 2
    mask = size - 1
    bucket_start = np.empty(size + 1, np.int32)
    fill = np.empty(size, np.int32)
    bucket_of = np.empty(n, np.int32)
    cell = np.empty((n, 3), np.int32)
    # per-step copies in bucket order, so that a bucket's objects sit together in memory
    s_id = np.empty(n, np.int32)
    s_cell = np.empty((n, 3), np.int32)
    s_a = np.empty((n, 3))
    s_w = np.empty((n, 3))  # chord velocity (km/s)
    s_hc = np.empty(n)
    s_err = np.empty(n)
    s_primary = np.empty(n, np.bool_)
    primary_mode = primary.any()
    n_stencil = 27 if primary_mode else 14
    s_rlo = np.empty(n)  # range of geocentric distance along the chord (km)
    s_rhi = np.empty(n)
    err_max = pos_err_km.max()
    sag = 0.125 * _GRAD_MAX * step_s * step_s
    half = 0.5 * step_s
    hermite_positions(pos, vel, ok, 0.0, h_s, pb, ok_b)
    for m in range(n_steps):
        t_a = m * step_s
        pa, pb = pb, pa
        ok_a, ok_b = ok_b, ok_a
        hermite_positions(pos, vel, ok, t_a + step_s, h_s, pb, ok_b)
        chord_max = 0.0
        for i in range(n):
            if ok_a[i] and ok_b[i]:
                hc = 0.5 * np.sqrt((pb[i, 0] - pa[i, 0]) ** 2 + (pb[i, 1] - pa[i, 1]) ** 2
                                   + (pb[i, 2] - pa[i, 2]) ** 2)
                if hc > chord_max:
                    chord_max = hc
        # Largest centre distance at which a pair can still pass within the radius.
        cell_km = (radius_km + 2.0 * err_max + 2.0 * chord_max
                   + 1.1 * sag * (radius_km + 4.0 * err_max + 6.0 * chord_max) + 2e-3)
        inv_cell = 1.0 / cell_km
        bucket_start[:] = 0
        for i in range(n):
            if not (ok_a[i] and ok_b[i]):
                bucket_of[i] = -1
                continue
            cx = int(np.floor(0.5 * (pa[i, 0] + pb[i, 0]) * inv_cell))
            cy = int(np.floor(0.5 * (pa[i, 1] + pb[i, 1]) * inv_cell))
            cz = int(np.floor(0.5 * (pa[i, 2] + pb[i, 2]) * inv_cell))
            cell[i, 0] = cx
            cell[i, 1] = cy
            cell[i, 2] = cz
            b = _hash3(cx, cy, cz, mask)
            bucket_of[i] = b
            bucket_start[b + 1] += 1
        for b in range(size):
            bucket_start[b + 1] += bucket_start[b]
            fill[b] = bucket_start[b]
        n_valid = bucket_start[size]
        for i in range(n):
            b = bucket_of[i]
            if b >= 0:
                a = fill[b]
                fill[b] += 1
                s_id[a] = i
                for c in range(3):
                    s_cell[a, c] = cell[i, c]
                    s_a[a, c] = pa[i, c]
                    s_w[a, c] = (pb[i, c] - pa[i, c]) / step_s
                s_hc[a] = 0.5 * step_s * np.sqrt(s_w[a, 0] ** 2 + s_w[a, 1] ** 2 + s_w[a, 2] ** 2)
                s_err[a] = pos_err_km[i]
                s_primary[a] = primary[i]
                ra = np.sqrt(pa[i, 0] ** 2 + pa[i, 1] ** 2 + pa[i, 2] ** 2)
                rb = np.sqrt(pb[i, 0] ** 2 + pb[i, 1] ** 2 + pb[i, 2] ** 2)
                # a chord dips below its end points by at most half_chord^2 / (2 r)
                s_rlo[a] = min(ra, rb) - s_hc[a] * s_hc[a] / (2.0 * min(ra, rb))
                s_rhi[a] = max(ra, rb)
        for a in range(n_valid):
            if primary_mode and not s_primary[a]:
                continue
            cx = s_cell[a, 0]
            cy = s_cell[a, 1]
            cz = s_cell[a, 2]
            ax = s_a[a, 0]
            ay = s_a[a, 1]
            az = s_a[a, 2]
            awx = s_w[a, 0]
            awy = s_w[a, 1]
            awz = s_w[a, 2]
            for q in range(n_stencil):
                nx = cx + _STENCIL[q, 0]
                ny = cy + _STENCIL[q, 1]
                nz = cz + _STENCIL[q, 2]
                b = _hash3(nx, ny, nz, mask)
                lo = bucket_start[b]
                if q == 0 and not primary_mode:
                    lo = a + 1  # own cell: each pair once
                for slot in range(lo, bucket_start[b + 1]):
                    if s_cell[slot, 0] != nx or s_cell[slot, 1] != ny or s_cell[slot, 2] != nz:
                        continue
                    if primary_mode and (slot == a or (s_primary[slot]
                                                       and s_id[slot] < s_id[a])):
                        continue  # a pair of two primaries is taken from its lower index
                    # radial separation: |d| >= ||r_j| - |r_i|| along both chords
                    err = s_err[a] + s_err[slot]
                    gap = max(s_rlo[slot] - s_rhi[a], s_rlo[a] - s_rhi[slot])
                    reach = 4.0 * (s_hc[a] + s_hc[slot])
                    if gap > radius_km + err + 1e-3 + sag * 1.05 * (radius_km + 2 * err + reach):
                        continue
                    # relative chord: d(s) = da + w s, s in [0, step]
                    dax = s_a[slot, 0] - ax
                    day = s_a[slot, 1] - ay
                    daz = s_a[slot, 2] - az
                    wx = s_w[slot, 0] - awx
                    wy = s_w[slot, 1] - awy
                    wz = s_w[slot, 2] - awz
                    travel = s_hc[a] + s_hc[slot]
                    lim = (radius_km + err + travel
                           + 1.1 * sag * (radius_km + 2.0 * err + 3.0 * travel) + 2e-3)
                    mx = dax + wx * half
                    my = day + wy * half
                    mz = daz + wz * half
                    if mx * mx + my * my + mz * mz > lim * lim:
                        continue
                    ww = wx * wx + wy * wy + wz * wz
                    s = 0.0
                    if ww > 0.0:
                        s = -(dax * wx + day * wy + daz * wz) / ww
                        if s > step_s:
                            s = step_s
                        elif s < 0.0:
                            s = 0.0
                    mx = dax + wx * s
                    my = day + wy * s
                    mz = daz + wz * s
                    d = np.sqrt(mx * mx + my * my + mz * mz)
                    sep = max(np.sqrt(dax * dax + day * day + daz * daz),
                              np.sqrt((dax + wx * step_s) ** 2 + (day + wy * step_s) ** 2
                                      + (daz + wz * step_s) ** 2)) + err
                    pad = err + sag * sep * 1.05 + 1e-3
                    if d > radius_km + pad:
                        continue
                    if count < capacity:
                        i = s_id[a]
                        j = s_id[slot]
                        out_i[count] = min(i, j)
                        out_j[count] = max(i, j)
                        out_t[count] = t_a + s
                        out_d[count] = d
                        out_f[count] = FLAG_SLOW if np.sqrt(ww) < slow_km_s else 0
                    count += 1
    return count, out_i, out_j, out_t, out_d, out_f


@nb.njit(cache=True)
def interpolation_error(pos, vel, ok, h_s):
    """Per-object estimate of the cubic Hermite position error at spacing ``h_s`` (km).

    Interpolates across every other sample (spacing 2 h) and compares with the sample
    skipped; the error of a cubic Hermite interpolant scales as h^4, so that residual
    divided by 16 estimates the error at spacing h. Data-driven, so it holds for any
    orbit SGP4/SDP4 produces (eccentric, deep-space, decaying).
    """
    n_s, n = pos.shape[0], pos.shape[1]
    out = np.zeros(n)
    h2 = 2.0 * h_s
    for i in range(n):
        worst = 0.0
        for k in range(n_s - 2):
            if not (ok[k, i] and ok[k + 1, i] and ok[k + 2, i]):
                continue
            e2 = 0.0
            for c in range(3):
                # cubic Hermite at the midpoint of [k, k + 2]
                mid = (0.5 * (pos[k, i, c] + pos[k + 2, i, c])
                       + 0.125 * h2 * (vel[k, i, c] - vel[k + 2, i, c]))
                e2 += (mid - pos[k + 1, i, c]) ** 2
            if e2 > worst:
                worst = e2
        out[i] = np.sqrt(worst) / 16.0
    return out

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

from orbitwatch.core.constants import EARTH_RADIUS_KM, MU_KM3_S2
from orbitwatch.propagation.hermite import hermite_weights

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

def _need_mask(offset) -> int:
    """Bits of the cell faces an object must be near for the neighbour at ``offset``
    to hold a partner: bit 2k for the low face of axis k, 2k + 1 for the high face."""
    bits = 0
    for k, o in enumerate(offset):
        if o == -1:
            bits |= 1 << (2 * k)
        elif o == 1:
            bits |= 1 << (2 * k + 1)
    return bits


_NEED = np.array([_need_mask(o) for o in _STENCIL], dtype=np.int64)

#: Flags of a detection record.
FLAG_SLOW = 1  # chord relative speed below the formation threshold
FLAG_STILL = 2  # so far below it that the speed at a TCA in the interval is below it too


@nb.njit(cache=True, inline="always")
def _cell_key(cx: int, cy: int, cz: int) -> int:
    """A cell's 21-bit coordinates packed in one integer."""
    return ((cx & 0x1FFFFF) << 42) | ((cy & 0x1FFFFF) << 21) | (cz & 0x1FFFFF)


@nb.njit(cache=True, inline="always")
def _hash3(cx: int, cy: int, cz: int, bits: int) -> int:
    """Bucket of a cell: its packed coordinates, Fibonacci hashing."""
    key = np.uint64(_cell_key(cx, cy, cz))
    return int((key * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits))


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
    h00, h10, h01, h11 = hermite_weights((t_s - k * h_s) / h_s, h_s)
    for i in range(pos.shape[1]):
        good = ok[k, i] and ok[k + 1, i]
        out_ok[i] = good
        if good:
            for c in range(3):
                out_pos[i, c] = (h00 * pos[k, i, c] + h10 * vel[k, i, c]
                                 + h01 * pos[k + 1, i, c] + h11 * vel[k + 1, i, c])


#: Objects whose interpolation-error bound exceeds this (km) stay out of the hash grid,
#: which would otherwise need cells that large for everyone, and are tested against
#: every object instead (a handful of eccentric objects near perigee).
WIDE_ERROR_KM = 25.0

#: At most this share of the objects (the fastest, by chord) leave the grid in an interval,
#: so that they do not set its cell size; N_BINS is the resolution of that choice.
FAST_SHARE = 0.003
N_BINS = 256

#: Chords whose geocentric distance spans more than this (km: eccentric objects near
#: perigee) go in a bucket's second list, so that their spread does not widen the
#: radial window of searches among the near-circular majority.
BROAD_KM = 12.0


@nb.njit(cache=True, inline="always")
def _chord_test(a, b, s_a, s_w, s_hc, s_err, s_rlo, s_rhi, radius_km, sag, step_s):
    """Whether the relative chord of objects ``a`` and ``b`` (slots of the gathered
    arrays) can come within ``radius_km``: returns ``(d, s, ww)``, the chord's least
    distance (km, negative when rejected), its time from the interval start (s) and
    the squared relative chord speed (km^2/s^2).

    Without branches: nearly every pair tested is rejected, by a test that cannot be
    predicted, so computing all of them costs less than a mispredicted early exit."""
    err = s_err[a] + s_err[b]
    travel = s_hc[a] + s_hc[b]
    # radial separation: |d| >= ||r_j| - |r_i|| along both chords
    gap = max(s_rlo[b] - s_rhi[a], s_rlo[a] - s_rhi[b])
    radial_ok = gap <= (radius_km + err + 1e-3
                        + sag * 1.05 * (radius_km + 2.0 * err + 4.0 * travel))
    # relative chord: d(s) = da + w s, s in [0, step]
    dax = s_a[b, 0] - s_a[a, 0]
    day = s_a[b, 1] - s_a[a, 1]
    daz = s_a[b, 2] - s_a[a, 2]
    wx = s_w[b, 0] - s_w[a, 0]
    wy = s_w[b, 1] - s_w[a, 1]
    wz = s_w[b, 2] - s_w[a, 2]
    lim = radius_km + err + travel + 1.1 * sag * (radius_km + 2.0 * err + 3.0 * travel) + 2e-3
    half = 0.5 * step_s
    mx = dax + wx * half
    my = day + wy * half
    mz = daz + wz * half
    middle_ok = mx * mx + my * my + mz * mz <= lim * lim
    ww = wx * wx + wy * wy + wz * wz
    # ww is 0 only when w is, and then so is the dot product
    s = min(max(-(dax * wx + day * wy + daz * wz) / max(ww, 1e-300), 0.0), step_s)
    mx = dax + wx * s
    my = day + wy * s
    mz = daz + wz * s
    d = np.sqrt(mx * mx + my * my + mz * mz)
    sep2 = max(dax * dax + day * day + daz * daz,
               (dax + wx * step_s) ** 2 + (day + wy * step_s) ** 2 + (daz + wz * step_s) ** 2)
    pad = err + sag * (np.sqrt(sep2) + err) * 1.05 + 1e-3
    if radial_ok & middle_ok & (d <= radius_km + pad):
        return d, s, ww
    return -1.0, s, ww


@nb.njit(cache=True)
def _grown(arr):
    """A copy of ``arr`` with twice the room."""
    out = np.empty(2 * arr.shape[0], arr.dtype)
    out[:arr.shape[0]] = arr
    return out


@nb.njit(cache=True, inline="always")
def _emit(count, i, j, t, d, flag, out_i, out_j, out_t, out_d, out_f):
    """Record candidate number ``count`` (the caller has checked there is room); returns
    the new count. The arrays are never replaced inside the searches: numba counts the
    references of an array variable reassigned in a loop on every pass, which cost more
    than the chord tests themselves."""
    out_i[count] = min(i, j)
    out_j[count] = max(i, j)
    out_t[count] = t
    out_d[count] = d
    out_f[count] = flag
    return count + 1


@nb.njit(cache=True, inline="always")
def _test_pair(a, b, slots, t_a, radius_km, sag, step_s, speeds, count, out):
    """Chord-test slots ``a`` and ``b`` of one interval starting at ``t_a`` (s) and record
    the pair when it passes, flagged by its chord speed against ``speeds`` (the formation
    and the still thresholds, km/s); returns the new count, or -1 when ``out`` is full."""
    s_id, _, s_a, s_w, s_hc, s_err, _, s_rlo, s_rhi = slots[:9]
    d, s, ww = _chord_test(a, b, s_a, s_w, s_hc, s_err, s_rlo, s_rhi, radius_km, sag, step_s)
    if d < 0.0:
        return count
    out_i, out_j, out_t, out_d, out_f = out
    if count == out_i.shape[0]:
        return -1
    slow_km_s, still_km_s = speeds
    speed = np.sqrt(ww)
    flag = FLAG_STILL if speed < still_km_s else (FLAG_SLOW if speed < slow_km_s else 0)
    return _emit(count, s_id[a], s_id[b], t_a + s, d, flag, out_i, out_j, out_t, out_d, out_f)


@nb.njit(cache=True)
def _grid_pairs(slots, table, count, out, t_a, n_grid, n_stencil, primary_mode, bits, reach_km,
                margin0, radius_km, sag, step_s, speeds):
    """Candidates among the objects on the grid in one interval (see :func:`sweep`).

    One group of slots sharing a cell at a time (a sub-bucket, or one object of a bucket
    that holds several cells), so that each neighbouring bucket is looked up once per
    group; in each of its two sorted lists only the slice of mid radii that can pass the
    radial-gap test is read. Returns the new count, or -1 when ``out`` is full."""
    s_id, s_key, s_primary = slots[0], slots[1], slots[6]
    s_rmid, s_x, s_mid, s_near, hits = slots[9:]
    sub_start, sub_of, sub_reach = table
    g0 = 0
    while g0 < n_grid:
        sb = sub_of[s_id[g0]]
        g_end = sub_start[sb + 1]
        g1 = g_end
        for a in range(g0 + 1, g_end):
            if s_key[a] != s_key[g0]:
                g1 = g0 + 1
                break
        g_x = 0.0
        for a in range(g0, g1):
            g_x = max(g_x, s_x[a])
        key = s_key[g0]
        cx = key >> 42
        cy = (key >> 21) & 0x1FFFFF
        cz = key & 0x1FFFFF
        for q in range(n_stencil):
            nx = cx + _STENCIL[q, 0]
            ny = cy + _STENCIL[q, 1]
            nz = cz + _STENCIL[q, 2]
            n_key = _cell_key(nx, ny, nz)
            nb = 2 * _hash3(nx, ny, nz, bits)
            for sub in range(nb, nb + 2):
                lo = sub_start[sub]
                hi = sub_start[sub + 1]
                if lo == hi:
                    continue
                # the window's lower end, with the group's largest x, only rises
                margin_max = margin0 + g_x + sub_reach[sub]
                for a in range(g0, g1):
                    if (primary_mode and not s_primary[a]) or _NEED[q] & ~s_near[a]:
                        continue
                    margin = margin0 + s_x[a] + sub_reach[sub]
                    r_mid = s_rmid[a]
                    while lo < hi and s_rmid[lo] < r_mid - margin_max:
                        lo += 1
                    first = lo
                    if q == 0 and not primary_mode and first <= a:
                        first = a + 1  # own cell: each pair once
                    # the slots in the radial window, of this cell and in the box of
                    # the reach, gathered without branches (the tests are unpredictable)
                    n_hits = 0
                    r_top = r_mid + margin
                    r_bottom = r_mid - margin
                    mx, my, mz = s_mid[a, 0], s_mid[a, 1], s_mid[a, 2]
                    for slot in range(first, hi):
                        if s_rmid[slot] > r_top:
                            break
                        hits[n_hits] = slot
                        n_hits += ((s_rmid[slot] >= r_bottom) & (s_key[slot] == n_key)
                                   & (abs(s_mid[slot, 0] - mx) <= reach_km)
                                   & (abs(s_mid[slot, 1] - my) <= reach_km)
                                   & (abs(s_mid[slot, 2] - mz) <= reach_km))
                    for h in range(n_hits):
                        slot = hits[h]
                        if primary_mode and (slot == a or (s_primary[slot]
                                                           and s_id[slot] < s_id[a])):
                            continue  # a pair of two primaries: from its lower index
                        count = _test_pair(a, slot, slots, t_a, radius_km, sag, step_s,
                                           speeds, count, out)
                        if count < 0:
                            return -1
        g0 = g1
    return count


@nb.njit(cache=True)
def _off_grid_pairs(slots, table, count, out, t_a, n_grid, n_valid, primary_mode, bits,
                    inv_cell, err_max, chord_max, margin0, radius_km, sag, step_s, speeds):
    """Candidates with a fast or wide object in one interval, taken from that object:
    the others off the grid one by one, the grid through every cell within its own reach
    (the same bound as the grid's reach, with its chord and error in place of the
    largest); in primary mode one of the two must be a primary. Returns the new count, or
    -1 when ``out`` is full."""
    s_key, s_hc, s_err, s_primary = slots[1], slots[4], slots[5], slots[6]
    s_rmid, s_x, s_mid = slots[9:12]
    sub_start, _, sub_reach = table
    for f in range(n_grid, n_valid):
        for slot in range(f + 1, n_valid):
            if primary_mode and not (s_primary[f] or s_primary[slot]):
                continue
            count = _test_pair(f, slot, slots, t_a, radius_km, sag, step_s, speeds, count,
                               out)
            if count < 0:
                return -1
        e = s_err[f] + err_max
        tr = s_hc[f] + chord_max
        reach_f = radius_km + e + tr + 1.1 * sag * (radius_km + 2.0 * e + 3.0 * tr) + 2e-3
        r_mid = s_rmid[f]
        lo0 = int(np.floor((s_mid[f, 0] - reach_f) * inv_cell))
        hi0 = int(np.floor((s_mid[f, 0] + reach_f) * inv_cell))
        lo1 = int(np.floor((s_mid[f, 1] - reach_f) * inv_cell))
        hi1 = int(np.floor((s_mid[f, 1] + reach_f) * inv_cell))
        lo2 = int(np.floor((s_mid[f, 2] - reach_f) * inv_cell))
        hi2 = int(np.floor((s_mid[f, 2] + reach_f) * inv_cell))
        for nx in range(lo0, hi0 + 1):
            for ny in range(lo1, hi1 + 1):
                for nz in range(lo2, hi2 + 1):
                    n_key = _cell_key(nx, ny, nz)
                    nb = 2 * _hash3(nx, ny, nz, bits)
                    for sub in range(nb, nb + 2):
                        margin = margin0 + s_x[f] + sub_reach[sub]
                        for slot in range(sub_start[sub], sub_start[sub + 1]):
                            if s_rmid[slot] > r_mid + margin:
                                break
                            if (s_rmid[slot] < r_mid - margin or s_key[slot] != n_key
                                    or abs(s_mid[slot, 0] - s_mid[f, 0]) > reach_f
                                    or abs(s_mid[slot, 1] - s_mid[f, 1]) > reach_f
                                    or abs(s_mid[slot, 2] - s_mid[f, 2]) > reach_f):
                                continue
                            if primary_mode and not (s_primary[f] or s_primary[slot]):
                                continue
                            count = _test_pair(f, slot, slots, t_a, radius_km, sag, step_s,
                                               speeds, count, out)
                            if count < 0:
                                return -1
    return count


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

    Objects are hashed by the cell of their chord midpoint; within a bucket they are
    sorted by geocentric distance, so that a search reads only the slice of a
    neighbouring bucket that can pass the radial-gap test (most pairs in a cell are in
    other shells).

    Returns ``(count, i, j, t_s, d_km, flags)``: per candidate the object indices
    (i < j), the time of the chord's closest approach (s from the chunk start), its
    distance, and FLAG_SLOW when the chord's relative speed is below ``slow_km_s``, FLAG_STILL
    when it is so far below that the speed at any TCA in the interval is too: the chord's
    speed is the mean over the interval, and a pair within ``radius_km`` (plus what a slow
    pair travels in an interval) changes speed by at most G d step, G the gravity-gradient
    bound.
    The arrays start with room for ``capacity`` and double when full; the first
    ``count`` entries are filled.
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
    bits = 1
    while (1 << bits) < 4 * n:  # sparse table: few collisions between cells
        bits += 1
    size = 1 << bits
    # Each bucket is split in two lists, radially narrow and broad objects (sub-bucket
    # 2 b and 2 b + 1), each sorted by mid radius.
    sub_start = np.empty(2 * size + 1, np.int32)
    fill = np.empty(2 * size, np.int32)
    sub_reach = np.empty(2 * size)  # largest x (below) in the sub-bucket
    sub_of = np.empty(n, np.int32)
    cell = np.empty((n, 3), np.int32)
    r_lo = np.empty(n)
    r_hi = np.empty(n)
    x = np.empty(n)
    # per-step copies in bucket order, so that a bucket's objects sit together in memory
    s_id = np.empty(n, np.int32)
    s_key = np.empty(n, np.int64)  # the cell, packed as in _cell_key
    hits = np.empty(n, np.int32)  # slots of one bucket slice that pass the box test
    s_a = np.empty((n, 3))
    s_w = np.empty((n, 3))  # chord velocity (km/s)
    s_hc = np.empty(n)
    s_err = np.empty(n)
    s_primary = np.empty(n, np.bool_)
    s_rlo = np.empty(n)  # range of geocentric distance along the chord (km)
    s_rhi = np.empty(n)
    s_rmid = np.empty(n)
    s_x = np.empty(n)
    s_mid = np.empty((n, 3))  # chord midpoint (km)
    s_near = np.empty(n, np.int64)  # faces of its cell within reach, as in _NEED
    primary_mode = primary.any()
    n_stencil = 27 if primary_mode else 14
    wide = pos_err_km > WIDE_ERROR_KM
    fast = np.zeros(n, np.bool_)
    half_chord = np.zeros(n)
    hist = np.zeros(N_BINS, np.int64)
    err_max = 0.0
    for i in range(n):
        if not wide[i] and pos_err_km[i] > err_max:
            err_max = pos_err_km[i]
    sag = 0.125 * _GRAD_MAX * step_s * step_s
    speeds = (slow_km_s, slow_km_s - _GRAD_MAX * (radius_km + slow_km_s * step_s) * step_s)
    # The gap test of a pair passes only when their mid radii differ by at most
    # margin0 + x_i + x_j, x = err (1 + 2 k) + 4 k half_chord + radial half-extent.
    k_sag = 1.05 * sag
    margin0 = radius_km + 1e-3 + k_sag * radius_km
    hermite_positions(pos, vel, ok, 0.0, h_s, pb, ok_b)
    for m in range(n_steps):
        t_a = m * step_s
        pa, pb = pb, pa
        ok_a, ok_b = ok_b, ok_a
        hermite_positions(pos, vel, ok, t_a + step_s, h_s, pb, ok_b)
        chord_all = 0.0
        for i in range(n):
            if ok_a[i] and ok_b[i]:
                hc = 0.5 * np.sqrt((pb[i, 0] - pa[i, 0]) ** 2 + (pb[i, 1] - pa[i, 1]) ** 2
                                   + (pb[i, 2] - pa[i, 2]) ** 2)
                half_chord[i] = hc
                if hc > chord_all and not wide[i]:
                    chord_all = hc
                ra = np.sqrt(pa[i, 0] ** 2 + pa[i, 1] ** 2 + pa[i, 2] ** 2)
                rb = np.sqrt(pb[i, 0] ** 2 + pb[i, 1] ** 2 + pb[i, 2] ** 2)
                # a chord dips below its end points by at most half_chord^2 / (2 r)
                r_lo[i] = min(ra, rb) - hc * hc / (2.0 * min(ra, rb))
                r_hi[i] = max(ra, rb)
                x[i] = (pos_err_km[i] * (1.0 + 2.0 * k_sag) + 4.0 * k_sag * hc
                        + 0.5 * (r_hi[i] - r_lo[i]))
        # The fastest objects (at most FAST_SHARE of them: eccentric ones near perigee)
        # would set the cell size for everybody; they leave the grid and search it
        # with a stencil of their own reach, as the wide objects do.
        hist[:] = 0
        n_ok = 0
        for i in range(n):
            if ok_a[i] and ok_b[i] and not wide[i] and chord_all > 0.0:
                n_ok += 1
                hist[min(int(half_chord[i] / chord_all * N_BINS), N_BINS - 1)] += 1
        cut = chord_all
        above = 0
        for b in range(N_BINS - 1, -1, -1):
            if above + hist[b] > FAST_SHARE * n_ok:
                cut = (b + 1) * chord_all / N_BINS
                break
            above += hist[b]
        if cut > 0.97 * chord_all:  # not worth a second search
            cut = chord_all
        chord_max = 0.0
        for i in range(n):
            fast[i] = wide[i] or half_chord[i] > cut
            if ok_a[i] and ok_b[i] and not fast[i] and half_chord[i] > chord_max:
                chord_max = half_chord[i]
        # Largest centre distance at which a pair can still pass within the radius. Cells
        # twice that size: an object looks into a neighbouring cell only when it is
        # within reach of the faces between them (a partner there is within reach of
        # the same faces, so the pair is met from both sides and taken once).
        reach_km = (radius_km + 2.0 * err_max + 2.0 * chord_max
                    + 1.1 * sag * (radius_km + 4.0 * err_max + 6.0 * chord_max) + 2e-3)
        cell_km = 2.0 * reach_km
        inv_cell = 1.0 / cell_km
        sub_start[:] = 0
        for i in range(n):
            if not (ok_a[i] and ok_b[i]) or fast[i]:
                sub_of[i] = -1
                continue
            cx = int(np.floor(0.5 * (pa[i, 0] + pb[i, 0]) * inv_cell))
            cy = int(np.floor(0.5 * (pa[i, 1] + pb[i, 1]) * inv_cell))
            cz = int(np.floor(0.5 * (pa[i, 2] + pb[i, 2]) * inv_cell))
            cell[i, 0] = cx
            cell[i, 1] = cy
            cell[i, 2] = cz
            sb = 2 * _hash3(cx, cy, cz, bits) + (1 if r_hi[i] - r_lo[i] > BROAD_KM else 0)
            sub_of[i] = sb
            sub_start[sb + 1] += 1
        for sb in range(2 * size):
            sub_start[sb + 1] += sub_start[sb]
            fill[sb] = sub_start[sb]
        n_grid = sub_start[2 * size]
        for i in range(n):
            sb = sub_of[i]
            if sb >= 0:
                # insertion, keeping the sub-bucket sorted by mid radius
                key = 0.5 * (r_lo[i] + r_hi[i])
                a = fill[sb]
                fill[sb] += 1
                while a > sub_start[sb] and s_rmid[a - 1] > key:
                    s_rmid[a] = s_rmid[a - 1]
                    s_id[a] = s_id[a - 1]
                    a -= 1
                s_rmid[a] = key
                s_id[a] = i
        # fast and wide objects after the grid
        a = n_grid
        for i in range(n):
            if fast[i] and ok_a[i] and ok_b[i]:
                s_id[a] = i
                s_rmid[a] = 0.5 * (r_lo[i] + r_hi[i])
                a += 1
        n_valid = a
        for a in range(n_grid):
            sub_reach[sub_of[s_id[a]]] = 0.0
        for a in range(n_valid):
            i = s_id[a]
            s_key[a] = _cell_key(cell[i, 0], cell[i, 1], cell[i, 2])
            for c in range(3):
                s_a[a, c] = pa[i, c]
                s_w[a, c] = (pb[i, c] - pa[i, c]) / step_s
            s_hc[a] = 0.5 * step_s * np.sqrt(s_w[a, 0] ** 2 + s_w[a, 1] ** 2 + s_w[a, 2] ** 2)
            s_err[a] = pos_err_km[i]
            s_primary[a] = primary[i]
            s_rlo[a] = r_lo[i]
            s_rhi[a] = r_hi[i]
            s_x[a] = x[i]
            near = 0
            for c in range(3):
                s_mid[a, c] = 0.5 * (pa[i, c] + pb[i, c])
                inside = s_mid[a, c] - cell[i, c] * cell_km
                if inside <= reach_km:
                    near |= 1 << (2 * c)
                if cell_km - inside <= reach_km:
                    near |= 1 << (2 * c + 1)
            s_near[a] = near
            if a < n_grid:
                sb = sub_of[i]
                sub_reach[sb] = max(sub_reach[sb], x[i])
        slots = (s_id, s_key, s_a, s_w, s_hc, s_err, s_primary, s_rlo, s_rhi, s_rmid, s_x,
                 s_mid, s_near, hits)
        table = (sub_start, sub_of, sub_reach)
        while True:  # the outputs grow here, between intervals (see _emit)
            out = (out_i, out_j, out_t, out_d, out_f)
            found = _grid_pairs(slots, table, count, out, t_a, n_grid, n_stencil,
                                primary_mode, bits, reach_km, margin0, radius_km, sag, step_s,
                                speeds)
            if found >= 0:
                found = _off_grid_pairs(slots, table, found, out, t_a, n_grid, n_valid,
                                        primary_mode, bits, inv_cell, err_max, chord_max,
                                        margin0, radius_km, sag, step_s, speeds)
            if found >= 0:
                count = found
                break
            out_i, out_j = _grown(out_i), _grown(out_j)
            out_t, out_d, out_f = _grown(out_t), _grown(out_d), _grown(out_f)
    return count, out_i, out_j, out_t, out_d, out_f


@nb.njit(cache=True)
def interpolation_error(pos, vel, ok, h_s, limit_km):
    """Per-object estimate of the cubic Hermite position error at spacing ``h_s`` (km),
    and the first sample from which an object's trajectory is not smooth.

    Two parts, each the worst over the chunk, taken from the data so that they hold for
    any orbit SGP4/SDP4 produces (eccentric, deep-space, decaying):

    - shape: the Hermite interpolant across every other sample (spacing 2 h) against
      the sample skipped; the error scales as h^4, so that residual / 16;
    - velocity: SGP4's velocity is not exactly the derivative of its position (up to
      ~2 m/s for eccentric orbits, hundreds of m/s for SDP4 objects near the Moon's
      distance), and a Hermite interpolant carries a velocity error dv at the nodes
      into position as at most h |dv| / 4. The interpolant's derivative at the
      skipped sample differs from SGP4's velocity there by 1.5 dv for a common bias.

    An estimate above ``limit_km`` is no orbit (SGP4 past re-entry, where the mean
    elements diverge): ``ok`` is cleared in place from that sample on, and the sample's
    index returned in ``diverged`` (-1 for none).
    """
    n_s, n = pos.shape[0], pos.shape[1]
    out = np.zeros(n)
    diverged = np.full(n, -1, np.int64)
    h2 = 2.0 * h_s
    for i in range(n):
        worst_p = 0.0
        worst_v = 0.0
        for k in range(n_s - 2):
            if not (ok[k, i] and ok[k + 1, i] and ok[k + 2, i]):
                continue
            e2 = 0.0
            d2 = 0.0
            for c in range(3):
                # cubic Hermite over [k, k + 2] at its midpoint: position and derivative
                mid = (0.5 * (pos[k, i, c] + pos[k + 2, i, c])
                       + 0.125 * h2 * (vel[k, i, c] - vel[k + 2, i, c]))
                dmid = (1.5 * (pos[k + 2, i, c] - pos[k, i, c]) / h2
                        - 0.25 * (vel[k, i, c] + vel[k + 2, i, c]))
                e2 += (mid - pos[k + 1, i, c]) ** 2
                d2 += (dmid - vel[k + 1, i, c]) ** 2
            if np.sqrt(e2) / 16.0 > limit_km:
                diverged[i] = k
                for kk in range(k, n_s):
                    ok[kk, i] = False
                break
            worst_p = max(worst_p, e2)
            worst_v = max(worst_v, d2)
        out[i] = np.sqrt(worst_p) / 16.0 + 0.25 * h_s * np.sqrt(worst_v) / 1.5
    return out, diverged


@nb.njit(cache=True, inline="always")
def _hermite_state(pos, vel, ok, t_s, h_s, i, out):
    """Position, velocity and acceleration of object ``i`` at ``t_s`` on its cubic
    Hermite interpolant (rows of ``out``: km, km/s, km/s^2); False where not covered."""
    k = int(t_s // h_s)
    if k < 0:
        k = 0
    if k > pos.shape[0] - 2:
        k = pos.shape[0] - 2
    if not (ok[k, i] and ok[k + 1, i]):
        return False
    u = (t_s - k * h_s) / h_s
    u2 = u * u
    u3 = u2 * u
    for c in range(3):
        p0 = pos[k, i, c]
        p1 = pos[k + 1, i, c]
        m0 = vel[k, i, c] * h_s
        m1 = vel[k + 1, i, c] * h_s
        out[0, c] = ((2 * u3 - 3 * u2 + 1) * p0 + (u3 - 2 * u2 + u) * m0
                     + (-2 * u3 + 3 * u2) * p1 + (u3 - u2) * m1)
        out[1, c] = ((6 * u2 - 6 * u) * p0 + (3 * u2 - 4 * u + 1) * m0
                     + (-6 * u2 + 6 * u) * p1 + (3 * u2 - 2 * u) * m1) / h_s
        out[2, c] = ((12 * u - 6) * p0 + (6 * u - 4) * m0
                     + (-12 * u + 6) * p1 + (6 * u - 2) * m1) / (h_s * h_s)
    return True


@nb.njit(cache=True)
def interpolated_tca(pos, vel, ok, h_s, ci, cj, t_guess, max_step_s, t_max):
    """Closest approach of each candidate pair on the objects' Hermite interpolants:
    Newton on the range rate from ``t_guess`` (s from the chunk's first sample), steps
    clamped to ``max_step_s``, times kept in [0, t_max]. Returns (t_s, distance_km,
    converged); the exact refinement then starts next to its answer."""
    n = ci.shape[0]
    t_out = np.empty(n)
    d_out = np.empty(n)
    conv = np.zeros(n, np.bool_)
    a = np.empty((3, 3))
    b = np.empty((3, 3))
    for q in range(n):
        t = t_guess[q]
        good = False
        for _ in range(20):
            if not (_hermite_state(pos, vel, ok, t, h_s, ci[q], a)
                    and _hermite_state(pos, vel, ok, t, h_s, cj[q], b)):
                break
            f = 0.0
            fp = 0.0
            for c in range(3):
                dr = b[0, c] - a[0, c]
                dv = b[1, c] - a[1, c]
                da = b[2, c] - a[2, c]
                f += dr * dv
                fp += dv * dv + dr * da
            step = -f / fp if fp > 0 else (-0.25 * max_step_s if f > 0 else 0.25 * max_step_s)
            step = min(max(step, -max_step_s), max_step_s)
            t_new = min(max(t + step, 0.0), t_max)
            if abs(t_new - t) < 1e-4:
                t = t_new
                good = True
                break
            t = t_new
        d2 = 0.0
        if (_hermite_state(pos, vel, ok, t, h_s, ci[q], a)
                and _hermite_state(pos, vel, ok, t, h_s, cj[q], b)):
            for c in range(3):
                d2 += (b[0, c] - a[0, c]) ** 2
        else:
            good = False
        t_out[q] = t
        d_out[q] = np.sqrt(d2)
        conv[q] = good
    return t_out, d_out, conv

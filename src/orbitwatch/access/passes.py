"""Passes of many satellites over ground sites: rise, culmination and set.

Method (Skyfield's ``find_discrete`` idea, made safe for coarse samples):

1. SGP4 every ``sample_s`` for a block of objects (python-sgp4's SatrecArray).
2. Bracketing that misses nothing: the central angle ``gamma`` between the site and the
   satellite changes no faster than ``L = h / r_p^2 + omega_earth`` (the satellite's
   largest angular rate, at perigee, plus the site's), so over a sample interval its
   least value is at least ``(gamma_k + gamma_k+1 - L h) / 2``. Only intervals where that
   bound is within the largest central angle at which the satellite can clear the
   lowest threshold are looked at further.
3. In those intervals the elevation is evaluated every ``fine_s`` on the cubic Hermite
   interpolant of the samples; sign changes of elevation minus the threshold bracket
   rises and sets, local maxima bracket culminations.
4. All brackets are refined at once on exact SGP4 states: culminations by golden-section
   search, rises and sets by bisection to ``tol_s``. A culmination above the threshold
   between two samples below it (a grazing pass) gets its own rise and set brackets.

Work splits by blocks of objects, in worker processes when there is more than one
block (python-sgp4 holds the GIL).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sgp4.api import SatrecArray

from orbitwatch.access.geometry import (
    look_angles,
    sidereal_angle_rad,
    site_teme,
    sun_teme_km,
    sunlit,
)
from orbitwatch.access.kernels import hermite_look_angles, sidereal_line
from orbitwatch.access.sites import Site
from orbitwatch.core.constants import EARTH_ROTATION_RAD_S
from orbitwatch.core.orbit import semi_major_axis_km, specific_angular_momentum_km2_s
from orbitwatch.core.processes import usable_cpus, worker_pool
from orbitwatch.core.search import bisect_sign_change, golden_section_max
from orbitwatch.core.time import datetime_to_split_jd, datetime_to_us, iso_ms, split_jd_after
from orbitwatch.errors import InputError
from orbitwatch.formats.elements import ElementSet
from orbitwatch.propagation.element_arrays import ElementArrays
from orbitwatch.propagation.eop import EarthOrientation
from orbitwatch.propagation.sgp4_batch import (
    IMPLAUSIBLE,
    flag_implausible,
    states_at,
)

PASS_DTYPE = np.dtype([
    ("idx", np.int64),  # object index in the input
    ("site", np.int64),  # site index
    ("rise_us", np.int64), ("rise_az_deg", np.float64),
    ("max_us", np.int64), ("max_el_deg", np.float64), ("max_az_deg", np.float64),
    ("max_range_km", np.float64),
    ("set_us", np.int64), ("set_az_deg", np.float64),
    ("starts_before_window", np.bool_), ("ends_after_window", np.bool_),
    ("sunlit_at_max", np.bool_), ("site_dark_at_max", np.bool_), ("visible", np.bool_),
    # first and last sample of the pass when it is visible (sunlit, site dark): -1 if never
    ("visible_from_us", np.int64), ("visible_to_us", np.int64),
])

#: Degrees of margin on the lowest threshold in the bracketing step: geodetic and
#: geocentric zenith differ by up to 0.19 deg, and the site is off the sphere.
_BRACKET_MARGIN_DEG = 0.5


@dataclass(frozen=True, slots=True)
class PassSettings:
    """Numerical settings; the defaults meet 1 s and 0.01 deg against Skyfield."""

    sample_s: float = 240.0  # SGP4 sample spacing (Hermite in between)
    fine_s: float = 20.0  # elevation grid inside bracketed intervals
    tol_s: float = 1e-3  # rise and set times
    darkness_deg: float = -6.0  # site in darkness when the Sun is below (civil twilight)
    objects_per_block: int = 2000
    workers: int | None = None  # None: all cores


@dataclass(slots=True)
class PassResult:
    passes: np.ndarray  # PASS_DTYPE, sorted by site, then rise time
    elements: list[ElementSet]
    sites: list[Site]
    failed: dict[int, int]  # object index -> SGP4 error code at its first failure
    window_start_us: int
    window_end_us: int


def find_passes(elements: Sequence[ElementSet], sites: Sequence[Site], start: datetime,
                duration: timedelta, *, eop: EarthOrientation | None = None,
                settings: PassSettings | None = None) -> PassResult:
    """Every pass of every satellite over every site in ``[start, start + duration]``.

    A pass is the time the satellite spends above the site's threshold (minimum
    elevation, or the horizon mask where higher). Passes under way at the window's
    start or end are cut there and flagged. Times are UTC microseconds.
    """
    st = settings or PassSettings()
    window_s = duration.total_seconds()
    if window_s <= 0:
        raise InputError(f"pass window must be positive, got {duration}")
    if not elements:
        raise InputError("no satellite to compute passes for")
    if not sites:
        raise InputError("no site given")
    elements = list(elements)
    jd0, fr0 = datetime_to_split_jd(start)
    blocks = [(a, min(a + st.objects_per_block, len(elements)))
              for a in range(0, len(elements), st.objects_per_block)]
    arrays = ElementArrays.from_element_sets(elements)
    args = [(arrays.take(slice(a, b)), a, list(sites), jd0, fr0, window_s, eop, st)
            for a, b in blocks]
    workers = max(1, min(st.workers or usable_cpus(), len(blocks)))
    if workers == 1:
        outs = [_block_passes(*x) for x in args]
    else:
        with worker_pool(workers) as pool:
            outs = list(pool.map(_block_passes_packed, args))
    passes = np.concatenate([o[0] for o in outs]) if outs else np.zeros(0, PASS_DTYPE)
    failed: dict[int, int] = {}
    for o in outs:
        failed.update(o[1])
    start_us = datetime_to_us(start)
    for name in ("rise_us", "max_us", "set_us"):
        passes[name] += start_us
    for name in ("visible_from_us", "visible_to_us"):
        passes[name] = np.where(passes["visible"], passes[name] + start_us, -1)
    passes = passes[np.lexsort((passes["rise_us"], passes["site"]))]
    return PassResult(passes, elements, list(sites), failed, start_us,
                      start_us + round(window_s * 1e6))


def _block_passes_packed(args) -> tuple[np.ndarray, dict[int, int]]:
    return _block_passes(*args)


def _angular_rate_bound(elements: ElementArrays) -> np.ndarray:
    """Upper bound (rad/s) on the rate of the satellite's direction from the Earth's
    centre plus the site's: h / r_p^2 at a perigee lowered by 2 %, plus omega_earth."""
    mean_motion, ecc = elements.mean_motion_rev_day, elements.eccentricity
    a = semi_major_axis_km(mean_motion)
    r_p = np.maximum(a * (1.0 - ecc) * 0.98, 6300.0)
    h = specific_angular_momentum_km2_s(mean_motion, ecc)
    return h / r_p**2 * 1.05 + EARTH_ROTATION_RAD_S


def _block_passes(elements: ElementArrays, offset: int, sites: list[Site], jd0: float,
                  fr0: float, window_s: float, eop: EarthOrientation | None,
                  st: PassSettings) -> tuple[np.ndarray, dict[int, int]]:
    satrecs = elements.satrecs()
    r_max = elements.max_radius_km()
    h = st.sample_s
    n_s = max(2, math.ceil(window_s / h) + 1)
    t_s = np.minimum(h * np.arange(n_s), window_s)
    h_eff = np.diff(t_s)  # the last interval may be shorter
    err, pos, vel = SatrecArray(satrecs).sgp4(*split_jd_after(jd0, fr0, t_s))
    flag_implausible(err, pos, r_max)
    ok = np.logical_and.accumulate(err == 0, axis=1)
    failed = {}
    for i in np.flatnonzero(~ok[:, -1]):
        first = int(np.argmin(ok[i]))
        failed[offset + int(i)] = int(err[i, first]) or IMPLAUSIBLE
    rate = _angular_rate_bound(elements)
    out = [np.zeros(0, PASS_DTYPE)]
    for k_site, site in enumerate(sites):
        passes = _site_passes(satrecs, r_max, pos, vel, ok, t_s, h_eff, rate, site, jd0, fr0,
                              window_s, eop, st)
        passes["idx"] += offset
        passes["site"] = k_site
        out.append(passes)
    return np.concatenate(out), failed


class SiteView:
    """Look angles from one site at arbitrary times (s from the split date jd0, fr0)."""

    def __init__(self, site: Site, jd0: float, fr0: float, eop: EarthOrientation | None):
        self.site, self.jd0, self.fr0, self.eop = site, jd0, fr0, eop
        self.itrf, self.enu = site.itrf_km(), site.enu_basis()

    def frame(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return site_teme(self.itrf, self.enu, *split_jd_after(self.jd0, self.fr0, t), self.eop)

    def angles(self, sat_teme: np.ndarray, t: np.ndarray):
        p, b = self.frame(t)
        return look_angles(sat_teme, p, b)

    def interpolated_angles(self, pos, vel, t_s, obj, t) -> tuple[np.ndarray, np.ndarray]:
        """Azimuth and elevation (deg) on the Hermite interpolant of the samples."""
        # hourly, so that unwrapping sees every turn
        hours = np.linspace(0.0, max(t_s[-1], 1.0), int(t_s[-1] // 3600) + 2)
        theta0, rate = sidereal_line(
            sidereal_angle_rad(*split_jd_after(self.jd0, self.fr0, hours), self.eop), hours)
        az, el = np.empty(len(t)), np.empty(len(t))
        hermite_look_angles(pos, vel, t_s, obj, t, theta0, rate, self.itrf, self.enu, az, el)
        return az, el

    def margin(self, az: np.ndarray, el: np.ndarray) -> np.ndarray:
        """Elevation above the site's threshold (deg)."""
        return el - self.site.threshold_deg(az)


def _site_passes(satrecs, r_max, pos, vel, ok, t_s, h_eff, rate, site: Site, jd0, fr0,
                 window_s, eop, st: PassSettings) -> np.ndarray:
    view = SiteView(site, jd0, fr0, eop)
    n = pos.shape[0]
    # --- 2. bracketing on the samples
    spos, _ = view.frame(t_s)
    rho = np.linalg.norm(spos, axis=1)
    s_hat = spos / rho[:, None]
    r = np.linalg.norm(pos, axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        gamma = np.arccos(np.clip(np.einsum("ntk,tk->nt", pos, s_hat) / r, -1.0, 1.0))
    e0 = math.radians(site.lowest_threshold_deg - _BRACKET_MARGIN_DEG)
    lam_max = np.arccos(np.clip(rho.min() / r_max * math.cos(e0), -1.0, 1.0)) - e0
    low = 0.5 * (gamma[:, :-1] + gamma[:, 1:] - rate[:, None] * h_eff[None, :])
    cand = (low <= lam_max[:, None]) & ok[:, :-1] & ok[:, 1:]
    obj_c, k_c = np.nonzero(cand)  # row-major: sorted by object, then interval
    if len(obj_c) == 0:
        return np.zeros(0, PASS_DTYPE)
    # --- 3. fine grid on the Hermite interpolant, interval by interval
    m = max(1, math.ceil(h_eff.max() / st.fine_s))
    frac = np.arange(m) / m
    f_obj = np.repeat(obj_c, m)
    f_k = np.repeat(k_c, m)
    f_t = (t_s[k_c][:, None] + frac[None, :] * h_eff[k_c][:, None]).ravel()
    # close each run of consecutive intervals with its end sample
    run_end = np.ones(len(obj_c), bool)
    run_end[:-1] = (obj_c[1:] != obj_c[:-1]) | (k_c[1:] != k_c[:-1] + 1)
    e_obj, e_k = obj_c[run_end], k_c[run_end] + 1
    f_obj = np.concatenate((f_obj, e_obj))
    f_k = np.concatenate((f_k, e_k))
    f_t = np.concatenate((f_t, t_s[e_k]))
    order = np.lexsort((f_t, f_obj))
    f_obj, f_k, f_t = f_obj[order], f_k[order], f_t[order]
    az, el = view.interpolated_angles(pos, vel, t_s, f_obj, f_t)
    f = view.margin(az, el)
    same = f_obj[1:] == f_obj[:-1]
    adjacent = same & (f_t[1:] - f_t[:-1] <= h_eff.max() / m + 1e-6)
    # --- 4a. culminations: local maxima of elevation within a run
    interior = np.zeros(len(f_t), bool)
    interior[1:-1] = adjacent[:-1] & adjacent[1:]
    peak = np.zeros(len(f_t), bool)
    peak[1:-1] = interior[1:-1] & (el[1:-1] >= el[:-2]) & (el[1:-1] >= el[2:])
    peak &= f > -5.0  # maxima far below the threshold cannot clear it
    p_idx = np.flatnonzero(peak)
    t_max, el_max, az_max, rng_max = _golden_max(
        satrecs, r_max, view, f_obj[p_idx], f_t[p_idx - 1], f_t[p_idx + 1], jd0, fr0)
    f_max = view.margin(az_max, el_max)
    # --- 4b. rises and sets: sign changes on the grid, plus grazing culminations
    up = f > 0.0
    change = np.flatnonzero(adjacent & (up[1:] != up[:-1]))
    b_obj = f_obj[change]
    b_lo, b_hi = f_t[change], f_t[change + 1]
    b_rise = ~up[change]
    graze = (f_max > 0.0) & ~up[p_idx]
    g = p_idx[graze]
    b_obj = np.concatenate((b_obj, f_obj[g], f_obj[g]))
    b_lo = np.concatenate((b_lo, f_t[g - 1], t_max[graze]))
    b_hi = np.concatenate((b_hi, t_max[graze], f_t[g + 1]))
    b_rise = np.concatenate((b_rise, np.ones(len(g), bool), np.zeros(len(g), bool)))
    t_cross, good = _bisect(satrecs, r_max, view, b_obj, b_lo, b_hi, b_rise, jd0, fr0, st.tol_s)
    b_obj, t_cross, b_rise = b_obj[good], t_cross[good], b_rise[good]
    # objects above the threshold at the window's start (exact samples)
    az0, el0, _ = view.angles(pos[:, 0], np.zeros(n))
    up0 = (view.margin(az0, el0) > 0.0) & ok[:, 0]
    return _assemble(satrecs, r_max, view, b_obj, t_cross, b_rise, up0,
                     f_obj[p_idx][f_max > 0], t_max[f_max > 0], el_max[f_max > 0],
                     az_max[f_max > 0], rng_max[f_max > 0], window_s, jd0, fr0, st)


def _exact_angles(sats, r_max, view: SiteView, obj, t, jd0, fr0):
    err, p, _ = states_at(sats, obj, t, jd0, fr0, r_max)
    az, el, rng = view.angles(p, t)
    el = np.where(err == 0, el, -90.0)
    return az, el, rng


def _golden_max(sats, r_max, view, obj, lo, hi, jd0, fr0, iterations: int = 32):
    """Time (s), elevation, azimuth (deg) and range (km) of the elevation maximum of
    each object in [lo, hi], by golden-section search on exact SGP4 states."""
    lo, hi, _ = golden_section_max(
        lambda t: _exact_angles(sats, r_max, view, obj, t, jd0, fr0)[1], lo, hi, iterations)
    t = 0.5 * (lo + hi)
    az, el, rng = _exact_angles(sats, r_max, view, obj, t, jd0, fr0)
    return t, el, az, rng


def _bisect(sats, r_max, view, obj, lo, hi, rising, jd0, fr0, tol_s):
    """Threshold crossings of each object in [lo, hi] by bisection on exact SGP4;
    ``good`` is False where the exact margins at both ends have the same sign."""
    def above(t):
        az, el, _ = _exact_angles(sats, r_max, view, obj, t, jd0, fr0)
        return view.margin(az, el) > 0.0

    return bisect_sign_change(above, lo, hi, rising, tol_s)


def _assemble(sats, r_max, view, c_obj, c_t, c_rise, up0, m_obj, m_t, m_el, m_az, m_rng,
              window_s, jd0, fr0, st: PassSettings) -> np.ndarray:
    """Pair rises with sets per object (cut at the window's edges) and give each pass
    its highest culmination."""
    # a rise at t=0 for objects up at the start, a set at the end for those still up
    start_obj = np.flatnonzero(up0)
    c_obj = np.concatenate((c_obj, start_obj))
    c_t = np.concatenate((c_t, np.zeros(len(start_obj))))
    c_rise = np.concatenate((c_rise, np.ones(len(start_obj), bool)))
    order = np.lexsort((~c_rise, c_t, c_obj))  # at equal times a rise first
    c_obj, c_t, c_rise = c_obj[order], c_t[order], c_rise[order]
    # alternate rise, set, rise...: drop repeats (threshold noise within tol)
    while True:
        first = np.ones(len(c_obj), bool)
        first[1:] = c_obj[1:] != c_obj[:-1]
        bad = (first & ~c_rise) | (~first & np.r_[False, c_rise[1:] == c_rise[:-1]])
        if not bad.any():
            break
        keep = ~bad
        c_obj, c_t, c_rise = c_obj[keep], c_t[keep], c_rise[keep]
    rise_i = np.flatnonzero(c_rise)
    has_set = np.zeros(len(rise_i), bool)
    nxt = rise_i + 1
    inside = nxt < len(c_obj)
    has_set[inside] = (c_obj[nxt[inside]] == c_obj[rise_i[inside]]) & ~c_rise[nxt[inside]]
    p_obj = c_obj[rise_i]
    p_rise = c_t[rise_i]
    p_set = np.full(len(rise_i), window_s)
    p_set[has_set] = c_t[nxt[has_set]]
    out = np.zeros(len(rise_i), PASS_DTYPE)
    out["idx"] = p_obj
    out["starts_before_window"] = p_rise <= 0.0
    out["ends_after_window"] = ~has_set
    # the highest culmination inside each pass
    best = np.full(len(rise_i), -1)
    if len(m_obj) and len(rise_i):
        scale = 2.0 * (window_s + 1.0)
        keys = p_obj * scale + p_rise
        where = np.searchsorted(keys, m_obj * scale + m_t, side="right") - 1
        valid = (where >= 0) & (p_obj[np.maximum(where, 0)] == m_obj) \
            & (m_t <= p_set[np.maximum(where, 0)] + 1e-6)
        by_el = np.argsort(m_el)  # higher ones assigned last win
        sel = by_el[valid[by_el]]
        best[where[sel]] = sel
    t_max, el_max, az_max, rng_max = (np.zeros(len(rise_i)) for _ in range(4))
    inner = best >= 0
    t_max[inner], el_max[inner] = m_t[best[inner]], m_el[best[inner]]
    az_max[inner], rng_max[inner] = m_az[best[inner]], m_rng[best[inner]]
    # passes without a culmination inside (cut by the window): the higher end
    edge = np.flatnonzero(~inner)
    if len(edge):
        o = p_obj[edge]
        a1, e1, r1 = _exact_angles(sats, r_max, view, o, p_rise[edge], jd0, fr0)
        a2, e2, r2 = _exact_angles(sats, r_max, view, o, p_set[edge], jd0, fr0)
        later = e2 > e1
        t_max[edge] = np.where(later, p_set[edge], p_rise[edge])
        el_max[edge] = np.where(later, e2, e1)
        az_max[edge] = np.where(later, a2, a1)
        rng_max[edge] = np.where(later, r2, r1)
    obj3 = np.concatenate((p_obj, p_obj, p_obj))
    t3 = np.concatenate((p_rise, t_max, p_set))
    _, p, _ = states_at(sats, obj3, t3, jd0, fr0, r_max)
    az3, _, _ = view.angles(p, t3)
    k = len(p_obj)
    out["rise_az_deg"], out["set_az_deg"] = az3[:k], az3[2 * k:]
    out["rise_us"] = np.round(p_rise * 1e6).astype(np.int64)
    out["set_us"] = np.round(p_set * 1e6).astype(np.int64)
    out["max_us"] = np.round(t_max * 1e6).astype(np.int64)
    out["max_el_deg"], out["max_az_deg"], out["max_range_km"] = el_max, az_max, rng_max
    # light at culmination
    sun = sun_teme_km(*split_jd_after(view.jd0, view.fr0, t3))
    lit = sunlit(p, sun)
    sp, sb = view.frame(t3)
    _, sun_el, _ = look_angles(sun, sp, sb)
    dark = sun_el < st.darkness_deg
    out["sunlit_at_max"] = lit[k:2 * k]
    out["site_dark_at_max"] = dark[k:2 * k]
    _visible_span(out, sats, r_max, view, p_obj, p_rise, p_set, jd0, fr0, st)
    return out


#: Samples across each pass for its visibility (the satellite sunlit and the site dark at
#: once): a visible stretch shorter than a pass's duration / (n - 1) can be missed.
VISIBILITY_SAMPLES = 16


def _visible_span(out: np.ndarray, sats, r_max, view: SiteView, p_obj, p_rise, p_set,
                  jd0, fr0, st: PassSettings) -> None:
    """``visible`` and the first and last visible sample of each pass: whether the site
    is dark is checked first (the Sun alone), the satellite's light only where it is."""
    k = len(p_obj)
    frac = np.linspace(0.0, 1.0, VISIBILITY_SAMPLES)
    t = (p_rise[:, None] + frac[None, :] * (p_set - p_rise)[:, None]).ravel()
    obj = np.repeat(p_obj, VISIBILITY_SAMPLES)
    sun = sun_teme_km(*split_jd_after(view.jd0, view.fr0, t))
    sp, sb = view.frame(t)
    _, sun_el, _ = look_angles(sun, sp, sb)
    both = sun_el < st.darkness_deg
    check = np.flatnonzero(both)
    if len(check):
        err, pos, _ = states_at(sats, obj[check], t[check], jd0, fr0, r_max)
        both[check] = sunlit(pos, sun[check]) & (err == 0)
    both = both.reshape(k, VISIBILITY_SAMPLES)
    t = t.reshape(k, VISIBILITY_SAMPLES)
    out["visible"] = both.any(axis=1)
    first = both.argmax(axis=1)
    last = VISIBILITY_SAMPLES - 1 - both[:, ::-1].argmax(axis=1)
    rows = np.arange(k)
    out["visible_from_us"] = np.where(out["visible"],
                                      np.round(t[rows, first] * 1e6).astype(np.int64), -1)
    out["visible_to_us"] = np.where(out["visible"],
                                    np.round(t[rows, last] * 1e6).astype(np.int64), -1)


def pass_rows(result: PassResult) -> list[dict]:
    """One row per pass, units in the column names; times UTC ISO-8601 to the ms."""
    rows = []
    for p in result.passes:
        es = result.elements[int(p["idx"])]
        rows.append({
            "SITE": result.sites[int(p["site"])].name,
            "NORAD_CAT_ID": es.norad_cat_id,
            "OBJECT_NAME": es.object_name,
            "RISE_UTC": iso_ms(int(p["rise_us"])),
            "RISE_AZ_DEG": round(float(p["rise_az_deg"]), 2),
            "MAX_UTC": iso_ms(int(p["max_us"])),
            "MAX_EL_DEG": round(float(p["max_el_deg"]), 3),
            "MAX_AZ_DEG": round(float(p["max_az_deg"]), 2),
            "RANGE_AT_MAX_KM": round(float(p["max_range_km"]), 1),
            "SET_UTC": iso_ms(int(p["set_us"])),
            "SET_AZ_DEG": round(float(p["set_az_deg"]), 2),
            "DURATION_S": round((int(p["set_us"]) - int(p["rise_us"])) / 1e6, 1),
            "SUNLIT_AT_MAX": bool(p["sunlit_at_max"]),
            "SITE_DARK_AT_MAX": bool(p["site_dark_at_max"]),
            "VISIBLE": bool(p["visible"]),
            "VISIBLE_FROM_UTC": iso_ms(int(p["visible_from_us"])) if p["visible"] else None,
            "VISIBLE_TO_UTC": iso_ms(int(p["visible_to_us"])) if p["visible"] else None,
            "CUT_BY_WINDOW": ("start" if p["starts_before_window"] else "")
                             + ("end" if p["ends_after_window"] else ""),
        })
    return rows

"""Manoeuvre detection from element-set history.

For each object, its element sets in time order; between each two, the change of the
mean orbit that the natural motion does not explain:

* semi-major axis a (from the Kozai mean motion; the constant Kozai-Brouwer offset
  cancels in a difference) against the decay its own mean-motion derivative predicts,
  da/dt = -(2/3) a (dn/dt) / n;
* the orbit plane: inclination, and the node after its secular J2 drift
  dOmega/dt = -3/2 n J2 (R/p)^2 cos i (Vallado, "Fundamentals of Astrodynamics and
  Applications", 4th ed., eq. 9-41), as one angle between the two planes;
* the eccentricity vector (e cos w, e sin w) after the J2 drift of the perigee,
  dw/dt = 3/4 n J2 (R/p)^2 (5 cos^2 i - 1).

The changes of a burn-free orbit between element sets are heavy-tailed (fit noise, drag
that varies, an occasional bad set), and plain z-scores flag too much (Kelecy et al.,
"Satellite maneuver detection using two-line element data", AMOS 2007; Lemmens and
Krag, "Two-line-elements-based maneuver detection methods for satellites in low Earth
orbit", JGCD 37(3), 2014). Each object's scale is its median absolute residual (MAD x
1.4826), floored by its regime's, and a change must exceed THRESHOLD scales plus half the
predicted decay (drag varies by that much). A set that jumps and comes back at the next
set is an outlier, not a burn.

Velocity change (impulsive, near-circular, Gauss's equations): tangential v da / (2a),
normal v x plane angle, radial v x the eccentricity change a tangential burn cannot
explain (a tangential burn changes e by up to 2 dv / v, a radial one by dv / v).

Left out: element sets issued again with the same data (a new epoch, the same elements),
launch nominals (B* = 0), and objects while they carry another object's element set
(a vehicle docked to a station): their changes are the station's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from orbitwatch.catalog.store import CatalogStore
from orbitwatch.core.constants import EARTH_RADIUS_KM, J2, MU_KM3_S2
from orbitwatch.core.orbit import orbit_regime, semi_major_axis_km
from orbitwatch.core.time import datetime_to_us, iso_ms

#: Scales (robust sigma) a change must exceed to be a manoeuvre.
THRESHOLD = 8.0
#: Floors of the robust scales by regime: semi-major axis (m), plane (micro-rad),
#: eccentricity (1e-6): below these the element sets' own rounding dominates.
FLOORS = {"LEO": (15.0, 15.0, 8.0), "MEO": (60.0, 10.0, 5.0), "GEO": (150.0, 10.0, 5.0),
          "HEO": (300.0, 30.0, 20.0), "other": (300.0, 30.0, 20.0)}
#: Least |dv| (m/s) reported, whatever the scales say.
MIN_DV_M_S = 0.005
#: Fewer element-set pairs than this: the object's regime's typical scale is used.
MIN_PAIRS_FOR_OWN_SCALE = 8

_COLUMNS = ("norad_cat_id", "epoch_us", "mean_motion", "eccentricity", "inclination",
            "ra_of_asc_node", "arg_of_pericenter", "bstar", "mean_motion_dot", "object_name")


@dataclass(slots=True)
class History:
    """Element sets of many objects, sorted by object then epoch (columns)."""

    norad: np.ndarray
    epoch_us: np.ndarray
    n: np.ndarray  # rev/day
    e: np.ndarray
    i_deg: np.ndarray
    raan_deg: np.ndarray
    argp_deg: np.ndarray
    bstar: np.ndarray
    ndot: np.ndarray  # rev/day^2 as printed (dn/dt / 2)
    name: list[str | None]

    def __len__(self) -> int:
        return len(self.norad)

    def take(self, rows: np.ndarray) -> History:
        return History(*(getattr(self, f)[rows] for f in
                         ("norad", "epoch_us", "n", "e", "i_deg", "raan_deg", "argp_deg",
                          "bstar", "ndot")), [self.name[k] for k in rows.tolist()])


def load_history(store: CatalogStore, start: datetime | None = None,
                 end: datetime | None = None, norad_cat_ids: list[int] | None = None,
                 ) -> History:
    """Every stored element set in [start, end] (of the given objects), sorted."""
    rows = store.element_set_rows(
        _COLUMNS, start_us=None if start is None else datetime_to_us(start),
        end_us=None if end is None else datetime_to_us(end), norad_cat_ids=norad_cat_ids)
    cols = list(zip(*rows, strict=True)) if rows else [[] for _ in _COLUMNS]
    return History(np.array(cols[0], np.int64), np.array(cols[1], np.int64),
                   *(np.array(c, float) for c in cols[2:9]), list(cols[9]))


def _robust_scales(owner: np.ndarray, regime: np.ndarray,
                   residuals: tuple[np.ndarray, ...]) -> np.ndarray:
    """(pairs, 3) robust sigma of each residual for each pair's object: the object's own
    (MAD x 1.4826 of a signed residual; median / 1.1774, Rayleigh's, of a magnitude)
    when it has MIN_PAIRS_FOR_OWN_SCALE pairs, else its regime's median; never under
    the regime's floor. ``owner`` is sorted (pairs of one object together)."""
    bounds = np.flatnonzero(np.diff(owner)) + 1
    counts = np.diff(np.r_[0, bounds, len(owner)])
    first_regime = regime[np.r_[0, bounds]]
    out = np.zeros((len(owner), len(residuals)))
    for j, r in enumerate(residuals):
        parts = np.split(r, bounds)
        if j == 0:
            own = np.array([np.median(np.abs(x - np.median(x))) for x in parts]) * 1.4826
        else:
            own = np.array([np.median(x) for x in parts]) / 1.1774
        scale = np.empty(len(parts))
        for reg in np.unique(first_regime):
            mine = first_regime == reg
            floor = FLOORS.get(str(reg), FLOORS["other"])[j]
            enough = mine & (counts >= MIN_PAIRS_FOR_OWN_SCALE)
            typical = np.median(own[enough]) if enough.any() else floor
            scale[mine] = np.where(counts[mine] >= MIN_PAIRS_FOR_OWN_SCALE, own[mine],
                                   typical)
            scale[mine] = np.maximum(scale[mine], floor)
        out[:, j] = np.repeat(scale, counts)
    return out


def shared_element_sets(h: History) -> np.ndarray:
    """For each row, the catalog number of another object with the same elements at the
    same epoch (to the microsecond), else 0: a docked vehicle carries its station's set.
    The carrier is the smallest catalog number of the group; its own rows get 0."""
    order = np.lexsort((h.norad, h.raan_deg, h.i_deg, h.e, h.n, h.epoch_us))
    cols = [c[order] for c in (h.epoch_us, h.n, h.e, h.i_deg, h.raan_deg)]
    new_group = np.r_[True, np.any([c[1:] != c[:-1] for c in cols], axis=0)]
    group = np.cumsum(new_group) - 1
    first_norad = h.norad[order][new_group][group]  # sorted by norad within a group
    carrier = np.zeros(len(h), np.int64)
    other = h.norad[order] != first_norad
    carrier[order[other]] = first_norad[other]
    return carrier


@dataclass(slots=True)
class Manoeuvres:
    """Detected manoeuvres and what was looked at."""

    rows: list[dict]
    objects: int
    pairs: int
    span_days: float  # satellite-days watched: the spans of the objects' histories, summed
    skipped_repeats: int
    skipped_nominal: int
    skipped_docked: int
    outliers: int

    @property
    def satellite_years(self) -> float:
        return self.span_days / 365.25


def detect_manoeuvres(h: History, threshold: float = THRESHOLD) -> Manoeuvres:
    """Manoeuvres in a history (see the module): one row per detection, in time order."""
    if not len(h):
        return Manoeuvres([], 0, 0, 0.0, 0, 0, 0, 0)
    carrier = shared_element_sets(h)
    same_object = np.r_[False, h.norad[1:] == h.norad[:-1]]
    repeat = same_object & np.r_[False, (h.n[1:] == h.n[:-1]) & (h.e[1:] == h.e[:-1])
                                 & (h.i_deg[1:] == h.i_deg[:-1])
                                 & (h.raan_deg[1:] == h.raan_deg[:-1])]
    # launch nominals: a LEO element set with no drag terms at all (a set fitted to
    # tracking data has them; above LEO a zero B* is common and real)
    nominal = (h.bstar == 0.0) & (h.ndot == 0.0) & (h.n > 11.25)
    docked = carrier != 0
    keep = ~repeat & ~nominal & ~docked
    skipped = (int(repeat.sum()), int((nominal & ~repeat).sum()),
               int((docked & ~repeat & ~nominal).sum()))
    g = h.take(np.flatnonzero(keep))
    pair = np.flatnonzero(g.norad[1:] == g.norad[:-1])  # rows k, k + 1 of one object
    objects = len(np.unique(g.norad))
    # the time watched, summed over objects (satellite-days)
    span = float(((g.epoch_us[pair + 1] - g.epoch_us[pair]) / 86_400e6).sum())
    docking = _docking_rows(h, carrier)
    if not len(pair):
        return Manoeuvres(docking, objects, 0, span, *skipped, 0)
    a = semi_major_axis_km(g.n)
    k0, k1 = pair, pair + 1
    dt_days = (g.epoch_us[k1] - g.epoch_us[k0]) / 86_400e6
    n_rad_day = g.n * 2 * np.pi
    inc = np.radians(g.i_deg)
    p = a * (1 - g.e ** 2)
    j2_factor = J2 * (EARTH_RADIUS_KM / p) ** 2
    raan_rate = -1.5 * n_rad_day * j2_factor * np.cos(inc)  # rad/day
    argp_rate = 0.75 * n_rad_day * j2_factor * (5 * np.cos(inc) ** 2 - 1)
    # semi-major axis against the decay the mean-motion derivative predicts
    ndot = 0.5 * (g.ndot[k0] + g.ndot[k1]) * 2.0  # dn/dt, rev/day^2
    da_pred = -(2.0 / 3.0) * a[k0] * ndot / g.n[k0] * dt_days
    r_a = (a[k1] - a[k0] - da_pred) * 1000.0  # m
    # plane: the angle between the planes after the node's J2 drift
    raan_mid = 0.5 * (raan_rate[k0] + raan_rate[k1])
    d_raan = np.angle(np.exp(1j * (np.radians(g.raan_deg[k1] - g.raan_deg[k0])
                                   - raan_mid * dt_days)))
    d_inc = inc[k1] - inc[k0]
    r_plane = np.hypot(d_inc, np.sin(0.5 * (inc[k0] + inc[k1])) * d_raan) * 1e6  # urad
    # eccentricity vector after the perigee's J2 drift
    w0 = np.radians(g.argp_deg[k0]) + 0.5 * (argp_rate[k0] + argp_rate[k1]) * dt_days
    ev0 = g.e[k0] * np.exp(1j * w0)
    ev1 = g.e[k1] * np.exp(1j * np.radians(g.argp_deg[k1]))
    r_e = np.abs(ev1 - ev0) * 1e6
    regime = np.asarray(orbit_regime(g.n[k0], g.e[k0]))
    owner = g.norad[k0]
    scales = _robust_scales(owner, regime, (r_a, r_plane, r_e))
    drag_allowance = 0.5 * np.abs(da_pred) * 1000.0
    z = np.stack([np.abs(r_a) / (scales[:, 0] + drag_allowance / threshold),
                  r_plane / scales[:, 1], r_e / scales[:, 2]], axis=1)
    v = np.sqrt(MU_KM3_S2 / a[k0]) * 1000.0  # m/s
    dv_t = v * r_a / 1000.0 / (2.0 * a[k0])
    dv_n = v * r_plane * 1e-6
    dv_r = v * np.maximum(0.0, r_e * 1e-6 - 2.0 * np.abs(dv_t) / v)
    dv = np.sqrt(dv_t ** 2 + dv_n ** 2 + dv_r ** 2)
    # DV's 1-sigma from the same element-set noise the detection judged it by (each
    # component's scale taken through its DV formula, then through the norm, linearised)
    sig_t = v * (scales[:, 0] + drag_allowance / threshold) / 1000.0 / (2.0 * a[k0])
    sig_n = v * scales[:, 1] * 1e-6
    sig_r = v * scales[:, 2] * 1e-6
    dv_sigma = (np.sqrt((dv_t * sig_t) ** 2 + (dv_n * sig_n) ** 2 + (dv_r * sig_r) ** 2)
                / np.maximum(dv, 1e-12))
    hit = z > threshold
    flagged = hit.any(axis=1) & (dv >= MIN_DV_M_S)
    # a set that jumps and comes back at the next pair of the same object is an outlier:
    # a change of a undone (opposite signs, the sum under half the larger), or a plane or
    # eccentricity off in both pairs with a steady
    chained = np.r_[pair[1:] == pair[:-1] + 1, False]  # pair k + 1 follows pair k
    nxt = np.r_[np.arange(1, len(pair)), len(pair) - 1]
    undone = (hit[:, 0] & hit[nxt, 0] & (np.sign(r_a) != np.sign(r_a[nxt]))
              & (np.abs(r_a + r_a[nxt]) < 0.5 * np.maximum(np.abs(r_a), np.abs(r_a[nxt]))))
    off = (hit[:, 1:].any(axis=1) & hit[nxt, 1:].any(axis=1) & ~hit[:, 0] & ~hit[nxt, 0])
    first = chained & (undone | off)
    outlier = first | np.r_[False, first[:-1]]
    found = np.flatnonzero(flagged & ~outlier)
    rows = []
    for k in found.tolist():
        kind = _kind(r_a[k], dv_t[k], dv_n[k], dv_r[k])
        score = float(z[k].max())
        rows.append({
            "NORAD_CAT_ID": int(owner[k]), "OBJECT_NAME": g.name[k1[k]],
            "EPOCH_BEFORE": iso_ms(int(g.epoch_us[k0[k]])),
            "EPOCH_AFTER": iso_ms(int(g.epoch_us[k1[k]])),
            "GAP_DAYS": round(float(dt_days[k]), 3),
            "DV_M_S": round(float(dv[k]), 4), "DV_R_M_S": round(float(dv_r[k]), 4),
            "DV_T_M_S": round(float(dv_t[k]), 4), "DV_N_M_S": round(float(dv_n[k]), 4),
            "DV_SIGMA_M_S": round(float(dv_sigma[k]), 4), "KIND": kind,
            "CONFIDENCE": "HIGH" if score >= 2 * threshold else "MEDIUM",
            "SCORE_SIGMAS": round(score, 1),
            "DA_M": round(float(r_a[k]), 1), "DPLANE_URAD": round(float(r_plane[k]), 1),
            "DE_1E6": round(float(r_e[k]), 1), "REGIME": str(regime[k]),
        })
    rows += docking
    rows.sort(key=lambda r: (r["EPOCH_AFTER"], r["NORAD_CAT_ID"]))
    return Manoeuvres(rows, objects, len(pair), span, *skipped, int((flagged & outlier).sum()))


def _docking_rows(h: History, carrier: np.ndarray) -> list[dict]:
    """A row each time an object starts or stops carrying another's element set (docked
    to a station, or undocked from it)."""
    rows = []
    same = np.flatnonzero(h.norad[1:] == h.norad[:-1])
    for k in same[(carrier[same] == 0) != (carrier[same + 1] == 0)].tolist():
        docks = carrier[k + 1] != 0
        other = int(carrier[k + 1] if docks else carrier[k])
        rows.append({
            "NORAD_CAT_ID": int(h.norad[k]), "OBJECT_NAME": h.name[k + 1],
            "EPOCH_BEFORE": iso_ms(int(h.epoch_us[k])),
            "EPOCH_AFTER": iso_ms(int(h.epoch_us[k + 1])),
            "GAP_DAYS": round(float((h.epoch_us[k + 1] - h.epoch_us[k]) / 86_400e6), 3),
            "DV_M_S": None, "DV_R_M_S": None, "DV_T_M_S": None, "DV_N_M_S": None,
            "DV_SIGMA_M_S": None,
            "KIND": f"DOCKED TO {other}" if docks else f"UNDOCKED FROM {other}",
            "CONFIDENCE": "HIGH", "SCORE_SIGMAS": None, "DA_M": None, "DPLANE_URAD": None,
            "DE_1E6": None, "REGIME": None,
        })
    return rows


def _kind(r_a_m: float, dv_t: float, dv_n: float, dv_r: float) -> str:
    biggest = max((abs(dv_t), "T"), (abs(dv_n), "N"), (abs(dv_r), "R"))[1]
    if biggest == "N":
        return "PLANE CHANGE"
    if biggest == "R":
        return "ECCENTRICITY CHANGE"
    return "RAISE" if r_a_m > 0 else "LOWER"

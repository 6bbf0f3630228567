"""GNSS satellites visible from a site, and the dilution of precision (DOP) series.

Constellations are picked from a catalog by name as CelesTrak and Space-Track spell
them (GLONASS satellites are named COSMOS, so those are also held to GLONASS's orbit:
2.13 rev/day at 64.8 deg).

DOP: with unit lines of sight ``u`` (east, north, up) of the satellites above the mask,
the design matrix has rows ``[-u_e, -u_n, -u_u, 1_s]`` with one receiver clock column per
constellation in view (multi-GNSS receivers solve one clock offset per system);
``Q = (G^T G)^-1``, GDOP = sqrt(trace Q), PDOP = sqrt(Q_ee + Q_nn + Q_uu), HDOP =
sqrt(Q_ee + Q_nn), VDOP = sqrt(Q_uu), TDOP = sqrt of the clock terms. NaN with fewer
satellites than unknowns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from orbitwatch.access.geometry import look_angles, site_teme
from orbitwatch.access.sites import Site
from orbitwatch.core.orbit import semi_major_axis_km
from orbitwatch.core.time import datetime_to_split_jd, datetime_to_us, iso_ms, split_jd_after
from orbitwatch.errors import InputError
from orbitwatch.formats.elements import ElementSet
from orbitwatch.propagation.element_arrays import ElementArrays
from orbitwatch.propagation.eop import EarthOrientation

#: name pattern and optional (mean motion rev/day, inclination deg) window per system
CONSTELLATIONS: dict[str, tuple[str, tuple[float, float, float, float] | None]] = {
    "GPS": (r"^(NAVSTAR|GPS)\b", None),
    "GLONASS": (r"^(COSMOS|GLONASS)\b", (2.10, 2.16, 62.0, 67.5)),
    "GALILEO": (r"^(GSAT0|GALILEO)", None),
    "BEIDOU": (r"^(BEIDOU|COMPASS)", None),
    "NAVIC": (r"^(IRNSS|NVS)", None),
}


def constellation_of(es: ElementSet) -> str | None:
    """The GNSS system an element set belongs to, by name (and orbit for GLONASS)."""
    name = (es.object_name or "").upper()
    for system, (pattern, window) in CONSTELLATIONS.items():
        if re.search(pattern, name):
            if window is None:
                return system
            n_lo, n_hi, i_lo, i_hi = window
            if n_lo <= es.mean_motion <= n_hi and i_lo <= es.inclination <= i_hi:
                return system
    return None


#: The semi-major axes (km) of each system's working orbits (medium Earth orbits, and the
#: geosynchronous ones of BeiDou and NavIC; Galileo's two satellites left in eccentric
#: orbits, GSAT0201/0202, are in service at 27,977 km). Retired satellites are moved to
#: disposal orbits hundreds of km away (GPS at 27,100-28,000 km), so an element set
#: within OPERATIONAL_TOLERANCE_KM of one of these is a satellite in its working orbit.
#: Health is not in the public catalog: spares in their slots count.
OPERATIONAL_ORBITS_KM = {"GPS": (26_560.0,), "GLONASS": (25_508.0,),
                         "GALILEO": (29_600.0, 27_977.0), "BEIDOU": (27_906.0, 42_164.0),
                         "NAVIC": (42_164.0,)}
OPERATIONAL_TOLERANCE_KM = 25.0


def in_working_orbit(es: ElementSet, system: str) -> bool:
    """Whether the satellite is in one of its system's working orbits (not disposal)."""
    a = semi_major_axis_km(es.mean_motion)
    return any(abs(a - nominal) <= OPERATIONAL_TOLERANCE_KM
               for nominal in OPERATIONAL_ORBITS_KM[system])


def select_gnss(elements: Sequence[ElementSet], systems: Sequence[str], *,
                retired: bool = False) -> list[ElementSet]:
    """The element sets of the named systems' satellites in their working orbits (all of
    them, retired ones in disposal orbits included, with ``retired=True``)."""
    wanted = {s.upper() for s in systems}
    unknown = wanted - set(CONSTELLATIONS)
    if unknown:
        raise InputError(f"unknown GNSS system(s) {', '.join(sorted(unknown))}; known: "
                         f"{', '.join(CONSTELLATIONS)}")
    out = []
    for e in elements:
        system = constellation_of(e)
        if system in wanted and (retired or in_working_orbit(e, system)):
            out.append(e)
    return out


@dataclass(slots=True)
class GnssSeries:
    times_us: np.ndarray  # (n_t,)
    systems: list[str]  # per satellite
    elements: list[ElementSet]
    azimuth_deg: np.ndarray  # (n_sat, n_t)
    elevation_deg: np.ndarray
    visible: np.ndarray  # bool (n_sat, n_t)
    dop: dict[str, np.ndarray]  # GDOP, PDOP, HDOP, VDOP, TDOP: (n_t,)

    def rows(self) -> list[dict]:
        out = []
        names = sorted(set(self.systems))
        sys_arr = np.array(self.systems)
        for k, t in enumerate(self.times_us):
            row: dict = {"TIME_UTC": iso_ms(int(t)), "VISIBLE": int(self.visible[:, k].sum())}
            for s in names:
                row[f"VISIBLE_{s}"] = int(self.visible[sys_arr == s, k].sum())
            for key in ("GDOP", "PDOP", "HDOP", "VDOP", "TDOP"):
                v = float(self.dop[key][k])
                row[key] = round(v, 3) if np.isfinite(v) else None
            out.append(row)
        return out

    def satellite_rows(self) -> list[dict]:
        """One row per (time, visible satellite): azimuth and elevation (deg)."""
        out = []
        for i, k in zip(*np.nonzero(self.visible), strict=True):
            out.append({"TIME_UTC": iso_ms(int(self.times_us[k])), "SYSTEM": self.systems[i],
                        "NORAD_CAT_ID": self.elements[i].norad_cat_id,
                        "OBJECT_NAME": self.elements[i].object_name,
                        "AZ_DEG": round(float(self.azimuth_deg[i, k]), 2),
                        "EL_DEG": round(float(self.elevation_deg[i, k]), 2)})
        out.sort(key=lambda r: (r["TIME_UTC"], r["SYSTEM"], -r["EL_DEG"]))
        return out


def gnss_visibility(elements: Sequence[ElementSet], site: Site, start: datetime,
                    duration: timedelta, step_s: float = 300.0, *,
                    eop: EarthOrientation | None = None) -> GnssSeries:
    """Visibility of GNSS satellites from ``site`` above its threshold, and DOP."""
    if not elements:
        raise InputError("no GNSS satellite selected: the catalog holds none of the "
                         "systems asked for")
    if step_s <= 0 or duration.total_seconds() < 0:
        raise InputError("GNSS: the step must be positive and the window not negative")
    systems = [constellation_of(e) or "OTHER" for e in elements]
    t = np.arange(0.0, duration.total_seconds() + 1e-9, step_s)
    jd0, fr0 = datetime_to_split_jd(start)
    jd, fr = split_jd_after(jd0, fr0, t)
    err, pos, _ = ElementArrays.from_element_sets(elements).satrec_array().sgp4(jd, fr)
    spos, sbasis = site_teme(site.itrf_km(), site.enu_basis(), jd, fr, eop)
    az, el, _ = look_angles(pos, spos, sbasis)
    visible = (el > site.threshold_deg(az)) & (err == 0)
    dop = dilution_of_precision(az, el, visible, systems)
    return GnssSeries(datetime_to_us(start) + np.round(t * 1e6).astype(np.int64), systems,
                      list(elements), az, el, visible, dop)


def dilution_of_precision(az_deg: np.ndarray, el_deg: np.ndarray, visible: np.ndarray,
                          systems: Sequence[str]) -> dict[str, np.ndarray]:
    """DOP series from look angles (n_sat, n_t) with one clock per system in view."""
    az, el = np.radians(az_deg), np.radians(el_deg)
    los = np.stack([np.cos(el) * np.sin(az), np.cos(el) * np.cos(az), np.sin(el)], -1)
    names = sorted(set(systems))
    clock = np.array([[s == name for name in names] for s in systems], float)  # (n_sat, k)
    n_sat, n_t = visible.shape
    g = np.concatenate([-los, np.broadcast_to(clock[:, None, :], (n_sat, n_t, len(names)))],
                       axis=-1) * visible[..., None]  # rows of hidden satellites are zero
    normal = np.einsum("stj,stk->tjk", g, g)  # (n_t, 3 + k, 3 + k)
    in_view = np.einsum("st,sk->tk", visible.astype(float), clock) > 0  # (n_t, k)
    unknowns = 3 + in_view.sum(axis=1)
    # systems not in view: a unit diagonal decouples their clock column
    for j in range(len(names)):
        normal[~in_view[:, j], 3 + j, 3 + j] = 1.0
    enough = visible.sum(axis=0) >= unknowns
    q = np.full(normal.shape, np.nan)
    if enough.any():
        q[enough] = np.linalg.inv(normal[enough])
    diag = np.diagonal(q, axis1=1, axis2=2)
    clock_var = np.where(in_view, diag[:, 3:], 0.0).sum(axis=1)
    pos_var = diag[:, :3].sum(axis=1)
    return {
        "GDOP": np.sqrt(pos_var + clock_var),
        "PDOP": np.sqrt(pos_var),
        "HDOP": np.sqrt(diag[:, 0] + diag[:, 1]),
        "VDOP": np.sqrt(diag[:, 2]),
        "TDOP": np.sqrt(clock_var),
    }

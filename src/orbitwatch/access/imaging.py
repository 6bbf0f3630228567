"""Imaging windows over a region: when each satellite's sensor can see part of it.

A sensor sees a ground point when the angle between the satellite's nadir and the
line to the point is within its maximum off-nadir angle (given, or derived from a
swath width on a spherical Earth), the point sees the satellite above its horizon,
and, when asked, the Sun is above a given elevation at the point.

The region is a grid of points (regions.Region.grid). Satellite states are exact SGP4
every ``step_s`` (default 10 s; entry and exit times are good to one step); only the
times when the sub-satellite point is within reach of the region's bounding circle
are tested against every grid point.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sgp4.api import SatrecArray

from orbitwatch.access.geometry import sun_teme_km
from orbitwatch.access.regions import Region
from orbitwatch.core.constants import MEAN_EARTH_RADIUS_KM
from orbitwatch.core.time import datetime_to_split_jd, datetime_to_us, iso_ms, split_jd_after
from orbitwatch.errors import InputError
from orbitwatch.formats.elements import ElementSet
from orbitwatch.propagation.element_arrays import ElementArrays
from orbitwatch.propagation.eop import EarthOrientation
from orbitwatch.propagation.frames import itrf_to_geodetic, teme_to_itrf


@dataclass(frozen=True, slots=True)
class Sensor:
    """Maximum off-nadir angle (deg), or a swath width (km) it is derived from."""

    max_off_nadir_deg: float | None = None
    swath_km: float | None = None
    min_sun_elevation_deg: float | None = None  # ground must be sunlit above this

    def __post_init__(self) -> None:
        if (self.max_off_nadir_deg is None) == (self.swath_km is None):
            raise InputError("sensor: give either a maximum off-nadir angle or a swath width")
        if self.max_off_nadir_deg is not None and not 0.0 < self.max_off_nadir_deg < 90.0:
            raise InputError(f"sensor: off-nadir angle {self.max_off_nadir_deg!r} deg must be "
                             "between 0 and 90")
        if self.swath_km is not None and not 0.0 < self.swath_km < 10_000.0:
            raise InputError(f"sensor: swath {self.swath_km!r} km must be between 0 and "
                             "10000")

    def off_nadir_rad(self, radius_km: np.ndarray) -> np.ndarray:
        """Maximum off-nadir angle (rad) at geocentric distance ``radius_km``."""
        if self.max_off_nadir_deg is not None:
            return np.full(np.shape(radius_km), math.radians(self.max_off_nadir_deg))
        lam = 0.5 * self.swath_km / MEAN_EARTH_RADIUS_KM  # half swath as central angle
        r = MEAN_EARTH_RADIUS_KM
        return np.arctan2(r * math.sin(lam), radius_km - r * math.cos(lam))


@dataclass(slots=True)
class ImagingResult:
    windows: list[dict]  # one per window, units in the keys
    revisit: dict  # region-level statistics
    region: Region
    n_points: int
    spacing_km: float


def _unit_vectors(lon_deg: np.ndarray, lat_deg: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(lon_deg), np.radians(lat_deg)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], -1)


def imaging_windows(elements: Sequence[ElementSet], region: Region, sensor: Sensor,
                    start: datetime, duration: timedelta, *, step_s: float = 10.0,
                    spacing_km: float | None = None, eop: EarthOrientation | None = None,
                    ) -> ImagingResult:
    """Every window in which a satellite's sensor sees part of ``region``."""
    window_s = duration.total_seconds()
    if window_s <= 0 or step_s <= 0:
        raise InputError("imaging: the window and the step must be positive")
    if not elements:
        raise InputError("imaging: no satellite selected")
    lon, lat, spacing = region.grid(spacing_km)
    up = _unit_vectors(lon, lat)  # spherical Earth: up = radial
    ground = up * MEAN_EARTH_RADIUS_KM
    caps = _bounding_caps(region)
    jd0, fr0 = datetime_to_split_jd(start)
    t = np.arange(0.0, window_s + 1e-9, step_s)
    start_us = datetime_to_us(start)
    windows: list[dict] = []
    satrecs = ElementArrays.from_element_sets(elements).satrecs()
    for first in range(0, len(t), 8640):  # a day of 10 s steps at a time
        tt = t[first:first + 8640]
        jd, fr = split_jd_after(jd0, fr0, tt)
        err, pos, vel = SatrecArray(satrecs).sgp4(jd, fr)
        r_itrf, _ = teme_to_itrf(pos, vel, jd, fr, eop)
        sun_itrf, _ = teme_to_itrf(sun_teme_km(jd, fr)[None], np.zeros((1, len(tt), 3)), jd,
                                   fr, eop)
        sun_hat = sun_itrf[0] / np.linalg.norm(sun_itrf[0], axis=-1, keepdims=True)
        rad = np.linalg.norm(r_itrf, axis=-1)
        eta = sensor.off_nadir_rad(rad)
        # central angle from nadir to the edge of the sensor's view
        with np.errstate(invalid="ignore"):
            edge = np.arcsin(np.clip(rad / MEAN_EARTH_RADIUS_KM * np.sin(eta), -1, 1)) - eta
        horizon = np.arccos(np.clip(MEAN_EARTH_RADIUS_KM / rad, -1, 1))
        reach = np.minimum(np.where(np.isfinite(edge), edge, horizon), horizon)
        # near: the sub-satellite point within reach of one polygon's bounding cap
        near = np.zeros(err.shape, bool)
        for centre, cap_rad in caps:
            sub = np.einsum("ntk,k->nt", r_itrf, centre) / rad
            near |= np.arccos(np.clip(sub, -1, 1)) <= reach + cap_rad
        near &= err == 0
        for i_sat in np.flatnonzero(near.any(axis=1)):
            ks = np.flatnonzero(near[i_sat])
            seen, off = _sensor_view(r_itrf[i_sat, ks], rad[i_sat, ks], eta[i_sat, ks],
                                     ground, up, sun_hat[ks], sensor)
            windows += _windows_of(elements[i_sat], tt[ks], seen, off, step_s,
                                   start_us, len(lon), r_itrf[i_sat, ks])
    windows = _merge_across_days(windows, step_s)
    windows.sort(key=lambda w: w["_t0"])
    revisit = _revisit(windows, window_s)
    for w in windows:
        del w["_covered"], w["_t0"], w["_t1"]
    return ImagingResult(windows, revisit, region, len(lon), spacing)


def _bounding_caps(region: Region) -> list[tuple[np.ndarray, float]]:
    """A spherical cap (centre unit vector, angular radius in rad) around each polygon of
    the region, so that a country with far-away parts (France and its overseas
    departments) is not one cap around half the globe."""
    caps = []
    for poly in region.polygons:
        ring = np.asarray(poly[0], float)
        v = _unit_vectors(ring[:, 0], ring[:, 1])
        centre = v.mean(0)
        centre /= np.linalg.norm(centre)
        # vertices bound the polygon for caps under a hemisphere; a little margin for
        # the great-circle bulge of long edges
        radius = float(np.arccos(np.clip(v @ centre, -1, 1)).max()) * 1.02 + 1e-3
        caps.append((centre, radius))
    return caps


def _sensor_view(r: np.ndarray, rad: np.ndarray, eta: np.ndarray, ground: np.ndarray,
                 up: np.ndarray, sun_hat: np.ndarray, sensor: Sensor,
                 block: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Which ground points the sensor sees at each state (m, p) and their off-nadir
    angles (deg), ``block`` states at a time to bound memory."""
    seen = np.zeros((len(r), len(ground)), bool)
    off = np.zeros((len(r), len(ground)))
    for a in range(0, len(r), block):
        b = slice(a, a + block)
        d = ground[None, :, :] - r[b, None, :]  # (m, p, 3) satellite -> point
        nadir = -r[b] / rad[b, None]
        cos_off = np.einsum("mpk,mk->mp", d, nadir) / np.linalg.norm(d, axis=-1)
        off[b] = np.degrees(np.arccos(np.clip(cos_off, -1, 1)))
        above = np.einsum("mpk,pk->mp", d, up) < 0.0  # the point sees the satellite
        seen[b] = above & (off[b] <= np.degrees(eta[b])[:, None])
        if sensor.min_sun_elevation_deg is not None:
            sun_el = np.degrees(np.arcsin(np.clip(sun_hat[b] @ up.T, -1, 1)))
            seen[b] &= sun_el >= sensor.min_sun_elevation_deg
    return seen, off


def _windows_of(es: ElementSet, t: np.ndarray, seen: np.ndarray, off: np.ndarray,
                step_s: float, start_us: int, n_points: int, r_itrf: np.ndarray) -> list[dict]:
    """Runs of consecutive steps with at least one point seen."""
    any_seen = seen.any(axis=1)
    idx = np.flatnonzero(any_seen)
    if len(idx) == 0:
        return []
    breaks = np.flatnonzero(np.diff(t[idx]) > step_s * 1.5) + 1
    out = []
    for run in np.split(idx, breaks):
        covered = seen[run].any(axis=0)
        best = float(np.where(seen[run], off[run], np.inf).min())
        k_best = run[int(np.argmin(np.where(seen[run], off[run], np.inf).min(axis=1)))]
        _, _, alt = itrf_to_geodetic(r_itrf[k_best])
        out.append({
            "NORAD_CAT_ID": es.norad_cat_id,
            "OBJECT_NAME": es.object_name,
            "ENTRY_UTC": iso_ms(start_us + round(t[run[0]] * 1e6)),
            "EXIT_UTC": iso_ms(start_us + round(t[run[-1]] * 1e6)),
            "DURATION_S": float(t[run[-1]] - t[run[0]]),
            "COVERED_FRACTION": round(float(covered.sum()) / n_points, 4),
            "BEST_OFF_NADIR_DEG": round(best, 2),
            "ALTITUDE_KM": round(float(alt), 1),
            # kept for merging and revisit, dropped before the windows are returned
            "_covered": covered, "_t0": float(t[run[0]]), "_t1": float(t[run[-1]]),
        })
    return out


def _merge_across_days(windows: list[dict], step_s: float) -> list[dict]:
    """Join a satellite's windows cut by the day blocks (exit and entry one step apart);
    drops the private keys."""
    windows.sort(key=lambda w: (w["NORAD_CAT_ID"], w["_t0"]))
    out: list[dict] = []
    for w in windows:
        prev = out[-1] if out else None
        if prev and prev["NORAD_CAT_ID"] == w["NORAD_CAT_ID"] and \
                w["_t0"] - prev["_t1"] <= step_s * 1.5:
            prev["_covered"] = prev["_covered"] | w["_covered"]
            prev["_t1"], prev["EXIT_UTC"] = w["_t1"], w["EXIT_UTC"]
            prev["DURATION_S"] = prev["_t1"] - prev["_t0"]
            prev["COVERED_FRACTION"] = round(float(prev["_covered"].mean()), 4)
            prev["BEST_OFF_NADIR_DEG"] = min(prev["BEST_OFF_NADIR_DEG"], w["BEST_OFF_NADIR_DEG"])
            continue
        out.append(w)
    return out


def _revisit(windows: list[dict], window_s: float) -> dict:
    """Gaps between accesses by any satellite (hours): the union of all windows."""
    spans = sorted((w["_t0"], w["_t1"]) for w in windows)
    merged: list[list[float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    gaps = [(b[0] - a[1]) / 3600.0 for a, b in itertools.pairwise(merged)]
    return {
        "WINDOWS": len(windows),
        "SATELLITES_WITH_ACCESS": len({w["NORAD_CAT_ID"] for w in windows}),
        "ACCESS_PERIODS": len(merged),
        "MEAN_REVISIT_GAP_H": round(float(np.mean(gaps)), 3) if gaps else None,
        "MAX_REVISIT_GAP_H": round(float(np.max(gaps)), 3) if gaps else None,
        "FIRST_ACCESS_AFTER_START_H": round(merged[0][0] / 3600.0, 3) if merged else None,
        "UNSEEN_AT_END_H": round((window_s - merged[-1][1]) / 3600.0, 3) if merged else None,
    }

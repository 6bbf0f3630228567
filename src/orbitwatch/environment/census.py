"""Census of the catalog at one time: counts by orbit class, object class, owner and
launch year, the spatial density of objects by altitude shell (time-averaged over each
orbit), and the geostationary belt by longitude.

Spatial density: an object on a Keplerian orbit of semi-major axis a and eccentricity e
spends the fraction F(R) = (E - e sin E) / pi of its period below radius R, where
cos E = (1 - R / a) / e (Kepler's equation; 0 below perigee, 1 above apogee; a circular
orbit is a step at a). The expected number of objects in a shell is the sum of
F(R_high) - F(R_low) over the objects, its density that number over the shell's volume
(objects per km^3), as ESA's report draws it. Altitudes are over the equatorial radius
(6378.137 km); the orbits are the mean orbits of the element sets (Kozai mean motion).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from orbitwatch.catalog.snapshot import Snapshot
from orbitwatch.core.constants import EARTH_RADIUS_KM
from orbitwatch.core.time import datetime_to_split_jd
from orbitwatch.environment.classes import OBJECT_CLASSES, object_class, orbit_class
from orbitwatch.errors import InputError
from orbitwatch.propagation.frames import itrf_to_geodetic, teme_to_itrf

GROUPINGS = ("orbit-class", "object-class", "owner", "launch-year")
_COSPAR_YEAR = re.compile(r"^(\d{4})-")


@dataclass(slots=True)
class CatalogCensus:
    """The objects of a snapshot with what the census counts them by."""

    at: datetime
    snapshot: Snapshot
    orbit_class: np.ndarray  # (n,) str
    object_class: np.ndarray  # (n,) str: PL PD RB RD UI
    owner: np.ndarray  # (n,) str, "unknown" without a SATCAT owner
    launch_year: np.ndarray  # (n,) str, "unknown" without a COSPAR designator
    a_km: np.ndarray
    e: np.ndarray
    perigee_km: np.ndarray
    apogee_km: np.ndarray

    def __len__(self) -> int:
        return len(self.orbit_class)

    def counts(self, by: str = "orbit-class") -> list[dict]:
        """One row per group (most objects first; launch years in order): TOTAL and the
        number of each object class (PL, PD, RB, RD, UI)."""
        keys = {"orbit-class": self.orbit_class, "object-class": self.object_class,
                "owner": self.owner, "launch-year": self.launch_year}
        if by not in keys:
            raise InputError(f"unknown grouping {by!r}: one of {', '.join(GROUPINGS)}")
        key = keys[by]
        rows = []
        for value in np.unique(key):
            mine = key == value
            row = {by.upper().replace("-", "_"): str(value), "TOTAL": int(mine.sum())}
            for cls in OBJECT_CLASSES:
                row[cls] = int((mine & (self.object_class == cls)).sum())
            rows.append(row)
        if by == "launch-year":
            rows.sort(key=lambda r: r["LAUNCH_YEAR"])
        else:
            rows.sort(key=lambda r: -r["TOTAL"])
        return rows


def take_census(snapshot: Snapshot) -> CatalogCensus:
    """The census of a snapshot (take_snapshot): every object's classes and orbit."""
    arr = snapshot.arrays
    a = arr.semi_major_axis_km
    e = arr.eccentricity
    hp, ha = a * (1 - e) - EARTH_RADIUS_KM, a * (1 + e) - EARTH_RADIUS_KM
    names = [es.object_name for es in snapshot.element_sets]
    classes = np.array([object_class(t, n) for t, n in zip(snapshot.object_type, names,
                                                            strict=True)], "U2")
    owners = np.array([o or "unknown" for o in snapshot.owner], object).astype(str)
    years = []
    for es in snapshot.element_sets:
        match = _COSPAR_YEAR.match(es.object_id or "")
        years.append(match.group(1) if match else "unknown")
    return CatalogCensus(snapshot.at, snapshot, orbit_class(hp, ha, a, e, arr.inclination_deg),
                         classes, owners, np.array(years, str), a, e, hp, ha)


def time_fraction_below(a_km: np.ndarray, e: np.ndarray, r_km: np.ndarray) -> np.ndarray:
    """Fraction of each orbit's period spent below radius ``r_km``: (n, m) for n orbits
    and m radii (see the module)."""
    a = np.asarray(a_km, float)[:, None]
    ecc = np.asarray(e, float)[:, None]
    r = np.asarray(r_km, float)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        cos_e = np.clip((1.0 - r / a) / ecc, -1.0, 1.0)
    big_e = np.arccos(cos_e)
    fraction = (big_e - ecc * np.sin(big_e)) / np.pi
    # below perigee none of the period, above apogee all of it (a circular orbit: a step)
    return np.where(r <= a * (1 - ecc), 0.0, np.where(r >= a * (1 + ecc), 1.0, fraction))


MAX_SHELLS = 10_000
MIN_STEP_DEG = 0.1


def shell_density(census: CatalogCensus, *, low_km: float = 200.0, high_km: float = 2000.0,
                  step_km: float = 10.0) -> list[dict]:
    """Spatial density by altitude shell: per shell the expected number of objects in it
    at any time (OBJECTS), and objects per km^3, in all and by object class."""
    if not (0 <= low_km < high_km) or step_km <= 0:
        raise InputError(f"altitude shells need 0 <= low < high and a step > 0; got "
                         f"{low_km}..{high_km} km by {step_km} km")
    if (high_km - low_km) / step_km > MAX_SHELLS:
        raise InputError(f"more than {MAX_SHELLS:,} altitude shells: take a larger step")
    edges = np.arange(low_km, high_km + step_km * 0.5, step_km)
    radii = EARTH_RADIUS_KM + edges
    volume = 4.0 / 3.0 * np.pi * (radii[1:] ** 3 - radii[:-1] ** 3)
    occupancy = np.zeros((len(census), len(edges) - 1))
    rows_at_once = max(1, 4_000_000 // len(edges))  # bounded memory: 32 MB per piece
    for start in range(0, len(census), rows_at_once):
        part = slice(start, start + rows_at_once)
        below = time_fraction_below(census.a_km[part], census.e[part], radii)
        occupancy[part] = np.diff(below, axis=1)
    rows = []
    for k in range(len(edges) - 1):
        column = occupancy[:, k]
        row = {"ALT_LOW_KM": float(edges[k]), "ALT_HIGH_KM": float(edges[k + 1]),
               "OBJECTS": float(column.sum()),
               "DENSITY_PER_KM3": float(column.sum() / volume[k])}
        for cls in OBJECT_CLASSES:
            row[f"{cls}_PER_KM3"] = float(column[census.object_class == cls].sum() / volume[k])
        rows.append(row)
    return rows


#: The geostationary belt as a volume: altitudes 35586-35986 km (ESA's GEO class),
#: latitudes within 15 deg.
GEO_LOW_KM, GEO_HIGH_KM, GEO_LATITUDE_DEG = 35586.0, 35986.0, 15.0


def geo_belt(census: CatalogCensus, step_deg: float = 5.0) -> list[dict]:
    """Objects of the GEO class by longitude at the census time (SGP4, ITRF), in bins of
    ``step_deg``: counts by object class and objects per km^3 of the belt's volume."""
    if not MIN_STEP_DEG <= step_deg <= 180 or abs(360 / step_deg - round(360 / step_deg)) > 1e-9:
        raise InputError(f"longitude bins of {step_deg} deg: a divisor of 360 deg from "
                         f"{MIN_STEP_DEG} to 180 deg")
    geo = np.flatnonzero(census.orbit_class == "GEO")
    bins = np.arange(-180.0, 180.0 + step_deg * 0.5, step_deg)
    longitude = np.full(len(geo), np.nan)
    if len(geo):
        arrays = census.snapshot.arrays.take(geo)
        jd, fr = datetime_to_split_jd(census.at)
        err, r, v = arrays.satrec_array().sgp4(np.array([jd]), np.array([fr]))
        r_itrf, _ = teme_to_itrf(r[:, 0], v[:, 0], np.full(len(geo), jd), np.full(len(geo), fr))
        _, longitude, _ = itrf_to_geodetic(r_itrf)
        longitude[err[:, 0] != 0] = np.nan
    radius = EARTH_RADIUS_KM + np.array([GEO_LOW_KM, GEO_HIGH_KM])
    band = np.sin(np.radians(GEO_LATITUDE_DEG))  # fraction of the sphere's solid angle
    volume = 4.0 / 3.0 * np.pi * (radius[1] ** 3 - radius[0] ** 3) * band * step_deg / 360.0
    which = np.digitize(longitude, bins) - 1
    classes = census.object_class[geo]
    rows = []
    for k in range(len(bins) - 1):
        mine = which == k
        row = {"LON_LOW_DEG": float(bins[k]), "LON_HIGH_DEG": float(bins[k + 1]),
               "OBJECTS": int(mine.sum()), "DENSITY_PER_KM3": float(mine.sum() / volume)}
        row.update({cls: int((mine & (classes == cls)).sum()) for cls in OBJECT_CLASSES})
        rows.append(row)
    return rows

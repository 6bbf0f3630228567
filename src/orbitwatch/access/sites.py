"""Ground sites: WGS84 position, minimum elevation and an optional horizon mask.

Sites come from the command line (``lat,lon[,alt_m]``) or from GeoJSON (a Feature or
FeatureCollection of Points, as the ground-station networks in ../shared/data/ground).
Every bad value is an :class:`InputError` naming the site and the field.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from orbitwatch.core.constants import WGS84_A_KM, WGS84_F
from orbitwatch.errors import InputError


@dataclass(frozen=True, slots=True)
class HorizonMask:
    """Minimum elevation (deg) as a function of azimuth (deg from north, clockwise),
    linear between the given points and periodic over 360 deg."""

    azimuth_deg: tuple[float, ...]
    elevation_deg: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.azimuth_deg) != len(self.elevation_deg) or not self.azimuth_deg:
            raise InputError("horizon mask: give as many elevations as azimuths (at least one)")
        for az, el in zip(self.azimuth_deg, self.elevation_deg, strict=True):
            if not (0.0 <= az < 360.0) or not (-90.0 <= el <= 90.0):
                raise InputError(f"horizon mask: point (az {az!r}, el {el!r}) out of range "
                                 "(azimuth 0..360 deg, elevation -90..90 deg)")
        if list(self.azimuth_deg) != sorted(self.azimuth_deg):
            raise InputError("horizon mask: azimuths must increase")

    @classmethod
    def parse(cls, text: str) -> HorizonMask:
        """``"az:el,az:el,..."`` in degrees, e.g. ``"0:5,90:12,180:5,270:20"``."""
        try:
            pts = [tuple(float(x) for x in item.split(":")) for item in text.split(",")]
            az, el = zip(*pts, strict=True)
        except ValueError:
            raise InputError(f"horizon mask {text!r}: expected az:el pairs in degrees "
                             "separated by commas, e.g. 0:5,90:12,180:5,270:20")
        return cls(tuple(az), tuple(el))

    def at(self, azimuth_deg: np.ndarray) -> np.ndarray:
        """Minimum elevation (deg) at each azimuth (deg)."""
        return np.interp(np.mod(azimuth_deg, 360.0), self.azimuth_deg, self.elevation_deg,
                         period=360.0)

    @property
    def lowest_deg(self) -> float:
        return float(min(self.elevation_deg))


@dataclass(frozen=True, slots=True)
class Site:
    """A place on the ground: WGS84 geodetic latitude and longitude (deg), height above
    the ellipsoid (m), minimum elevation (deg) and an optional horizon mask (which, when
    given, replaces the minimum elevation wherever it is higher)."""

    name: str
    latitude_deg: float
    longitude_deg: float
    altitude_m: float = 0.0
    min_elevation_deg: float = 0.0
    mask: HorizonMask | None = field(default=None)

    def __post_init__(self) -> None:
        for fld, value, lo, hi in (("latitude", self.latitude_deg, -90.0, 90.0),
                                   ("longitude", self.longitude_deg, -180.0, 360.0),
                                   ("altitude_m", self.altitude_m, -500.0, 100_000.0),
                                   ("min_elevation", self.min_elevation_deg, -5.0, 89.0)):
            if not isinstance(value, int | float) or not math.isfinite(value) \
                    or not lo <= value <= hi:
                raise InputError(f"site {self.name!r}: {fld} {value!r} out of range "
                                 f"({lo:g} .. {hi:g})")

    def threshold_deg(self, azimuth_deg: np.ndarray) -> np.ndarray:
        """The elevation a satellite must exceed (deg) at each azimuth."""
        base = np.full(np.shape(azimuth_deg), self.min_elevation_deg)
        return base if self.mask is None else np.maximum(base, self.mask.at(azimuth_deg))

    @property
    def lowest_threshold_deg(self) -> float:
        low = self.min_elevation_deg
        return low if self.mask is None else max(low, self.mask.lowest_deg)

    def itrf_km(self) -> np.ndarray:
        """Position in ITRF (km), WGS84 ellipsoid."""
        lat, lon = math.radians(self.latitude_deg), math.radians(self.longitude_deg)
        e2 = WGS84_F * (2.0 - WGS84_F)
        n = WGS84_A_KM / math.sqrt(1.0 - e2 * math.sin(lat) ** 2)
        h = self.altitude_m / 1000.0
        return np.array([(n + h) * math.cos(lat) * math.cos(lon),
                         (n + h) * math.cos(lat) * math.sin(lon),
                         (n * (1.0 - e2) + h) * math.sin(lat)])

    def enu_basis(self) -> np.ndarray:
        """Rows east, north, up (geodetic zenith) in ITRF."""
        lat, lon = math.radians(self.latitude_deg), math.radians(self.longitude_deg)
        sl, cl, so, co = math.sin(lat), math.cos(lat), math.sin(lon), math.cos(lon)
        return np.array([[-so, co, 0.0], [-sl * co, -sl * so, cl], [cl * co, cl * so, sl]])


def parse_site(text: str, *, min_elevation_deg: float = 0.0,
               mask: HorizonMask | None = None) -> Site:
    """``"lat,lon[,alt_m]"`` (deg, deg, m) or ``"name=lat,lon[,alt_m]"``."""
    name, _, coords = text.rpartition("=")
    parts = coords.split(",")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise InputError(f"site {text!r}: expected lat,lon[,alt_m] in degrees and metres")
    if len(values) not in (2, 3):
        raise InputError(f"site {text!r}: expected lat,lon[,alt_m] in degrees and metres")
    return Site(name or coords, values[0], values[1], values[2] if len(values) == 3 else 0.0,
                min_elevation_deg, mask)


def read_sites_geojson(path: Path, *, min_elevation_deg: float = 0.0) -> list[Site]:
    """Every Point feature of a GeoJSON file as a site (name from the ``name`` property,
    altitude from ``altitude_m``/``alt_m``/``elevation_m`` or the third coordinate)."""
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable GeoJSON file ({exc})")
    features = doc.get("features", [doc]) if isinstance(doc, dict) else []
    sites = []
    for k, feat in enumerate(features):
        geom = (feat or {}).get("geometry") or {}
        if geom.get("type") != "Point":
            continue
        props = feat.get("properties") or {}
        coords = geom.get("coordinates") or []
        name = str(props.get("name") or props.get("Name") or props.get("id") or f"site {k + 1}")
        if len(coords) < 2:
            raise InputError(f"{path}: feature {k + 1} ({name}): Point needs [lon, lat]")
        alt = next((props[key] for key in ("altitude_m", "alt_m", "elevation_m")
                    if isinstance(props.get(key), int | float)),
                   coords[2] if len(coords) > 2 else 0.0)
        try:
            # a sensor's own elevation limit (el_min_deg, as in the SSN file) when higher
            own = props.get("el_min_deg")
            min_el = max(min_elevation_deg, float(own)) if isinstance(own, int | float) \
                else min_elevation_deg
            sites.append(Site(name, float(coords[1]), float(coords[0]), float(alt or 0.0),
                              min_el))
        except (TypeError, ValueError) as exc:
            raise InputError(f"{path}: feature {k + 1} ({name}): {exc}")
    if not sites:
        raise InputError(f"{path}: no Point feature (a site needs a Point geometry)")
    return sites

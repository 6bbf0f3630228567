"""Regions on the ground: countries from the packaged Natural Earth boundaries, or
GeoJSON polygons; sampled as a grid of points for coverage.

Polygons are lists of rings ``[[lon_deg, lat_deg], ...]``, outer ring first, then holes,
in WGS84 degrees. Inside/outside is the even-odd rule on longitude/latitude, which is
right for regions that do not contain a pole or cross the antimeridian.
"""

from __future__ import annotations

import difflib
import gzip
import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from orbitwatch.core.constants import MEAN_EARTH_RADIUS_KM
from orbitwatch.errors import InputError

Ring = list[list[float]]
Polygon = list[Ring]

#: Mean Earth radius (km) for distances on the ground; good to 0.5 % for grid spacing.


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    polygons: tuple  # of Polygon
    iso_a3: str | None = None

    def bbox(self) -> tuple[float, float, float, float]:
        """(lon_min, lat_min, lon_max, lat_max) in degrees."""
        pts = np.array([p for poly in self.polygons for p in poly[0]])
        return (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()),
                float(pts[:, 1].max()))

    def contains(self, lon_deg: np.ndarray, lat_deg: np.ndarray) -> np.ndarray:
        """Whether each point lies inside the region (even-odd rule over all rings)."""
        lon, lat = np.asarray(lon_deg, float), np.asarray(lat_deg, float)
        inside = np.zeros(lon.shape, bool)
        for poly in self.polygons:
            for ring in poly:
                inside ^= _crossings_odd(np.asarray(ring, float), lon, lat)
        return inside

    def grid(self, spacing_km: float | None = None, target_points: int = 2000,
             ) -> tuple[np.ndarray, np.ndarray, float]:
        """Points inside the region on a grid of about ``spacing_km`` (chosen so that
        about ``target_points`` fall inside when not given): ``(lon, lat, spacing_km)``.
        A region too small for the grid gets its vertices' centroid."""
        lon0, lat0, lon1, lat1 = self.bbox()
        cos_lat = max(math.cos(math.radians(0.5 * (lat0 + lat1))), 0.05)
        if spacing_km is None:
            area = self.area_km2()
            spacing_km = max(math.sqrt(area / target_points), 0.5)
        dlat = math.degrees(spacing_km / MEAN_EARTH_RADIUS_KM)
        dlon = dlat / cos_lat
        lats = np.arange(lat0 + dlat / 2, lat1, dlat)
        lons = np.arange(lon0 + dlon / 2, lon1, dlon)
        glon, glat = np.meshgrid(lons, lats)
        glon, glat = glon.ravel(), glat.ravel()
        keep = self.contains(glon, glat)
        if not keep.any():
            ring = np.asarray(self.polygons[0][0], float)
            return ring[:, :1].mean(0), ring[:, 1:2].mean(0), spacing_km
        return glon[keep], glat[keep], spacing_km

    def area_km2(self) -> float:
        """Area on a sphere of the mean Earth radius (km^2), holes subtracted."""
        total = 0.0
        for poly in self.polygons:
            for k, ring in enumerate(poly):
                a = abs(_ring_area_km2(np.asarray(ring, float)))
                total += a if k == 0 else -a
        return total


def _crossings_odd(ring: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Even-odd test of points against one ring (ray towards +longitude)."""
    x1, y1 = ring[:-1, 0], ring[:-1, 1]
    x2, y2 = ring[1:, 0], ring[1:, 1]
    odd = np.zeros(lon.shape, bool)
    for a, b, c, d in zip(x1, y1, x2, y2, strict=True):
        if b == d:
            continue
        straddle = (b > lat) != (d > lat)
        x_cross = a + (lat - b) * (c - a) / (d - b)
        odd ^= straddle & (lon < x_cross)
    return odd


def _ring_area_km2(ring: np.ndarray) -> float:
    """Signed spherical area of a lon/lat ring (km^2), by the line-integral formula
    sum (lon2 - lon1)(2 + sin lat1 + sin lat2) R^2 / 2 (Chamberlain and Duquette 2007)."""
    lon = np.radians(ring[:, 0])
    lat = np.radians(ring[:, 1])
    s = np.sum((lon[1:] - lon[:-1]) * (2.0 + np.sin(lat[:-1]) + np.sin(lat[1:])))
    return float(s) * MEAN_EARTH_RADIUS_KM**2 / 2.0


@cache
def countries_data() -> list[dict]:
    data = resources.files("orbitwatch.access").joinpath("data/countries.json.gz")
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return json.load(fh)["countries"]


def country_names() -> list[str]:
    return sorted(c["name"] for c in countries_data())


def country(query: str) -> Region:
    """A country by name (case-insensitive), ISO 3166-1 alpha-2, alpha-3 or numeric code."""
    q = query.strip()
    if not q:
        raise InputError("country: empty name")
    for c in countries_data():
        codes = {c.get("iso_a2"), c.get("iso_a3"), c.get("iso_n3")}
        if q.upper() in {x for x in codes if x} or c["name"].casefold() == q.casefold():
            return Region(c["name"], tuple(c["polygons"]), c.get("iso_a3"))
    names = [c["name"] for c in countries_data()]
    close = difflib.get_close_matches(q, names, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else \
        "; give a name as Natural Earth spells it or an ISO 3166-1 code (DJ, DJI, 262)"
    raise InputError(f"unknown country {query!r}{hint}")


def read_region_geojson(path: Path) -> Region:
    """Every Polygon and MultiPolygon of a GeoJSON file, as one region."""
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable GeoJSON file ({exc})")
    geoms = []
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        geoms = [(f or {}).get("geometry") or {} for f in doc.get("features", [])]
    elif isinstance(doc, dict) and doc.get("type") == "Feature":
        geoms = [doc.get("geometry") or {}]
    elif isinstance(doc, dict):
        geoms = [doc]
    polygons: list[Polygon] = []
    for k, g in enumerate(geoms):
        coords = g.get("coordinates")
        try:
            if g.get("type") == "Polygon":
                polygons.append(_checked_polygon(coords))
            elif g.get("type") == "MultiPolygon":
                polygons.extend(_checked_polygon(p) for p in coords)
        except (TypeError, ValueError, IndexError) as exc:
            raise InputError(f"{path}: geometry {k + 1}: {exc}")
    if not polygons:
        raise InputError(f"{path}: no Polygon or MultiPolygon with an area (an empty "
                         "region has nothing to image)")
    region = Region(path.stem, tuple(polygons))
    if region.area_km2() <= 0.0:
        raise InputError(f"{path}: the polygons enclose no area")
    return region


def _checked_polygon(coords) -> Polygon:
    rings = []
    for ring in coords:
        pts = [[float(p[0]), float(p[1])] for p in ring]
        if len(pts) < 4:
            raise ValueError("a ring needs at least 4 positions (closed)")
        for lon, lat in pts:
            if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
                raise ValueError(f"position ({lon}, {lat}) outside -180..180, -90..90")
        if pts[0] != pts[-1]:
            pts.append(pts[0])
        rings.append(pts)
    if not rings:
        raise ValueError("a Polygon needs an outer ring")
    return rings

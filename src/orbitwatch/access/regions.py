"""Regions on the ground: countries from the packaged Natural Earth boundaries, or
GeoJSON polygons; sampled as a grid of points for coverage.

Polygons are lists of rings ``[[lon_deg, lat_deg], ...]``, outer ring first, then holes,
in WGS84 degrees. Inside/outside is the even-odd rule on longitude/latitude, which is
right for regions that do not contain a pole or cross the antimeridian.
"""

from __future__ import annotations

import difflib
import gzip
import itertools
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
    """Polygons of lon/lat rings (deg; the first ring of each is its outline, the others
    its holes). Rings may cross the antimeridian (Natural Earth joins Fiji's and
    Russia's parts across it) or encircle a pole (Antarctica): the geometry below works
    on each ring with its longitudes unwrapped, so neither is a special case for callers.
    """

    name: str
    polygons: tuple  # of Polygon
    iso_a3: str | None = None

    def bbox(self) -> tuple[float, float, float, float]:
        """(lon_min, lat_min, lon_max, lat_max) in degrees, longitudes as given."""
        pts = np.array([p for poly in self.polygons for p in poly[0]])
        return (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()),
                float(pts[:, 1].max()))

    def contains(self, lon_deg: np.ndarray, lat_deg: np.ndarray) -> np.ndarray:
        """Whether each point lies inside the region (even-odd rule over all rings)."""
        lon, lat = np.asarray(lon_deg, float), np.asarray(lat_deg, float)
        inside = np.zeros(lon.shape, bool)
        for poly in self.polygons:
            for ring in poly:
                inside ^= _ring_contains(np.asarray(ring, float), lon, lat)
        return inside

    def grid(self, spacing_km: float | None = None, target_points: int = 2000,
             ) -> tuple[np.ndarray, np.ndarray, float]:
        """Points inside the region on a grid of about ``spacing_km`` (chosen so that
        about ``target_points`` fall inside when not given): ``(lon, lat, spacing_km)``,
        longitudes in -180..180. Each polygon is gridded over its own (unwrapped) bounds,
        so that islands on both sides of the antimeridian do not span the globe. A
        region too small for the grid gets a vertex of its first outline."""
        if spacing_km is None:
            spacing_km = max(math.sqrt(self.area_km2() / target_points), 0.5)
        dlat = math.degrees(spacing_km / MEAN_EARTH_RADIUS_KM)
        lons, lats = [], []
        for poly in self.polygons:
            rings = [_unwrapped(np.asarray(ring, float)) for ring in poly]
            every = np.concatenate(rings)
            lat0, lat1 = every[:, 1].min(), every[:, 1].max()
            if any(_encircles_pole(u) for u in rings):
                lon0, lon1 = -180.0, 180.0
                lat0, lat1 = (-90.0, lat1) if every[:, 1].mean() < 0 else (lat0, 90.0)
            else:
                lon0, lon1 = rings[0][:, 0].min(), rings[0][:, 0].max()
            cos_lat = max(math.cos(math.radians(0.5 * (lat0 + lat1))), 0.05)
            dlon = dlat / cos_lat
            glon, glat = np.meshgrid(np.arange(lon0 + dlon / 2, lon1, dlon),
                                     np.arange(lat0 + dlat / 2, lat1, dlat))
            glon, glat = glon.ravel(), glat.ravel()
            keep = np.zeros(glon.shape, bool)
            for ring in poly:
                keep ^= _ring_contains(np.asarray(ring, float), glon, glat)
            lons.append(_wrap180(glon[keep]))
            lats.append(glat[keep])
        lon, lat = np.concatenate(lons), np.concatenate(lats)
        if not len(lon):
            ring = np.asarray(self.polygons[0][0], float)
            return ring[:1, 0].copy(), ring[:1, 1].copy(), spacing_km
        return lon, lat, spacing_km

    def area_km2(self) -> float:
        """Area on a sphere of the mean Earth radius (km^2), holes subtracted (for a
        polygon round a pole, the even-odd area between its rings, as Natural Earth
        draws Antarctica: a ring along the pole and the coast)."""
        total = 0.0
        for poly in self.polygons:
            areas = [_ring_area_km2(np.asarray(ring, float)) for ring in poly]
            total += abs(areas[0] - sum(areas[1:]))
        return total


def _wrap180(lon: np.ndarray) -> np.ndarray:
    return (np.asarray(lon) + 180.0) % 360.0 - 180.0


def _unwrapped(ring: np.ndarray) -> np.ndarray:
    """The ring with longitudes unwrapped: no step between neighbours exceeds 180 deg (an
    edge from 180 to -180 becomes one from 180 to 180)."""
    out = ring.copy()
    step = np.diff(ring[:, 0])
    step = (step + 180.0) % 360.0 - 180.0
    out[1:, 0] = ring[0, 0] + np.cumsum(step)
    return out


def _encircles_pole(unwrapped: np.ndarray) -> bool:
    """A closed ring whose unwrapped longitudes do not come back: it goes round a pole."""
    return abs(unwrapped[-1, 0] - unwrapped[0, 0]) > 180.0


def _ring_contains(ring: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Even-odd test of points against one ring. An ordinary ring: a ray towards
    +longitude in the ring's unwrapped longitudes, at the point's longitude and 360 deg
    either side. A ring round a pole: a ray along the meridian to that pole."""
    u = _unwrapped(ring)
    if _encircles_pole(u):
        return _polar_contains(u, lon, lat, south=u[:, 1].mean() < 0)
    odd = np.zeros(lon.shape, bool)
    for shift in (0.0, 360.0, -360.0):
        x = lon + shift
        if x.size and (x.max() < u[:, 0].min() or x.min() > u[:, 0].max()):
            continue
        odd |= _crossings_odd(u, x, lat)
    return odd


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


def _polar_contains(u: np.ndarray, lon: np.ndarray, lat: np.ndarray,
                    south: bool) -> np.ndarray:
    """Points of a ring round a pole: count the ring's edges that the meridian from the
    point to the pole crosses."""
    odd = np.zeros(lon.shape, bool)
    for (a, b), (c, d) in itertools.pairwise(u.tolist()):
        if a == c:
            continue
        # the edge's longitudes mod 360, and whether the point's longitude is between
        lo, span = a % 360.0, c - a
        rel = (np.asarray(lon) - lo) % 360.0 if span > 0 else (lo - np.asarray(lon)) % 360.0
        within = rel < abs(span)
        lat_edge = b + (d - b) * rel / abs(span)
        crosses = within & ((lat_edge < lat) if south else (lat_edge > lat))
        odd ^= crosses
    return odd


def _ring_area_km2(ring: np.ndarray) -> float:
    """Area enclosed by a lon/lat ring (km^2), by the line-integral formula sum (lon2 -
    lon1)(2 + sin lat1 + sin lat2) R^2 / 2 (Chamberlain and Duquette 2007), which is the
    area between the ring and the south pole; longitude steps taken the short way round.
    A ring round the north pole encloses the sphere less that."""
    u = _unwrapped(ring)
    lon = np.radians(u[:, 0])
    lat = np.radians(u[:, 1])
    s = abs(float(np.sum((lon[1:] - lon[:-1]) * (2.0 + np.sin(lat[:-1]) + np.sin(lat[1:])))))
    area = s * MEAN_EARTH_RADIUS_KM**2 / 2.0
    if _encircles_pole(u) and u[:, 1].mean() > 0:
        area = 4.0 * math.pi * MEAN_EARTH_RADIUS_KM**2 - area
    return area


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

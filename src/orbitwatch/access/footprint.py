"""Coverage footprint of a satellite: the ground area that sees it above a minimum
elevation, as GeoJSON.

On a sphere of the mean Earth radius R, a satellite at geocentric distance r is seen
above elevation e within the central angle lambda = arccos(R cos(e) / r) - e of its
sub-satellite point (the spherical-Earth footprint; the WGS84 flattening moves its edge
by under 0.2 %). The edge is the small circle of that radius around the sub-satellite
point, drawn with the spherical destination formula. A footprint that crosses the
antimeridian is cut there into a MultiPolygon, and one that holds a pole is closed
along the pole, as RFC 7946 asks.
"""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np

from orbitwatch.core.constants import MEAN_EARTH_RADIUS_KM
from orbitwatch.core.time import datetime_to_split_jd, datetime_to_us, iso_ms
from orbitwatch.errors import InputError
from orbitwatch.formats.elements import ElementSet
from orbitwatch.propagation.eop import EarthOrientation
from orbitwatch.propagation.frames import itrf_to_geodetic, teme_to_itrf
from orbitwatch.propagation.sgp4_batch import ERROR_MESSAGES, satrec_from_elements


def footprint_half_angle_rad(radius_km: float, min_elevation_deg: float) -> float:
    """Central angle (rad) from the sub-satellite point to the footprint's edge."""
    if radius_km <= MEAN_EARTH_RADIUS_KM:
        raise InputError(f"footprint: geocentric distance {radius_km:.1f} km is inside the Earth")
    if not -90.0 < min_elevation_deg < 90.0:
        raise InputError(f"footprint: minimum elevation {min_elevation_deg!r} deg must be "
                         "between -90 and 90")
    e = math.radians(min_elevation_deg)
    return math.acos(MEAN_EARTH_RADIUS_KM * math.cos(e) / radius_km) - e


def footprint_ring(lat_deg: float, lon_deg: float, half_angle_rad: float,
                   n: int = 360) -> np.ndarray:
    """Edge of the footprint as (n + 1, 2) lon/lat degrees, closed, longitudes unwrapped
    (continuous, may leave -180..180)."""
    lat1, lon1 = math.radians(lat_deg), math.radians(lon_deg)
    bearing = np.linspace(0.0, 2.0 * math.pi, n + 1)
    d = half_angle_rad
    lat2 = np.arcsin(math.sin(lat1) * math.cos(d)
                     + math.cos(lat1) * math.sin(d) * np.cos(bearing))
    lon2 = lon1 + np.arctan2(np.sin(bearing) * math.sin(d) * math.cos(lat1),
                             math.cos(d) - math.sin(lat1) * np.sin(lat2))
    lon = np.degrees(np.unwrap(lon2))
    return np.column_stack([lon, np.degrees(lat2)])


def _clip_half_plane(ring: np.ndarray, limit: float, keep_below: bool) -> np.ndarray:
    """Sutherland-Hodgman clip of a closed lon/lat ring at longitude ``limit``."""
    def inside(p):
        return p[0] <= limit if keep_below else p[0] >= limit

    out = []
    pts = ring[:-1]
    for k in range(len(pts)):
        a, b = pts[k - 1], pts[k]
        if inside(b):
            if not inside(a):
                out.append(_cross(a, b, limit))
            out.append(b)
        elif inside(a):
            out.append(_cross(a, b, limit))
    if not out:
        return np.zeros((0, 2))
    out.append(out[0])
    return np.array(out)


def _cross(a: np.ndarray, b: np.ndarray, limit: float) -> np.ndarray:
    f = (limit - a[0]) / (b[0] - a[0])
    return np.array([limit, a[1] + f * (b[1] - a[1])])


def footprint_geometry(lat_deg: float, lon_deg: float, half_angle_rad: float,
                       n: int = 360) -> dict:
    """GeoJSON geometry (Polygon or MultiPolygon) of the footprint."""
    ring = footprint_ring(lat_deg, lon_deg, half_angle_rad, n)
    pole_lat = 90.0 if lat_deg >= 0 else -90.0
    if abs(math.radians(abs(lat_deg) - 90.0)) < half_angle_rad:  # holds a pole
        lon = ((ring[:-1, 0] + 180.0) % 360.0) - 180.0
        order = np.argsort(lon)
        lon, lat = lon[order], ring[:-1, 1][order]
        edge = [[-180.0, float(np.interp(-180.0, lon, lat, period=360.0))]]
        edge += [[float(a), float(b)] for a, b in zip(lon, lat, strict=True)]
        edge += [[180.0, edge[0][1]], [180.0, pole_lat], [-180.0, pole_lat], edge[0]]
        if pole_lat < 0:
            edge = edge[::-1]
        return {"type": "Polygon", "coordinates": [_rounded(np.array(edge))]}
    shift = -360.0 * math.floor((lon_deg + 180.0) / 360.0)
    ring = ring + np.array([shift, 0.0])
    parts = []
    for offset in (0.0, -360.0, 360.0):
        part = ring + np.array([offset, 0.0])
        part = _clip_half_plane(part, 180.0, keep_below=True)
        if len(part):
            part = _clip_half_plane(part, -180.0, keep_below=False)
        if len(part) >= 4:
            parts.append(_rounded(part))
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": [parts[0]]}
    return {"type": "MultiPolygon", "coordinates": [[p] for p in parts]}


def _rounded(ring: np.ndarray) -> list[list[float]]:
    return [[round(float(x), 4), round(float(y), 4)] for x, y in ring]


def satellite_footprint(es: ElementSet, at: datetime, min_elevation_deg: float = 0.0, *,
                        eop: EarthOrientation | None = None) -> dict:
    """GeoJSON Feature of the footprint of ``es`` at ``at``; its properties say the
    sub-satellite point (deg), altitude (km) and footprint radius on the ground (km)."""
    jd, fr = datetime_to_split_jd(at)
    err, r, v = satrec_from_elements(es).sgp4(jd, fr)
    if err:
        raise InputError(f"footprint: SGP4 cannot propagate {es.norad_cat_id} to "
                         f"{iso_ms(datetime_to_us(at))}: {ERROR_MESSAGES.get(err, err)}")
    r_itrf, _ = teme_to_itrf(np.array([r]), np.array([v]), np.array([jd]), np.array([fr]), eop)
    lat, lon, alt = itrf_to_geodetic(r_itrf[0])
    lam = footprint_half_angle_rad(float(np.linalg.norm(r_itrf[0])), min_elevation_deg)
    return {
        "type": "Feature",
        "geometry": footprint_geometry(float(lat), float(lon), lam),
        "properties": {
            "NORAD_CAT_ID": es.norad_cat_id, "OBJECT_NAME": es.object_name,
            "TIME_UTC": iso_ms(datetime_to_us(at)),
            "SUBPOINT_LAT_DEG": round(float(lat), 4), "SUBPOINT_LON_DEG": round(float(lon), 4),
            "ALTITUDE_KM": round(float(alt), 2), "MIN_ELEVATION_DEG": min_elevation_deg,
            "FOOTPRINT_RADIUS_KM": round(lam * MEAN_EARTH_RADIUS_KM, 1),
            "MODEL": "spherical Earth (mean radius 6371 km), SGP4 state in ITRF",
        },
    }

"""Catalog endpoints: search, object details with element-set history, tracks, and the
whole catalog's positions for the globe."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from orbitwatch.access.regions import countries_data
from orbitwatch.errors import NotFoundError
from orbitwatch.formats.elements import datetime_to_split_jd, datetime_to_us, iso_ms
from orbitwatch.propagation.frames import itrf_to_geodetic, teme_to_itrf
from orbitwatch.propagation.sgp4_batch import MU_KM3_S2, satrec_from_elements
from orbitwatch.service.params import ERROR_RESPONSES, utc_param
from orbitwatch.service.state import ServiceState, service_state

router = APIRouter(tags=["catalog"], responses=ERROR_RESPONSES)
State = Annotated[ServiceState, Depends(service_state)]

#: Seconds between the two position sets the globe interpolates between.
POSITION_STEP_S = 60.0


@router.get("/objects")
def search_objects(
    state: State,
    q: Annotated[str | None, Query(max_length=100, description="Name part, catalog "
                                   "number or COSPAR id")] = None,
    owner: Annotated[str | None, Query(max_length=20, description="SATCAT owner code")] = None,
    type: Annotated[str | None, Query(max_length=20, description="PAYLOAD, ROCKET BODY, "
                                      "DEBRIS, UNKNOWN")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """Objects by name, catalog number, COSPAR id, owner and type."""
    with state.store() as store:
        total, items = store.search_objects(q, owner=owner, object_type=type, limit=limit,
                                            offset=offset)
    return {"total": total, "items": items}


def _element_row(es) -> dict[str, Any]:
    n = es.mean_motion * 2.0 * math.pi / 86400.0
    a = (MU_KM3_S2 / n**2) ** (1.0 / 3.0)
    return {"EPOCH_UTC": iso_ms(es.epoch_us), "MEAN_MOTION_REV_DAY": es.mean_motion,
            "ECCENTRICITY": es.eccentricity, "INCLINATION_DEG": es.inclination,
            "RA_OF_ASC_NODE_DEG": es.ra_of_asc_node,
            "ARG_OF_PERICENTER_DEG": es.arg_of_pericenter,
            "MEAN_ANOMALY_DEG": es.mean_anomaly, "BSTAR_PER_EARTH_RADIUS": es.bstar,
            "PERIGEE_ALT_KM": round(a * (1 - es.eccentricity) - 6378.137, 3),
            "APOGEE_ALT_KM": round(a * (1 + es.eccentricity) - 6378.137, 3),
            "ELEMENT_SET_NO": es.element_set_no}


@router.get("/objects/{norad_cat_id}")
def object_details(state: State, norad_cat_id: Annotated[int, Path(ge=0, le=999_999_999)],
                   history: Annotated[int, Query(ge=1, le=5000)] = 200) -> dict[str, Any]:
    """SATCAT facts and the element-set history (newest first, up to ``history``)."""
    with state.store() as store:
        _, found = store.search_objects(str(norad_cat_id), limit=50)
        facts = next((f for f in found if f["NORAD_CAT_ID"] == norad_cat_id), None)
        sets = store.history(norad_cat_id)
    if facts is None and not sets:
        raise NotFoundError(f"no object {norad_cat_id} in the catalog")
    return {"object": facts or {"NORAD_CAT_ID": norad_cat_id},
            "element_set_count": len(sets),
            "element_sets": [_element_row(es) for es in reversed(sets[-history:])]}


@router.get("/objects/{norad_cat_id}/track")
def object_track(state: State, norad_cat_id: Annotated[int, Path(ge=0, le=999_999_999)],
                 at: str | None = None,
                 minutes: Annotated[float, Query(gt=0, le=2880)] = 100.0,
                 step_s: Annotated[float, Query(ge=5, le=3600)] = 60.0,
                 before_minutes: Annotated[float, Query(ge=0, le=2880)] = 0.0,
                 ) -> dict[str, Any]:
    """Positions over time from the latest element set at ``at``: ITRF (km) and WGS84
    geodetic latitude, longitude (deg) and height (km)."""
    t0 = utc_param(at) - timedelta(minutes=before_minutes)
    with state.store() as store:
        sets = [es for es in store.history(norad_cat_id)
                if es.epoch_us <= datetime_to_us(t0 + timedelta(minutes=before_minutes))]
    if not sets:
        raise NotFoundError(f"no element set of object {norad_cat_id} at or before "
                         f"{iso_ms(datetime_to_us(t0))}")
    es = sets[-1]
    n = min(int((minutes + before_minutes) * 60 // step_s) + 1, 5000)
    t = np.arange(n) * step_s
    jd0, fr0 = datetime_to_split_jd(t0)
    jd, fr = np.full(n, jd0), fr0 + t / 86400.0
    err, pos, vel = satrec_from_elements(es).sgp4_array(jd, fr)
    r, _ = teme_to_itrf(pos, vel, jd, fr)
    lat, lon, h = itrf_to_geodetic(r)
    ok = err == 0
    start_us = datetime_to_us(t0)
    return {"norad_cat_id": norad_cat_id, "object_name": es.object_name,
            "element_set_epoch_utc": iso_ms(es.epoch_us),
            "times_utc": [iso_ms(start_us + round(x * 1e6)) for x in t[ok]],
            "itrf_km": np.round(r[ok], 3).tolist(),
            "lat_deg": np.round(lat[ok], 4).tolist(), "lon_deg": np.round(lon[ok], 4).tolist(),
            "alt_km": np.round(h[ok], 3).tolist(),
            "sgp4_failures": int((~ok).sum())}


@router.get("/positions")
def positions(state: State, at: str | None = None) -> dict[str, Any]:
    """Every object's ITRF position (km) at ``at`` and ``POSITION_STEP_S`` later, for
    the globe to interpolate between; objects SGP4 cannot propagate are left out."""
    t0 = utc_param(at)
    sats = state.satellites(t0)
    snap = sats.snapshot
    if not len(snap):
        return {"at_utc": iso_ms(datetime_to_us(t0)), "step_s": POSITION_STEP_S, "ids": [],
                "names": [], "types": [], "owners": [], "p0_km": [], "p1_km": []}
    jd0, fr0 = datetime_to_split_jd(t0)
    jd = np.full(2, jd0)
    fr = fr0 + np.array([0.0, POSITION_STEP_S]) / 86400.0
    err, pos, vel = sats.array.sgp4(jd, fr)
    r, _ = teme_to_itrf(pos, vel, jd, fr)
    ok = (err == 0).all(axis=1) & np.isfinite(r).all(axis=(1, 2))
    idx = np.flatnonzero(ok)
    return {
        "at_utc": iso_ms(datetime_to_us(t0)), "step_s": POSITION_STEP_S,
        "snapshot_id": snap.snapshot_id,
        "ids": snap.norad_cat_id[idx].tolist(),
        "names": [snap.element_sets[i].object_name for i in idx],
        "types": [snap.object_type[i] for i in idx],
        "owners": [snap.owner[i] for i in idx],
        "p0_km": np.round(r[idx, 0], 1).ravel().tolist(),
        "p1_km": np.round(r[idx, 1], 1).ravel().tolist(),
    }


_OUTLINES: bytes | None = None


@router.get("/countries")
def country_outlines() -> Response:
    """Country rings (lon, lat deg; Natural Earth 1:50m, public domain), for maps."""
    global _OUTLINES
    if _OUTLINES is None:
        import json

        # every ring: Natural Earth's Antarctica has a degenerate ring along the pole
        # first and its coast second
        rings = [[[round(p[0], 2), round(p[1], 2)] for p in ring[::2]] + [ring[0]]
                 for c in countries_data() for poly in c["polygons"] for ring in poly]
        _OUTLINES = json.dumps({"rings": rings}, separators=(",", ":")).encode()
    return Response(_OUTLINES, media_type="application/json")

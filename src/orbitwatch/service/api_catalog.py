"""Catalog endpoints: search, object details with element-set history, tracks, and the
whole catalog's positions for the globe."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from orbitwatch.access.regions import countries_data
from orbitwatch.app.geometry import element_row, object_track
from orbitwatch.errors import NotFoundError
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
            "element_sets": [element_row(es) for es in reversed(sets[-history:])]}


@router.get("/objects/{norad_cat_id}/track")
def track(state: State, norad_cat_id: Annotated[int, Path(ge=0, le=999_999_999)],
                 at: str | None = None,
                 minutes: Annotated[float, Query(gt=0, le=2880)] = 100.0,
                 step_s: Annotated[float, Query(ge=5, le=3600)] = 60.0,
                 before_minutes: Annotated[float, Query(ge=0, le=2880)] = 0.0,
                 ) -> dict[str, Any]:
    """Positions over time from the latest element set at ``at``: ITRF (km) and WGS84
    geodetic latitude, longitude (deg) and height (km)."""
    with state.store() as store:
        return object_track(store, norad_cat_id, utc_param(at), minutes=minutes,
                            step_s=step_s, before_minutes=before_minutes)


@router.get("/positions")
def positions(state: State, at: str | None = None) -> dict[str, Any]:
    """Every object's ITRF position (km) at ``at`` and ``POSITION_STEP_S`` later, for
    the globe to interpolate between; objects SGP4 cannot propagate are left out."""
    t0 = utc_param(at)
    return state.satellites(t0).positions(t0, POSITION_STEP_S)


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

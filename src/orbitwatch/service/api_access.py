"""Access endpoints: passes over a site, imaging windows over a country, the risk
history of one object."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from orbitwatch.access.imaging import Sensor, imaging_windows
from orbitwatch.access.passes import PassSettings, find_passes, pass_rows
from orbitwatch.access.regions import country
from orbitwatch.access.sites import Site
from orbitwatch.app.selection import select_elements
from orbitwatch.errors import InputError
from orbitwatch.reports.object_history import object_risk_history
from orbitwatch.service.params import ERROR_RESPONSES, parse_ids, utc_param
from orbitwatch.service.state import ServiceState, service_state

router = APIRouter(tags=["access"], responses=ERROR_RESPONSES)
State = Annotated[ServiceState, Depends(service_state)]

#: Satellites one request may ask about (whole-catalog work belongs to the CLI).
MAX_SATELLITES = 2000


def _elements(state: ServiceState, at, ids: str | None, name: str | None):
    wanted = parse_ids(ids)
    if not wanted and not name:
        raise InputError("choose satellites: ids=25544,... and/or name=REGEX")
    with state.store() as store:
        return select_elements(store, at, wanted, name, limit=MAX_SATELLITES)


@router.get("/passes")
def passes(state: State,
           lat: Annotated[float, Query(ge=-90, le=90, description="deg")],
           lon: Annotated[float, Query(ge=-180, le=360, description="deg")],
           ids: Annotated[str | None, Query(max_length=2000)] = None,
           name: Annotated[str | None, Query(max_length=200)] = None,
           alt_m: Annotated[float, Query(ge=-500, le=10000)] = 0.0,
           min_el: Annotated[float, Query(ge=-5, le=89)] = 10.0,
           at: Annotated[str | None, Query(max_length=40)] = None,
           days: Annotated[float, Query(gt=0, le=14)] = 1.0) -> list[dict[str, Any]]:
    """Passes of the chosen satellites over one site (rise, culmination, set, UTC)."""
    start = utc_param(at)
    site = Site("site", lat, lon, alt_m, min_el)
    result = find_passes(_elements(state, start, ids, name), [site], start,
                         timedelta(days=days), settings=PassSettings(workers=1))
    return pass_rows(result)


@router.get("/access")
def access(state: State,
           country_name: Annotated[str, Query(alias="country", min_length=1, max_length=100)],
           ids: Annotated[str | None, Query(max_length=2000)] = None,
           name: Annotated[str | None, Query(max_length=200)] = None,
           off_nadir_deg: Annotated[float | None, Query(gt=0, lt=90)] = None,
           swath_km: Annotated[float | None, Query(gt=0, lt=10000)] = None,
           sun_min_deg: Annotated[float | None, Query(ge=-90, le=90)] = None,
           at: Annotated[str | None, Query(max_length=40)] = None,
           days: Annotated[float, Query(gt=0, le=14)] = 7.0) -> dict[str, Any]:
    """Imaging windows over a country (name or ISO code) and its revisit statistics."""
    if (off_nadir_deg is None) == (swath_km is None):
        raise InputError("give one sensor: off_nadir_deg (deg) or swath_km (km)")
    start = utc_param(at)
    region = country(country_name)
    sensor = Sensor(off_nadir_deg, swath_km, sun_min_deg)
    result = imaging_windows(_elements(state, start, ids, name), region, sensor, start,
                             timedelta(days=days))
    return {"region": region.name, "area_km2": round(region.area_km2()),
            "grid_points": result.n_points, "windows": result.windows,
            "revisit": result.revisit}


@router.get("/objects/{norad_cat_id}/events")
def object_events(state: State,
                  norad_cat_id: Annotated[int, Path(ge=0, le=999_999_999)],
                  ) -> list[dict[str, Any]]:
    """Every conjunction of one object in the stored runs, with its Pc history."""
    with state.store() as store:
        return object_risk_history(store, norad_cat_id)

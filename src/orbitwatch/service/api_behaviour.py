"""Behaviour endpoints: manoeuvres in the element-set history, an object's pattern of
life, and proximity operations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from orbitwatch.app.behaviour import manoeuvre_rows, proximity_rows, proximity_start, timeline
from orbitwatch.app.selection import ObjectSelection
from orbitwatch.service.params import ERROR_RESPONSES, utc_param
from orbitwatch.service.state import ServiceState, service_state

router = APIRouter(tags=["behaviour"], responses=ERROR_RESPONSES)
State = Annotated[ServiceState, Depends(service_state)]
Text = Annotated[str | None, Query(max_length=200)]
Time = Annotated[str | None, Query(max_length=40, description="UTC ISO-8601")]


@router.get("/behaviour/manoeuvres")
def manoeuvres(state: State, ids: Annotated[str | None, Query(max_length=2000)] = None,
               owner: Text = None, name: Text = None, start: Time = None, end: Time = None,
               limit: Annotated[int, Query(ge=1, le=100_000)] = 200,
               offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> dict[str, Any]:
    """Manoeuvres (and dockings) in the stored element-set history, newest last: the
    bracketing element sets, DV (RTN, m/s) and its 1-sigma (DV_SIGMA_M_S, from the
    object's element-set noise), kind, confidence and the element changes."""
    chosen = ObjectSelection.parse(ids, owner, name)  # bad input refused before any work
    begin = utc_param(start, "start") if start else None
    until = utc_param(end, "end") if end else None
    scan = state.manoeuvre_scan(begin, until)
    with state.store() as store:
        rows, summary = manoeuvre_rows(store, chosen, start=begin, end=until, scan=scan)
    return {"summary": summary, "total": len(rows), "offset": offset,
            "items": rows[offset:offset + limit]}


@router.get("/objects/{norad_cat_id}/timeline")
def object_timeline(state: State, norad_cat_id: Annotated[int, Path(ge=0, le=999_999_999)],
                    start: Time = None, end: Time = None) -> dict[str, Any]:
    """Pattern of life: the object's element sets (semi-major axis, perigee, apogee,
    inclination, eccentricity) and its manoeuvres."""
    begin = utc_param(start, "start") if start else None
    until = utc_param(end, "end") if end else None
    scan = state.manoeuvre_scan(begin, until)
    with state.store() as store:
        return timeline(store, norad_cat_id, begin, until, scan=scan)


@router.get("/behaviour/proximity")
def proximity(state: State, start: Time = None,
              days: Annotated[int, Query(ge=1, le=15)] = 3,
              ids: Annotated[str | None, Query(max_length=2000)] = None,
              owner: Text = None, name: Text = None) -> list[dict[str, Any]]:
    """Pairs that stay close or approach slowly over ``days`` of history (the screening
    engine on each day's element sets): class, ranges, relative speed, element-set ages
    and the evidence."""
    chosen = ObjectSelection.parse(ids, owner, name)  # bad input refused before any work
    with state.store() as store:
        first = proximity_start(store, utc_param(start, "start") if start else None, days)
    pairs = state.proximity(first, days)
    with state.store() as store:
        return proximity_rows(store, chosen, pairs=pairs)

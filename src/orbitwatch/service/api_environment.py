"""Space-environment endpoints: census, spatial density, the GEO belt, the evolution over
the stored catalogs, re-entry predictions, disposal compliance and the per-nation
scorecard. Times default to the catalog's newest element set."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from orbitwatch.app.environment import (
    census_at,
    evolution_rows,
    newest_catalog_time,
    object_rows,
    scorecard_rows,
)
from orbitwatch.app.inputs import parse_owners
from orbitwatch.app.selection import ObjectSelection
from orbitwatch.environment.census import geo_belt, shell_density
from orbitwatch.environment.classes import OBJECT_CLASSES
from orbitwatch.errors import InputError
from orbitwatch.service.params import ERROR_RESPONSES, utc_param
from orbitwatch.service.state import ServiceState, service_state

router = APIRouter(prefix="/environment", tags=["environment"], responses=ERROR_RESPONSES)
State = Annotated[ServiceState, Depends(service_state)]
At = Annotated[str | None, Query(max_length=40, description="catalog time, UTC ISO-8601 "
                                 "(default: the newest element set)")]
Limit = Annotated[int, Query(ge=1, le=100_000)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


def _at(state: ServiceState, at: str | None):
    if at:
        return utc_param(at)
    with state.store() as store:
        return newest_catalog_time(store)


@router.get("/census")
def census(state: State, at: At = None,
           by: Literal["orbit-class", "object-class", "owner", "launch-year"] = "orbit-class",
           ) -> dict[str, Any]:
    """Objects in orbit by ESA orbit class (or object class, owner, launch year), each
    split by object class (PL payload, PD payload debris, RB rocket body, RD rocket-body
    debris, UI unidentified)."""
    when = _at(state, at)
    with state.store() as store:
        c = census_at(store, when)
    return {"at": c.at.isoformat(), "objects": len(c), "by": by,
            "object_classes": OBJECT_CLASSES, "items": c.counts(by)}


@router.get("/density")
def density(state: State, at: At = None,
            low_km: Annotated[float, Query(ge=0, le=100_000)] = 200.0,
            high_km: Annotated[float, Query(gt=0, le=100_000)] = 2000.0,
            step_km: Annotated[float, Query(ge=1, le=10_000)] = 10.0) -> dict[str, Any]:
    """Spatial density by altitude shell (objects per km^3, time-averaged over each orbit;
    OBJECTS: the expected number in the shell at any time), by object class."""
    if low_km >= high_km:
        raise InputError(f"low_km {low_km} must be below high_km {high_km}")
    when = _at(state, at)
    with state.store() as store:
        c = census_at(store, when)
    return {"at": c.at.isoformat(), "objects": len(c),
            "items": shell_density(c, low_km=low_km, high_km=high_km, step_km=step_km)}


@router.get("/geo")
def geo(state: State, at: At = None,
        step_deg: Annotated[float, Query(gt=0, le=180)] = 5.0) -> dict[str, Any]:
    """Objects of the GEO class by longitude (SGP4 at the catalog time, ITRF), in bins
    of ``step_deg`` (a divisor of 360)."""
    when = _at(state, at)
    with state.store() as store:
        c = census_at(store, when)
    return {"at": c.at.isoformat(), "items": geo_belt(c, step_deg)}


@router.get("/evolution")
def evolution(state: State, by: Literal["orbit-class", "object-class"] = "orbit-class",
              ) -> list[dict[str, Any]]:
    """The census at every date the store holds a catalog for."""
    with state.store() as store:
        return evolution_rows(store, by)


def _page(rows: list[dict], limit: int, offset: int) -> dict[str, Any]:
    return {"total": len(rows), "offset": offset, "items": rows[offset:offset + limit]}


@router.get("/lifetime")
def lifetime(state: State, at: At = None,
             ids: Annotated[str | None, Query(max_length=2000)] = None,
             owner: Annotated[str | None, Query(max_length=200)] = None,
             name: Annotated[str | None, Query(max_length=200)] = None,
             limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Predicted re-entry of each object, soonest first: NRLMSISE-00 with the space
    weather (stated in ``model``); DECAY_EARLY/LATE_UTC an interval holding about 80 % of
    re-entries (the solar activity to come and the model's measured error); BC_SOURCE
    where the ballistic coefficient came from."""
    env = state.environment(_at(state, at))
    which = object_rows(env, ObjectSelection.parse(ids, owner, name))
    return {"at": env.census.at.isoformat(), "model": env.lifetimes.assumption,
            **_page(env.lifetimes.rows(which), limit, offset)}


@router.get("/compliance")
def compliance(state: State, at: At = None,
               owner: Annotated[str | None, Query(max_length=200)] = None,
               verdict: Literal["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"] | None = None,
               limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Disposal compliance per object: the rule (FCC-5Y, ESA-5Y, IADC-25Y), the end of
    mission assumed and its basis, the deadline, the predicted re-entry, the verdict."""
    env = state.environment(_at(state, at))
    owners = parse_owners(owner)
    rows = [r for r in env.compliance if (owners is None or r["OWNER"] in owners)
            and (verdict is None or r["VERDICT"] == verdict)]
    return {"at": env.census.at.isoformat(), "model": env.lifetimes.assumption,
            **_page(rows, limit, offset)}


@router.get("/scorecard")
def scorecard(state: State, at: At = None) -> dict[str, Any]:
    """One row per owner nation: objects by class and orbit, debris attributed by launch,
    disposal compliance, objects in the most crowded shells, and the conjunctions of the
    newest screening run (``run_id``) its objects are in."""
    env = state.environment(_at(state, at))
    with state.store() as store:
        rows, run_id = scorecard_rows(store, env)
    return {"at": env.census.at.isoformat(), "model": env.lifetimes.assumption,
            "run_id": run_id, "items": rows}

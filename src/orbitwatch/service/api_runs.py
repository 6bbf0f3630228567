"""Screening endpoints: start a run (a background job), list runs, the events of a run
with their risk (filter, sort, pages, CSV), one event's geometry and CDM, and the
coordination report by owner nations."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from orbitwatch.app.geometry import event_geometry
from orbitwatch.app.screening import ScreeningRequest
from orbitwatch.errors import NotFoundError
from orbitwatch.formats.cdm import write_cdm_kvn, write_cdm_xml
from orbitwatch.reports.cdm_out import event_cdm
from orbitwatch.reports.coordination import coordination_rows
from orbitwatch.screening.runs import list_runs
from orbitwatch.service.params import ERROR_RESPONSES, ErrorMessage, csv_text, parse_ids, utc_param
from orbitwatch.service.state import ServiceState, service_state

router = APIRouter(tags=["screening"], responses=ERROR_RESPONSES)
State = Annotated[ServiceState, Depends(service_state)]
RunId = Annotated[int, Path(ge=1, le=2**62)]

SORT_FIELDS = {"tca": "TCA", "range": "TCA_RANGE", "speed": "TCA_RELATIVE_SPEED",
               "pc": "PC", "maxprob": "MAX_PROB"}


class RunRequest(BaseModel):
    """A screening run: the catalog at ``at`` (default now) over ``days``, all vs all or
    primaries (catalog numbers / name pattern) vs the catalog."""

    at: str | None = Field(None, max_length=40, description="UTC ISO-8601")
    days: float = Field(1.0, gt=0, le=30, description="window length (days)")
    volume: str = Field("5", max_length=200,
                        description="sphere radius km ('5'), RTN ellipsoid ('0.4x44x51')")
    primaries: str | None = Field(None, max_length=2000,
                                  description="catalog numbers, comma-separated")
    name: str | None = Field(None, max_length=200, description="primaries by name (regex)")
    owners: str | None = Field(None, max_length=200,
                               description="primaries by SATCAT owner code, comma-separated")
    elements_at: str | None = Field(None, max_length=40,
                                    description="snapshot time, UTC ISO-8601 (default: at)")
    max_age_days: float | None = Field(None, gt=0, le=3650,
                                       description="leave out element sets older (days)")


@router.post("/runs", status_code=202, responses={
    401: {"model": ErrorMessage, "description": "The service has a token and the request "
          "did not carry it"},
    429: {"model": ErrorMessage, "description": "Too many screening jobs queued or running"},
})
def start_run(state: State, body: RunRequest) -> dict[str, Any]:
    """Start a screening run in the background; poll ``/api/jobs/{job_id}``."""
    start = utc_param(body.at)
    request = ScreeningRequest(
        start=start, days=body.days, volume=body.volume,
        elements_at=utc_param(body.elements_at, "elements_at") if body.elements_at else None,
        primaries=parse_ids(body.primaries, "primaries"),
        owners=[o.strip() for o in body.owners.split(",") if o.strip()] if body.owners else None,
        name_pattern=body.name or None, max_age_days=body.max_age_days,
        workers=state.jobs.workers)
    job = state.jobs.submit(request)
    return job.as_dict()


@router.get("/jobs")
def jobs(state: State) -> list[dict[str, Any]]:
    return [j.as_dict() for j in state.jobs.all()]


@router.get("/jobs/{job_id}")
def job(state: State, job_id: Annotated[int, Path(ge=1, le=2**62)],
        wait_s: Annotated[float, Query(ge=0, le=600, description="wait up to this many "
                                       "seconds for the job to end (long poll)")] = 0.0,
        ) -> dict[str, Any]:
    """A job's state and progress; with ``wait_s``, answered when the job ends or the
    wait is over, whichever comes first."""
    found = state.jobs.wait(job_id, wait_s) if wait_s > 0 else state.jobs.get(job_id)
    if found is None:
        raise NotFoundError(f"no job {job_id}")
    return found.as_dict()


@router.get("/runs")
def runs(state: State, limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> list[dict]:
    """Stored screening runs, newest first, with their provenance summary."""
    with state.store() as store:
        return list_runs(store, limit)


def _filtered(state: ServiceState, run_id: int, sort: str, desc: bool,
              object_id: int | None, band: str | None, max_range_km: float | None,
              min_pc: float | None) -> list[dict[str, Any]]:
    rows = state.report(run_id).rows
    if object_id is not None:
        rows = [r for r in rows if object_id in (r["NORAD_CAT_ID_1"], r["NORAD_CAT_ID_2"])]
    if band:
        rows = [r for r in rows if r["PC_BAND"] == band]
    if max_range_km is not None:
        rows = [r for r in rows if r["TCA_RANGE"] <= max_range_km]
    if min_pc is not None:
        rows = [r for r in rows if r["PC"] >= min_pc]
    key = SORT_FIELDS[sort]
    return sorted(rows, key=lambda r: (_nan_low(r[key]), r["EVENT"]), reverse=desc)


def _nan_low(x: Any) -> Any:
    return -1.0 if isinstance(x, float) and math.isnan(x) else x


Sort = Annotated[Literal["tca", "range", "speed", "pc", "maxprob"], Query()]
Band = Annotated[Literal["red", "yellow", "green"] | None, Query()]


@router.get("/runs/{run_id}/events")
def run_events(state: State, run_id: RunId, sort: Sort = "tca", desc: bool = False,
               object: Annotated[int | None, Query(ge=0, le=999_999_999)] = None,
               band: Band = None,
               max_range_km: Annotated[float | None, Query(ge=0, le=1e6)] = None,
               min_pc: Annotated[float | None, Query(ge=0, le=1)] = None,
               limit: Annotated[int, Query(ge=1, le=5000)] = 100,
               offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> dict[str, Any]:
    """Events of a run: SOCRATES columns, Pc (FOSTER-1992, assumed covariance, stated
    per row), MAX_PROB, CARA band, hard-body radius; ``EVENT`` numbers an event in TCA
    order and names it in the other endpoints."""
    rows = _filtered(state, run_id, sort, desc, object, band, max_range_km, min_pc)
    report = state.report(run_id)
    return {"run_id": run_id, "total": len(rows), "offset": offset,
            "window_start": report.provenance.get("window_start"),
            "window_end": report.provenance.get("window_end"),
            "volume": report.provenance.get("volume"),
            "items": rows[offset:offset + limit]}


@router.get("/runs/{run_id}/events.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "CSV"}})
def run_events_csv(state: State, run_id: RunId, sort: Sort = "tca", desc: bool = False,
                   object: Annotated[int | None, Query(ge=0, le=999_999_999)] = None,
                   band: Band = None,
                   max_range_km: Annotated[float | None, Query(ge=0, le=1e6)] = None,
                   min_pc: Annotated[float | None, Query(ge=0, le=1)] = None) -> Response:
    """The same events as CSV (all of them, filtered and sorted)."""
    rows = _filtered(state, run_id, sort, desc, object, band, max_range_km, min_pc)
    return Response(csv_text(rows), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="orbitwatch-run{run_id}.csv"'})


def _event(state: ServiceState, run_id: int, event: int):
    report = state.report(run_id)
    if not 1 <= event <= len(report.rows):
        raise NotFoundError(f"run {run_id} has no event {event} (it has {len(report.rows)})")
    return report, report.rows[event - 1], report.states[event - 1]


@router.get("/runs/{run_id}/events/{event}")
def run_event(state: State, run_id: RunId, event: Annotated[int, Path(ge=1, le=10**9)],
              half_minutes: Annotated[float, Query(gt=0, le=180)] = 45.0) -> dict[str, Any]:
    """One event with its encounter geometry: both objects' ITRF positions (km) from
    ``half_minutes`` before to after TCA, the miss vector and relative velocity in the
    first object's RTN frame (m, m/s)."""
    _, row, st = _event(state, run_id, event)
    with state.store() as store:
        return {"event": row, **event_geometry(store, st, half_minutes)}


@router.get("/runs/{run_id}/events/{event}/cdm", response_class=Response,
            responses={200: {"content": {"text/plain": {}, "application/xml": {}},
                             "description": "CDM as KVN (text/plain) or XML"}})
def run_event_cdm(state: State, run_id: RunId, event: Annotated[int, Path(ge=1, le=10**9)],
                  format: Literal["kvn", "xml"] = "kvn") -> Response:
    """A CCSDS CDM (508.0-B-1) for the event, states in GCRF, covariance DEFAULT."""
    report, row, st = _event(state, run_id, event)
    axes = report.provenance["volume_rtn_km"]["default_rtn_km"]
    message_id = f"OW-RUN{run_id}-{event:04d}-{row['NORAD_CAT_ID_1']}-{row['NORAD_CAT_ID_2']}"
    cdm = event_cdm(row, st, report.provenance, tuple(a * 1000.0 for a in axes), message_id)
    text = write_cdm_xml(cdm) if format == "xml" else write_cdm_kvn(cdm)
    return Response(text, media_type="application/xml" if format == "xml" else "text/plain")


@router.get("/runs/{run_id}/coordination")
def run_coordination(state: State, run_id: RunId) -> list[dict[str, Any]]:
    """Events grouped by the pair of owner nations, most red events first."""
    return coordination_rows(state.report(run_id).rows)

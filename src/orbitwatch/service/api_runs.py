"""Screening endpoints: start a run (a background job), list runs, the events of a run
with their risk (filter, sort, pages, CSV), one event's geometry and CDM, and the
coordination report by owner nations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from orbitwatch.app.geometry import event_geometry
from orbitwatch.app.inputs import parse_owners
from orbitwatch.app.screening import ScreeningRequest
from orbitwatch.errors import NotFoundError
from orbitwatch.formats.cdm import write_cdm_kvn, write_cdm_xml
from orbitwatch.reports.cdm_out import event_cdm
from orbitwatch.reports.coordination import coordination_rows
from orbitwatch.reports.run_risk import EventFilter, open_run_risk
from orbitwatch.screening.runs import list_runs
from orbitwatch.service.params import ERROR_RESPONSES, ErrorMessage, csv_text, parse_ids, utc_param
from orbitwatch.service.state import ServiceState, service_state

router = APIRouter(tags=["screening"], responses=ERROR_RESPONSES)
State = Annotated[ServiceState, Depends(service_state)]
RunId = Annotated[int, Path(ge=1, le=2**62)]


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
        owners=parse_owners(body.owners),
        name_pattern=body.name or None, max_age_days=body.max_age_days,
        workers=state.jobs.workers, dask_address=state.jobs.dask_address)
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


Sort = Annotated[Literal["tca", "range", "speed", "pc", "maxprob"], Query()]
Band = Annotated[Literal["red", "yellow", "green"] | None, Query()]
ObjectId = Annotated[int | None, Query(ge=0, le=999_999_999)]
MaxRange = Annotated[float | None, Query(ge=0, le=1e6)]
MinPc = Annotated[float | None, Query(ge=0, le=1)]


@router.get("/runs/{run_id}/events")
def run_events(state: State, run_id: RunId, sort: Sort = "tca", desc: bool = False,
               object: ObjectId = None, band: Band = None, max_range_km: MaxRange = None,
               min_pc: MinPc = None, limit: Annotated[int, Query(ge=1, le=5000)] = 100,
               offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> dict[str, Any]:
    """Events of a run: SOCRATES columns, Pc (FOSTER-1992, assumed covariance, stated
    per row), MAX_PROB, CARA band, hard-body radius; ``EVENT`` numbers an event in TCA
    order and names it in the other endpoints. Read from the run's stored risk (computed
    once, on the first request, if the run was stored without it); NaN sorts last."""
    where = EventFilter(object, band, max_range_km, min_pc)
    with state.store() as store:
        risk = state.run_risk(store, run_id)
        page = risk.page(sort=sort, desc=desc, where=where, limit=limit, offset=offset)
        p = risk.provenance
    return {"run_id": run_id, "total": page.total, "offset": offset,
            "window_start": p.get("window_start"), "window_end": p.get("window_end"),
            "volume": p.get("volume"), "items": page.rows}


@router.get("/runs/{run_id}/events.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "CSV"}})
def run_events_csv(state: State, run_id: RunId, sort: Sort = "tca", desc: bool = False,
                   object: ObjectId = None, band: Band = None, max_range_km: MaxRange = None,
                   min_pc: MinPc = None) -> Response:
    """The same events as CSV (all of them, filtered and sorted), sent as they are read:
    the first rows of a run of any size arrive at once."""
    where = EventFilter(object, band, max_range_km, min_pc)
    with state.store() as store:
        state.run_risk(store, run_id)  # a missing run is a 404 before the download starts

    def pieces() -> Iterator[str]:
        with state.store() as store:
            risk = open_run_risk(store, run_id)
            for k, rows in enumerate(risk.pieces(sort=sort, desc=desc, where=where)):
                yield csv_text(rows, header=k == 0)

    return StreamingResponse(pieces(), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="orbitwatch-run{run_id}.csv"'})


@router.get("/runs/{run_id}/events/{event}")
def run_event(state: State, run_id: RunId, event: Annotated[int, Path(ge=1, le=10**9)],
              half_minutes: Annotated[float, Query(gt=0, le=180)] = 45.0) -> dict[str, Any]:
    """One event with its encounter geometry: both objects' ITRF positions (km) from
    ``half_minutes`` before to after TCA, the miss vector and relative velocity in the
    first object's RTN frame (m, m/s)."""
    with state.store() as store:
        row, st = state.run_risk(store, run_id).event(event)
        return {"event": row, **event_geometry(store, st, half_minutes)}


@router.get("/runs/{run_id}/events/{event}/cdm", response_class=Response,
            responses={200: {"content": {"text/plain": {}, "application/xml": {}},
                             "description": "CDM as KVN (text/plain) or XML"}})
def run_event_cdm(state: State, run_id: RunId, event: Annotated[int, Path(ge=1, le=10**9)],
                  format: Literal["kvn", "xml"] = "kvn") -> Response:
    """A CCSDS CDM (508.0-B-1) for the event, states in GCRF, covariance DEFAULT."""
    with state.store() as store:
        risk = state.run_risk(store, run_id)
        row, st = risk.event(event)
    axes = risk.provenance["volume_rtn_km"]["default_rtn_km"]
    message_id = f"OW-RUN{run_id}-{event:04d}-{row['NORAD_CAT_ID_1']}-{row['NORAD_CAT_ID_2']}"
    cdm = event_cdm(row, st, risk.provenance, tuple(a * 1000.0 for a in axes), message_id)
    text = write_cdm_xml(cdm) if format == "xml" else write_cdm_kvn(cdm)
    return Response(text, media_type="application/xml" if format == "xml" else "text/plain")


@router.get("/runs/{run_id}/coordination")
def run_coordination(state: State, run_id: RunId) -> list[dict[str, Any]]:
    """Events grouped by the pair of owner nations, most red events first."""
    with state.store() as store:
        return coordination_rows(state.run_risk(store, run_id))

"""Snapshot -> screen -> store: the screening workflow of ``orbitwatch screen`` and of
the service's screening jobs, from one request type."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from orbitwatch.app.freshness import stale_warning
from orbitwatch.app.inputs import window_end
from orbitwatch.catalog.ingest import read_text
from orbitwatch.catalog.snapshot import elements_named, take_snapshot
from orbitwatch.catalog.store import CatalogStore
from orbitwatch.errors import InputError
from orbitwatch.formats import read_elements
from orbitwatch.formats.elements import ElementSet
from orbitwatch.reports.run_risk import open_run_risk
from orbitwatch.screening import EngineSettings, ScreeningResult, VolumePolicy, screen
from orbitwatch.screening.runs import save_run


@dataclass(frozen=True, slots=True)
class ScreeningRequest:
    """What to screen.

    ``start`` is the window start (UTC); ``elements_at`` the time of the catalog
    snapshot (the latest element set of each object at or before it), ``start`` when
    not given. ``volume`` is the text form of :meth:`VolumePolicy.parse` (km).
    Primaries by catalog numbers, owner codes, a name pattern or supplied element sets
    (always primaries); with none of them, all vs all.
    """

    start: datetime
    days: float = 7.0
    volume: str = "5"
    elements_at: datetime | None = None
    primaries: Sequence[int] | None = None
    owners: Sequence[str] | None = None
    name_pattern: str | None = None
    extra: Sequence[ElementSet] = ()
    max_age_days: float | None = None
    include_analyst: bool = True  # analyst objects (80000-89999, ...), as SOCRATES screens
    workers: int | None = None
    dask_address: str | None = None  # run the chunks on this Dask scheduler
    store_run: bool = True
    policy: VolumePolicy = field(init=False)

    def __post_init__(self) -> None:
        if not self.days > 0:
            raise InputError(f"days: the window must be positive, got {self.days}")
        # bad input fails here, before any work or job exists
        object.__setattr__(self, "policy", VolumePolicy.parse(self.volume))

    def to_record(self) -> dict[str, Any]:
        """The request as plain JSON values, to be rebuilt with :meth:`from_record` (a
        queued job that outlives its service). Supplied element sets are not kept."""
        if self.extra:
            raise InputError("a request with supplied element sets cannot be stored")
        return {"start": self.start.isoformat(), "days": self.days, "volume": self.volume,
                "elements_at": self.elements_at.isoformat() if self.elements_at else None,
                "primaries": list(self.primaries) if self.primaries else None,
                "owners": list(self.owners) if self.owners else None,
                "name_pattern": self.name_pattern, "max_age_days": self.max_age_days,
                "include_analyst": self.include_analyst, "store_run": self.store_run}

    @classmethod
    def from_record(cls, record: dict[str, Any], *, workers: int | None = None,
                    dask_address: str | None = None) -> ScreeningRequest:
        """The request :meth:`to_record` wrote, to run with these workers / cluster."""
        times = {k: datetime.fromisoformat(record[k]) if record.get(k) else None
                 for k in ("start", "elements_at")}
        return cls(**{**record, **times}, workers=workers, dask_address=dask_address)

    def describe(self) -> dict[str, Any]:
        return {"at": self.start.isoformat(), "days": self.days,
                "volume": self.policy.describe(),
                "elements_at": (self.elements_at or self.start).isoformat(),
                "primaries": list(self.primaries) if self.primaries else None,
                "owners": list(self.owners) if self.owners else None,
                "name": self.name_pattern, "extra_element_sets": len(self.extra),
                "max_age_days": self.max_age_days, "include_analyst": self.include_analyst}


def read_element_files(paths: Sequence[Path]) -> list[ElementSet]:
    """Element sets from TLE / OMM files (a planned deployment, say); an InputError for
    any bad record, naming the file, line and field of the first."""
    out: list[ElementSet] = []
    for path in paths:
        parsed = read_elements(read_text(path), source=str(path))
        if parsed.rejects:
            raise InputError(f"{len(parsed.rejects)} bad element set(s) in {path}; "
                             f"first: {parsed.rejects[0]}")
        out.extend(parsed.records)
    return out


def run_screening(store: CatalogStore, request: ScreeningRequest,
                  progress: Callable[[int, int], None] | None = None,
                  announce: Callable[[str], None] | None = None) -> ScreeningResult:
    """Screen the catalog as ``request`` says and store the run (``result.run_id``) with
    the risk of its events unless told not to. ``announce`` hears, before the work
    starts, what a name pattern selected (a pattern is a regular expression: 'ISS' also
    matches AISSAT 4), and what is being done after it."""
    window_end(request.start, request.days)
    at = request.elements_at or request.start
    snap = take_snapshot(store, at, max_age_days=request.max_age_days,
                         include_analyst=request.include_analyst)
    if announce:
        warning = stale_warning(snap, request.start)
        if warning:
            announce(f"warning: {warning}")
    if request.name_pattern and announce:
        named = elements_named(snap.element_sets, request.name_pattern)
        shown = ", ".join(es.object_name or str(es.norad_cat_id) for es in named[:8])
        announce(f"name pattern {request.name_pattern!r} (a regular expression, any case, "
                 f"anywhere in the name) selects {len(named)} object(s)"
                 + (f": {shown}" + (", ..." if len(named) > 8 else "") if named else ""))
    if len(snap) + len(request.extra) < 2:
        raise InputError(f"the catalog in {store.path} has {len(snap)} object(s) with an "
                         f"element set at or before {at.isoformat()}: load or fetch one first")
    result = screen(
        snap, start=request.start, duration=timedelta(days=request.days),
        volume=request.policy, primaries=request.primaries, owners=request.owners,
        name_pattern=request.name_pattern, extra=request.extra,
        settings=EngineSettings(workers=request.workers, dask_address=request.dask_address),
        progress=progress)
    if request.store_run:
        save_run(store, result)
        # the risk once, now, so that every report and page of the run is a read
        open_run_risk(store, result.run_id, progress=announce)
    return result

"""What the service keeps between requests: the job manager, and caches of things that
are costly to build and do not change (whether a stored run's risk is ready, the
catalog's satellites at a time, the environment, the manoeuvres and proximity pairs of
a window of history, keyed by the latest load)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request

from orbitwatch.app.behaviour import ManoeuvreScan, scan_manoeuvres
from orbitwatch.app.environment import Environment, environment_at, space_weather_path
from orbitwatch.app.geometry import CatalogAtTime
from orbitwatch.behaviour.proximity import proximity_pairs
from orbitwatch.catalog import CatalogStore, take_snapshot
from orbitwatch.database import DatabaseLocation
from orbitwatch.reports.run_risk import RunRisk, open_run_risk
from orbitwatch.service.jobs import JobManager

#: Element sets older than this at the requested time are left off the globe (days).
MAX_ELEMENT_AGE_DAYS = 3650.0


@dataclass
class ServiceState:
    db_path: DatabaseLocation
    jobs: JobManager
    space_weather: Path | None = None  # else the copy fetched next to the catalog
    reports_computed: int = 0  # runs whose risk this service made ready (once per run)
    behaviour_scans: int = 0  # manoeuvre scans and proximity searches this service ran
    _reports: OrderedDict = field(default_factory=OrderedDict)
    _satellites: OrderedDict = field(default_factory=OrderedDict)
    _environments: OrderedDict = field(default_factory=OrderedDict)
    _behaviour: OrderedDict = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _flights: dict = field(default_factory=dict)  # key -> lock while it is computed

    def _cached(self, cache: OrderedDict, limit: int, key: Any,
                compute: Callable[[], Any]) -> Any:
        """``cache[key]``, computed once however many requests ask at the same time (one
        computes, the others wait for its result); the ``limit`` newest are kept."""
        with self._lock:
            flight = self._flights.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                if key in cache:
                    cache.move_to_end(key)
                    return cache[key]
            try:
                value = compute()
                with self._lock:
                    cache[key] = value
                    while len(cache) > limit:
                        cache.popitem(last=False)
            finally:
                # later requests find the cache; a computation that failed leaves nothing
                # behind (one lock per failed key would grow without bound)
                with self._lock:
                    self._flights.pop(key, None)
            return value

    def store(self) -> CatalogStore:
        return CatalogStore(self.db_path)

    def run_risk(self, store: CatalogStore, run_id: int) -> RunRisk:
        """The stored risk of a run, read through ``store``. A run's risk is computed
        once (per radius table) and stored with it; when it is not stored yet, one
        request computes it and the others wait for it rather than compute it too."""
        key = (run_id, store.radii_marker())

        def compute() -> bool:
            with self.store() as own:
                if open_run_risk(own, run_id).computed:
                    self.reports_computed += 1
            return True

        self._cached(self._reports, 256, key, compute)
        return open_run_risk(store, run_id)

    def environment(self, at: datetime) -> Environment:
        """Census, re-entry predictions and compliance of the catalog at ``at`` (computed
        once per time, database state and space-weather file)."""
        with self.store() as store:
            marker = store.latest_load_id()
            weather = space_weather_path(store, self.space_weather)
        key = (marker, at.isoformat(), str(weather), weather.stat().st_mtime_ns)

        def compute() -> Environment:
            with self.store() as store:
                return environment_at(store, at, weather)

        return self._cached(self._environments, 2, key, compute)

    def _per_load(self, cache: OrderedDict, limit: int, key: tuple,
                  compute: Callable[[CatalogStore], Any]) -> Any:
        """``compute(store)`` cached per ``key`` and database state (the latest load), on
        a store of its own."""
        with self.store() as store:
            marker = store.latest_load_id()

        def run() -> Any:
            with self.store() as store:
                return compute(store)

        return self._cached(cache, limit, (marker, *key), run)

    def satellites(self, at: datetime) -> CatalogAtTime:
        """Every object's latest element set at ``at`` (cached per hour and database
        state)."""
        def compute(store: CatalogStore) -> CatalogAtTime:
            # element sets over ten years old at ``at`` say nothing of where the object
            # is, and deep-space propagation over decades is slow
            return CatalogAtTime.of(take_snapshot(store, at, max_age_days=MAX_ELEMENT_AGE_DAYS))

        hour = at.replace(minute=0, second=0, microsecond=0)
        return self._per_load(self._satellites, 2, (hour,), compute)

    def manoeuvre_scan(self, start: datetime | None, end: datetime | None) -> ManoeuvreScan:
        """The history's manoeuvres in [start, end] (computed once per window and
        database state: 2 s for 15 days of the active catalog, which every object's
        timeline needs whole)."""
        def compute(store: CatalogStore) -> ManoeuvreScan:
            self.behaviour_scans += 1
            return scan_manoeuvres(store, start, end)

        return self._per_load(self._behaviour, 4, ("manoeuvres", start, end), compute)

    def proximity(self, start: datetime, days: int) -> list[dict]:
        """Every proximity pair of ``days`` days from ``start`` (computed once per window
        and database state: a screening of each day's element sets)."""
        def compute(store: CatalogStore) -> list[dict]:
            self.behaviour_scans += 1
            return proximity_pairs(store, start, days, workers=self.jobs.workers)

        return self._per_load(self._behaviour, 4, ("proximity", start, days), compute)


def service_state(request: Request) -> ServiceState:
    return request.app.state.ow

"""What the service keeps between requests: the job manager, and caches of things that
are costly to build and do not change (a stored run's conjunction report, the catalog's
satellites at a time, keyed by the latest load)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request

from orbitwatch.app.geometry import CatalogAtTime
from orbitwatch.catalog import CatalogStore, take_snapshot
from orbitwatch.reports.conjunctions import ConjunctionReport, conjunction_report
from orbitwatch.service.jobs import JobManager

#: Element sets older than this at the requested time are left off the globe (days).
MAX_ELEMENT_AGE_DAYS = 3650.0


@dataclass
class ServiceState:
    db_path: Path
    jobs: JobManager
    reports_computed: int = 0  # how many reports were computed (one per run and cache)
    _reports: OrderedDict = field(default_factory=OrderedDict)
    _satellites: OrderedDict = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _flights: dict = field(default_factory=dict)  # key -> lock: one computation per key

    def _flight(self, key: Any) -> threading.Lock:
        """The lock under which ``key``'s value is computed: however many requests ask
        for an uncached report at once, one computes it and the others wait for it."""
        with self._lock:
            return self._flights.setdefault(key, threading.Lock())

    def store(self) -> CatalogStore:
        return CatalogStore(self.db_path)

    def report(self, run_id: int) -> ConjunctionReport:
        """The conjunctions of a run with their risk, in TCA order. A stored run never
        changes (its states at TCA and its objects' facts are stored with it), so the
        report is computed once per run and kept."""
        with self.store() as store:  # a new radius table changes the Pc: a new report
            key = (run_id, store.radii_marker())
        with self._flight(("report", key)):
            with self._lock:
                if key in self._reports:
                    self._reports.move_to_end(key)
                    return self._reports[key]
            with self.store() as store:
                report = conjunction_report(store, run_id, sort="tca")
            for k, row in enumerate(report.rows, start=1):
                row["EVENT"] = k
            self.reports_computed += 1
            with self._lock:
                self._reports[key] = report
                while len(self._reports) > 4:
                    self._reports.popitem(last=False)
            return report

    def satellites(self, at: datetime) -> CatalogAtTime:
        """Every object's latest element set at ``at`` (cached per hour and database
        state)."""
        with self.store() as store:
            marker = store.conn.execute("SELECT MAX(load_id) FROM loads").fetchone()[0]
        key: Any = (marker, at.replace(minute=0, second=0, microsecond=0))
        with self._flight(("satellites", key)):
            with self._lock:
                if key in self._satellites:
                    return self._satellites[key]
            with self.store() as store:
                # element sets over ten years old at ``at`` say nothing of where the
                # object is, and deep-space propagation over decades is slow
                snap = take_snapshot(store, at, max_age_days=MAX_ELEMENT_AGE_DAYS)
            sats = CatalogAtTime.of(snap)
            with self._lock:
                self._satellites[key] = sats
                while len(self._satellites) > 2:
                    self._satellites.popitem(last=False)
            return sats


def service_state(request: Request) -> ServiceState:
    return request.app.state.ow

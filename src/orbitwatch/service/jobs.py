"""Background screening jobs for the HTTP service: one thread per job, progress as a
fraction, the stored run's id when done, the error message when not.

Jobs are kept in the catalog database (table ``service_jobs``): a service that is
restarted lists the jobs of the one before, and runs again those it had queued or
running (their requests are stored with them), under the same job ids.

The screening itself runs in worker processes (screening.engine), so a job thread
only waits; readers of the database keep going meanwhile (SQLite in WAL mode, or
PostgreSQL: the run is written in one transaction at the end). The workflow is the CLI's
(app.screening.run_screening).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from orbitwatch.app.jobs_table import ensure_job_table
from orbitwatch.app.screening import ScreeningRequest, run_screening
from orbitwatch.catalog import CatalogStore
from orbitwatch.database import DatabaseLocation
from orbitwatch.errors import BusyError, OrbitwatchError


@dataclass
class Job:
    job_id: int
    request: dict[str, Any]
    state: str = "queued"  # queued, running, done, failed
    progress: float = 0.0  # fraction of the window's chunks screened
    run_id: int | None = None
    error: str | None = None
    finished: threading.Event = field(default_factory=threading.Event, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {"job_id": self.job_id, "state": self.state, "progress": round(self.progress, 4),
                "run_id": self.run_id, "error": self.error, "request": self.request}


#: Progress is written to the database at most every this fraction of the window.
PROGRESS_STEP = 0.1


class JobManager:
    """Screening jobs of one service; at most ``max_running`` at a time."""

    def __init__(self, db_path: DatabaseLocation, max_running: int = 1, workers: int | None = None,
                 max_waiting: int = 4, dask_address: str | None = None):
        self.db_path = db_path
        self.workers = workers
        self.dask_address = dask_address  # screening jobs run on this cluster
        self.max_waiting = max_waiting  # jobs queued or running at once
        self._jobs: dict[int, Job] = {}
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(max_running)
        with CatalogStore(db_path) as store:
            ensure_job_table(store.db)

    def resume(self) -> list[int]:
        """Run again the jobs a previous service left queued or running; their ids."""
        with CatalogStore(self.db_path) as store:
            rows = store.db.execute(
                "SELECT job_id, request_json, description_json FROM service_jobs WHERE state "
                "IN ('queued', 'running') ORDER BY job_id").fetchall()
        for job_id, request_json, description in rows:
            request = ScreeningRequest.from_record(json.loads(request_json),
                                                   workers=self.workers,
                                                   dask_address=self.dask_address)
            job = Job(job_id, json.loads(description))
            with self._lock:
                self._jobs[job_id] = job
            self._save(job)
            threading.Thread(target=self._run, args=(job, request), daemon=True).start()
        return [r[0] for r in rows]

    def submit(self, request: ScreeningRequest) -> Job:
        """Start a job (the request was validated when it was made); a BusyError when
        ``max_waiting`` jobs are already queued or running."""
        with self._lock:
            waiting = sum(j.state in ("queued", "running") for j in self._jobs.values())
            if waiting >= self.max_waiting:
                raise BusyError(f"{waiting} screening jobs are queued or running (the limit "
                                f"is {self.max_waiting}); try again when one has ended")
            description = request.describe()
            with CatalogStore(self.db_path) as store:
                job_id = store.db.insert_returning_id(
                    "INSERT INTO service_jobs (created_utc, state, progress, request_json, "
                    "description_json) VALUES (?, 'queued', 0, ?, ?)",
                    (datetime.now(UTC).isoformat(timespec="seconds"),
                     json.dumps(request.to_record()), json.dumps(description)), "job_id")
                job = Job(job_id, description)
            self._jobs[job.job_id] = job
        threading.Thread(target=self._run, args=(job, request), daemon=True).start()
        return job

    def get(self, job_id: int) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None:
            return job
        stored = self._stored(job_id)
        return stored[0] if stored else None

    def _stored(self, job_id: int | None = None) -> list[Job]:
        """Jobs of earlier services, from the database (the one ``job_id``, or all)."""
        with CatalogStore(self.db_path) as store:
            rows = store.db.execute(
                "SELECT job_id, description_json, state, progress, run_id, error FROM "
                "service_jobs" + ("" if job_id is None else " WHERE job_id = ?"),
                () if job_id is None else (job_id,)).fetchall()
        jobs = []
        for jid, description, state, progress, run_id, error in rows:
            job = Job(jid, json.loads(description), state, progress, run_id, error)
            job.finished.set()
            jobs.append(job)
        return jobs

    def wait(self, job_id: int, timeout: float | None = None) -> Job | None:
        """Block until the job is done or failed (or ``timeout`` seconds pass)."""
        job = self.get(job_id)
        if job is not None:
            job.finished.wait(timeout)
        return job

    def all(self) -> list[Job]:
        with self._lock:
            live = dict(self._jobs)
        earlier = [j for j in self._stored() if j.job_id not in live]
        return sorted([*live.values(), *earlier], key=lambda j: -j.job_id)

    def _save(self, job: Job) -> None:
        with CatalogStore(self.db_path) as store:
            store.db.execute(
                "UPDATE service_jobs SET state = ?, progress = ?, run_id = ?, error = ? "
                "WHERE job_id = ?", (job.state, job.progress, job.run_id, job.error,
                                     job.job_id))

    def _run(self, job: Job, request: ScreeningRequest) -> None:
        with self._slots:
            job.state = "running"
            self._save(job)
            saved = [0.0]

            def progress(done: int, total: int) -> None:
                job.progress = done / total
                if job.progress - saved[0] >= PROGRESS_STEP:
                    saved[0] = job.progress
                    self._save(job)

            try:
                with CatalogStore(self.db_path) as store:
                    job.run_id = run_screening(store, request, progress).run_id
                job.progress = 1.0
                job.state = "done"
            except OrbitwatchError as exc:
                job.state, job.error = "failed", str(exc)
            except Exception as exc:  # a job thread must report, not vanish
                job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
            finally:
                try:
                    self._save(job)
                finally:
                    job.finished.set()

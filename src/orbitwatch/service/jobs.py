"""Background screening jobs for the HTTP service: one thread per job, progress as a
fraction, the stored run's id when done, the error message when not.

The screening itself runs in worker processes (screening.engine), so a job thread
only waits; readers of the database keep going meanwhile (SQLite in WAL mode: the run
is written in one transaction at the end). The workflow is the CLI's
(app.screening.run_screening).
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orbitwatch.app.screening import ScreeningRequest, run_screening
from orbitwatch.catalog import CatalogStore
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


class JobManager:
    """Screening jobs of one service; at most ``max_running`` at a time."""

    def __init__(self, db_path: Path, max_running: int = 1, workers: int | None = None,
                 max_waiting: int = 4, dask_address: str | None = None):
        self.db_path = db_path
        self.workers = workers
        self.dask_address = dask_address  # screening jobs run on this cluster
        self.max_waiting = max_waiting  # jobs queued or running at once
        self._jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(max_running)

    def submit(self, request: ScreeningRequest) -> Job:
        """Start a job (the request was validated when it was made); a BusyError when
        ``max_waiting`` jobs are already queued or running."""
        with self._lock:
            waiting = sum(j.state in ("queued", "running") for j in self._jobs.values())
            if waiting >= self.max_waiting:
                raise BusyError(f"{waiting} screening jobs are queued or running (the limit "
                                f"is {self.max_waiting}); try again when one has ended")
            job = Job(next(self._ids), request.describe())
            self._jobs[job.job_id] = job
        threading.Thread(target=self._run, args=(job, request), daemon=True).start()
        return job

    def get(self, job_id: int) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def wait(self, job_id: int, timeout: float | None = None) -> Job | None:
        """Block until the job is done or failed (or ``timeout`` seconds pass)."""
        job = self.get(job_id)
        if job is not None:
            job.finished.wait(timeout)
        return job

    def all(self) -> list[Job]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: -j.job_id)

    def _run(self, job: Job, request: ScreeningRequest) -> None:
        with self._slots:
            job.state = "running"

            def progress(done: int, total: int) -> None:
                job.progress = done / total

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
                job.finished.set()

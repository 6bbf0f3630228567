"""The table of the service's screening jobs (``service_jobs``), defined here so that
the service (service.jobs, which reads and writes it) and a whole-database copy
(app.database_copy) create it the same way."""

from __future__ import annotations

from orbitwatch.database import Database
from orbitwatch.database.migrations import migrate

JOBS_SCHEMA = """
CREATE TABLE IF NOT EXISTS service_jobs (
    job_id INTEGER PRIMARY KEY,
    created_utc TEXT NOT NULL,
    state TEXT NOT NULL,               -- queued, running, done, failed
    progress REAL NOT NULL,
    run_id INTEGER, error TEXT,
    request_json TEXT NOT NULL,        -- ScreeningRequest.to_record(), to run it again
    description_json TEXT NOT NULL     -- what the API shows of the request
)"""
#: The jobs' migrations, in order (``meta.jobs_schema_version`` counts those applied).
JOB_MIGRATIONS = (lambda db: db.script(JOBS_SCHEMA),)


def ensure_job_table(db: Database) -> None:
    """The jobs table, created or upgraded as needed."""
    migrate(db, "jobs", JOB_MIGRATIONS)

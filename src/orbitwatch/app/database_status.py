"""What a database is and holds: engine, location, the schema version of each part
against this orbitwatch's, and the rows of each table."""

from __future__ import annotations

from typing import Any

from orbitwatch.app.jobs_table import JOB_MIGRATIONS
from orbitwatch.catalog import CatalogStore
from orbitwatch.catalog.store import CATALOG_MIGRATIONS
from orbitwatch.database.migrations import schema_version
from orbitwatch.screening.runs import run_migrations

_TABLES = ("objects", "element_sets", "loads", "rejects", "hard_body_radii",
           "screening_runs", "conjunctions", "service_jobs")


def database_status(store: CatalogStore) -> list[dict[str, Any]]:
    """One row per fact: WHAT, VALUE."""
    db = store.db
    rows: list[dict[str, Any]] = [
        {"WHAT": "database", "VALUE": str(store.path)},
        {"WHAT": "engine", "VALUE": db.server_version()},
    ]
    parts = (("catalog", len(CATALOG_MIGRATIONS)), ("runs", len(run_migrations(store))),
             ("jobs", len(JOB_MIGRATIONS)))
    for part, known in parts:
        have = schema_version(db, part)
        state = ("no tables yet" if have == 0 else "current" if have == known
                 else "older: opened writable, it is upgraded" if have < known
                 else "newer than this orbitwatch")
        rows.append({"WHAT": f"schema {part}", "VALUE": f"{have} of {known} ({state})"})
    present = db.table_names()
    for table in _TABLES:
        if table in present:
            n = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            rows.append({"WHAT": f"rows {table}", "VALUE": int(n)})
    return rows

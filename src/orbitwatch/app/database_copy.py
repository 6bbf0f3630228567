"""A whole orbitwatch database copied into another: a SQLite file into a PostgreSQL
server when a centre moves to one, or back. Everything stored is copied with its ids
(the catalog with every element set, loads and rejects, radius tables, screening runs
with their events, the service's jobs), in one transaction on the target, which must be
empty. A run's stored risk is not copied: the target computes it on the run's first
report (it depends on the run and the radius table alone, both copied)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from orbitwatch.app.jobs_table import ensure_job_table
from orbitwatch.catalog import CatalogStore
from orbitwatch.errors import InputError
from orbitwatch.screening.runs import ensure_run_tables

#: In the order their references need, with the id column each keeps (None: no id).
TABLES: tuple[tuple[str, str | None], ...] = (
    ("loads", "load_id"), ("objects", None), ("element_sets", "element_set_id"),
    ("rejects", "reject_id"), ("hard_body_radii", None), ("screening_runs", "run_id"),
    ("run_objects", None), ("conjunctions", "rowid"), ("formation_pairs", "rowid"),
    ("propagation_failures", None), ("service_jobs", "job_id"),
)
#: Rows written per COPY.
BATCH = 20_000


@dataclass(frozen=True, slots=True)
class CopyReport:
    source: str
    target: str
    rows: dict[str, int]  # table -> rows copied

    def summary(self) -> str:
        copied = ", ".join(f"{n:,} {t}" for t, n in self.rows.items() if n)
        return f"copied {self.source} into {self.target}: {copied or 'nothing (empty)'}"


def copy_database(source: CatalogStore, target: CatalogStore,
                  progress: Callable[[str], None] | None = None) -> CopyReport:
    """Copy every table of ``source`` into the empty ``target`` (see the module's text);
    an InputError when the target holds anything already, leaving it untouched."""
    if str(source.path) == str(target.path):
        raise InputError(f"{target.path}: the source and the target are the same database")
    if not source.read_only:
        ensure_run_tables(source)  # runs stored by an earlier version: upgraded first
    ensure_run_tables(target)
    ensure_job_table(target.db)
    held = {t: target.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("loads", "element_sets", "screening_runs")}
    if any(held.values()):
        raise InputError(f"{target.path} already holds "
                         f"{', '.join(f'{n:,} {t}' for t, n in held.items() if n)}: copy "
                         "into an empty database (nothing was written)")
    have = source.db.table_names()
    rows: dict[str, int] = {}
    with target.db.transaction():
        for table, id_column in TABLES:
            if table not in have:  # a source from before that part existed
                rows[table] = 0
                continue
            in_source = set(source.db.column_names(table))
            columns = [c for c in target.db.column_names(table)
                       if c in in_source and c != "rowid"]
            if id_column == "rowid":  # SQLite's implicit row id, a column on PostgreSQL
                columns.insert(0, "rowid")
            order = f" ORDER BY {id_column}" if id_column else ""
            if progress:
                progress(f"copying {table}")
            rows[table] = _copy_table(source, target, table, columns, order)
            if id_column:
                target.db.reset_identity(table, id_column)
    return CopyReport(str(source.path), str(target.path), rows)


def _copy_table(source: CatalogStore, target: CatalogStore, table: str,
                columns: list[str], order: str) -> int:
    n, batch = 0, []
    for row in source.db.stream(f"SELECT {', '.join(columns)} FROM {table}{order}"):
        batch.append(row)
        if len(batch) >= BATCH:
            target.db.copy_rows(table, columns, batch)
            n += len(batch)
            batch = []
    if batch:
        target.db.copy_rows(table, columns, batch)
        n += len(batch)
    return n

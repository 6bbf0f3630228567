"""``orbitwatch database status`` and ``orbitwatch database copy``: which database, at
which schema versions, holding what; and a whole database moved to another (a SQLite
file onto a PostgreSQL server)."""

from __future__ import annotations

import click

from orbitwatch.app.database_copy import copy_database
from orbitwatch.app.database_status import database_status
from orbitwatch.catalog.store import CatalogStore
from orbitwatch.cli.common import (
    DatabaseParam,
    db_option,
    format_option,
    handle_errors,
    open_catalog,
)
from orbitwatch.cli.output import render
from orbitwatch.database import DatabaseLocation


@click.group("database")
def database() -> None:
    """The database itself: its status, and copying it whole to another."""


@database.command("status")
@db_option
@format_option
@handle_errors
def status_cmd(db: DatabaseLocation | None, fmt: str) -> None:
    """Engine and version, schema version of each part (this orbitwatch's beside it),
    and what each table holds. Opening it writable applies missing migrations."""
    with open_catalog(db) as store:
        rows = database_status(store)
    click.echo(render(rows, fmt))


@database.command("copy")
@db_option
@click.option("--to", "target", type=DatabaseParam(), required=True,
              help="The empty database to copy into: a file, or postgresql://...")
@handle_errors
def copy_cmd(db: DatabaseLocation | None, target: DatabaseLocation) -> None:
    """Copy everything stored (catalog, history, loads, rejects, radius tables, runs with
    their events, the service's jobs) into an empty database, ids kept, in one
    transaction. A run's stored risk is computed again there on its first report."""
    with open_catalog(db) as source, CatalogStore(target) as into:
        report = copy_database(source, into,
                               progress=lambda m: click.echo(f"orbitwatch: {m}", err=True))
    click.echo(report.summary())

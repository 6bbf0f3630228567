"""Pieces every ``orbitwatch`` command shares: error handling, exit codes, options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from orbitwatch.app.freshness import OLD_CATALOG_DAYS, default_start, stale_warning
from orbitwatch.app.inputs import parse_ids, parse_time
from orbitwatch.catalog.snapshot import Snapshot
from orbitwatch.catalog.store import CatalogStore
from orbitwatch.cli.output import OUTPUT_FORMATS, render
from orbitwatch.database import DatabaseLocation, is_server_url
from orbitwatch.database.connection import describe_driver_error, driver_errors
from orbitwatch.errors import InputError, NotFoundError, OrbitwatchError, StoreError
from orbitwatch.reports.html import html_page

EXIT_FAILED, EXIT_BAD_INPUT = 1, 2
DRIVER_ERRORS = driver_errors()


def _fail(message: str, code: int) -> None:
    click.echo(f"orbitwatch: error: {message}", err=True)
    sys.exit(code)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn orbitwatch's own exceptions into one line and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (InputError, NotFoundError) as err:  # no such run or object: bad input
            _fail(str(err), EXIT_BAD_INPUT)
        except OrbitwatchError as err:
            _fail(str(err), EXIT_FAILED)
        except DRIVER_ERRORS as err:  # a damaged file, or a server gone, found mid-query
            _fail(describe_driver_error(err), EXIT_FAILED)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError,
                PermissionError) as err:  # a path the user gave that cannot be used
            _fail(f"{err.filename}: {err.strerror}", EXIT_BAD_INPUT)
        except OSError as err:  # a disk full, a device gone
            _fail(f"{err.filename}: {err.strerror}" if err.filename else str(err), EXIT_FAILED)
        except KeyboardInterrupt:
            _fail("interrupted", EXIT_FAILED)

    return wrapper


def _utc(value: str | None) -> datetime:
    """An option's UTC time (now when absent)."""
    return parse_time(value, "--at")


#: The default of every ``--at`` that start_time reads, for the options' help.
DEFAULT_START_HELP = ("now, or the first whole hour at or after the catalog's newest element "
                      f"set when that is over {OLD_CATALOG_DAYS:g} days old")


def start_time(db: DatabaseLocation | None, value: str | None) -> datetime:
    """``--at`` when given; else now, or the catalog's own time when it is old (said on
    stderr), so that an old catalog is not propagated months without a word."""
    if value is not None:
        return parse_time(value, "--at")
    with open_catalog(db) as store:
        start, note = default_start(store)
    if note:
        click.echo(f"orbitwatch: note: {note}", err=True)
    return start


def warn_if_stale(elements: list, at: datetime) -> None:
    """A warning on stderr when element sets used at ``at`` are stale for their orbit."""
    if elements:
        warning = stale_warning(Snapshot.from_elements(list(elements), at))
        if warning:
            click.echo(f"orbitwatch: warning: {warning}", err=True)


def open_catalog(db: DatabaseLocation | None) -> CatalogStore:
    """The catalog for a command that reads it: it must exist (a mistyped --db is an
    error, not a new empty database); a read-only file is opened for reading."""
    try:
        return CatalogStore(db, create=False)
    except StoreError as err:
        if "read-only" not in str(err):
            raise
        return CatalogStore(db, read_only=True)


def existing_catalog(db: DatabaseLocation | None) -> CatalogStore:
    """The catalog for a command that writes to an existing one (screen, serve)."""
    return CatalogStore(db, create=False)


class DatabaseParam(click.ParamType):
    """A ``--db`` value: a SQLite file path, or a ``postgresql://`` URL kept as text."""

    name = "FILE|URL"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> DatabaseLocation:
        if isinstance(value, Path) or is_server_url(value):
            return value
        return Path(value)


db_option = click.option(
    "--db", type=DatabaseParam(), default=None,
    help="Catalog database: a file, or postgresql://USER:PASSWORD@HOST:PORT/DATABASE "
         "[default: $ORBITWATCH_DB, else $ORBITWATCH_HOME/catalog.db or the user data "
         "directory].")
format_option = click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS),
                             default="table", show_default=True, help="Output format.")
limit_option = click.option("--limit", type=click.IntRange(min=0), default=50,
                            show_default=True, help="Rows to print (0: all).")
owner_option = click.option("--owner", default=None,
                            help="SATCAT owner codes, comma-separated.")


def selection_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--id``, ``--name`` and ``--owner``: the objects a command is about (parameters
    ``ids``, ``name``, ``owner``; parse them with parse_ids / parse_owners)."""
    f = owner_option(f)
    f = click.option("--name", default=None,
                     help="Name pattern (regular expression, any case).")(f)
    return click.option("--id", "ids", default=None,
                        help="Catalog numbers, comma-separated.")(f)


#: A report's format (a standalone HTML page besides table, CSV, JSON) and its file.
page_format_option = click.option("--format", "fmt",
                                  type=click.Choice([*OUTPUT_FORMATS, "html"]),
                                  default="table", show_default=True)
out_option = click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
                          default=None, help="Write to this file instead of standard output.")


def emit(rows: list[dict], fmt: str, out: Path | None, title: str,
         notes: list[str] | None = None) -> None:
    """Rows as a table, CSV, JSON or standalone HTML page (``notes`` under the table or
    page), to ``out`` or standard output."""
    text = (html_page(title, rows, notes or []) if fmt == "html"
            else render(rows, fmt, title=title, notes=notes or ()))
    if out:
        out.write_text(text)
        click.echo(f"wrote {len(rows)} row(s) to {out}", err=True)
    else:
        click.echo(text, nl=False)


def _parse_ids(text: str, option: str = "--id") -> list[int]:
    return parse_ids(text, option) or []

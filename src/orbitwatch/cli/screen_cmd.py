"""``orbitwatch screen`` and ``orbitwatch runs``: conjunction screening from the CLI."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from orbitwatch.app.inputs import parse_owners, parse_time
from orbitwatch.app.screening import ScreeningRequest, read_element_files, run_screening
from orbitwatch.cli.common import (
    DEFAULT_START_HELP,
    _parse_ids,
    db_option,
    existing_catalog,
    format_option,
    handle_errors,
    open_catalog,
    start_time,
)
from orbitwatch.cli.output import render
from orbitwatch.screening import VolumePolicy
from orbitwatch.screening.results import SOCRATES_COLUMNS_NOTE
from orbitwatch.screening.runs import compare_runs, list_runs, load_run


@click.command("screen")
@db_option
@click.option("--at", "start", default=None,
              help=f"Window start, UTC ISO-8601 [default: {DEFAULT_START_HELP}]; also the "
                   "snapshot time unless --elements-at is given.")
@click.option("--elements-at", default=None,
              help="Snapshot time: each object's latest element set at or before it, UTC "
                   "ISO-8601 [default: --at]. E.g. to reproduce a SOCRATES run whose "
                   "element sets postdate its window start.")
@click.option("--days", type=click.FloatRange(min=0, min_open=True), default=7.0,
              show_default=True, help="Window length in days.")
@click.option("--volume", default="5", show_default=True,
              help="Sphere radius in km ('5'), RTN ellipsoid semi-axes in km "
                   "('0.4x44x51'), or per regime ('LEO=0.4x44x51,GEO=10,default=5').")
@click.option("--primary", "primary_ids", default=None,
              help="Primaries by catalog number, comma-separated.")
@click.option("--owner", "owners", default=None,
              help="Primaries by SATCAT owner code, comma-separated (e.g. US,PRC).")
@click.option("--name", "name_pattern", default=None,
              help="Primaries by object name: a regular expression (RE2), any case, found "
                   "anywhere in the name ('ISS' also matches AISSAT 4; '^ISS ' does not). "
                   "What it selects is printed before screening.")
@click.option("--add", "add_paths", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Element sets (TLE/OMM file) screened as primaries against the "
                   "catalog, e.g. a planned deployment. Repeatable.")
@click.option("--max-age", type=float, default=None,
              help="Leave out objects whose latest element set is older (days).")
@click.option("--no-analyst", is_flag=True,
              help="Leave out analyst objects (80000-89999, 270000-339999), which are "
                   "screened by default as SOCRATES does and marked OBJECT_TYPE ANALYST.")
@click.option("--sort", "sort_by", type=click.Choice(["tca", "miss", "speed"]),
              default="tca", show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True,
              help="Events to print (0: all). All are stored.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes [default: the CPUs this process may use].")
@click.option("--dask", "dask_address", envvar="ORBITWATCH_DASK", default=None,
              help="Run on this Dask scheduler (tcp://HOST:8786) instead of local processes "
                   "[env: ORBITWATCH_DASK].")
@click.option("--no-store", is_flag=True, help="Do not keep the run in the database.")
@format_option
@handle_errors
def screen_cmd(db, start, elements_at, days, volume, primary_ids, owners, name_pattern, add_paths,
               max_age, no_analyst, sort_by, limit, workers, dask_address, no_store,
               fmt) -> None:
    """Find every close approach over a window (SOCRATES-compatible columns)."""
    VolumePolicy.parse(volume)  # what the user typed is checked before any file is read
    window_start = start_time(db, start)
    request = ScreeningRequest(
        start=window_start, days=days, volume=volume,
        elements_at=parse_time(elements_at, "--elements-at") if elements_at else None,
        primaries=_parse_ids(primary_ids, "--primary") if primary_ids else None,
        owners=parse_owners(owners), name_pattern=name_pattern,
        extra=read_element_files(add_paths), max_age_days=max_age, workers=workers,
        dask_address=dask_address, include_analyst=not no_analyst, store_run=not no_store)
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if not sys.stderr.isatty():
            return
        if bar is None:
            bar = click.progressbar(length=total, label="screening", file=sys.stderr,
                                    show_eta=True)
            bar.__enter__()
        bar.update(1)
        if done == total:
            bar.__exit__(None, None, None)

    with existing_catalog(db) as store:
        result = run_screening(store, request, progress,
                               announce=lambda text: click.echo(f"orbitwatch: {text}",
                                                                err=True))
    rows = result.event_rows(sort_by, limit or None)
    click.echo(render(rows, fmt, title="conjunctions", notes=[SOCRATES_COLUMNS_NOTE]),
               nl=False)
    if fmt == "table":
        formation = result.formation_rows()
        if formation:
            click.echo(render(formation[: limit or None], "table",
                              title="formation/docked pairs"), nl=False)
    click.echo(result.summary() + (f"; run {result.run_id}" if result.run_id else ""),
               err=True)
    for f in result.failures[:10]:
        click.echo(f"  propagation failed: {f.norad_cat_id} from {f.first_failure_utc}: "
                   f"{f.message} (code {f.code})", err=True)
    if len(result.failures) > 10:
        click.echo(f"  ... and {len(result.failures) - 10} more", err=True)


@click.group("runs")
def runs() -> None:
    """Stored screening runs."""


@runs.command("list")
@db_option
@click.option("--limit", default=20, show_default=True)
@format_option
@handle_errors
def runs_list(db, limit, fmt) -> None:
    with open_catalog(db) as store:
        click.echo(render(list_runs(store, limit), fmt, title="runs"), nl=False)


@runs.command("show")
@click.argument("run_id", type=int)
@db_option
@click.option("--sort", "sort_by", type=click.Choice(["tca", "miss", "speed"]),
              default="tca", show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True)
@format_option
@handle_errors
def runs_show(run_id, db, sort_by, limit, fmt) -> None:
    with open_catalog(db) as store:
        result = load_run(store, run_id)
    prov = result.provenance
    click.echo(render(result.event_rows(sort_by, limit or None), fmt, title="conjunctions",
                      notes=[SOCRATES_COLUMNS_NOTE]), nl=False)
    click.echo(f"run {run_id}: {prov['volume']}, {prov['window_start']} .. "
               f"{prov['window_end']}, {prov['scope']}, snapshot {prov['snapshot_id']}, "
               f"{prov['software']}", err=True)


@runs.command("compare")
@click.argument("run_a", type=int)
@click.argument("run_b", type=int)
@db_option
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True,
              help="Rows to print (0: all).")
@format_option
@handle_errors
def runs_compare(run_a, run_b, db, limit, fmt) -> None:
    """One table: each approach of either run, in both (same pair, TCA within 60 s; with
    the TCA shift and both misses) or only in one, with both objects' names and TCAs."""
    with open_catalog(db) as store:
        rows, notes = compare_runs(store, run_a, run_b)
    click.echo(render(rows[: limit or None], fmt, title=f"runs {run_a} and {run_b}"),
               nl=False)
    counts = {k: sum(r["IN"] == k for r in rows)
              for k in ("both", f"only {run_a}", f"only {run_b}")}
    click.echo(f"both: {counts['both']}, only in {run_a}: {counts[f'only {run_a}']}, "
               f"only in {run_b}: {counts[f'only {run_b}']}", err=True)
    for note in notes:
        click.echo(f"orbitwatch: note: {note}", err=True)

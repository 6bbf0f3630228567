"""``orbitwatch screen`` and ``orbitwatch runs``: conjunction screening from the CLI."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import click
import numpy as np

from orbitwatch.catalog import CatalogStore, take_snapshot
from orbitwatch.catalog.ingest import read_text
from orbitwatch.cli.common import _parse_ids, _utc, db_option, format_option, handle_errors
from orbitwatch.cli.output import render
from orbitwatch.errors import InputError
from orbitwatch.formats import read_elements
from orbitwatch.screening import EngineSettings, VolumePolicy, screen
from orbitwatch.screening.results import SORT_KEYS, event_row
from orbitwatch.screening.runs import compare_runs, list_runs, load_run_events, save_run


@click.command("screen")
@db_option
@click.option("--at", "start", default=None,
              help="Snapshot time and window start, UTC ISO-8601 [default: now].")
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
              help="Primaries by object name (regular expression, case-insensitive).")
@click.option("--add", "add_paths", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Element sets (TLE/OMM file) screened as primaries against the "
                   "catalog, e.g. a planned deployment. Repeatable.")
@click.option("--max-age", type=float, default=None,
              help="Leave out objects whose latest element set is older (days).")
@click.option("--sort", "sort_by", type=click.Choice(["tca", "miss", "speed"]),
              default="tca", show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True,
              help="Events to print (0: all). All are stored.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes [default: all cores].")
@click.option("--no-store", is_flag=True, help="Do not keep the run in the database.")
@format_option
@handle_errors
def screen_cmd(db, start, days, volume, primary_ids, owners, name_pattern, add_paths,
               max_age, sort_by, limit, workers, no_store, fmt) -> None:
    """Find every close approach over a window (SOCRATES-compatible columns)."""
    at = _utc(start)
    policy = VolumePolicy.parse(volume)
    extra = []
    for path in add_paths:
        parsed = read_elements(read_text(path), source=str(path))
        if parsed.rejects:
            raise InputError(f"{len(parsed.rejects)} bad element set(s) in {path}; "
                             f"first: {parsed.rejects[0]}")
        extra.extend(parsed.records)
    with CatalogStore(db) as store:
        snap = take_snapshot(store, at, max_age_days=max_age)
        if len(snap) == 0:
            raise InputError(f"the catalog in {store.path} has no element sets at or "
                             f"before {at.isoformat()}: load or fetch one first")
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

        result = screen(
            snap, start=at, duration=timedelta(days=days), volume=policy,
            primaries=_parse_ids(primary_ids) if primary_ids else None,
            owners=owners.split(",") if owners else None, name_pattern=name_pattern,
            extra=extra, settings=EngineSettings(workers=workers), progress=progress)
        if not no_store:
            save_run(store, result)
    rows = result.event_rows(sort_by, limit or None)
    click.echo(render(rows, fmt, title="conjunctions"), nl=False)
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
    with CatalogStore(db) as store:
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
    with CatalogStore(db) as store:
        prov, ev, n1, n2 = load_run_events(store, run_id)
    order = np.argsort(ev[SORT_KEYS[sort_by]], kind="stable")[: limit or None]
    rows = [event_row(ev[k], n1[k], n2[k]) for k in order]
    click.echo(render(rows, fmt, title="conjunctions"), nl=False)
    click.echo(f"run {run_id}: {prov['volume']}, {prov['window_start']} .. "
               f"{prov['window_end']}, {prov['scope']}, snapshot {prov['snapshot_id']}, "
               f"{prov['software']}", err=True)


@runs.command("compare")
@click.argument("run_a", type=int)
@click.argument("run_b", type=int)
@db_option
@format_option
@handle_errors
def runs_compare(run_a, run_b, db, fmt) -> None:
    """Events in both runs (same pair, TCA within 60 s), only in A, only in B."""
    with CatalogStore(db) as store:
        diff = compare_runs(store, run_a, run_b)
    for name, rows in diff.items():
        click.echo(render(rows, fmt, title=name), nl=False)
    click.echo(f"both: {len(diff['both'])}, only in {run_a}: {len(diff['only_a'])}, "
               f"only in {run_b}: {len(diff['only_b'])}", err=True)

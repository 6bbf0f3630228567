"""The ``orbitwatch`` command. Exit codes: 0 ok, 1 failed, 2 bad input.

Expected errors print one line on stderr (``orbitwatch: error: ...``), no traceback.
"""

from __future__ import annotations

import contextlib
import platform
import sys
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import click

from orbitwatch._version import __version__
from orbitwatch.app.propagation import OUTPUT_FRAMES, state_rows, throughput_summary
from orbitwatch.catalog import CatalogStore, load_text, take_snapshot
from orbitwatch.catalog.info import catalog_info
from orbitwatch.catalog.ingest import parse_paths, store_parsed
from orbitwatch.catalog.sources import CelesTrakClient, SpaceTrackClient
from orbitwatch.catalog.store import default_db_location
from orbitwatch.catalog.synth import synthesize
from orbitwatch.cli.access_cmd import access_cmd, footprint_cmd, gnss_cmd, passes_cmd
from orbitwatch.cli.behaviour_cmd import manoeuvres_cmd, proximity_cmd
from orbitwatch.cli.common import (
    DEFAULT_START_HELP,
    EXIT_BAD_INPUT,
    _parse_ids,
    _utc,
    db_option,
    existing_catalog,
    format_option,
    handle_errors,
    open_catalog,
    start_time,
    warn_if_stale,
)
from orbitwatch.cli.database_cmd import database
from orbitwatch.cli.environment_cmd import environment, lifetime_cmd
from orbitwatch.cli.output import render
from orbitwatch.cli.report_cmd import report_cmd
from orbitwatch.cli.risk_cmd import risk_cmd
from orbitwatch.cli.screen_cmd import runs, screen_cmd
from orbitwatch.core.time import datetime_to_us, format_epoch, iso_ms, parse_utc
from orbitwatch.database import DatabaseLocation, is_server_url, redact_url
from orbitwatch.errors import InputError, MissingExtraError
from orbitwatch.formats.omm import write_omm
from orbitwatch.formats.satcat import write_satcat_csv
from orbitwatch.formats.tle import MAX_TLE_CATALOG_NUMBER, write_tle
from orbitwatch.propagation import EarthOrientation, time_grid
from orbitwatch.risk.hbr import load_cara_hbr


def _versions() -> str:
    lines = [f"orbitwatch {__version__}", f"python {platform.python_version()}"]
    for dist in ("sgp4", "numpy", "pyerfa", "httpx", "click"):
        try:
            lines.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            lines.append(f"{dist} (not installed)")
    try:
        from sgp4.api import accelerated
        lines[2] += " (C++ accelerated)" if accelerated else " (pure Python: slow)"
    except ImportError:
        pass
    db = default_db_location()
    if is_server_url(db) or Path(db).exists():
        with CatalogStore(db) as store:
            loads = store.loads(limit=1)
            newest_us = store.newest_epoch_us()
            newest = iso_ms(newest_us) if newest_us is not None else None
            counts = store.counts()
            where = store.path
        lines.append(f"catalog {where}: {counts['objects']} objects, {counts['element_sets']} "
                     f"element sets, newest epoch {newest or '-'}, last load "
                     f"{_load_time(loads[0]['loaded_utc'] if loads else None)}")
    else:
        lines.append(f"catalog {db}: not created yet (orbitwatch catalog load ...)")
    return "\n".join(lines)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_versions())
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version, help="Versions of orbitwatch and its dependencies, "
                                            "and the catalog's freshness.")
def cli() -> None:
    """orbitwatch: open space situational awareness on your own machine."""


@cli.group()
def catalog() -> None:
    """Load, fetch, inspect and synthesise catalogs."""


@catalog.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--input-format", type=click.Choice(["tle", "json", "csv", "xml", "kvn", "satcat"]),
              default=None, help="Format of the files [default: detected from content].")
@click.option("--checksum", type=click.Choice(["verify", "ignore"]), default="verify",
              show_default=True, help="TLE checksum policy.")
@handle_errors
def catalog_load(paths: tuple[Path, ...], db: DatabaseLocation | None, input_format: str | None,
                 checksum: str) -> None:
    """Load element sets (TLE/3LE/2LE, OMM JSON/CSV/XML/KVN) or SATCAT CSV files.

    Each file is one transaction; bad records are stored as rejects with their reason.
    """
    total_rejected = 0
    failed: list[str] = []
    n_files = 0
    with CatalogStore(db) as store:
        for source, parsed in parse_paths(paths, input_format, checksum):
            n_files += 1
            if isinstance(parsed, InputError):  # this file: one line; the batch goes on
                click.echo(f"orbitwatch: error: {parsed}", err=True)
                failed.append(source)
                continue
            report = store_parsed(store, parsed)
            click.echo(report.summary())
            if report.n_rejected and not report.n_read:
                failed.append(source)
            for rej in report.rejects[:5]:
                click.echo(f"  rejected: {str(rej).splitlines()[0]}", err=True)
            if report.n_rejected > 5:
                click.echo(f"  ... {report.n_rejected - 5} more rejects "
                           "(orbitwatch catalog rejects)", err=True)
            total_rejected += report.n_rejected
    if total_rejected:
        click.echo(f"{total_rejected} records rejected in all; the others were stored",
                   err=True)
    if failed:
        click.echo(f"orbitwatch: error: nothing stored from {len(failed)} of {n_files} "
                   f"file(s): {', '.join(failed[:5])}", err=True)
        sys.exit(EXIT_BAD_INPUT)


@catalog.command("radii")
@click.argument("table", required=False,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option("--clear", is_flag=True, help="Forget the stored radius table.")
@handle_errors
def catalog_radii(table: Path | None, db: DatabaseLocation | None, clear: bool) -> None:
    """Store a hard-body radius table once (CARA's HBR estimates CSV: ObjectID, HBR,
    HBRSource); every report and the service then use it, no option needed."""
    if not table and not clear:
        raise InputError("give a radius table (CARA's HBR CSV) or --clear")
    radii = {} if clear else {k: (r.metres, r.source)
                              for k, r in load_cara_hbr(table).items()}
    with existing_catalog(db) as store:
        n = store.store_radii(radii, str(table) if table else "")
    click.echo(f"stored {n} hard-body radii" + (f" from {table}" if table else ""), err=True)


@catalog.command("rejects")
@db_option
@click.option("--limit", default=50, show_default=True)
@click.option("--purge", is_flag=True,
              help="Delete every stored reject (the loads keep their counts) and shrink "
                   "the database file.")
@format_option
@handle_errors
def catalog_rejects(db: DatabaseLocation | None, limit: int, purge: bool, fmt: str) -> None:
    """Records refused by earlier loads: file, line, field and reason (each load keeps
    its first 1,000 rejects and counts the rest)."""
    with (existing_catalog(db) if purge else open_catalog(db)) as store:
        if purge:
            click.echo(f"deleted {store.purge_rejects()} stored rejects", err=True)
            return
        rows = [{"source": r.source, "line": r.line_no, "field": r.field,
                 "reason": r.reason.splitlines()[0]} for r in store.rejects(limit)]
    click.echo(render(rows, fmt), nl=False)


@catalog.command("fetch")
@click.option("--source", type=click.Choice(["celestrak", "spacetrack"]), default="celestrak",
              show_default=True)
@click.option("--group", default=None, help="CelesTrak group, e.g. active, stations.")
@click.option("--catnr", default=None, help="Comma-separated catalog numbers.")
@click.option("--omm-format", type=click.Choice(["json", "csv"]), default="json",
              show_default=True)
@click.option("--satcat", "with_satcat", is_flag=True,
              help="Also fetch the SATCAT records of the same group or objects (CelesTrak).")
@db_option
@handle_errors
def catalog_fetch(source: str, group: str | None, catnr: str | None, omm_format: str,
                  with_satcat: bool, db: DatabaseLocation | None) -> None:
    """Fetch current element sets from CelesTrak or Space-Track and load them."""
    numbers = _parse_ids(catnr) if catnr else None
    with CatalogStore(db) as store:
        cache = store.cache_dir
        if source == "celestrak":
            client = CelesTrakClient(cache)
            answers = [client.gp(group=group, catnr=numbers, fmt=omm_format)]
            if with_satcat:
                answers.append(client.satcat(group=group, catnr=numbers))
        else:
            answers = [SpaceTrackClient().gp(catnr=numbers)]
        for got in answers:
            age = (f"cached copy, {got.age.total_seconds() / 60:.0f} min old (CelesTrak asks "
                   "for at most one download per two hours)" if got.from_cache else "downloaded")
            click.echo(f"{got.url}: {age}")
            if got.empty:
                click.echo("  the provider has no data for this query (0 records)")
                continue
            fmt = "satcat" if got.fmt == "satcat" else got.fmt
            click.echo("  " + load_text(store, got.text, source=got.url, fmt=fmt).summary())


@catalog.command("info")
@db_option
@click.option("--at", default=None,
              help=f"Snapshot time, UTC ISO-8601 [default: {DEFAULT_START_HELP}].")
@format_option
@handle_errors
def catalog_info_cmd(db: DatabaseLocation | None, at: str | None, fmt: str) -> None:
    """Counts by type, owner and orbit regime, and the catalog's freshness."""
    when = start_time(db, at)
    with open_catalog(db) as store:
        info = catalog_info(store, when)
    rows = [{"group": "stored", "value": k, "count": v} for k, v in info.counts.items()]
    rows += [{"group": "snapshot", "value": "objects", "count": info.objects_in_snapshot}]
    for group, counts in (("type", info.by_type), ("regime", info.by_regime),
                          ("owner", info.by_owner)):
        rows += [{"group": group, "value": k, "count": v} for k, v in counts.items()]
    if fmt == "json":
        click.echo(render([{
            "at_utc": format_epoch(info.at), "stored": info.counts,
            "objects_in_snapshot": info.objects_in_snapshot, "by_type": info.by_type,
            "by_regime": info.by_regime, "by_owner": info.by_owner,
            "newest_epoch_utc": format_epoch(info.newest_epoch) if info.newest_epoch else None,
            "median_element_age_days": info.median_age_days,
            "last_load_utc": info.last_load_utc}], "json"), nl=False)
        return
    newest = iso_ms(datetime_to_us(info.newest_epoch)) if info.newest_epoch else "-"
    age = f"{info.median_age_days:.2f} days" if info.median_age_days is not None else "-"
    at = iso_ms(datetime_to_us(when))
    click.echo(render(rows, fmt, title=f"Catalog at {at}", notes=[
        f"stored: everything the database holds; snapshot, type, regime and owner: each "
        f"object's latest element set at or before {at}, objects decayed by then (SATCAT) "
        f"and analyst numbers left out.",
        f"newest epoch {newest}; median element-set age {age}; last load "
        f"{_load_time(info.last_load_utc)}"]), nl=False)


def _load_time(loaded_utc: str | None) -> str:
    """A load's stored time (UTC, no zone) as every other time is printed."""
    return iso_ms(datetime_to_us(parse_utc(loaded_utc))) if loaded_utc else "never"


@catalog.command("synth")
@click.option("--objects", "n_objects", type=click.IntRange(min=0), required=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--epoch", default="2026-01-01T00:00:00Z", show_default=True,
              help="Epochs are drawn within the 2 days before this UTC time.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="OMM file to write (.json, .csv, .xml, .kvn; .tle for 3LE).")
@click.option("--satcat", "satcat_out", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Also write the objects' SATCAT CSV (type, owner, size).")
@handle_errors
def catalog_synth(n_objects: int, seed: int, epoch: str, output: Path,
                  satcat_out: Path | None) -> None:
    """Write a synthetic catalog with the real catalog's mix of orbits."""
    objects = synthesize(n_objects, seed=seed, epoch=_utc(epoch))
    ext = output.suffix.lower().lstrip(".")
    elements = [o.elements for o in objects]
    text = write_tle(elements) if ext in ("tle", "3le") else write_omm(elements, ext or "json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    click.echo(f"wrote {len(objects)} synthetic objects to {output}")
    if satcat_out:
        satcat_out.write_text(write_satcat_csv([o.satcat for o in objects]))
        click.echo(f"wrote their SATCAT to {satcat_out}")


@catalog.command("export")
@db_option
@click.option("--at", default=None, help="Snapshot time, UTC [default: now].")
@click.option("--as", "out_format", type=click.Choice(["tle", "json", "csv", "xml", "kvn"]),
              default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True)
@handle_errors
def catalog_export(db: DatabaseLocation | None, at: str | None, out_format: str,
                   output: Path) -> None:
    """Write the latest element set of every stored object at a time (analyst and decayed
    objects included) as TLE (3LE) or OMM; what a format cannot hold is named."""
    with open_catalog(db) as store:
        snap = take_snapshot(store, _utc(at), include_analyst=True, include_decayed=True)
    elements = snap.element_sets
    if out_format == "tle":
        elements = [es for es in elements if es.norad_cat_id <= MAX_TLE_CATALOG_NUMBER]
        left_out = [es.norad_cat_id for es in snap.element_sets
                    if es.norad_cat_id > MAX_TLE_CATALOG_NUMBER]
        if left_out:
            click.echo(f"orbitwatch: {len(left_out)} element set(s) not written: catalog "
                       f"numbers above {MAX_TLE_CATALOG_NUMBER} have no TLE form (Alpha-5 "
                       f"ends at Z9999); export them as OMM (--as json): "
                       f"{', '.join(map(str, left_out[:10]))}"
                       + (" ..." if len(left_out) > 10 else ""), err=True)
        text = write_tle(elements)
    else:
        text = write_omm(elements, out_format)
    output.write_text(text)
    click.echo(f"wrote {len(elements)} element sets ({snap.snapshot_id}) to {output}")


#: Limits of `propagate`: times per call, rows of a table of states (a row is a Python
#: dict), and states of the whole-catalog summary (it keeps one byte per state).
MAX_TIMES = 1_000_000
MAX_STATE_ROWS = 2_000_000
MAX_SUMMARY_STATES = 1_000_000_000


@cli.command("propagate")
@db_option
@click.option("--id", "ids", default=None,
              help="Comma-separated catalog numbers [default: the whole snapshot, summarised].")
@click.option("--at", "start", default=None,
              help=f"First time, UTC ISO-8601 [default: {DEFAULT_START_HELP}].")
@click.option("--step", type=float, default=60.0, show_default=True, help="Seconds between times.")
@click.option("--count", type=click.IntRange(min=1, max=MAX_TIMES), default=1,
              show_default=True, help="Number of times.")
@click.option("--frame", type=click.Choice(OUTPUT_FRAMES),
              default="teme", show_default=True)
@click.option("--eop", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              default=None, help="IERS finals file for UT1-UTC and polar motion.")
@format_option
@handle_errors
def propagate_cmd(db: DatabaseLocation | None, ids: str | None, start: str | None,
                  step: float, count: int, frame: str, eop: Path | None, fmt: str) -> None:
    """Positions of chosen objects at chosen times (SGP4), or a whole-catalog summary."""
    t0 = start_time(db, start)
    times = time_grid(t0, step, count)
    eop_table = EarthOrientation.from_finals(eop) if eop else None
    with open_catalog(db) as store:
        snap = take_snapshot(store, times[-1], norad_cat_ids=_parse_ids(ids) if ids else None,
                             include_analyst=bool(ids), include_decayed=bool(ids))
    warn_if_stale(snap.element_sets, times[0])
    if ids is None:
        _propagate_summary(snap, times, fmt)
        return
    missing = sorted(set(_parse_ids(ids)) - set(snap.norad_cat_id.tolist()))
    if missing:
        click.echo(f"no element set with epoch before {format_epoch(times[-1])} UTC for: "
                   f"{', '.join(map(str, missing))}", err=True)
    if not len(snap):
        raise InputError("none of the requested objects is in the catalog")
    if len(snap) * count > MAX_STATE_ROWS:
        raise InputError(f"--count: {len(snap)} object(s) x {count} times is more than "
                         f"{MAX_STATE_ROWS:,} rows; ask for fewer times or objects")
    click.echo(render(state_rows(snap, times, frame, eop_table), fmt), nl=False)


def _propagate_summary(snap: Any, times: list[datetime], fmt: str) -> None:
    """Propagate the whole snapshot chunk by chunk and report counts and throughput."""
    if len(snap) * len(times) > MAX_SUMMARY_STATES:
        raise InputError(f"--count: {len(snap)} objects x {len(times)} times is more than "
                         f"{MAX_SUMMARY_STATES:,} states (one byte each is kept); ask for "
                         "fewer times")
    def bar(blocks, n_blocks):
        if not sys.stderr.isatty():
            return contextlib.nullcontext(blocks)
        return click.progressbar(blocks, length=n_blocks, label="propagating",
                                 file=sys.stderr, show_eta=True)

    row, summary = throughput_summary(snap, times, bar)
    click.echo(render([row], fmt), nl=False)
    for message, n in summary.items():
        click.echo(f"  {n} objects: {message}", err=True)


cli.add_command(screen_cmd)
cli.add_command(database)


#: Seconds an idle HTTP connection stays open. Longer than clients keep theirs (httpx 5 s,
#: browsers up to minutes behind a proxy's 60 s): with uvicorn's 5 s, equal to httpx's, a
#: client now and then sent a request on a connection the server was closing (a
#: ReadError in ~1 of 1,000 requests under 50 clients).
KEEP_ALIVE_S = 75


@cli.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default; 0.0.0.0 exposes it).")
@click.option("--port", type=click.IntRange(1, 65535), default=8737, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes for screening jobs [default: the CPUs this process may use].")
@click.option("--token", envvar="ORBITWATCH_TOKEN", default=None,
              help="API token that requests starting work must carry (Authorization: "
                   "Bearer TOKEN); required when not on loopback [env: ORBITWATCH_TOKEN].")
@click.option("--allowed-host", "allowed_hosts", multiple=True,
              help="A host name clients use to reach the service (besides loopback). "
                   "Repeatable; required with --host 0.0.0.0.")
@click.option("--space-weather", "space_weather", default=None,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CelesTrak space-weather file for re-entry predictions [default: the copy "
                   "fetched with `orbitwatch environment fetch-space-weather`].")
@click.option("--dask", "dask_address", envvar="ORBITWATCH_DASK", default=None,
              help="Run screening jobs on this Dask scheduler (tcp://HOST:8786) "
                   "[env: ORBITWATCH_DASK].")
@handle_errors
def serve_cmd(db: DatabaseLocation | None, host: str, port: int, workers: int | None,
              token: str | None, allowed_hosts: tuple[str, ...],
              space_weather: Path | None, dask_address: str | None) -> None:
    """HTTP API (OpenAPI at /docs) and web UI over the catalog database."""
    try:
        import uvicorn

        from orbitwatch.service.app import LOOPBACK_HOSTS, create_app
    except ImportError:
        raise MissingExtraError("the service (FastAPI, uvicorn)", "serve")
    hosts = list(LOOPBACK_HOSTS) + list(allowed_hosts)
    if host not in LOOPBACK_HOSTS:
        if not token:
            raise InputError(f"--host {host} exposes the service beyond this machine: give "
                             "--token (or ORBITWATCH_TOKEN) so that only clients with it "
                             "can start work")
        if host in ("0.0.0.0", "::"):
            if not allowed_hosts:
                raise InputError(f"--host {host} listens on every interface: name the host "
                                 "names clients use with --allowed-host")
        else:
            hosts.append(host)
        click.echo(f"orbitwatch: warning: listening on {host}, reachable from other "
                   "machines; starting work needs the token", err=True)
    with existing_catalog(db):  # a mistyped --db must not serve a new empty database
        pass
    location = db or default_db_location()
    app = create_app(location, workers=workers, token=token,
                     allowed_hosts=tuple(hosts), space_weather=space_weather,
                     dask_address=dask_address)
    shown = redact_url(location) if is_server_url(location) else location
    click.echo(f"orbitwatch: serving {shown} on http://{host}:{port}/", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning",
                timeout_keep_alive=KEEP_ALIVE_S)


cli.add_command(passes_cmd)
cli.add_command(access_cmd)
cli.add_command(gnss_cmd)
cli.add_command(footprint_cmd)
cli.add_command(risk_cmd)
cli.add_command(report_cmd)
cli.add_command(runs)
cli.add_command(environment)
cli.add_command(manoeuvres_cmd)
cli.add_command(proximity_cmd)
cli.add_command(lifetime_cmd)


def main() -> None:
    cli(prog_name="orbitwatch")


if __name__ == "__main__":
    main()

"""``orbitwatch passes``, ``access``, ``gnss`` and ``footprint``: access planning."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import click

from orbitwatch.access.passes import PassSettings, find_passes, pass_rows
from orbitwatch.access.plots import check_plot_path, ground_track_map, sky_plot
from orbitwatch.access.sites import HorizonMask, Site, parse_site, read_sites_geojson
from orbitwatch.app.selection import select_elements as select_satellites
from orbitwatch.cli.common import (
    DEFAULT_START_HELP,
    _parse_ids,
    db_option,
    format_option,
    handle_errors,
    open_catalog,
    start_time,
    warn_if_stale,
)
from orbitwatch.cli.output import render
from orbitwatch.database import DatabaseLocation
from orbitwatch.errors import InputError
from orbitwatch.formats.elements import ElementSet
from orbitwatch.propagation import EarthOrientation

at_option = click.option("--at", "start", default=None,
                         help="Window start and snapshot time, UTC ISO-8601 "
                              f"[default: {DEFAULT_START_HELP}].")
ids_option = click.option("--id", "ids", default=None,
                          help="Satellites by catalog number, comma-separated.")
name_option = click.option("--name", "name_pattern", default=None,
                           help="Satellites by name (regular expression, case-insensitive).")
eop_option = click.option("--eop", type=click.Path(path_type=Path, exists=True, dir_okay=False),
                          default=None, help="IERS finals file for UT1-UTC.")


def select_elements(db: DatabaseLocation | None, start, ids: str | None, name_pattern: str | None,
                    *, required: bool = True) -> list[ElementSet]:
    """The snapshot's element sets at ``start``, restricted to catalog numbers and/or a
    name pattern (app.selection)."""
    with open_catalog(db) as store:
        return select_satellites(store, start, _parse_ids(ids) if ids else None,
                                 name_pattern, required=required)


def read_sites(site_texts: tuple[str, ...], sites_file: Path | None, min_el: float,
               mask: str | None) -> list[Site]:
    horizon = HorizonMask.parse(mask) if mask else None
    sites = [parse_site(s, min_elevation_deg=min_el, mask=horizon) for s in site_texts]
    if sites_file:
        sites += read_sites_geojson(sites_file, min_elevation_deg=min_el)
    if not sites:
        raise InputError("give at least one --site LAT,LON[,ALT_M] or --sites FILE.geojson")
    return sites


@click.command("passes")
@db_option
@at_option
@click.option("--days", type=click.FloatRange(min=0, min_open=True, max=60), default=1.0,
              show_default=True, help="Window length in days.")
@ids_option
@name_option
@click.option("--site", "site_texts", multiple=True,
              help="NAME=LAT,LON[,ALT_M] or LAT,LON[,ALT_M] (deg, deg, m). Repeatable.")
@click.option("--sites", "sites_file", type=click.Path(path_type=Path, exists=True,
                                                       dir_okay=False),
              default=None, help="GeoJSON file of Point sites (e.g. a ground network).")
@click.option("--min-el", type=float, default=10.0, show_default=True,
              help="Minimum elevation (deg).")
@click.option("--mask", default=None,
              help="Horizon mask AZ:EL,AZ:EL,... (deg), linear in azimuth; used where it "
                   "is above --min-el.")
@click.option("--visible", "visible_only", is_flag=True,
              help="Only passes where the satellite is sunlit while the site is dark.")
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True,
              help="Rows to print (0: all).")
@click.option("--plot", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also draw a sky plot of the passes (.png or .svg).")
@eop_option
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes [default: the CPUs this process may use].")
@format_option
@handle_errors
def passes_cmd(db, start, days, ids, name_pattern, site_texts, sites_file, min_el, mask,
               visible_only, limit, plot, eop, workers, fmt) -> None:
    """Rise, culmination and set of satellites over ground sites (UTC; azimuth from
    north, clockwise; elevation above the WGS84 horizon, no refraction)."""
    if plot:
        check_plot_path(plot)
    at = start_time(db, start)
    sites = read_sites(site_texts, sites_file, min_el, mask)
    elements = select_elements(db, at, ids, name_pattern)
    warn_if_stale(elements, at)
    result = find_passes(elements, sites, at, timedelta(days=days),
                         eop=EarthOrientation.from_finals(eop) if eop else None,
                         settings=PassSettings(workers=workers))
    rows = pass_rows(result)
    if visible_only:
        rows = [r for r in rows if r["VISIBLE"]]
    rows.sort(key=lambda r: (r["RISE_UTC"], r["SITE"]))
    click.echo(render(rows if limit == 0 else rows[:limit], fmt, title="passes"), nl=False)
    click.echo(f"{len(rows)} pass(es) of {len(elements)} satellite(s) over {len(sites)} "
               f"site(s), {days:g} day(s) from {at:%Y-%m-%dT%H:%M:%SZ}"
               + (f"; {len(result.failed)} satellite(s) failed to propagate"
                  if result.failed else ""), err=True)
    if plot:
        sky_plot(result, plot, visible_only=visible_only)
        click.echo(f"wrote {plot}", err=True)


def write_geojson(doc: dict, out: Path | None) -> None:
    text = json.dumps(doc, separators=(",", ":"))
    if out:
        out.write_text(text)
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text)


@click.command("access")
@db_option
@at_option
@click.option("--days", type=click.FloatRange(min=0, min_open=True, max=31), default=7.0,
              show_default=True, help="Window length in days.")
@ids_option
@name_option
@click.option("--country", default=None, help="Target country: name or ISO 3166-1 code.")
@click.option("--region", "region_file", type=click.Path(path_type=Path, exists=True,
                                                         dir_okay=False),
              default=None, help="Target region: GeoJSON Polygon/MultiPolygon file.")
@click.option("--off-nadir", type=float, default=None,
              help="Sensor's maximum off-nadir angle (deg).")
@click.option("--swath", type=float, default=None, help="Sensor's swath width (km).")
@click.option("--sun-min", type=float, default=None,
              help="Only when the Sun is at least this high at the ground point (deg).")
@click.option("--step", type=click.FloatRange(min=1.0), default=10.0, show_default=True,
              help="Time step (s); entry and exit times are good to one step.")
@click.option("--spacing", type=click.FloatRange(min=0.1), default=None,
              help="Grid spacing over the region (km) [default: about 2000 points].")
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True)
@eop_option
@format_option
@handle_errors
def access_cmd(db, start, days, ids, name_pattern, country, region_file, off_nadir, swath,
               sun_min, step, spacing, limit, eop, fmt) -> None:
    """Imaging windows of satellites over a country or region: entry and exit (UTC),
    the fraction of the region in view, the best off-nadir angle, and revisit gaps."""
    from orbitwatch.access.imaging import Sensor, imaging_windows
    from orbitwatch.access.regions import country as country_region
    from orbitwatch.access.regions import read_region_geojson

    if (country is None) == (region_file is None):
        raise InputError("give one target: --country NAME_OR_ISO or --region FILE.geojson")
    if (off_nadir is None) == (swath is None):
        raise InputError("give one sensor: --off-nadir DEG or --swath KM")
    region = country_region(country) if country else read_region_geojson(region_file)
    sensor = Sensor(off_nadir, swath, sun_min)
    at = start_time(db, start)
    elements = select_elements(db, at, ids, name_pattern)
    warn_if_stale(elements, at)
    result = imaging_windows(elements, region, sensor, at, timedelta(days=days), step_s=step,
                             spacing_km=spacing,
                             eop=EarthOrientation.from_finals(eop) if eop else None)
    rows = result.windows
    click.echo(render(rows if limit == 0 else rows[:limit], fmt,
                      title=f"imaging windows over {region.name}", notes=[
                          "COVERED_FRACTION: the share (0-1) of the region's grid points "
                          f"(every {result.spacing_km:.2f} km) the sensor sees at some "
                          "time in the window; BEST_OFF_NADIR_DEG the smallest off-nadir "
                          "angle to any of them; ALTITUDE_KM the satellite's height."]),
               nl=False)
    stats = {"REGION": region.name, "AREA_KM2": round(region.area_km2()),
             "GRID_POINTS": result.n_points, "GRID_SPACING_KM": round(result.spacing_km, 2),
             **result.revisit}
    if fmt == "json":
        click.echo(render([stats], fmt), nl=False, err=True)
    else:
        click.echo(render([stats], "table", title="revisit"), nl=False, err=True)


@click.command("gnss")
@db_option
@at_option
@click.option("--hours", type=click.FloatRange(min=0, max=24 * 14), default=24.0,
              show_default=True, help="Window length in hours.")
@click.option("--site", "site_text", required=True, help="NAME=LAT,LON[,ALT_M] or LAT,LON.")
@click.option("--systems", default="GPS,GLONASS,GALILEO,BEIDOU,NAVIC", show_default=True,
              help="Constellations, comma-separated.")
@click.option("--min-el", type=float, default=10.0, show_default=True,
              help="Elevation mask (deg).")
@click.option("--mask", default=None, help="Horizon mask AZ:EL,... (deg).")
@click.option("--step", type=click.FloatRange(min=1.0), default=300.0, show_default=True,
              help="Seconds between times.")
@click.option("--with-retired", is_flag=True,
              help="Also count satellites in disposal orbits (by default only those in their "
                   "system's working orbits: retired GPS satellites are 500+ km higher).")
@click.option("--satellites", is_flag=True,
              help="List every visible satellite (azimuth, elevation) instead of counts and "
                   "DOP.")
@eop_option
@format_option
@handle_errors
def gnss_cmd(db, start, hours, site_text, systems, min_el, mask, step, with_retired,
             satellites, eop, fmt) -> None:
    """GNSS satellites in view from a site and the DOP series (GDOP, PDOP, HDOP, VDOP,
    TDOP; one receiver clock per constellation)."""
    from orbitwatch.access.gnss import gnss_visibility, select_gnss

    at = start_time(db, start)
    site = read_sites((site_text,), None, min_el, mask)[0]
    elements = select_gnss(select_elements(db, at, None, None), systems.split(","),
                           retired=with_retired)
    warn_if_stale(elements, at)
    series = gnss_visibility(elements, site, at, timedelta(hours=hours), step,
                             eop=EarthOrientation.from_finals(eop) if eop else None)
    rows = series.satellite_rows() if satellites else series.rows()
    click.echo(render(rows, fmt, title=f"GNSS from {site.name}", notes=[
        "GDOP, PDOP, HDOP, VDOP, TDOP: dilution of precision (dimensionless: the position "
        "or time error per metre of range error), one receiver clock per constellation."]),
        nl=False)


@click.command("footprint")
@db_option
@at_option
@ids_option
@name_option
@click.option("--min-el", type=float, default=0.0, show_default=True,
              help="Minimum elevation at the edge of the footprint (deg).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="GeoJSON file [default: standard output].")
@click.option("--map", "map_path", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Also draw ground tracks and footprints (.png or .svg).")
@click.option("--hours", type=click.FloatRange(min=0, max=48), default=1.5,
              show_default=True, help="Length of the ground tracks on the map.")
@handle_errors
def footprint_cmd(db, start, ids, name_pattern, min_el, out, map_path, hours) -> None:
    """Coverage footprint of satellites at a time, as a GeoJSON FeatureCollection."""
    from orbitwatch.access.footprint import satellite_footprint

    if not ids and not name_pattern:
        raise InputError("choose satellites with --id or --name")
    if map_path:
        check_plot_path(map_path)
    at = start_time(db, start)
    elements = select_elements(db, at, ids, name_pattern)
    warn_if_stale(elements, at)
    if len(elements) > 500:
        raise InputError(f"{len(elements)} satellites selected; footprints are for up to 500")
    features = [satellite_footprint(e, at, min_el) for e in elements]
    write_geojson({"type": "FeatureCollection", "features": features}, out)
    if map_path:
        ground_track_map(elements, at, timedelta(hours=hours), map_path,
                         min_elevation_deg=min_el)
        click.echo(f"wrote {map_path}", err=True)

"""``orbitwatch environment`` (census, density, evolution, compliance, scorecard, the
space-weather file) and ``orbitwatch lifetime`` (re-entry predictions)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from orbitwatch.app.environment import (
    SPACE_WEATHER_FILE,
    census_at,
    environment_at,
    evolution_rows,
    newest_catalog_time,
    object_rows,
    scorecard_rows,
    space_weather_path,
)
from orbitwatch.app.inputs import parse_owners, parse_time
from orbitwatch.app.selection import ObjectSelection
from orbitwatch.catalog.sources import CelesTrakClient
from orbitwatch.cli.common import (
    db_option,
    emit,
    handle_errors,
    limit_option,
    open_catalog,
    out_option,
    owner_option,
    page_format_option,
    selection_options,
)
from orbitwatch.cli.output import OUTPUT_FORMATS, render
from orbitwatch.core.time import datetime_to_us, iso_ms
from orbitwatch.environment.census import GROUPINGS, geo_belt, shell_density
from orbitwatch.environment.classes import OBJECT_CLASSES
from orbitwatch.environment.space_weather import read_space_weather
from orbitwatch.errors import MissingExtraError

at_option = click.option("--at", default=None,
                         help="Catalog time, UTC ISO-8601 [default: the newest element set].")
fmt_option = click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS),
                          default="table", show_default=True)
weather_option = click.option(
    "--space-weather", "weather", type=click.Path(dir_okay=False, path_type=Path),
    default=None, help="CelesTrak space-weather file (SW-All.txt) [default: the copy "
    "fetched with `orbitwatch environment fetch-space-weather`].")

CLASS_NOTE = ("Object classes: " + ", ".join(f"{k} {v}" for k, v in OBJECT_CLASSES.items())
              + ". Orbit classes: ESA's (docs/environment.md).")


def _shown(t: datetime) -> str:
    """A catalog time as the tables print every time: ISO-8601 UTC, milliseconds, Z."""
    return iso_ms(datetime_to_us(t))


def _at(store, value: str | None):
    return parse_time(value, "--at") if value else newest_catalog_time(store)


@click.group("environment")
def environment() -> None:
    """The space environment: census, density, evolution, disposal compliance."""


@environment.command("census")
@db_option
@at_option
@click.option("--by", type=click.Choice(GROUPINGS), default="orbit-class", show_default=True)
@fmt_option
@handle_errors
def census_cmd(db, at, by, fmt) -> None:
    """Objects in orbit by orbit class, object class, owner or launch year, each split
    by object class (PL, PD, RB, RD, UI)."""
    with open_catalog(db) as store:
        census = census_at(store, _at(store, at))
    rows = census.counts(by)
    click.echo(render(rows, fmt, title=f"Census at {_shown(census.at)}: {len(census)} objects",
                      notes=[CLASS_NOTE]), nl=False)


@environment.command("density")
@db_option
@at_option
@click.option("--low", "low_km", type=float, default=200.0, show_default=True,
              help="Lowest altitude (km).")
@click.option("--high", "high_km", type=float, default=2000.0, show_default=True,
              help="Highest altitude (km).")
@click.option("--step", "step_km", type=float, default=10.0, show_default=True,
              help="Shell thickness (km).")
@click.option("--geo", is_flag=True, help="The geostationary belt by longitude instead.")
@click.option("--step-deg", type=float, default=5.0, show_default=True,
              help="With --geo: longitude bin (deg).")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also draw it (PNG; needs the [plots] extra).")
@fmt_option
@handle_errors
def density_cmd(db, at, low_km, high_km, step_km, geo, step_deg, plot, fmt) -> None:
    """Spatial density (objects per km^3) by altitude shell, time-averaged over each
    orbit, by object class; or the GEO belt by longitude."""
    with open_catalog(db) as store:
        census = census_at(store, _at(store, at))
    if geo:
        rows = geo_belt(census, step_deg)
        title, notes = f"The GEO belt by longitude, catalog at {_shown(census.at)}", [CLASS_NOTE]
    else:
        rows = shell_density(census, low_km=low_km, high_km=high_km, step_km=step_km)
        title, notes = f"Spatial density by altitude, catalog at {_shown(census.at)}", [
            "OBJECTS: the mean number of objects in the shell at any moment (each object "
            "counted for the share of its orbit it spends there, so a fraction); "
            "DENSITY_PER_KM3 that number over the shell's volume; the class columns split "
            "it by object class.", CLASS_NOTE]
    click.echo(render(rows, fmt, title=title, notes=notes), nl=False)
    if plot:
        _plot_density(rows, plot, census.at.date().isoformat(), geo)
        click.echo(f"wrote {plot}", err=True)


def _plot_density(rows: list[dict], path: Path, day: str, geo: bool) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 4.5))
    if geo:
        x = [r["LON_LOW_DEG"] for r in rows]
        bottom = [0] * len(rows)
        for cls in OBJECT_CLASSES:
            values = [r[cls] for r in rows]
            ax.bar(x, values, width=rows[0]["LON_HIGH_DEG"] - rows[0]["LON_LOW_DEG"],
                   bottom=bottom, align="edge", label=cls)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.set_xlabel("longitude (deg)")
        ax.set_ylabel("objects in the GEO belt")
    else:
        x = [r["ALT_LOW_KM"] for r in rows]
        ax.stackplot(x, *[[r[f"{c}_PER_KM3"] for r in rows] for c in OBJECT_CLASSES],
                     labels=list(OBJECT_CLASSES))
        ax.set_xlabel("altitude (km)")
        ax.set_ylabel("spatial density (objects per km^3)")
    ax.set_title(f"orbitwatch: {'GEO belt' if geo else 'spatial density'}, catalog of {day}")
    ax.legend(loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


@environment.command("evolution")
@db_option
@click.option("--by", type=click.Choice(["orbit-class", "object-class"]),
              default="orbit-class", show_default=True)
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also draw the counts over time (PNG; needs the [plots] extra).")
@fmt_option
@handle_errors
def evolution_cmd(db, by, plot, fmt) -> None:
    """The census at every date the store holds a catalog for, as a time series."""
    with open_catalog(db) as store:
        rows = evolution_rows(store, by)
    click.echo(render(rows, fmt, title="Objects in orbit by date"), nl=False)
    if plot:
        plt = _pyplot()
        fig, ax = plt.subplots(figsize=(9, 4.5))
        days = [r["DATE_UTC"][:10] for r in rows]
        for key in [k for k in rows[0] if k not in ("DATE_UTC", "TOTAL")]:
            if any(r[key] for r in rows):
                ax.plot(days, [r[key] for r in rows], marker="o", label=key)
        ax.set_ylabel("objects in orbit")
        ax.set_title(f"orbitwatch: objects in orbit by {by.replace('-', ' ')}")
        ax.tick_params(axis="x", rotation=45)
        ax.legend(fontsize=8, ncol=2)
        fig.tight_layout()
        fig.savefig(plot, dpi=110)
        plt.close(fig)
        click.echo(f"wrote {plot}", err=True)


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise MissingExtraError("plots (matplotlib)", "plots") from exc
    return plt


@click.command("lifetime")
@db_option
@at_option
@selection_options
@weather_option
@limit_option
@fmt_option
@handle_errors
def lifetime_cmd(db, at, ids, name, owner, weather, limit, fmt) -> None:
    """Predicted re-entry of every object (or a selection): the decay of its mean orbit
    under drag through NRLMSISE-00 and the space weather, soonest first."""
    with open_catalog(db) as store:
        env = environment_at(store, _at(store, at), space_weather_path(store, weather))
    rows = env.lifetimes.rows(object_rows(env, ObjectSelection.parse(ids, owner, name,
                                                                     "--id")))
    click.echo(render(rows if limit == 0 else rows[:limit], fmt,
                      title=f"Re-entry predictions, catalog at {_shown(env.census.at)}",
                      notes=[f"Model: {env.lifetimes.assumption}. DECAY_UTC date of re-entry; "
                             "LIFETIME_YEARS from the catalog time; BC_M2_KG ballistic "
                             "coefficient C_D A / m and BC_SOURCE where it came from."]),
               nl=False)


@environment.command("compliance")
@db_option
@at_option
@owner_option
@click.option("--scorecard", is_flag=True, help="One row per owner nation instead.")
@weather_option
@limit_option
@page_format_option
@out_option
@handle_errors
def compliance_cmd(db, at, owner, scorecard, weather, limit, fmt, out) -> None:
    """Disposal compliance per object (25-year and 5-year rules, stated per row), or a
    scorecard per owner nation (--scorecard)."""
    with open_catalog(db) as store:
        env = environment_at(store, _at(store, at), space_weather_path(store, weather))
        if scorecard:
            rows, run_id = scorecard_rows(store, env)
        else:
            rows, run_id = env.compliance, None
    owners = parse_owners(owner)
    if owners:
        rows = [r for r in rows if r["OWNER"] in owners]
    if not scorecard:
        rows = sorted(rows, key=lambda r: (r["VERDICT"] != "NON_COMPLIANT",
                                           r["VERDICT"] == "NOT_APPLICABLE", r["NORAD_CAT_ID"]))
    rows = rows if limit == 0 else rows[:limit]
    title = (f"{'Scorecard by owner nation' if scorecard else 'Disposal compliance'}, catalog "
             f"at {_shown(env.census.at)}")
    notes = [f"Re-entry model: {env.lifetimes.assumption}.",
             "Rules: FCC-5Y (owner US, launched after 2024-09-29), ESA-5Y (owner ESA), "
             "IADC-25Y otherwise; end of mission: launch date for rocket bodies, the "
             "catalog time for payloads (the catalog gives no end of mission).", CLASS_NOTE]
    if scorecard:
        notes.append("DEBRIS_ATTRIBUTED: fragments of the owner's launches (the owner of "
                     "the launch's piece A); DISPOSAL_JUDGED: its payloads and rocket bodies "
                     "in LEO under a rule; COMPLIANT: those predicted down by their deadline; "
                     "COMPLIANT_SHARE: COMPLIANT / DISPOSAL_JUDGED (0 to 1); "
                     "IN_CROWDED_SHELLS: its objects crossing the five densest 10-km shells.")
        notes.append(f"CONJUNCTIONS: events of screening run {run_id} involving the owner's "
                     "objects." if run_id else "No screening run with stored risk: no "
                     "conjunction columns.")
    emit(rows, fmt, out, title, notes)


@environment.command("fetch-space-weather")
@db_option
@handle_errors
def fetch_space_weather(db) -> None:
    """Fetch CelesTrak's space-weather file (observed and predicted F10.7 and Ap) next to
    the catalog, where `lifetime` and `compliance` find it (cached for two hours)."""
    with open_catalog(db) as store:
        cache = store.cache_dir
    got = CelesTrakClient(cache).space_weather()
    path = cache / SPACE_WEATHER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(got.text)
    weather = read_space_weather(path)
    click.echo(f"{got.url}: {'cached copy' if got.from_cache else 'downloaded'}; observed to "
               f"{weather.last_observed}, predicted to {weather.last}; saved as {path}")

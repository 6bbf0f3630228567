"""``orbitwatch manoeuvres`` and ``orbitwatch proximity``: behaviour in orbit from the
stored element-set history."""

from __future__ import annotations

import click

from orbitwatch.app.behaviour import manoeuvre_rows, proximity_rows
from orbitwatch.app.inputs import parse_time
from orbitwatch.app.selection import ObjectSelection
from orbitwatch.cli.common import (
    db_option,
    format_option,
    handle_errors,
    limit_option,
    open_catalog,
    selection_options,
)
from orbitwatch.cli.output import render


@click.command("manoeuvres")
@db_option
@click.option("--from", "start", default=None, help="First epoch, UTC ISO-8601.")
@click.option("--to", "end", default=None, help="Last epoch, UTC ISO-8601.")
@selection_options
@limit_option
@format_option
@handle_errors
def manoeuvres_cmd(db, start, end, ids, name, owner, limit, fmt) -> None:
    """Manoeuvres found in the element-set history: the element sets that bracket each,
    its velocity change (RTN, m/s), kind and confidence; dockings too."""
    with open_catalog(db) as store:
        rows, summary = manoeuvre_rows(
            store, ObjectSelection.parse(ids, owner, name, "--id"),
            start=parse_time(start, "--from") if start else None,
            end=parse_time(end, "--to") if end else None)
    note = (f"{summary['objects']} objects, {summary['element_set_pairs']} element-set "
            f"pairs, {summary['satellite_years']} satellite-years watched: "
            f"{summary['detections_per_satellite_year']} detections per satellite-year (all "
            "objects). DV from the change of the mean orbit between the two element sets "
            "(impulsive, near-circular), DV_SIGMA_M_S its 1-sigma from the object's "
            "element-set noise; DA_M the semi-major axis change beyond the predicted decay.")
    click.echo(render(rows if limit == 0 else rows[:limit], fmt,
                      title="Manoeuvres in the element-set history", notes=[note]), nl=False)


@click.command("proximity")
@db_option
@click.option("--at", "start", default=None,
              help="First day, UTC ISO-8601 [default: the last --days of the history].")
@click.option("--days", type=click.IntRange(1, 60), default=7, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=None)
@selection_options
@limit_option
@format_option
@handle_errors
def proximity_cmd(db, start, days, workers, ids, name, owner, limit, fmt) -> None:
    """Pairs that stay close or approach slowly over the history: ATTACHED, APPROACH,
    DEPARTURE, CO-LOCATED, FORMATION, or STALE when an old element set explains it."""
    with open_catalog(db) as store:
        rows = proximity_rows(store, ObjectSelection.parse(ids, owner, name, "--id"),
                              start=parse_time(start, "--at") if start else None, days=days,
                              workers=workers)
    click.echo(render(rows if limit == 0 else rows[:limit], fmt,
                      title="Proximity operations"), nl=False)

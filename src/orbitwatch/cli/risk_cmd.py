"""``orbitwatch risk``: recompute the Pc of CDMs with each method."""

from __future__ import annotations

from pathlib import Path

import click

from orbitwatch.cli.common import EXIT_BAD_INPUT, format_option, handle_errors
from orbitwatch.cli.output import render
from orbitwatch.risk.cdm_report import cdm_files_risk


@click.command("risk")
@click.argument("cdm_files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--hbr", "hbr_m", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Combined hard-body radius in m [default: the one the CDM carries].")
@format_option
@handle_errors
def risk_cmd(cdm_files: tuple[Path, ...], hbr_m: float | None, fmt: str) -> None:
    """Collision probability of each CDM (KVN or XML) by each method, next to the Pc
    the message reports. Pc is Foster's 2D (FOSTER-1992) on the CDM's covariance, over the
    disk of the hard-body radius (CARA's convention) and over the square around it (CSpOC's
    convention), the maximum over that covariance's size (ALFANO-2005), and Hall's 3D Nc
    (HALL-3D-NC), which also holds for slow and long encounters."""
    result = cdm_files_risk(list(cdm_files), hbr_m)
    click.echo(render(result.rows, fmt, title="Collision probability"), nl=False)
    for message in result.errors:
        click.echo(f"orbitwatch: rejected: {message}", err=True)
    if result.errors:
        click.echo(f"orbitwatch: {len(result.errors)} of {len(cdm_files)} file(s) rejected",
                   err=True)
        raise SystemExit(EXIT_BAD_INPUT)

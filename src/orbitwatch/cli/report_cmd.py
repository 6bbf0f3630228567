"""``orbitwatch report``: conjunction tables with risk, coordination by nation, CDMs."""

from __future__ import annotations

from pathlib import Path

import click

from orbitwatch.cli.common import (
    db_option,
    emit,
    handle_errors,
    limit_option,
    open_catalog,
    out_option,
    page_format_option,
)
from orbitwatch.errors import InputError
from orbitwatch.formats.cdm import write_cdm_kvn, write_cdm_xml
from orbitwatch.reports.cdm_out import event_cdm
from orbitwatch.reports.coordination import coordination_rows
from orbitwatch.reports.object_history import object_risk_history
from orbitwatch.reports.run_risk import SORT_COLUMNS, EventFilter, open_run_risk
from orbitwatch.risk.covariance_model import MODEL_NAME
from orbitwatch.risk.hbr import load_cara_hbr
from orbitwatch.screening.results import SOCRATES_COLUMNS_NOTE
from orbitwatch.screening.runs import list_runs

COORDINATION_NOTES = [
    "One row per pair of owner nations: EVENTS and those in each PC_BAND (RED, YELLOW, "
    "GREEN); MAX_PC the largest PC of the pair's events and MAX_MAX_PROB the largest "
    "MAX_PROB (both below); MIN_RANGE_KM the closest approach; WORST the three events of "
    "largest PC.",
]
NOTES = [
    SOCRATES_COLUMNS_NOTE,
    "MAX_PROB: SOCRATES's column: the maximum Pc over the size of SOCRATES's fixed RTN "
    "shape 100:300:100 m (Alfano 2005), for comparison with SOCRATES; its shape is not "
    "PC's covariance, so it can be below PC. DILUTION: each object's in-track 1-sigma "
    "(km) at that maximum.",
    "PC_MAX: the maximum of PC over the size of PC's own assumed covariance (Alfano "
    "2005): an upper bound on PC for any covariance of that shape, never below PC.",
    f"PC: Foster 2D (FOSTER-1992) with ASSUMED covariances ({MODEL_NAME}); not a real "
    "covariance. PC_BAND: CARA's bands, red >= 1e-4, yellow >= 1e-7.",
    "HBR_M: combined hard-body radius in m, with its source.",
    "PC_2D_DOUBTFUL: the 2D method's short-encounter assumption is in doubt (relative "
    "speed under 100 m/s, or crossing +-5 sigma takes over 1/20 of an orbit); check such "
    "events with the Monte Carlo estimate (risk.montecarlo).",
]


@click.command("report")
@click.argument("run_id", type=int, required=False)
@db_option
@click.option("--sort", "sort_by", type=click.Choice(list(SORT_COLUMNS)), default="maxprob",
              show_default=True, help="maxprob and pc: largest first; the others smallest "
              "first.")
@limit_option
@page_format_option
@out_option
@click.option("--coordination", is_flag=True,
              help="Group by the pair of owner nations (SATCAT owner) instead.")
@click.option("--object", "object_id", type=int, default=None,
              help="Only the events of this catalog number.")
@click.option("--history", is_flag=True,
              help="With --object: its events in every stored run, grouped by conjunction, "
                   "with the Pc each run gave (Pc history).")
@click.option("--cdm-top", type=click.IntRange(min=1), default=None,
              help="Write CDMs for the first N rows (after --sort / --object).")
@click.option("--cdm-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Directory for the CDMs [default: ./cdm-run<ID>].")
@click.option("--cdm-format", type=click.Choice(["kvn", "xml"]), default="kvn",
              show_default=True)
@click.option("--hbr-table", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="CARA's HBR estimates (CSV) for the hard-body radii.")
@handle_errors
def report_cmd(run_id, db, sort_by, limit, fmt, out, coordination, object_id, history,
               cdm_top, cdm_dir, cdm_format, hbr_table) -> None:
    """Conjunctions of a stored screening run (default: the latest) with their risk, in
    SOCRATES's columns plus Pc, its covariance and hard-body radius; or grouped by owner
    nations (--coordination); or as CCSDS CDMs (--cdm-top); or one object's Pc history
    over every run (--object N --history)."""
    cara = load_cara_hbr(hbr_table) if hbr_table else None
    if history:
        if object_id is None:
            raise InputError("--history needs --object CATALOG_NUMBER")
        with open_catalog(db) as store:
            rows = object_risk_history(store, object_id, cara_hbr=cara)
        emit(rows if limit == 0 else rows[:limit], fmt, out,
              f"Risk history of object {object_id} over every stored run", NOTES)
        return
    with open_catalog(db) as store:
        if run_id is None:
            runs = list_runs(store, limit=1)
            if not runs:
                raise InputError("no screening run stored yet: run `orbitwatch screen` first")
            run_id = runs[0]["RUN_ID"]
        risk = open_run_risk(store, run_id, radii=cara,
                             progress=lambda text: click.echo(f"orbitwatch: {text}", err=True))
        where = EventFilter(object_id=object_id)
        if cdm_top:
            report = risk.report(sort_by, where)
            _write_cdms(report, run_id, cdm_top, cdm_dir, cdm_format)
            return
        if coordination:
            rows = coordination_rows(risk, where)
            title = f"Coordination by owner nations, screening run {run_id}"
        else:
            page = risk.page(sort=sort_by, where=where, limit=limit or None)
            rows = page.rows
            title = f"Conjunctions of screening run {run_id}"
        total = page.total if not coordination else len(rows)
        provenance, skipped = risk.provenance, risk.skipped
    window = (f"Window {provenance['window_start']} to {provenance['window_end']}, "
              f"volume {provenance['volume']}, {total} rows.")
    notes = [window, *(COORDINATION_NOTES if coordination else []), *NOTES]
    emit(rows if limit == 0 else rows[:limit], fmt, out, title, notes)
    if skipped:
        click.echo(f"orbitwatch: {skipped} event(s) left out: their element sets were "
                   "supplied to the run, not stored", err=True)


def _write_cdms(report, run_id: int, top: int, folder: Path | None, fmt: str) -> None:
    """CDMs of the first ``top`` rows of a report, one file each, in ``folder``."""
    folder = folder or Path(f"cdm-run{run_id}")
    folder.mkdir(parents=True, exist_ok=True)
    axes = report.provenance["volume_rtn_km"]["default_rtn_km"]
    volume_m = tuple(a * 1000.0 for a in axes)
    writer = write_cdm_xml if fmt == "xml" else write_cdm_kvn
    rows, states = report.rows[:top], report.states[:top]
    for k, (row, state) in enumerate(zip(rows, states, strict=True)):
        message_id = f"OW-RUN{run_id}-{k + 1:04d}-{row['NORAD_CAT_ID_1']}-{row['NORAD_CAT_ID_2']}"
        cdm = event_cdm(row, state, report.provenance, volume_m, message_id)
        (folder / f"{message_id}.{fmt}").write_text(writer(cdm))
    click.echo(f"wrote {len(rows)} CDM(s) to {folder}", err=True)

"""A stored run is read, not recomputed: both states at TCA and each object's facts as
screened are kept with the run, so reports stay the same after the catalog changes, and
runs stored before that are upgraded once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from orbitwatch.catalog import CatalogStore
from orbitwatch.cli.main import cli
from orbitwatch.core.time import us_to_split_jd
from orbitwatch.propagation.sgp4_batch import satrec_from_elements
from orbitwatch.reports.run_risk import conjunction_report
from orbitwatch.screening.runs import load_run
from tests.service_helpers import cli_ok, screened_db


def _run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def screened(tmp_path_factory) -> Path:
    return screened_db(tmp_path_factory.mktemp("stored"))


def _copy(db: Path, tmp_path: Path) -> Path:
    out = tmp_path / "copy.db"
    shutil.copy(db, out)
    return out


def test_states_at_tca_are_sgp4_on_the_screened_element_sets(screened: Path):
    one_metre = 1e-3  # km
    with CatalogStore(screened) as store:
        run = load_run(store, 1)
        sets = store.element_sets_by_id(run.objects.element_set_id)
    assert len(run.events) > 10
    for e in run.events[:50]:
        jd, fr = us_to_split_jd(int(e["tca_us"]))
        for side in "12":
            k = int(e[f"idx_{side}"])
            es = sets[int(run.objects.element_set_id[k])]
            _, r, v = satrec_from_elements(es).sgp4(jd, fr)
            assert np.allclose(e[f"r{side}_km"], r, atol=one_metre, rtol=0)
            assert np.allclose(e[f"v{side}_km_s"], v, atol=1e-6, rtol=0)
        miss = np.linalg.norm(e["r2_km"] - e["r1_km"]) * 1000.0
        assert miss == pytest.approx(float(e["miss_m"]), abs=1e-6)


def test_report_unchanged_when_the_catalog_changes_after_the_run(screened: Path,
                                                                   tmp_path: Path):
    db = _copy(screened, tmp_path)
    with CatalogStore(db) as store:
        before = conjunction_report(store, 1, sort="tca")
        # the SATCAT changes and the element sets are gone: a report must not care
        store.db.execute("UPDATE objects SET owner = 'XX', object_type = 'DEBRIS', "
                             "rcs_m2 = 99.0")
        store.db.execute("DELETE FROM element_sets")

        after = conjunction_report(store, 1, sort="tca")
    assert after.skipped == 0 and len(after.rows) == len(before.rows) > 10
    assert after.rows == before.rows
    assert {r["OWNER_1"] for r in after.rows} != {"XX"}


def test_runs_show_gives_owner_and_type(screened: Path):
    code, out, err = _run("runs", "show", "1", "--db", str(screened), "--format", "json",
                          "--limit", "0")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all(r["OWNER_1"] and r["OBJECT_TYPE_1"] and r["OWNER_2"]
                        and r["OBJECT_TYPE_2"] for r in rows)


def test_runs_stored_without_states_are_upgraded_once(screened: Path, tmp_path: Path):
    db = _copy(screened, tmp_path)
    with CatalogStore(db) as store:
        fresh = load_run(store, 1)
        # as a run stored by an earlier version: no object rows, no states, no flag
        store.db.execute("DELETE FROM run_objects")
        store.db.execute("UPDATE conjunctions SET idx_1 = NULL, idx_2 = NULL, "
                             + ", ".join(f"{v}{s}_{a}_{u} = NULL" for s in "12"
                                       for v, u in (("r", "km"), ("v", "km_s"))
                                       for a in "xyz"))
        store.db.execute("UPDATE formation_pairs SET idx_1 = NULL, idx_2 = NULL")
        store.db.execute("UPDATE meta SET value = '2' WHERE key = 'runs_schema_version'")

    with CatalogStore(db) as store:
        upgraded = load_run(store, 1)
        again = load_run(store, 1)
    assert len(upgraded.events) == len(fresh.events)
    one_cm = 1e-5  # km: the stored TCA is rounded to the microsecond (8 mm at 8 km/s)
    for name in ("r1_km", "r2_km"):
        assert np.allclose(upgraded.events[name], fresh.events[name], atol=one_cm, rtol=0)
    for name in ("v1_km_s", "v2_km_s"):
        assert np.allclose(upgraded.events[name], fresh.events[name], atol=1e-8, rtol=0)
    pairs = lambda run: [(run.objects.owner[int(e["idx_1"])],  # noqa: E731
                          run.objects.object_type[int(e["idx_2"])]) for e in run.events]
    assert pairs(upgraded) == pairs(fresh) == pairs(again)


def test_a_radius_table_stored_once_serves_every_report(screened: Path, tmp_path: Path):
    db = _copy(screened, tmp_path)
    with CatalogStore(db) as store:
        before = conjunction_report(store, 1, sort="tca").rows
    ids = sorted({r["NORAD_CAT_ID_1"] for r in before} | {r["NORAD_CAT_ID_2"] for r in before})
    table = tmp_path / "radii.csv"
    table.write_text("ObjectID,HBR,HBRSigma,HBRSource,Mass,MassSigma,MassSource\n"
                     + "".join(f"{k},7.5,0,test estimate,,0,\n" for k in ids))
    code, _, err = _run("catalog", "radii", str(table), "--db", str(db))
    assert code == 0 and f"stored {len(ids)} hard-body radii" in err
    code, out, err = _run("report", "--db", str(db), "--format", "json", "--limit", "0")
    assert code == 0, err
    rows = json.loads(out)
    assert all(r["HBR_M"] == 15.0 and "stored table radii.csv" in r["HBR_SOURCE"]
               for r in rows)
    assert _run("catalog", "radii", "--clear", "--db", str(db))[0] == 0
    with CatalogStore(db) as store:
        assert conjunction_report(store, 1, sort="tca").rows == before


def test_the_iss_is_not_a_two_metre_payload():
    from orbitwatch.risk.hbr import radius_of

    iss = radius_of(25544, "PAYLOAD", 400.0)
    assert iss.metres > 60.0 and "ISS" in iss.source
    assert radius_of(25544, "PAYLOAD", 400.0, {25544: iss.__class__(66.1, "table")}
                     ).metres == 66.1  # a table still wins


def test_a_docked_stack_is_one_row_and_its_events_stay_stored(tmp_path: Path):
    """A station and two vehicles docked to it (one element set, three numbers) crossing
    another object's orbit: the report shows each approach once, naming the stack; the
    run keeps all three events."""
    from dataclasses import replace
    from datetime import UTC, datetime

    from orbitwatch.catalog.synth import synthesize
    from orbitwatch.formats import write_omm

    base = synthesize(1, seed=11, epoch=datetime(2026, 1, 1, tzinfo=UTC))[0].elements
    station = replace(base, norad_cat_id=25544, eccentricity=0.0001, object_name="STATION")
    docked = [replace(station, norad_cat_id=n, object_name=f"VEHICLE {n}")
              for n in (60001, 60002)]
    other = replace(station, norad_cat_id=40000, inclination=station.inclination + 0.5,
                    object_name="CROSSER")
    src = tmp_path / "stack.json"
    src.write_text(write_omm([station, *docked, other], "json"))
    db = str(tmp_path / "c.db")
    cli_ok("catalog", "load", str(src), "--db", db)
    cli_ok("screen", "--db", db, "--at", "2026-01-01T00:00:00Z", "--days", "0.25",
           "--workers", "1", "--no-analyst")
    with CatalogStore(db) as store:
        run = load_run(store, 1)
        report = conjunction_report(store, 1, sort="tca")
    approaches = len({int(e["tca_us"]) // 1_000_000 for e in run.events})
    assert approaches >= 1 and len(run.events) == 3 * approaches
    assert len(report.rows) == approaches
    for row in report.rows:
        assert row["GROUPED_EVENTS"] == 3
        assert "STATION stack: 3 objects sharing one element set (25544, 60001, 60002)" in \
            row["STACK"]

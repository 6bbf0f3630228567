"""A run's risk is computed once, stored with it and read: each stored Pc is Foster's 2D
on the stored states and the assumed covariances, pages are the rows sorted and filtered
as a reader would by hand, and a new radius table or a read-only catalog is handled. On
a SQLite file and on a PostgreSQL server."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from orbitwatch.app.tables import csv_text
from orbitwatch.catalog import CatalogStore
from orbitwatch.propagation.frames import rtn_basis
from orbitwatch.reports.coordination import coordination_rows
from orbitwatch.reports.run_risk import EventFilter, open_run_risk
from orbitwatch.risk.maxpc import max_pc_over_scale, max_pc_over_scale_many
from orbitwatch.risk.pc2d import pc_foster
from tests.conftest import new_pg_database
from tests.service_helpers import screened_db


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def screened(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("risk")
    if request.param == "sqlite":
        yield screened_db(folder)
        return
    with new_pg_database() as url:
        yield screened_db(folder, db=url)


@pytest.fixture(scope="module")
def screened_file(tmp_path_factory) -> Path:
    return screened_db(tmp_path_factory.mktemp("risk-file"))


def _nan_last(x: float, largest_first: bool) -> tuple:
    return (math.isnan(x), -x if largest_first else x)


def test_the_risk_is_stored_by_the_screening_and_read_afterwards(screened: Path):
    with CatalogStore(screened) as store:
        risk = open_run_risk(store, 1)
        assert not risk.computed and risk.schema == store.db.main_schema
        assert risk.count() > 10


def test_each_stored_pc_is_foster_on_the_stored_states(screened: Path):
    with CatalogStore(screened) as store:
        risk = open_run_risk(store, 1)
        rows = risk.page(sort="tca").rows
        states = risk.states([r["EVENT"] for r in rows])
    checked = 0
    for row, st in zip(rows, states, strict=True):
        covs = []
        for side in "12":
            basis = rtn_basis(st[f"r{side}_km"] * 1000.0, st[f"v{side}_km_s"] * 1000.0)
            covs.append(basis.T @ np.diag(st[f"sigma{side}_m"] ** 2) @ basis)
        pc = pc_foster(st["r1_km"] * 1000.0, st["v1_km_s"] * 1000.0, covs[0],
                       st["r2_km"] * 1000.0, st["v2_km_s"] * 1000.0, covs[1], row["HBR_M"])
        if pc > 1e-300:
            assert row["PC"] == pytest.approx(pc, rel=1e-7)
            checked += 1
    assert checked > 10


@pytest.mark.parametrize(("sort", "column", "largest_first"), [
    ("maxprob", "MAX_PROB", True), ("pc", "PC", True), ("range", "TCA_RANGE", False),
    ("speed", "TCA_RELATIVE_SPEED", False), ("tca", "TCA", False)])
def test_pages_are_the_rows_sorted_and_filtered(screened: Path, sort, column, largest_first):
    with CatalogStore(screened) as store:
        risk = open_run_risk(store, 1)
        everything = risk.page(sort="tca").rows
        whole = risk.page(sort=sort)
        pages = [risk.page(sort=sort, limit=7, offset=k) for k in range(0, whole.total, 7)]
        some = everything[3]["NORAD_CAT_ID_1"]
        mine = risk.page(sort=sort, where=EventFilter(object_id=some))
        close = risk.page(sort=sort, where=EventFilter(max_range_km=2.0, min_pc=1e-12))
    assert [r["EVENT"] for r in everything] == list(range(1, len(everything) + 1))
    assert whole.total == len(everything) == sum(len(p.rows) for p in pages)
    assert [r for p in pages for r in p.rows] == whole.rows
    if column == "TCA":
        keys = [r["TCA"] for r in whole.rows]
        assert keys == sorted(keys)
    else:
        keys = [_nan_last(r[column], largest_first) for r in whole.rows]
        assert keys == sorted(keys)
    assert {r["EVENT"] for r in mine.rows} == {
        r["EVENT"] for r in everything if some in (r["NORAD_CAT_ID_1"], r["NORAD_CAT_ID_2"])}
    assert mine.total == len(mine.rows) >= 1
    assert {r["EVENT"] for r in close.rows} == {
        r["EVENT"] for r in everything if r["TCA_RANGE"] <= 2.0 and r["PC"] >= 1e-12}


def test_bands_partition_the_rows_and_coordination_counts_them(screened: Path):
    with CatalogStore(screened) as store:
        risk = open_run_risk(store, 1)
        rows = risk.page().rows
        by_band = {b: risk.page(where=EventFilter(band=b)).rows
                   for b in ("red", "yellow", "green")}
        groups = coordination_rows(risk)
    for b, part in by_band.items():
        assert all(r["PC_BAND"] == b for r in part)
    assert sum(len(p) for p in by_band.values()) == sum(r["PC_BAND"] != "none" for r in rows)
    assert sum(g["EVENTS"] for g in groups) == len(rows)
    for g in groups:
        mine = [r for r in rows if sorted((r["OWNER_1"] or "unknown",
                                           r["OWNER_2"] or "unknown")) == [g["OWNER_A"],
                                                                           g["OWNER_B"]]]
        assert g["EVENTS"] == len(mine)
        assert g["RED"] == sum(r["PC_BAND"] == "red" for r in mine)
        assert g["MIN_RANGE_KM"] == pytest.approx(min(r["TCA_RANGE"] for r in mine))


def test_a_new_radius_table_recomputes_and_a_read_only_catalog_computes_apart(
        screened_file: Path, tmp_path: Path):
    db = tmp_path / "c.db"
    shutil.copy(screened_file, db)
    with CatalogStore(db) as store:
        first = open_run_risk(store, 1).page(sort="tca").rows[0]
        store.store_radii({first["NORAD_CAT_ID_1"]: (25.0, "test table")}, "t.csv")
        risk = open_run_risk(store, 1)
        assert risk.computed
        assert risk.page(sort="tca").rows[0]["HBR_SOURCE"].startswith("test table")
        assert not open_run_risk(store, 1).computed
        store.db.execute("DROP TABLE run_risk_1")
        store.db.execute("DELETE FROM run_risk_runs")
    with CatalogStore(db, read_only=True) as store:
        risk = open_run_risk(store, 1)
        assert risk.computed and risk.schema == "temp"
        assert risk.page(sort="tca").rows[0]["HBR_M"] >= 25.0
    with CatalogStore(db) as store:  # nothing was written to the file
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master")}
    assert "run_risk_1" not in tables


def test_batched_maximum_pc_matches_the_scalar_search():
    rng = np.random.default_rng(7)
    n = 60
    miss = rng.normal(size=(n, 2)) * rng.uniform(1, 500, (n, 1))
    hbr = np.linalg.norm(miss, axis=1) * rng.uniform(0.05, 3.0, n)
    a = rng.normal(size=(n, 2, 2))
    shape = a @ a.transpose(0, 2, 1) * rng.uniform(1, 1e4, (n, 1, 1)) + np.eye(2) * 1e-3
    many, _ = max_pc_over_scale_many(miss, shape, hbr)
    for k in range(n):
        one = max_pc_over_scale(miss[k], shape[k], float(hbr[k])).pc
        assert many[k] == pytest.approx(one, rel=1e-6)


def test_an_export_in_pieces_is_the_whole_table(screened: Path):
    with CatalogStore(screened) as store:
        risk = open_run_risk(store, 1)
        whole = csv_text(risk.page(sort="maxprob").rows)
        pieces = list(risk.pieces(sort="maxprob", size=7))
    assert len(pieces) > 2
    assert "".join(csv_text(p, header=k == 0) for k, p in enumerate(pieces)) == whole

"""The catalog database, as a SQLite file and on a PostgreSQL server: history kept,
identical reloads add nothing, rejects kept, a load is one transaction (a killed loader
leaves the previous state), snapshots."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from orbitwatch.catalog import CatalogStore, load_path, load_text, take_snapshot
from orbitwatch.catalog.synth import synthesize
from orbitwatch.formats.satcat import write_satcat_csv
from orbitwatch.formats.tle import write_tle

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _elements(n: int, seed: int = 3):
    return [o.elements for o in synthesize(n, seed=seed, epoch=T0)]


def test_history_kept_and_identical_reload_adds_nothing(catalog_db) -> None:
    first = _elements(50)
    later = [replace(es, epoch=es.epoch + timedelta(hours=6), mean_anomaly=10.0) for es in first]
    with CatalogStore(catalog_db) as store:
        r1 = load_text(store, write_tle(first), source="a.tle")
        r2 = load_text(store, write_tle(first), source="a-again.tle")
        r3 = load_text(store, write_tle(later), source="b.tle")
        assert (r1.n_added, r2.n_added, r2.n_duplicate, r3.n_added) == (50, 0, 50, 50)
        assert store.counts()["element_sets"] == 100
        hist = store.history(first[0].norad_cat_id)
        assert [h.epoch for h in hist] == [first[0].epoch, later[0].epoch]
        assert hist[0] == first[0]


def test_bad_records_stored_as_rejects_good_ones_loaded(catalog_db) -> None:
    good = write_tle(_elements(3)).splitlines()
    bad_line2 = good[2][:30] + good[2][31:]  # a character lost: columns shift
    text = "\n".join([*good[:2], bad_line2, *good[3:]]) + "\n"
    with CatalogStore(catalog_db) as store:
        report = load_text(store, text, source="some.tle")
        assert (report.n_added, report.n_rejected) == (2, 1)
        (rej,) = store.rejects()
        assert rej.source == "some.tle" and rej.line_no == 3 and rej.raw.endswith(bad_line2)
        assert store.counts()["element_sets"] == 2


def test_snapshot_picks_latest_epoch_before_time_and_filters(catalog_db) -> None:
    base = _elements(5)
    old = base[0]
    newer = replace(old, epoch=old.epoch + timedelta(days=1), mean_anomaly=99.0)
    future = replace(old, epoch=old.epoch + timedelta(days=10), mean_anomaly=1.0)
    analyst = replace(base[1], norad_cat_id=81_234)
    decayed = base[2]
    with CatalogStore(catalog_db) as store:
        load_text(store, write_tle([*base, newer, future, analyst]), source="x.tle")
        satcat = [o.satcat for o in synthesize(5, seed=3, epoch=T0)]
        satcat[2] = replace(satcat[2], decay_date=(T0 - timedelta(days=3)).date())
        load_text(store, write_satcat_csv(satcat), source="satcat.csv")
        at = old.epoch + timedelta(days=2)
        snap = take_snapshot(store, at)
        ids = snap.norad_cat_id.tolist()
        assert old.norad_cat_id in ids and analyst.norad_cat_id not in ids
        assert decayed.norad_cat_id not in ids
        assert snap.element_sets[ids.index(old.norad_cat_id)].mean_anomaly == 99.0
        full = take_snapshot(store, at, include_analyst=True, include_decayed=True)
        assert {analyst.norad_cat_id, decayed.norad_cat_id} <= set(full.norad_cat_id.tolist())
        young = take_snapshot(store, at, max_age_days=1.5)
        assert all(age <= 1.5 for age in young.epoch_age_days)
        assert snap.snapshot_id == take_snapshot(store, at).snapshot_id
        assert len(snap.satrecs()) == len(snap)


def test_full_catalog_and_satcat_load(shared_data: Path, catalog_db) -> None:
    with CatalogStore(catalog_db) as store:
        report = load_path(store, shared_data / "catalogs" / "spacetrack_full_2022-01-25.3le")
        assert (report.n_added, report.n_rejected) == (23_939, 0)
        load_path(store, shared_data / "satcat" / "celestrak_satcat_2025-03-06.csv")
        snap = take_snapshot(store, datetime(2022, 1, 26, tzinfo=UTC))
        assert 20_000 < len(snap) < 23_939  # decayed and analyst objects left out
        assert "DEBRIS" in snap.object_type


def test_killed_loader_leaves_previous_state(tmp_path: Path, catalog_db) -> None:
    db = catalog_db
    with CatalogStore(db) as store:
        load_text(store, write_tle(_elements(100, seed=1)), source="before.tle")
        before = store.counts()
    big = tmp_path / "big.tle"
    big.write_text(write_tle([o.elements for o in synthesize(5_000, seed=2, epoch=T0)]))
    fifo = tmp_path / "pause"
    os.mkfifo(fifo)
    env = {**os.environ, "ORBITWATCH_PAUSE_BEFORE_COMMIT": str(fifo)}
    proc = subprocess.Popen([sys.executable, "-m", "orbitwatch", "catalog", "load", str(big),
                             "--db", str(db)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)
    # blocks until the loader has written every row into its open transaction
    with fifo.open() as fh:
        assert int(fh.readline()) == proc.pid
    with CatalogStore(db) as peek:  # another reader sees none of them yet
        assert peek.counts() == before
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with CatalogStore(db) as store:
        assert store.counts() == before
        assert store.counts()["loads"] == 1
        if store.db.dialect == "sqlite":
            assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_element_set_rows_by_window_and_object(catalog_db) -> None:
    first = _elements(5)
    later = [replace(es, epoch=es.epoch + timedelta(days=1), mean_anomaly=5.0) for es in first]
    with CatalogStore(catalog_db) as store:
        load_text(store, write_tle([*later, *first]), source="both.tle")
        rows = store.element_set_rows(("norad_cat_id", "epoch_us", "mean_anomaly"))
        assert [r[:2] for r in rows] == sorted((e.norad_cat_id, e.epoch_us)
                                               for e in [*first, *later])
        wanted = first[2].norad_cat_id
        one = store.element_set_rows(("epoch_us",), start_us=later[0].epoch_us - 1,
                                     norad_cat_ids=[wanted])
        assert one == [(later[2].epoch_us,)]
        assert store.element_set_rows(("epoch_us",), end_us=first[0].epoch_us - 10**12) == []
        with pytest.raises(ValueError, match="not element_sets columns"):
            store.element_set_rows(("epoch_us; DROP TABLE objects",))


def test_nul_bytes_are_rejected_or_unmatched_on_either_engine(catalog_db) -> None:
    # PostgreSQL's text cannot hold NUL at all; a NUL in a file or a query must not make
    # the load or the search fail there when it does not on SQLite
    good = write_tle(_elements(3)).splitlines()
    bad = good[4][:20] + "\x00" + good[4][21:]
    text = "\n".join([*good[:4], bad, *good[5:]]) + "\n"
    with CatalogStore(catalog_db) as store:
        report = load_text(store, text, source="nul.tle")
        assert (report.n_added, report.n_rejected) == (2, 1)
        (rej,) = store.rejects()
        assert "\x00" not in rej.raw and "\\x00" in rej.raw
        assert store.search_objects("SYN\x00TH") == (0, [])
        assert store.search_objects(None, owner="U\x00S") == (0, [])

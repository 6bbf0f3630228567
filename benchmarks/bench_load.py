"""Load benchmark: the full public catalog (23,939 objects, 3LE) into a new database.

Usage: python benchmarks/bench_load.py [PATH]  (default: $ORBITWATCH_DATA or ../shared/data,
catalogs/spacetrack_full_2022-01-25.3le). Prints wall time for parse + store, and a
whole-catalog SGP4 throughput figure (1 day at 60 s).
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from shared_data import shared_data_dir

from orbitwatch.catalog import CatalogStore, load_path, take_snapshot
from orbitwatch.propagation import split_jd, time_grid
from orbitwatch.propagation.sgp4_batch import iter_propagate


def main() -> None:
    data = shared_data_dir()
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        data / "catalogs" / "spacetrack_full_2022-01-25.3le")
    with tempfile.TemporaryDirectory() as tmp, CatalogStore(Path(tmp) / "bench.db") as store:
        t0 = time.perf_counter()
        report = load_path(store, path)
        load_s = time.perf_counter() - t0
        print(f"load: {report.summary()} in {load_s:.2f} s")
        t0 = time.perf_counter()
        report = load_path(store, path)
        print(f"identical reload: {report.n_added} added in {time.perf_counter() - t0:.2f} s")
        t0 = time.perf_counter()
        snap = take_snapshot(store, datetime(2022, 1, 26, tzinfo=UTC))
        sats = snap.satrecs()
        print(f"snapshot + Satrec init: {len(snap)} objects in "
              f"{time.perf_counter() - t0:.2f} s")
    jd, fr = split_jd(time_grid(datetime(2022, 1, 26, tzinfo=UTC), 60.0, 1440))
    t0 = time.perf_counter()
    for _ in iter_propagate(sats, jd, fr):
        pass
    elapsed = time.perf_counter() - t0
    states = len(sats) * len(jd)
    print(f"SGP4: {states:,} states in {elapsed:.2f} s = {states / elapsed / 1e6:.2f} M/s "
          "(one core, python-sgp4 SatrecArray)")


if __name__ == "__main__":
    main()

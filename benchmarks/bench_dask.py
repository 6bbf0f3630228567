"""Screening on a Dask cluster against the local process pool, side by side.

    python benchmarks/bench_dask.py [--days 1] [--workers 2]

Screens ``spacetrack_full_2022-01-25.3le`` (23,939 objects) all vs all, 5 km, over
``--days`` from its newest epoch: with one local process, with the local pool of
``--workers`` processes, and on a Dask LocalCluster of ``--workers`` single-threaded
worker processes; prints each wall time, the ratios and the engine's own split of the
time (the chunks: sampling, sweep, refinement; assembly in the parent; the rest).
Data from $ORBITWATCH_DATA.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from datetime import timedelta

from shared_data import shared_data_dir, warm_kernels

from orbitwatch.catalog import Snapshot
from orbitwatch.catalog.ingest import read_bytes
from orbitwatch.formats import read_elements
from orbitwatch.screening import EngineSettings, screen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"kernels compiled or read from numba's cache: {warm_kernels():.1f} s (not timed)")
    path = shared_data_dir() / "catalogs/spacetrack_full_2022-01-25.3le"
    elements = read_elements(read_bytes(path).decode(), source=str(path)).records
    newest = max(e.epoch for e in elements).replace(minute=0, second=0, microsecond=0)
    snap = Snapshot.from_elements(elements, newest)
    base = EngineSettings(workers=args.workers)

    def run(label: str, settings: EngineSettings) -> float:
        t = time.perf_counter()
        result = screen(snap, start=newest, duration=timedelta(days=args.days), volume=5.0,
                        settings=settings)
        wall = time.perf_counter() - t
        p = result.provenance
        print(f"{label:<36} {wall:7.1f} s  {len(result.events):,} events; chunks "
              f"{p['elapsed_s']:.1f} s, assembly {p['assembly_s']:.1f} s, the rest (snapshot "
              f"to arrays, object table) {wall - p['elapsed_s'] - p['assembly_s']:.1f} s")
        return wall

    from distributed import LocalCluster

    one = run("local, 1 process", replace(base, workers=1))
    pool = run(f"local pool, {args.workers} processes", base)
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address=None) as cluster:
        dask = run(f"Dask LocalCluster, {args.workers} workers",
                   replace(base, dask_address=cluster.scheduler_address))
    print(f"pool speed-up over 1 process: {one / pool:.2f}x (efficiency "
          f"{one / pool / args.workers:.0%}); Dask / pool: {dask / pool:.2f}")


if __name__ == "__main__":
    main()

"""All-vs-all screening benchmark: wall time and peak memory (parent + workers).

    python benchmarks/bench_screen.py [CATALOG] [--days 7] [--workers 2] [--synthetic N]

CATALOG defaults to $ORBITWATCH_DATA/catalogs/spacetrack_full_2022-01-25.3le; the window
starts at the newest epoch, rounded down to the hour. --synthetic N screens the built-in
synthetic catalog of N objects instead.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from datetime import UTC, datetime, timedelta

from shared_data import catalog_snapshot, shared_data_dir

from orbitwatch.screening import EngineSettings, screen


def main() -> None:
    data = shared_data_dir()
    ap = argparse.ArgumentParser()
    ap.add_argument("catalog", nargs="?",
                    default=str(data / "catalogs" / "spacetrack_full_2022-01-25.3le"))
    ap.add_argument("--days", type=float, default=7.0)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--synthetic", type=int, default=None)
    ap.add_argument("--volume", type=float, default=5.0)
    args = ap.parse_args()
    label, snap = catalog_snapshot(args.catalog, args.synthetic)
    n = len(snap)
    t0 = time.perf_counter()
    result = screen(snap, duration=timedelta(days=args.days), volume=args.volume,
                    settings=EngineSettings(workers=args.workers))
    wall = time.perf_counter() - t0
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e6
    pairs = len({(int(a), int(b)) for a, b in zip(result.events["norad_cat_id_1"],
                                                  result.events["norad_cat_id_2"], strict=True)})
    print(f"{label}: {n} objects, {args.days:g} days, {args.volume:g} km, "
          f"workers={args.workers or os.cpu_count()}")
    print(f"  wall {wall:.1f} s; events {len(result.events)}, unique pairs {pairs}, "
          f"formation pairs {len(result.formation)}, propagation failures "
          f"{len(result.failures)}")
    print(f"  peak RSS: parent {self_rss:.2f} GB, largest worker {child_rss:.2f} GB")
    print(f"  chunks {result.provenance['elapsed_s']:.1f} s, assembly "
          f"{result.provenance['assembly_s']:.1f} s; counts {result.counts}")
    print(f"  machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d}")


if __name__ == "__main__":
    main()

"""Pass prediction benchmark: every satellite of a catalog over one site.

    python benchmarks/bench_passes.py [CATALOG] [--days 7] [--workers 2] [--site LAT,LON]

CATALOG defaults to $ORBITWATCH_DATA/catalogs/celestrak_active_2026-07-12.csv (15,985
objects); the window starts at the newest epoch, rounded down to the hour.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shared_data import shared_data_dir

from orbitwatch.access.passes import PassSettings, find_passes
from orbitwatch.access.sites import parse_site
from orbitwatch.core.time import us_to_datetime
from orbitwatch.formats import read_elements


def main() -> None:
    data = shared_data_dir()
    ap = argparse.ArgumentParser()
    ap.add_argument("catalog", nargs="?",
                    default=str(data / "catalogs" / "celestrak_active_2026-07-12.csv"))
    ap.add_argument("--days", type=float, default=7.0)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--site", default="Djibouti=11.59,43.15,10")
    args = ap.parse_args()
    path = Path(args.catalog)
    elements = read_elements(path.read_text(), source=str(path)).records
    newest = max(e.epoch_us for e in elements)
    start = us_to_datetime(newest - newest % 3_600_000_000)
    site = parse_site(args.site)
    t0 = time.perf_counter()
    result = find_passes(elements, [site], start, timedelta(days=args.days),
                         settings=PassSettings(workers=args.workers))
    wall = time.perf_counter() - t0
    p = result.passes
    print(f"{path.name}: {len(elements)} objects over {site.name}, {args.days:g} days from "
          f"{start:%Y-%m-%dT%H:%MZ}, workers={args.workers or os.cpu_count()}")
    print(f"  wall {wall:.1f} s; passes {len(p)} ({int(p['visible'].sum())} visible), "
          f"satellites with a pass {len(set(p['idx'].tolist()))}, "
          f"propagation failures {len(result.failed)}")
    print(f"  peak RSS: parent {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:.2f} GB,"
          f" largest worker {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e6:.2f} GB")
    print(f"  machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d}")


if __name__ == "__main__":
    main()

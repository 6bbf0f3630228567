"""The screening engine's strong scaling: one catalog, one window, screened with 1, 2,
4, ... worker processes; wall time, the engine's own split (chunks vs the parent's
assembly) and parallel efficiency against the smallest worker count.

    python benchmarks/bench_scaling.py [--workers 1,2,4,8,16] [--days 7]
                                       [--synthetic N] [CATALOG]

CATALOG defaults to $ORBITWATCH_DATA/catalogs/spacetrack_full_2022-01-25.3le (23,939
objects); --synthetic N screens the built-in synthetic catalog of N objects. Every run
must find the same events (checked). Efficiency(w) = wall(w0) * w0 / (wall(w) * w),
w0 the first count given. Worker counts above the machine's cores are refused: the
figure would measure the operating system's time slicing, not the engine.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shared_data import catalog_snapshot, shared_data_dir

from orbitwatch.screening import EngineSettings, screen


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("catalog", nargs="?",
                    default=str(shared_data_dir() / "catalogs" /
                                "spacetrack_full_2022-01-25.3le"))
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--days", type=float, default=7.0)
    ap.add_argument("--synthetic", type=int, default=None)
    args = ap.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    cores = os.cpu_count() or 1
    if max(counts) > cores:
        raise SystemExit(f"--workers {max(counts)} exceeds this machine's {cores} cores")
    label, snap = catalog_snapshot(args.catalog, args.synthetic)
    print(f"{label}: {len(snap):,} objects x {args.days:g} days; {cpu_model()}, "
          f"{cores} cores; python {platform.python_version()}; {datetime.now(UTC):%Y-%m-%d}")
    print(f"{'workers':>7} {'wall s':>8} {'chunks s':>9} {'assembly s':>11} {'events':>9} "
          f"{'efficiency':>10}")
    first = None
    reference = None
    for w in counts:
        t0 = time.perf_counter()
        result = screen(snap, duration=timedelta(days=args.days), volume=5.0,
                        settings=EngineSettings(workers=w))
        wall = time.perf_counter() - t0
        events = sorted(zip(result.events["norad_cat_id_1"].tolist(),
                            result.events["norad_cat_id_2"].tolist(),
                            result.events["tca_us"].tolist(), strict=True))
        if reference is None:
            reference, first = events, (w, wall)
        elif [e[:2] for e in events] != [e[:2] for e in reference]:
            raise SystemExit(f"{w} workers found other events than {first[0]}")
        efficiency = first[1] * first[0] / (wall * w)
        print(f"{w:>7} {wall:>8.1f} {result.provenance['elapsed_s']:>9.1f} "
              f"{result.provenance['assembly_s']:>11.1f} {len(events):>9,} "
              f"{efficiency:>10.0%}")


if __name__ == "__main__":
    main()

"""The screening engine's strong scaling: one catalog, one window, screened with 1, 2,
4, ... worker processes; wall time, the engine's own split (chunks vs the parent's
assembly) and parallel efficiency against the smallest worker count.

    python benchmarks/bench_scaling.py [--workers 1,2,4,8,16] [--days 7]
                                       [--synthetic N] [CATALOG]
    python benchmarks/bench_scaling.py --model 2,16 [--chunks-per-worker 3] [--days 7] [...]

CATALOG defaults to $ORBITWATCH_DATA/catalogs/spacetrack_full_2022-01-25.3le (23,939
objects); --synthetic N screens the built-in synthetic catalog of N objects. Every run
must find the same events (checked). Efficiency(w) = wall(w0) * w0 / (wall(w) * w),
w0 the first count given. Worker counts above the machine's cores are refused: the
figure would measure the operating system's time slicing, not the engine.

``--model 2,16`` is for a machine with fewer cores than the counts of interest: it times
every chunk of the window in this process, once for each count's chunking
(``screening.engine.chunks_for``), and prints the wall time a pool of that many workers
would take if each chunk cost what it cost here: workers taking the next chunk as they
free up (the pool's order), plus the parent's assembly. It models load balance and the
serial part only; memory bandwidth shared by 16 cores, and the workers' start, are not in
it, so it is an upper bound on the efficiency, not a measurement.
"""

from __future__ import annotations

import argparse
import platform
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shared_data import catalog_snapshot, shared_data_dir, warm_kernels

from orbitwatch.core.processes import usable_cpus
from orbitwatch.screening import EngineSettings, screen
from orbitwatch.screening.engine import CHUNKS_PER_WORKER


def cpu_model() -> str:
    """The CPU's name and its physical cores: 16 logical CPUs may be 8 cores with two
    hardware threads each, where 16 workers cannot scale as 16 cores would."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    name, cores, physical = platform.machine(), set(), "0"
    for line in text.splitlines():
        key, _, value = (part.strip() for part in line.partition(":"))
        if key == "model name":
            name = value
        elif key == "physical id":
            physical = value
        elif key == "core id":
            cores.add((physical, value))
    return f"{name}, {len(cores) or '?'} physical cores"


def modelled(snap, days: float, counts: list[int], per_worker: int) -> None:
    """Chunk costs measured in this process; a pool of each count simulated on them,
    the window cut into at least ``per_worker`` chunks per worker."""
    from orbitwatch.screening import engine

    costs: list[float] = []
    original = engine._Context.screen_chunk

    def timed(self, start_s: float, end_s: float):
        t = time.perf_counter()
        out = original(self, start_s, end_s)
        costs.append(time.perf_counter() - t)
        return out

    engine._Context.screen_chunk = timed
    base = None
    print(f"{'workers':>7} {'chunks':>7} {'chunk s (min..max)':>20} {'assembly s':>11} "
          f"{'modelled wall s':>16} {'efficiency':>10}")
    try:
        for w in counts:
            costs.clear()
            bounds = engine.chunks_for(days * 86_400.0, EngineSettings(), w, per_worker)
            settings = EngineSettings(workers=1, chunk_s=bounds[0][1] - bounds[0][0])
            result = screen(snap, duration=timedelta(days=days), volume=5.0,
                            settings=settings)
            assembly = result.provenance["assembly_s"]
            wall = pool_wall(costs, w) + assembly
            base = base or (w, wall, list(costs), assembly)
            print(f"{w:>7} {len(costs):>7} {min(costs):>9.1f}..{max(costs):<9.1f} "
                  f"{assembly:>11.1f} {wall:>16.1f} {base[1] * base[0] / (wall * w):>10.0%}")
    finally:
        engine._Context.screen_chunk = original
    w = counts[-1]
    wall = pool_wall(base[2], w) + base[3]
    print(f"{w:>7} {len(base[2]):>7} {'(the chunks of ' + str(base[0]) + ')':>20} "
          f"{base[3]:>11.1f} {wall:>16.1f} {base[1] * base[0] / (wall * w):>10.0%}")


def pool_wall(costs: list[float], workers: int) -> float:
    """The time ``workers`` take for chunks of these costs, each taking the next chunk
    in order as it frees up (a process pool's map)."""
    import heapq

    free = [0.0] * workers
    for cost in costs:
        heapq.heappush(free, heapq.heappop(free) + cost)
    return max(free)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("catalog", nargs="?",
                    default=str(shared_data_dir() / "catalogs" /
                                "spacetrack_full_2022-01-25.3le"))
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--days", type=float, default=7.0)
    ap.add_argument("--synthetic", type=int, default=None)
    ap.add_argument("--model", default=None, help="worker counts to model (see above)")
    ap.add_argument("--chunks-per-worker", type=int, default=None,
                    help="with --model: chunks per worker at least [default: the engine's]")
    args = ap.parse_args()
    print(f"kernels compiled or read from numba's cache: {warm_kernels():.1f} s (not timed)")
    if args.model:
        label, snap = catalog_snapshot(args.catalog, args.synthetic)
        print(f"{label}: {len(snap):,} objects x {args.days:g} days, modelled; {cpu_model()}")
        modelled(snap, args.days, [int(w) for w in args.model.split(",")],
                 args.chunks_per_worker or CHUNKS_PER_WORKER)
        return
    counts = [int(w) for w in args.workers.split(",")]
    cores = usable_cpus()
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

"""The parent's serial part of a screening: joining the chunks' event rows.

    python benchmarks/bench_join.py [--events 10200000] [--days 7] [--chunk-hours 6]
                                    [--objects 100000] [--failures 0]

Builds chunk outputs as the workers hand them back (event rows in TCA order, each chunk
keeping TCAs up to 1 s beyond its bounds, so rows near a bound come twice), optionally
with objects that fail at random times (their later rows must be dropped: a worst case,
since a real chunk after a failure finds nothing for that object), and times
``screening.api._join_events`` on them, three times. Nothing is screened: it isolates the
work the parent does after the last chunk, while every worker waits.
"""

from __future__ import annotations

import argparse
import time
from types import SimpleNamespace

import numpy as np

from orbitwatch.screening import api
from orbitwatch.screening.engine import chunk_bounds
from orbitwatch.screening.results import EVENT_DTYPE


def chunk_outputs(n_events: int, days: float, chunk_h: float, objects: int,
                  rng: np.random.Generator) -> list[SimpleNamespace]:
    t = np.sort(rng.uniform(0.0, days * 86_400.0, n_events))
    ev = np.zeros(n_events, EVENT_DTYPE)
    ev["idx_1"] = rng.integers(0, objects - 1, n_events)
    ev["idx_2"] = ev["idx_1"] + 1 + rng.integers(0, objects - 1 - ev["idx_1"])
    ev["tca_us"] = np.round(t * 1e6).astype(np.int64)
    ev["miss_m"] = rng.uniform(0.0, 5000.0, n_events)
    outputs = []
    for a, b in chunk_bounds(days * 86_400.0, chunk_h * 3600.0, 60.0):
        lo, hi = np.searchsorted(t, [a - 1.0, b + 1.0])
        outputs.append(SimpleNamespace(start_s=a, end_s=b, events=ev[lo:hi].copy(),
                                       tca_s=t[lo:hi].copy()))
    return outputs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=10_200_000)
    ap.add_argument("--days", type=float, default=7.0)
    ap.add_argument("--chunk-hours", type=float, default=6.0)
    ap.add_argument("--objects", type=int, default=100_000)
    ap.add_argument("--failures", type=int, default=0)
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    outputs = chunk_outputs(args.events, args.days, args.chunk_hours, args.objects, rng)
    failed_at = np.full(args.objects, np.inf)
    failed_at[rng.choice(args.objects, args.failures, replace=False)] = rng.uniform(
        0.0, args.days * 86_400.0, args.failures)
    rows = sum(len(o.events) for o in outputs)
    print(f"{len(outputs)} chunks, {rows:,} rows ({rows - args.events:,} near a bound, "
          f"twice), {args.failures} failing objects")
    for _ in range(3):
        t0 = time.perf_counter()
        joined = api._join_events(outputs, failed_at)
        print(f"  join {time.perf_counter() - t0:.2f} s -> {len(joined):,} events")
        del joined


if __name__ == "__main__":
    main()

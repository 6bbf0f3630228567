"""The store on a PostgreSQL server beside a SQLite file: the 15-day history loaded, and
the latest-element-set snapshot of a table of 1,000,000 element sets.

    python benchmarks/bench_postgres.py [--server URL] [--rows 1000000] [--no-sqlite]

``--server``: a PostgreSQL URL whose role may create databases (default: the test
server, $ORBITWATCH_TEST_PG or postgresql://orbitwatch:orbitwatch@127.0.0.1:5432/postgres);
a new database is made and dropped. Steps, each timed:

1. ``orbitwatch catalog load`` of the history archive (749,317 element sets read,
   319,659 distinct), the whole command with its Python start;
2. synthetic element sets added (several epochs per object) until the table holds
   ``--rows``;
3. ``take_snapshot`` at the newest epoch, five times (the median is printed).

With SQLite (the default) the same steps run on a file in a temporary folder, side by
side. Data from $ORBITWATCH_DATA (default ../shared/data).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from shared_data import shared_data_dir

from orbitwatch.catalog import CatalogStore, take_snapshot
from orbitwatch.catalog.synth import synthesize
from orbitwatch.core.time import us_to_datetime

HISTORY = "history/celestrak_active_2025-09-13_to_2025-09-28_6hourly_snapshots.tar.xz"
SERVER = os.environ.get("ORBITWATCH_TEST_PG",
                        "postgresql://orbitwatch:orbitwatch@127.0.0.1:5432/postgres")


def run_steps(location: str, rows: int) -> dict[str, float]:
    out = {}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "orbitwatch", "catalog", "load", "--db", location,
                    str(shared_data_dir() / HISTORY)], check=True, stdout=subprocess.DEVNULL)
    out["history load (s)"] = time.perf_counter() - t
    with CatalogStore(location) as store:
        out["distinct sets after history"] = store.counts()["element_sets"]
        t = time.perf_counter()
        have = store.counts()["element_sets"]
        base = [o.elements for o in synthesize(50_000, seed=7,
                                               epoch=datetime(2025, 9, 20, tzinfo=UTC))]
        step = 0
        while have < rows:
            step += 1
            batch = [replace(e, norad_cat_id=e.norad_cat_id + 400_000,
                             epoch=e.epoch - timedelta(hours=6 * step),
                             element_set_no=step % 1000)
                     for e in base[:rows - have]]
            have += store.load_elements(batch, source=f"synthetic-{step}").n_added
        out["padding load (s)"] = time.perf_counter() - t
        out["element sets"] = store.counts()["element_sets"]
        at = us_to_datetime(store.newest_epoch_us())
        times = []
        for _ in range(5):
            t = time.perf_counter()
            snap = take_snapshot(store, at, include_analyst=True)
            times.append(time.perf_counter() - t)
        out["snapshot objects"] = len(snap)
        out["snapshot median (s)"] = statistics.median(times)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=SERVER)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    name = f"ow_bench_{uuid.uuid4().hex[:8]}"
    url = urlunsplit(urlsplit(args.server)._replace(path=f"/{name}"))
    with psycopg.connect(args.server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
        try:
            results = {"postgresql": run_steps(url, args.rows)}
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            results["sqlite"] = run_steps(str(Path(tmp) / "bench.db"), args.rows)
    for engine, figures in results.items():
        print(engine)
        for key, value in figures.items():
            print(f"  {key:30s} {value:,.3f}" if isinstance(value, float)
                  else f"  {key:30s} {value:,}")


if __name__ == "__main__":
    main()

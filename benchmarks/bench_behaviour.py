"""The 15-day element-set history through both behaviour detectors.

    python benchmarks/bench_behaviour.py [--db FILE]

Loads ``history/celestrak_active_2025-09-13_to_2025-09-28_6hourly_snapshots.tar.xz``
into a fresh database (or uses --db), then times the manoeuvre detector over every
object's whole history and the proximity search over every day of it, and prints what
they found: the ISS reboosts, the dockings, detections per satellite-year, the pairs by
class. Data from $ORBITWATCH_DATA (default ../shared/data).
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from shared_data import shared_data_dir

from orbitwatch.app.behaviour import manoeuvre_rows, proximity_rows
from orbitwatch.behaviour.scoring import Burn, score_detections
from orbitwatch.catalog import CatalogStore

HISTORY = "history/celestrak_active_2025-09-13_to_2025-09-28_6hourly_snapshots.tar.xz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "h.db"
        if not db.is_file():
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "orbitwatch", "catalog", "load", "--db",
                            str(db), str(shared_data_dir() / HISTORY)], check=True,
                           stdout=subprocess.DEVNULL)
            print(f"history loaded in {time.perf_counter() - t:.1f} s")
        with CatalogStore(db) as store:
            t0 = time.perf_counter()
            rows, summary = manoeuvre_rows(store)
            t1 = time.perf_counter()
            pairs = proximity_rows(store, start=datetime(2025, 9, 14, tzinfo=UTC), days=15)
            t2 = time.perf_counter()
    print(f"manoeuvres: {t1 - t0:.1f} s; {len(rows)} rows; {summary}")
    for r in rows:
        if r["NORAD_CAT_ID"] == 25544 or r["KIND"].startswith("DOCKED"):
            print(f"  {r['NORAD_CAT_ID']} {r['OBJECT_NAME']} {r['KIND']} {r['EPOCH_BEFORE']} "
                  f"-> {r['EPOCH_AFTER']} DA_M {r['DA_M']} DV_M_S {r['DV_M_S']}")
    burns = [Burn(25544, datetime(2025, 9, 25, 12, tzinfo=UTC)),
             Burn(25544, datetime(2025, 9, 26, 12, tzinfo=UTC))]
    score = score_detections(rows, burns, satellite_years=15 / 365.25)
    print(f"  ISS against its two public reboosts: recall {score.recall:.0%}, "
          f"{score.false_alarms} false alarm(s) over 15 days "
          f"({score.false_alarms_per_satellite_year:.1f} per satellite-year)")
    kinds = collections.Counter(r["KIND"] for r in rows if r["DV_M_S"] is not None)
    print(f"  kinds: {dict(kinds)}")
    print(f"proximity over 15 days: {t2 - t1:.1f} s; {len(pairs)} pairs: "
          f"{dict(collections.Counter(p['CLASS'] for p in pairs))}")
    print(f"both detectors: {t2 - t0:.1f} s")


if __name__ == "__main__":
    main()

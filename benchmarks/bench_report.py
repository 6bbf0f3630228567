"""Reports of a stored screening run: the risk computed once, then every page a read.

    python benchmarks/bench_report.py --db FILE|URL [--run N]

On a catalog database with a stored run (for the seven-day full-catalog figure:
``orbitwatch catalog load --db week.db $ORBITWATCH_DATA/catalogs/celestrak_active_2026-07-12.csv
$ORBITWATCH_DATA/satcat/celestrak_satcat_2025-03-06.csv`` then ``orbitwatch screen --db
week.db --at 2026-07-12T00:00:00Z --days 7``), on a copy of it: the time to compute and
store the run's risk again, then the time of each page a user or the web UI asks for
(every sort, an object's events, a band, a CSV of 5,000 rows, the coordination report,
one event with its CDM states), each in a fresh connection as the service opens one.
A PostgreSQL URL is used as it is (no copy): its run's stored risk is computed again
(`orbitwatch database copy --db week.db --to URL` makes such a database).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from orbitwatch.catalog import CatalogStore
from orbitwatch.database import is_server_url
from orbitwatch.reports.coordination import coordination_rows
from orbitwatch.reports.run_risk import SORT_COLUMNS, EventFilter, open_run_risk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--run", type=int, default=None, help="run id (default: newest)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db: str | Path = args.db
        if not is_server_url(args.db):
            db = Path(tmp) / "copy.db"
            shutil.copy(args.db, db)
        with CatalogStore(db) as store:
            run = args.run or store.db.execute(
                "SELECT MAX(run_id) FROM screening_runs").fetchone()[0]
            store.db.execute(f"DROP TABLE IF EXISTS run_risk_{int(run)}")
            if store.db.has_table("run_risk_runs"):
                store.db.execute("DELETE FROM run_risk_runs WHERE run_id = ?", (run,))
            t0 = time.perf_counter()
            risk = open_run_risk(store, run)
            n = risk.count()
            print(f"run {run}: risk of {n:,} rows computed and stored in "
                  f"{time.perf_counter() - t0:.1f} s")
            some = risk.page(sort="pc", limit=1).rows[0]["NORAD_CAT_ID_1"]

        def timed(label: str, call) -> None:
            t = time.perf_counter()
            with CatalogStore(db) as store:
                call(open_run_risk(store, run))
            print(f"  {label:<40} {1000 * (time.perf_counter() - t):8.1f} ms")

        for sort in SORT_COLUMNS:
            timed(f"first page of 100, sort {sort}", lambda r, s=sort: r.page(sort=s, limit=100))
            timed(f"page 1000 of 100, sort {sort}",
                  lambda r, s=sort: r.page(sort=s, limit=100, offset=99_900))
        timed(f"events of object {some}", lambda r: r.page(where=EventFilter(object_id=some)))
        timed("yellow band, sort pc, 100", lambda r: r.page(
            sort="pc", where=EventFilter(band="yellow"), limit=100))
        timed("5,000 rows (a CSV export page)", lambda r: r.page(sort="maxprob", limit=5000))
        timed("coordination by owner nations", coordination_rows)
        timed("one event with its states (CDM)", lambda r: r.event(1))


if __name__ == "__main__":
    main()

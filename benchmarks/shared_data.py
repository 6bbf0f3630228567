"""Where the benchmarks find the reference data: $ORBITWATCH_DATA, else ../shared/data."""

from __future__ import annotations

import os
from pathlib import Path


def shared_data_dir() -> Path:
    """The reference data folder (catalogs, CARA cases, ...), as the tests find it."""
    return Path(os.environ.get("ORBITWATCH_DATA", Path(__file__).parents[2] / "shared" / "data"))


def catalog_snapshot(catalog: str | Path, synthetic: int | None = None):
    """(label, Snapshot) of a catalog file, or of the built-in synthetic catalog of
    ``synthetic`` objects, at its newest epoch rounded down to the hour."""
    from datetime import UTC, datetime

    from orbitwatch.catalog.snapshot import Snapshot
    from orbitwatch.catalog.synth import synthesize
    from orbitwatch.core.time import us_to_datetime
    from orbitwatch.formats import read_elements

    if synthetic:
        epoch = datetime(2026, 1, 1, tzinfo=UTC)
        elements = [o.elements for o in synthesize(synthetic, seed=1, epoch=epoch)]
        label = f"synthetic {synthetic}"
    else:
        path = Path(catalog)
        elements = read_elements(path.read_text(), source=str(path)).records
        label = path.name
    newest = max(e.epoch_us for e in elements)
    return label, Snapshot.from_elements(elements, us_to_datetime(newest - newest % 3_600_000_000))


def warm_kernels() -> float:
    """Screen a small synthetic catalog in this process first, so that numba compiles the
    kernels and writes its cache before any timed run: on a fresh install (a lent
    machine) the first count's workers would otherwise each compile them, 15-20 s that
    would swell that run's wall time and every ratio measured against it."""
    import time
    from datetime import timedelta

    from orbitwatch.screening import EngineSettings, screen

    t0 = time.perf_counter()
    _, small = catalog_snapshot("", 300)
    screen(small, duration=timedelta(hours=2), volume=5.0, settings=EngineSettings(workers=1))
    return time.perf_counter() - t0

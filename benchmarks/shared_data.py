"""Where the benchmarks find the reference data: $ORBITWATCH_DATA, else ../shared/data."""

from __future__ import annotations

import os
from pathlib import Path


def shared_data_dir() -> Path:
    """The reference data folder (catalogs, CARA cases, ...), as the tests find it."""
    return Path(os.environ.get("ORBITWATCH_DATA", Path(__file__).parents[2] / "shared" / "data"))

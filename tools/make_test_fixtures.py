"""Writes the small fixtures the tests read, from orbitwatch's own synthetic catalog (no
provider data): ``python tools/make_test_fixtures.py``.

- ``tests/fixtures/slow_passes_100k_seed1.json``: 8 objects of the 100,000-object
  synthetic catalog (seed 1, epoch 2026-01-01) that pass each other at 8-14 m/s, found
  in its 7-day screening; OMM JSON, which keeps every digit the generator rounds to.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from orbitwatch.catalog.synth import synthesize
from orbitwatch.formats import write_omm

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SLOW_PASS_IDS = {45728, 98699, 19612, 27950, 20311, 66156, 7495, 45258}


def main() -> None:
    objects = synthesize(100_000, seed=1, epoch=datetime(2026, 1, 1, tzinfo=UTC))
    chosen = [o.elements for o in objects if o.elements.norad_cat_id in SLOW_PASS_IDS]
    out = FIXTURES / "slow_passes_100k_seed1.json"
    out.write_text(write_omm(chosen, "json"))
    print(f"wrote {len(chosen)} element sets to {out}")


if __name__ == "__main__":
    main()

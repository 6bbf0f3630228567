"""What a catalog holds: counts by type, owner and orbit regime, and how fresh it is."""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from datetime import datetime

from orbitwatch.catalog.snapshot import take_snapshot
from orbitwatch.catalog.store import CatalogStore
from orbitwatch.core.orbit import orbit_regime
from orbitwatch.core.time import us_to_datetime


@dataclass(slots=True)
class CatalogInfo:
    at: datetime
    objects_in_snapshot: int
    counts: dict[str, int]
    by_type: dict[str, int] = field(default_factory=dict)
    by_owner: dict[str, int] = field(default_factory=dict)
    by_regime: dict[str, int] = field(default_factory=dict)
    newest_epoch: datetime | None = None
    median_age_days: float | None = None
    last_load_utc: str | None = None


def catalog_info(store: CatalogStore, at: datetime, *, top_owners: int = 15) -> CatalogInfo:
    snap = take_snapshot(store, at)
    info = CatalogInfo(at, len(snap), store.counts())
    info.by_type = dict(collections.Counter(t or "UNKNOWN" for t in snap.object_type)
                        .most_common())
    info.by_owner = dict(collections.Counter(o or "unknown" for o in snap.owner)
                         .most_common(top_owners))
    arr = snap.arrays
    regimes = orbit_regime(arr.mean_motion_rev_day, arr.eccentricity).tolist()
    info.by_regime = dict(collections.Counter(regimes).most_common())
    if len(snap):
        info.newest_epoch = us_to_datetime(int(arr.epoch_us.max()))
        ages = sorted(snap.epoch_age_days)
        info.median_age_days = float(ages[len(ages) // 2])
    loads = store.loads(limit=1)
    info.last_load_utc = loads[0]["loaded_utc"] if loads else None
    return info

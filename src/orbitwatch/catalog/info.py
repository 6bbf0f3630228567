"""What a catalog holds: counts by type, owner and orbit regime, and how fresh it is."""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from datetime import datetime

from orbitwatch.catalog.snapshot import take_snapshot
from orbitwatch.catalog.store import CatalogStore
from orbitwatch.formats.elements import ElementSet, us_to_datetime
from orbitwatch.propagation.sgp4_batch import EARTH_RADIUS_KM, MU_KM3_S2


def orbit_regime(es: ElementSet) -> str:
    """LEO (apogee < 2,000 km), MEO, GEO (period 1,400-1,460 min, e < 0.05),
    HEO (e >= 0.25), or 'other' beyond GEO."""
    n_rad_s = es.mean_motion * 2.0 * 3.141592653589793 / 86400.0
    a = (MU_KM3_S2 / n_rad_s**2) ** (1.0 / 3.0)
    apogee = a * (1 + es.eccentricity) - EARTH_RADIUS_KM
    if es.eccentricity >= 0.25:
        return "HEO"
    if apogee < 2000.0:
        return "LEO"
    if 1400.0 <= es.period_min <= 1460.0 and es.eccentricity < 0.05:
        return "GEO"
    return "MEO" if apogee < 35_000.0 else "other"


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
    info.by_regime = dict(collections.Counter(orbit_regime(es) for es in snap.element_sets)
                          .most_common())
    if len(snap):
        info.newest_epoch = us_to_datetime(max(es.epoch_us for es in snap.element_sets))
        ages = sorted(snap.epoch_age_days)
        info.median_age_days = float(ages[len(ages) // 2])
    loads = store.loads(limit=1)
    info.last_load_utc = loads[0]["loaded_utc"] if loads else None
    return info

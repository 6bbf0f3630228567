"""How old the element sets are that a computation uses, and what time to start from
when the user gives none.

SGP4 from public element sets drifts by about a kilometre a day in low orbit (more where
drag is strong), less in higher orbits (Flohrer et al., AMOS 2008; the growth rates of
risk.covariance_model). Positions from element sets much older than that are guesses; a
user must be told, and a default start of "now" must not silently propagate a catalog
months old.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from orbitwatch.catalog.snapshot import Snapshot
from orbitwatch.catalog.store import CatalogStore
from orbitwatch.core.orbit import STALE_AFTER_DAYS, orbit_regime
from orbitwatch.core.time import datetime_to_us, iso_ms, us_to_datetime

#: A catalog whose newest element set is older than this at "now" is an old catalog: the
#: default start becomes its own time.
OLD_CATALOG_DAYS = 3.0


def staleness(snapshot: Snapshot, at: datetime | None = None) -> dict[str, Any]:
    """How many of the snapshot's element sets are stale at ``at`` (default: the
    snapshot's time) for their regime, the oldest, and the limits used."""
    arrays = snapshot.arrays
    at_us = datetime_to_us(at or snapshot.at)
    age = arrays.age_days(at_us)
    regimes = orbit_regime(arrays.mean_motion_rev_day, arrays.eccentricity)
    limit = np.array([STALE_AFTER_DAYS[str(r)] for r in regimes]) if len(age) else age
    stale = np.abs(age) > limit
    return {"objects": len(age), "stale": int(stale.sum()),
            "oldest_days": round(float(np.abs(age).max()), 3) if len(age) else None,
            "median_age_days": round(float(np.median(age)), 3) if len(age) else None,
            "limits_days": STALE_AFTER_DAYS, "at_utc": iso_ms(at_us)}


def stale_warning(snapshot: Snapshot, at: datetime | None = None) -> str | None:
    """One line for the user when element sets are stale at ``at``, else None."""
    s = staleness(snapshot, at)
    if not s["stale"]:
        return None
    limits = ", ".join(f"{k} {v:g} d" for k, v in STALE_AFTER_DAYS.items() if k != "other")
    return (f"{s['stale']} of {s['objects']} element sets are older than the limit for "
            f"their orbit ({limits}) at {s['at_utc']}, the oldest {s['oldest_days']:.1f} "
            "days: SGP4 positions from them may be off by kilometres or more")


def default_start(store: CatalogStore, now: datetime | None = None
                  ) -> tuple[datetime, str | None]:
    """The time to start from when the user gives none: now, or, when the catalog's
    newest element set is more than OLD_CATALOG_DAYS old, the first whole hour at or
    after that epoch (so that every stored element set is at or before the start, and in
    the snapshot taken there); with a line saying so in the second case."""
    now = now or datetime.now(UTC)
    newest = store.newest_epoch_us()
    if newest is None:
        return now, None
    epoch = us_to_datetime(newest)
    if now - epoch <= timedelta(days=OLD_CATALOG_DAYS):
        return now, None
    hour = epoch.replace(minute=0, second=0, microsecond=0)
    start = hour if hour == epoch else hour + timedelta(hours=1)
    return start, (f"the catalog's newest element set is from {iso_ms(int(newest))}, "
                   f"{(now - epoch).total_seconds() / 86400:.0f} days ago: starting at "
                   f"{start:%Y-%m-%dT%H:%MZ} (give --at to choose the time)")

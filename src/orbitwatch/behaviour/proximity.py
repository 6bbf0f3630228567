"""Proximity operations: pairs that stay close or approach slowly, across the history.

The screening engine finds them: each day of the window, the catalog's element sets at
that day's start are screened over ``sample_hours`` with a large volume, and the
engine's slow pairs (relative speed under ``slow_m_s``: formation pairs) are kept with
their least distance and each element set's age. Across the days, each pair is:

* ATTACHED: docked, berthed or captured: near-identical element sets, within 1 km every
  day, the range steady (varying by under 300 m) and the relative speed under 0.5 m/s
  (formation flyers a few hundred metres apart circle each other faster);
* STALE: the change of range comes with an element set past its regime's staleness
  (core.orbit.STALE_AFTER_DAYS): what looks like an approach or a separation may be an
  old set, not motion; never reported as APPROACH;
* APPROACH: the range shrinks from day to day, along a line that explains the daily
  ranges (correlation 0.8 or more), by more than a third of its median, at low relative
  speed (rendezvous, inspection);
* DEPARTURE: the same, growing (undocking, deployment, separation);
* CO-LOCATED: a steady pair in the geostationary belt (a shared slot);
* FORMATION: a steady pair elsewhere (formation flyers such as TerraSAR-X and TanDEM-X).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from orbitwatch.catalog.snapshot import take_snapshot
from orbitwatch.catalog.store import CatalogStore
from orbitwatch.core.orbit import STALE_AFTER_DAYS, orbit_regime
from orbitwatch.core.time import datetime_to_us, iso_ms
from orbitwatch.errors import InputError
from orbitwatch.screening import EngineSettings, screen

ATTACHED_KM = 1.0
TREND = 1.0 / 3.0  # a change of range by this share over the window is a trend


@dataclass(slots=True)
class Sighting:
    day: datetime
    distance_km: float
    rel_speed_m_s: float
    age_1: float
    age_2: float


def proximity_pairs(store: CatalogStore, start: datetime, days: int, *,
                    volume_km: float = 50.0, slow_m_s: float = 20.0,
                    sample_hours: float = 2.0, workers: int | None = None,
                    progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """Close, slow pairs over ``days`` days from ``start`` (see the module), one row per
    pair, ATTACHED last (docked stacks are many and known)."""
    if days < 1:
        raise InputError("proximity needs at least one day of history")
    seen: dict[tuple[int, int], list[Sighting]] = {}
    names: dict[int, str | None] = {}
    regimes: dict[int, str] = {}
    looked = 0
    for d in range(days):
        day = start + timedelta(days=d)
        snap = take_snapshot(store, day, max_age_days=30.0)
        if len(snap) < 2:
            continue
        looked += 1
        result = screen(snap, start=day, duration=timedelta(hours=sample_hours),
                        volume=volume_km, settings=EngineSettings(
                            workers=workers or 2, slow_km_s=slow_m_s / 1000.0))
        ages = snap.epoch_age_days
        row_of = {int(n): k for k, n in enumerate(snap.norad_cat_id.tolist())}
        arr = snap.arrays
        regime_of = orbit_regime(arr.mean_motion_rev_day, arr.eccentricity)
        for f in result.formation:
            a, b = int(f["norad_cat_id_1"]), int(f["norad_cat_id_2"])
            ka, kb = row_of[a], row_of[b]
            seen.setdefault((a, b), []).append(Sighting(
                day, float(f["min_distance_m"]) / 1000.0, float(f["rel_speed_m_s"]),
                float(ages[ka]), float(ages[kb])))
            for k, n in ((ka, a), (kb, b)):
                names[n] = snap.element_sets[k].object_name
                regimes[n] = str(regime_of[k])
        if progress:
            progress(d + 1, days)
    if not looked:
        raise InputError(f"no element sets in the {days} day(s) from "
                         f"{iso_ms(datetime_to_us(start))}: load the history first")
    rows = [_classify(pair, sightings, names, regimes) for pair, sightings in seen.items()]
    order = {"APPROACH": 0, "STALE": 1, "DEPARTURE": 2, "CO-LOCATED": 3, "FORMATION": 4,
             "ATTACHED": 5}
    rows.sort(key=lambda r: (order[r["CLASS"]], r["MIN_RANGE_KM"]))
    return rows


def _trend(s: list[Sighting], rng: np.ndarray) -> tuple[float, bool]:
    """The change of range over the sightings as a share of its median (a straight line
    through them), and whether it is a trend: a line that explains the ranges (|r| >=
    0.8; with two sightings, the two ranges themselves)."""
    if len(s) < 2:
        return 0.0, False
    t = np.array([(x.day - s[0].day).total_seconds() / 86400.0 for x in s])
    if len(s) == 2:
        return float((rng[1] - rng[0]) / max(rng.max(), 1e-3)), True
    slope = np.polyfit(t, rng, 1)[0]
    corr = np.corrcoef(t, rng)[0, 1] if np.ptp(rng) > 0 else 0.0
    return float(slope * (t[-1] - t[0]) / max(np.median(rng), 1e-3)), bool(abs(corr) >= 0.8)


def _classify(pair: tuple[int, int], s: list[Sighting], names: dict, regimes: dict) -> dict:
    s = sorted(s, key=lambda x: x.day)
    rng = np.array([x.distance_km for x in s])
    first, last = rng[0], rng[-1]  # for the evidence
    limit = [STALE_AFTER_DAYS.get(regimes.get(n, "other"), 30.0) for n in pair]
    stale = any(x.age_1 > limit[0] or x.age_2 > limit[1] for x in s)
    change, steady_trend = _trend(s, rng)
    evidence = []
    speed = float(np.median([x.rel_speed_m_s for x in s]))
    if rng.max() < ATTACHED_KM and np.ptp(rng) < 0.3 * ATTACHED_KM and speed < 0.5:
        cls = "ATTACHED"
        evidence.append(f"within {ATTACHED_KM:g} km, steady, {speed:.2f} m/s apart on all "
                        f"{len(s)} day(s)")
    elif abs(change) > TREND and steady_trend:
        if stale:
            cls = "STALE"
            evidence.append("the range changes while an element set is past its staleness")
        else:
            cls = "APPROACH" if change < 0 else "DEPARTURE"
        evidence.append(f"range {first:.1f} km -> {last:.1f} km over {len(s)} day(s)")
    else:
        geo = all(regimes.get(n) == "GEO" for n in pair)
        cls = "CO-LOCATED" if geo else "FORMATION"
        evidence.append(f"range steady, {rng.min():.1f}-{rng.max():.1f} km over {len(s)} "
                        "day(s)")
    return {
        "NORAD_CAT_ID_1": pair[0], "NORAD_CAT_ID_2": pair[1],
        "OBJECT_NAME_1": names.get(pair[0]), "OBJECT_NAME_2": names.get(pair[1]),
        "CLASS": cls, "MIN_RANGE_KM": round(float(rng.min()), 3),
        "MEDIAN_RANGE_KM": round(float(np.median(rng)), 3),
        "MAX_RANGE_KM": round(float(rng.max()), 3),
        "REL_SPEED_M_S": round(speed, 3),
        "FIRST_SEEN_UTC": iso_ms(datetime_to_us(s[0].day)),
        "LAST_SEEN_UTC": iso_ms(datetime_to_us(s[-1].day)),
        "DAYS_SEEN": len(s),
        "ELSET_AGE_DAYS_1": round(max(x.age_1 for x in s), 2),
        "ELSET_AGE_DAYS_2": round(max(x.age_2 for x in s), 2),
        "EVIDENCE": "; ".join(evidence),
    }

"""The space environment for the CLI and the service: the census, densities and their
evolution over the catalogs a store holds, re-entry predictions, disposal compliance
and the per-nation scorecard, each from a catalog snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from orbitwatch.app.behaviour import scan_manoeuvres
from orbitwatch.app.selection import ObjectSelection
from orbitwatch.catalog.snapshot import Snapshot, take_snapshot
from orbitwatch.catalog.store import CatalogStore
from orbitwatch.core.time import us_to_datetime
from orbitwatch.environment.census import CatalogCensus, take_census
from orbitwatch.environment.classes import OBJECT_CLASSES, ORBIT_CLASSES, OTHER
from orbitwatch.environment.compliance import compliance_rows, launch_dates, nation_scorecard
from orbitwatch.environment.lifetime import Lifetimes, predict_lifetimes
from orbitwatch.environment.space_weather import SpaceWeather, read_space_weather
from orbitwatch.errors import InputError
from orbitwatch.reports.run_risk import conjunctions_by_owner
from orbitwatch.screening.runs import list_runs

#: Objects whose newest element set is older than this at the census time are counted
#: as gone (a store without the SATCAT's decay dates keeps them otherwise), days.
CENSUS_MAX_AGE_DAYS = 30.0
#: The history searched for manoeuvres before a re-entry prediction (the same span as
#: the lifetime's HISTORY estimate of B), days.
MANOEUVRE_LOOKBACK_DAYS = 30.0
SPACE_WEATHER_FILE = "space-weather.txt"


def census_at(store: CatalogStore, at: datetime,
              max_age_days: float = CENSUS_MAX_AGE_DAYS) -> CatalogCensus:
    """The census of the catalog at ``at`` (objects with an element set within
    ``max_age_days``; decayed objects by the SATCAT left out); InputError when empty."""
    snap = take_snapshot(store, at, max_age_days=max_age_days)
    if not len(snap):
        raise InputError(f"no object with an element set in the {max_age_days:g} days before "
                         f"{at.isoformat()} in {store.path}: load a catalog for that time")
    return take_census(snap)


def catalog_dates(store: CatalogStore) -> list[datetime]:
    """The times the store holds a catalog for: per element-set load, its newest epoch
    (a load of many snapshots, as a history archive, gives each distinct day of its
    files' newest epochs); in order, one per day."""
    days: dict[str, int] = {}
    for us in store.newest_epoch_per_load():
        day = us_to_datetime(us).date().isoformat()
        days[day] = max(days.get(day, 0), us)
    return [us_to_datetime(days[d]) for d in sorted(days)]


def evolution_rows(store: CatalogStore, by: str = "orbit-class",
                   dates: list[datetime] | None = None) -> list[dict[str, Any]]:
    """The census counts at every catalog date (catalog_dates), one row per date: total
    and per orbit class (or object class)."""
    if by not in ("orbit-class", "object-class"):
        raise InputError(f"evolution by {by!r}: orbit-class or object-class")
    keys = [*ORBIT_CLASSES, OTHER] if by == "orbit-class" else list(OBJECT_CLASSES)
    rows = []
    for at in dates or catalog_dates(store):
        census = census_at(store, at)
        column = census.orbit_class if by == "orbit-class" else census.object_class
        row: dict[str, Any] = {"DATE_UTC": at.isoformat(timespec="seconds").replace(
            "+00:00", "Z"), "TOTAL": len(census)}
        row.update({k: int((column == k).sum()) for k in keys})
        rows.append(row)
    if not rows:
        raise InputError(f"{store.path} holds no catalog: load one first")
    return rows


def space_weather_path(store: CatalogStore, given: Path | None) -> Path:
    """``given``, else the copy fetched next to the catalog (``orbitwatch environment
    fetch-space-weather``); InputError when there is neither."""
    if given is not None:
        return given
    cached = store.cache_dir / SPACE_WEATHER_FILE
    if cached.is_file():
        return cached
    raise InputError("no space-weather file: give --space-weather FILE (CelesTrak's "
                     "SW-All.txt) or run `orbitwatch environment fetch-space-weather`")


@dataclass(slots=True)
class Environment:
    """A snapshot's census with its lifetimes and compliance (computed once)."""

    census: CatalogCensus
    lifetimes: Lifetimes
    compliance: list[dict[str, Any]]
    weather: SpaceWeather


def last_manoeuvres(store: CatalogStore, at: datetime,
                    days: float = MANOEUVRE_LOOKBACK_DAYS) -> dict[int, str]:
    """Catalog number -> when its last manoeuvre (a burn, not a docking) was seen in the
    element-set history of the ``days`` before ``at`` (the end of the window between the
    two element sets that show it, UTC)."""
    found = scan_manoeuvres(store, at - timedelta(days=days), at).found
    return {int(r["NORAD_CAT_ID"]): r["EPOCH_AFTER"] for r in found.rows
            if r["DV_M_S"] is not None}


def environment_at(store: CatalogStore, at: datetime, weather_file: Path,
                   snapshot: Snapshot | None = None) -> Environment:
    """Census, re-entry predictions and disposal compliance of the catalog at ``at``;
    the predictions know which objects manoeuvred in the history before it."""
    weather = read_space_weather(weather_file)
    census = take_census(snapshot) if snapshot is not None else census_at(store, at)
    lifetimes = predict_lifetimes(census.snapshot, weather, store=store,
                                  manoeuvred=last_manoeuvres(store, census.at))
    launches = launch_dates(store, census.snapshot.norad_cat_id)
    return Environment(census, lifetimes, compliance_rows(census, lifetimes, launches), weather)


def run_conjunctions_by_owner(store: CatalogStore) -> tuple[int | None, dict[str, tuple[int, int]]]:
    """Per owner: (events, red events) of the newest screening run with stored risk;
    (None, {}) without one."""
    runs = list_runs(store, limit=1)
    if not runs:
        return None, {}
    run_id = int(runs[0]["RUN_ID"])
    counts = conjunctions_by_owner(store, run_id)
    return (run_id, counts) if counts is not None else (None, {})


def scorecard_rows(store: CatalogStore, env: Environment) -> tuple[list[dict[str, Any]],
                                                                   int | None]:
    """The per-nation scorecard, with the newest run's conjunctions when there is one."""
    run_id, conj = run_conjunctions_by_owner(store)
    return nation_scorecard(env.census, env.compliance, conj if run_id else None), run_id


def newest_catalog_time(store: CatalogStore) -> datetime:
    """The newest element-set epoch of the store (the default census time)."""
    us = store.newest_epoch_us()
    if us is None:
        raise InputError(f"{store.path} holds no element set: load a catalog first")
    return us_to_datetime(us) + timedelta(seconds=1)


def object_rows(env: Environment, chosen: ObjectSelection) -> np.ndarray:
    """Rows (indices of the snapshot) of the chosen objects."""
    snap = env.census.snapshot
    return np.flatnonzero(chosen.mask(snap.norad_cat_id, env.census.owner.tolist(),
                                      [es.object_name for es in snap.element_sets]))


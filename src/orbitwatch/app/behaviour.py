"""Behaviour in orbit for the CLI and the service: manoeuvres, an object's pattern of
life (its element-set history with its manoeuvres), and proximity operations, each
chosen by catalog numbers, owners and name pattern."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from orbitwatch.app.selection import EVERY_OBJECT, ObjectSelection
from orbitwatch.behaviour.manoeuvres import History, Manoeuvres, detect_manoeuvres, load_history
from orbitwatch.behaviour.proximity import proximity_pairs
from orbitwatch.catalog.store import CatalogStore
from orbitwatch.core.constants import EARTH_RADIUS_KM
from orbitwatch.core.orbit import semi_major_axis_km
from orbitwatch.core.time import datetime_to_us, iso_ms, us_to_datetime
from orbitwatch.errors import InputError, NotFoundError


def _chosen(store: CatalogStore, rows: list[dict], chosen: ObjectSelection,
            suffixes: tuple[str, ...] = ("",)) -> list[dict]:
    """The rows where any of their objects (NORAD_CAT_ID<suffix>, OBJECT_NAME<suffix>)
    is chosen; owners from the store's SATCAT. A new list: ``rows`` may be a cached
    scan's, shared by every request."""
    if not chosen or not rows:
        return list(rows)
    norads = {s: np.array([int(r[f"NORAD_CAT_ID{s}"]) for r in rows], np.int64)
              for s in suffixes}
    owner_of: dict[int, str | None] = {}
    if chosen.owners:  # one lookup for the objects of every suffix
        wanted = set(np.concatenate(list(norads.values())).tolist())
        owner_of = {n: f.get("owner") for n, f in store.object_info(wanted).items()}
    keep = np.zeros(len(rows), bool)
    for suffix, norad in norads.items():
        keep |= chosen.mask(norad, [owner_of.get(n) for n in norad.tolist()],
                            [r[f"OBJECT_NAME{suffix}"] for r in rows])
    return [r for r, k in zip(rows, keep.tolist(), strict=True) if k]


@dataclass(frozen=True)
class ManoeuvreScan:
    """The element-set history of a window and every manoeuvre found in it. Judging one
    object takes all of them (its detection threshold is scaled by its owner's and
    regime's population), so the service keeps one scan per window and database state
    and answers every object's question from it."""

    history: History
    found: Manoeuvres


def _check_window(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and end < start:
        raise InputError(f"the window ends before it starts: end {iso_ms(datetime_to_us(end))} "
                         f"is before start {iso_ms(datetime_to_us(start))}")


def scan_manoeuvres(store: CatalogStore, start: datetime | None = None,
                    end: datetime | None = None) -> ManoeuvreScan:
    """Every element set in [start, end] and the manoeuvres detected in them."""
    _check_window(start, end)
    history = load_history(store, start, end)
    return ManoeuvreScan(history, detect_manoeuvres(history))


def manoeuvre_rows(store: CatalogStore, chosen: ObjectSelection = EVERY_OBJECT, *,
                   start: datetime | None = None, end: datetime | None = None,
                   scan: ManoeuvreScan | None = None) -> tuple[list[dict], dict[str, Any]]:
    """Detected manoeuvres (and dockings) of the chosen objects in [start, end], and a
    summary: objects and element-set pairs looked at, detections per satellite-year.
    ``scan``: that window's scan, made before (else it is made here)."""
    scan = scan or scan_manoeuvres(store, start, end)
    history = scan.history
    if not len(history):
        raise InputError("no element-set history in that window: load a history first "
                         "(orbitwatch catalog load ARCHIVE)")
    ids = chosen.ids
    if ids:
        counts = Counter(history.norad.tolist())
        missing = sorted(set(ids) - set(counts))
        if missing:
            raise InputError(f"no element set of catalog number(s) "
                             f"{', '.join(map(str, missing[:10]))} in that window")
        lone = sorted(n for n in ids if counts[n] < 2)
        if len(lone) == len(set(ids)):
            raise InputError(f"catalog number(s) {', '.join(map(str, lone[:10]))}: one element "
                             "set in that window, no evidence either way (a manoeuvre shows "
                             "between two)")
    found = scan.found
    rows = _chosen(store, found.rows, chosen)
    burns = [r for r in found.rows if r["DV_M_S"] is not None]
    summary = {
        "objects": found.objects, "element_set_pairs": found.pairs,
        "satellite_years": round(found.satellite_years, 2),
        "detections_per_satellite_year": round(len(burns) / found.satellite_years, 2)
        if found.satellite_years else None,
        "skipped_repeated_sets": found.skipped_repeats,
        "skipped_launch_nominals": found.skipped_nominal,
        "skipped_docked_sets": found.skipped_docked,
        "outlier_sets": found.outliers,
    }
    return rows, summary


def timeline(store: CatalogStore, norad_cat_id: int, start: datetime | None = None,
             end: datetime | None = None, scan: ManoeuvreScan | None = None,
             ) -> dict[str, Any]:
    """One object's pattern of life: every element set (epoch, semi-major axis, perigee,
    apogee, inclination, eccentricity) and its manoeuvres, in time order. ``scan``: the
    window's scan, made before (else it is made here)."""
    _check_window(start, end)
    if scan is None:
        history = load_history(store, start, end, [norad_cat_id])
    else:
        history = scan.history.take(np.flatnonzero(scan.history.norad == norad_cat_id))
    if not len(history):
        raise NotFoundError(f"no element-set history of object {norad_cat_id}")
    a = semi_major_axis_km(history.n)
    sets = [{"EPOCH_UTC": iso_ms(int(t)), "SMA_KM": round(float(x), 3),
             "PERIGEE_KM": round(float(x * (1 - e) - EARTH_RADIUS_KM), 3),
             "APOGEE_KM": round(float(x * (1 + e) - EARTH_RADIUS_KM), 3),
             "INCLINATION_DEG": float(i), "ECCENTRICITY": float(e)}
            for t, x, e, i in zip(history.epoch_us.tolist(), a.tolist(), history.e.tolist(),
                                  history.i_deg.tolist(), strict=True)]
    # one element set is no evidence of a manoeuvre either way: its timeline is that set
    rows = manoeuvre_rows(store, ObjectSelection(ids=[norad_cat_id]), start=start, end=end,
                          scan=scan)[0] if len(history) > 1 else []
    return {"norad_cat_id": norad_cat_id, "object_name": history.name[-1],
            "element_sets": sets, "manoeuvres": rows}


def proximity_start(store: CatalogStore, start: datetime | None, days: int) -> datetime:
    """The first day of a proximity window: ``start``, else the day that makes the
    window the history's last ``days`` days."""
    if start is not None:
        return start
    newest = store.newest_epoch_us()
    if newest is None:
        raise InputError(f"{store.path} holds no element set: load a history first")
    return us_to_datetime(newest).replace(hour=0, minute=0, second=0,
                                          microsecond=0) - timedelta(days=days - 1)


def proximity_rows(store: CatalogStore, chosen: ObjectSelection = EVERY_OBJECT, *,
                   start: datetime | None = None, days: int = 7, workers: int | None = None,
                   pairs: list[dict] | None = None) -> list[dict]:
    """Proximity pairs over ``days`` from ``start`` (default: the last ``days`` days of
    the history), of the chosen objects. ``pairs``: every pair of that window, found
    before (else found here)."""
    if pairs is None:
        pairs = proximity_pairs(store, proximity_start(store, start, days), days,
                                workers=workers)
    return _chosen(store, pairs, chosen, ("_1", "_2"))

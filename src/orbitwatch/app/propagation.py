"""``propagate``: chosen objects at chosen times in a frame, as rows; or the whole catalog
propagated chunk by chunk as a throughput summary."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import numpy as np

from orbitwatch.catalog.snapshot import Snapshot
from orbitwatch.core.time import format_epoch
from orbitwatch.propagation import EarthOrientation, propagate, split_jd
from orbitwatch.propagation.frames import itrf_to_geodetic
from orbitwatch.propagation.sgp4_batch import iter_propagate, summarize_errors

#: Frames a user may ask for: SGP4's TEME, Earth-fixed ITRF, inertial GCRF, or WGS84.
OUTPUT_FRAMES = ("teme", "itrf", "gcrf", "geodetic")
_BLOCK_STATES = 500_000


def state_rows(snap: Snapshot, times: list[datetime], frame: str,
               eop: EarthOrientation | None = None) -> list[dict[str, Any]]:
    """One row per object and time: position (km) and velocity (km/s) in ``frame``, or
    geodetic latitude, longitude (deg) and height (km); with SGP4's error code."""
    eph = propagate(snap.element_sets, times, frame="itrf" if frame == "geodetic" else frame,
                    eop=eop)
    rows = []
    for i, es in enumerate(snap.element_sets):
        for k, t in enumerate(times):
            row: dict[str, Any] = {"norad_cat_id": es.norad_cat_id, "time_utc": format_epoch(t)}
            r, v = eph.position_km[i, k], eph.velocity_km_s[i, k]
            if frame == "geodetic":
                lat, lon, alt = itrf_to_geodetic(r)
                row.update(lat_deg=float(lat), lon_deg=float(lon), alt_km=float(alt))
            else:
                for axis, rc, vc in zip("xyz", r, v, strict=True):
                    row[f"{axis}_{frame}_km"] = float(rc)
                    row[f"v{axis}_{frame}_km_s"] = float(vc)
            row["sgp4_error"] = int(eph.error[i, k])
            rows.append(row)
    return rows


def throughput_summary(
    snap: Snapshot, times: list[datetime],
    wrap: Callable[[Iterator, int], Any] | None = None,
) -> tuple[dict[str, Any], dict[str, int]]:
    """Propagate the whole snapshot to ``times`` in bounded blocks: a summary row
    (objects, states, seconds, states per second, objects failed) and the failing objects
    counted by SGP4 error message. ``wrap(blocks, n_blocks)`` may wrap the block iterator
    in a progress bar (a context manager yielding the blocks)."""
    jd, fr = split_jd(times)
    sats = snap.arrays.satrecs()
    errors = np.zeros((len(sats), len(times)), dtype=np.uint8)
    started = time.perf_counter()
    blocks = iter_propagate(sats, jd, fr, max_block_states=_BLOCK_STATES)
    n_blocks = max(1, -(-len(sats) * len(times) // _BLOCK_STATES))
    if wrap is None:
        for c in blocks:
            errors[c.object_slice, c.time_slice] = c.error
    else:
        with wrap(blocks, n_blocks) as bar:
            for c in bar:
                errors[c.object_slice, c.time_slice] = c.error
    elapsed = time.perf_counter() - started
    states = len(sats) * len(times)
    summary = summarize_errors(errors)
    row = {"snapshot": snap.snapshot_id, "objects": len(sats), "times": len(times),
           "states": states, "seconds": round(elapsed, 3),
           "states_per_second": round(states / elapsed) if elapsed else None,
           "objects_failed": sum(summary.values())}
    return row, summary

"""``screen``: conjunction screening of a catalog snapshot over a time window.

Scopes: all vs all; primaries (catalog numbers, owner codes or a name pattern) vs the
catalog; user-supplied element sets (a planned launch) vs the catalog.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import numpy as np

from orbitwatch._version import __version__
from orbitwatch.catalog.snapshot import Snapshot, is_analyst
from orbitwatch.catalog.snapshot import name_pattern as compile_name_pattern
from orbitwatch.core.orbit import orbit_regime
from orbitwatch.core.time import datetime_to_split_jd, datetime_to_us, iso_ms
from orbitwatch.errors import InputError
from orbitwatch.formats.elements import ElementSet
from orbitwatch.propagation.element_arrays import ElementArrays
from orbitwatch.propagation.sgp4_batch import (
    ERROR_MESSAGES,
    states_at,
)
from orbitwatch.screening.engine import (
    DUPLICATE_S,
    ChunkOutput,
    EngineSettings,
    first_of_each,
    min_per_pair,
    run_chunks,
)
from orbitwatch.screening.results import (
    EVENT_DTYPE,
    FORMATION_DTYPE,
    ObjectTable,
    PropagationFailure,
    ScreeningResult,
)
from orbitwatch.screening.volume import ScreeningVolume, VolumePolicy

DEFAULT_WINDOW = timedelta(days=7)


def screen(
    snapshot: Snapshot,
    *,
    start: datetime | None = None,
    duration: timedelta = DEFAULT_WINDOW,
    volume: VolumePolicy | ScreeningVolume | float = 5.0,
    primaries: Sequence[int] | None = None,
    owners: Sequence[str] | None = None,
    name_pattern: str | None = None,
    extra: Sequence[ElementSet] = (),
    settings: EngineSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScreeningResult:
    """Find every close approach within ``volume`` over ``[start, start + duration]``.

    ``start`` defaults to the snapshot time. Any of ``primaries`` (catalog numbers),
    ``owners`` (SATCAT owner codes), ``name_pattern`` (regular expression on the object
    name) or ``extra`` (element sets, e.g. a planned deployment, always primaries)
    restricts the search to pairs with at least one primary; without them every pair
    of the snapshot is screened. A volume given as a number is a sphere radius in km.
    """
    settings = settings or EngineSettings()
    policy = _policy(volume)
    start = start or snapshot.at
    window_s = duration.total_seconds()
    if window_s <= 0:
        raise InputError(f"screening window must be positive, got {duration}")
    elements = list(snapshot.element_sets) + list(extra)
    arrays = snapshot.arrays.concat(ElementArrays.from_element_sets(extra)) if extra else \
        snapshot.arrays
    n_cat = len(snapshot.element_sets)
    objects = ObjectTable(
        norad_cat_id=arrays.norad_cat_id,
        object_name=[es.object_name for es in elements],
        # analyst objects (tracks not yet tied to a catalogued object) say so
        object_type=[t or ("ANALYST" if is_analyst(es.norad_cat_id) else None)
                     for t, es in zip(snapshot.object_type, snapshot.element_sets,
                                      strict=True)] + [None] * len(extra),
        owner=list(snapshot.owner) + [None] * len(extra),
        epoch_us=arrays.epoch_us,
        element_set_id=np.concatenate((snapshot.element_set_ids,
                                       np.full(len(extra), -1, np.int64))),
        primary=np.zeros(len(elements), bool),
        object_id=[es.object_id for es in elements],
        rcs_m2=np.array([np.nan if r is None else r for r in snapshot.rcs_m2]
                        + [np.nan] * len(extra), np.float64),
        regime=orbit_regime(arrays.mean_motion_rev_day, arrays.eccentricity),
        perigee_km=arrays.perigee_altitude_km,
    )
    scope = _select_primaries(objects, n_cat, primaries, owners, name_pattern)
    if len(elements) < 2:
        raise InputError(f"nothing to screen: {len(elements)} object(s) in the snapshot")
    jd0, fr0 = datetime_to_split_jd(start)
    start_us = datetime_to_us(start)
    t0 = time.perf_counter()
    outputs = run_chunks(arrays, jd0, fr0, start_us, window_s, objects.primary,
                         policy.max_extent_km, settings, policy, objects.regime, progress)
    elapsed = time.perf_counter() - t0
    t_assembly = time.perf_counter()
    failed_at = _first_failure_s(outputs, len(elements))
    events = _join_events(outputs, failed_at)
    formation = _assemble_formation(outputs, objects, arrays, jd0, fr0, start_us, failed_at)
    failures = _failures(outputs, objects, start_us)
    counts = {k: sum(o.counts.get(k, 0) for o in outputs) for k in outputs[0].counts}
    assembly_s = time.perf_counter() - t_assembly
    provenance = {
        "software": f"orbitwatch {__version__}",
        "snapshot_id": snapshot.snapshot_id,
        "snapshot_at": iso_ms(datetime_to_us(snapshot.at)),
        "window_start": iso_ms(start_us),
        "window_end": iso_ms(start_us + round(window_s * 1e6)),
        "volume": policy.describe(),
        "volume_rtn_km": policy.to_dict(),
        "scope": scope,
        "objects": len(elements),
        "primaries": int(objects.primary.sum()),
        "extra_element_sets": len(extra),
        "formation_speed_m_s": settings.slow_km_s * 1000.0,
        "settings": {"step_s": settings.step_s, "sample_s": settings.sample_s,
                     "chunk_s": settings.chunk_s, "error_safety": settings.error_safety},
        "method": ("SGP4 (python-sgp4, WGS72) sampled and Hermite-interpolated; spatial-hash "
                   "sweep with padded chords; TCA by Newton on exact SGP4 states"),
        "elapsed_s": round(elapsed, 3),  # the chunks: sampling, sweep, refinement
        "assembly_s": round(assembly_s, 3),  # events, formation pairs, failures
    }
    return ScreeningResult(events, formation, objects, failures, provenance, counts)


def _policy(volume: VolumePolicy | ScreeningVolume | float) -> VolumePolicy:
    if isinstance(volume, VolumePolicy):
        return volume
    if isinstance(volume, ScreeningVolume):
        return VolumePolicy(volume)
    return VolumePolicy(ScreeningVolume.sphere(float(volume)))


def _select_primaries(objects: ObjectTable, n_cat: int, primaries, owners,
                      name_pattern) -> str:
    parts = []
    prim = objects.primary
    if primaries:
        wanted = np.array(sorted(set(int(p) for p in primaries)), np.int64)
        hit = np.isin(objects.norad_cat_id[:n_cat], wanted)
        missing = sorted(set(wanted.tolist()) - set(objects.norad_cat_id[:n_cat][hit].tolist()))
        if missing:
            raise InputError(f"primary catalog numbers not in the snapshot: "
                             f"{', '.join(map(str, missing[:20]))}")
        prim[:n_cat] |= hit
        parts.append(f"catalog numbers {', '.join(map(str, wanted[:10].tolist()))}"
                     + (" ..." if len(wanted) > 10 else ""))
    if owners:
        codes = {o.strip().upper() for o in owners}
        hit = np.array([(o or "").upper() in codes for o in objects.owner[:n_cat]], bool)
        if not hit.any():
            raise InputError(f"no object in the snapshot has owner {', '.join(sorted(codes))}")
        prim[:n_cat] |= hit
        parts.append(f"owner {', '.join(sorted(codes))}")
    if name_pattern:
        rx = compile_name_pattern(name_pattern)
        hit = np.array([bool(rx.search(n or "")) for n in objects.object_name[:n_cat]], bool)
        if not hit.any():
            raise InputError(f"no object name in the snapshot matches {name_pattern!r}")
        prim[:n_cat] |= hit
        parts.append(f"names matching {name_pattern!r}")
    if len(prim) > n_cat:
        prim[n_cat:] = True
        parts.append(f"{len(prim) - n_cat} supplied element sets")
    if not parts:
        return "all vs all"
    return f"{int(prim.sum())} primaries ({'; '.join(parts)}) vs catalog"


def _concat(outputs: list[ChunkOutput], name: str, shape: tuple = ()) -> np.ndarray:
    arrays = [getattr(o, name) for o in outputs]
    return np.concatenate(arrays) if arrays else np.empty((0, *shape))


def _first_failure_s(outputs: list[ChunkOutput], n: int) -> np.ndarray:
    """Per object, the time of its first failed sample in any chunk (s from the window
    start; inf for none). A chunk cannot see an earlier chunk's failure, so findings of
    a later chunk after it are dropped here."""
    failed_at = np.full(n, np.inf)
    np.minimum.at(failed_at, _concat(outputs, "fail_obj").astype(np.int64),
                  _concat(outputs, "fail_t_s"))
    return failed_at


def _join_events(outputs: list[ChunkOutput], failed_at: np.ndarray) -> np.ndarray:
    """The chunks' event rows as one table in TCA order, each approach once, none after
    either object failed (a chunk does not see an earlier chunk's failures).

    Each chunk's rows are unique and in TCA order already (built in the workers). An
    approach found by two neighbouring chunks lies within DUPLICATE_S of the bound they
    share, so only those rows are compared; the rest are joined as they are."""
    pieces: list[tuple[np.ndarray, np.ndarray]] = []
    near_end = (np.empty(0, EVENT_DTYPE), np.empty(0))  # the previous chunk's last rows
    for k, out in enumerate(outputs):
        t = out.tca_s
        lo = int(np.searchsorted(t, out.start_s + DUPLICATE_S)) if k > 0 else 0
        hi = (int(np.searchsorted(t, out.end_s - DUPLICATE_S)) if k < len(outputs) - 1
              else len(t))
        if k > 0:
            pieces.append(_once(near_end, (out.events[:lo], t[:lo])))
        pieces.append((out.events[lo:hi], t[lo:hi]))
        near_end = (out.events[hi:], t[hi:])
    # rows are copied once, as opaque bytes, into one table allocated once: numpy copies
    # structured rows field by field, and temporary copies cost more than the copy
    # (benchmarks/bench_join.py, 10.2 M rows of 200 bytes, 50 objects failing: 1.7-5.4 s
    # as masked structured copies then joined, 0.9-2.6 s so; docs/benchmarks.md)
    failed = np.isfinite(failed_at).any()
    parts = []
    for ev, t in pieces:
        rows = np.ascontiguousarray(ev).view(_ROW_BYTES)
        alive = (np.flatnonzero((t < failed_at[ev["idx_1"]]) & (t < failed_at[ev["idx_2"]]))
                 if failed else None)
        parts.append((rows, None if alive is None or len(alive) == len(rows) else alive))
    table = np.empty(sum(len(r if a is None else a) for r, a in parts), _ROW_BYTES)
    at = 0
    for rows, alive in parts:
        n = len(rows if alive is None else alive)
        if alive is None:
            table[at:at + n] = rows
        else:
            np.take(rows, alive, out=table[at:at + n])
        at += n
    return table.view(EVENT_DTYPE)


_ROW_BYTES = np.dtype((np.void, EVENT_DTYPE.itemsize))


def _once(*parts: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Event rows of two chunks near their common bound, each approach once (the earliest
    TCA), in TCA order."""
    ev = np.concatenate([p[0] for p in parts])
    t = np.concatenate([p[1] for p in parts])
    i, j = ev["idx_1"], ev["idx_2"]
    rows = np.lexsort((t, j, i))
    rows = rows[first_of_each(i[rows], j[rows], t[rows], DUPLICATE_S)]
    rows = rows[np.lexsort((j[rows], i[rows], t[rows]))]
    return ev[rows], t[rows]


def _assemble_formation(outputs, objects: ObjectTable, arrays: ElementArrays, jd0, fr0,
                        start_us, failed_at: np.ndarray) -> np.ndarray:
    i = _concat(outputs, "slow_i").astype(np.int64)
    j = _concat(outputs, "slow_j").astype(np.int64)
    t = _concat(outputs, "slow_t_s")
    d = _concat(outputs, "slow_d_km")
    alive = (t < failed_at[i]) & (t < failed_at[j])
    i, j, t, _ = min_per_pair(i[alive], j[alive], t[alive], d[alive])
    # exact distance at the sampled minimum
    pairs = np.unique(np.concatenate((i, j)))
    sats = {int(k): arrays.satrec(int(k)) for k in pairs}
    lookup = [sats.get(k) for k in range(len(arrays))] if len(pairs) else []
    r_max = arrays.max_radius_km()
    err, pos, vel = states_at(lookup, np.concatenate((i, j)), np.concatenate((t, t)),
                              jd0, fr0, r_max)
    n = len(i)
    good = (err[:n] == 0) & (err[n:] == 0)
    fo = np.zeros(int(good.sum()), FORMATION_DTYPE)
    swap = objects.norad_cat_id[j] < objects.norad_cat_id[i]
    a, b = np.where(swap, j, i)[good], np.where(swap, i, j)[good]
    fo["idx_1"], fo["idx_2"] = a, b
    fo["norad_cat_id_1"], fo["norad_cat_id_2"] = objects.norad_cat_id[a], objects.norad_cat_id[b]
    fo["min_distance_m"] = np.linalg.norm(pos[n:] - pos[:n], axis=1)[good] * 1000.0
    fo["rel_speed_m_s"] = np.linalg.norm(vel[n:] - vel[:n], axis=1)[good] * 1000.0
    fo["time_us"] = start_us + np.round(t[good] * 1e6).astype(np.int64)
    return fo


def _failures(outputs, objects: ObjectTable, start_us: int) -> list[PropagationFailure]:
    first: dict[int, tuple[float, int]] = {}
    for o in outputs:
        for k, ts, code in zip(o.fail_obj.tolist(), o.fail_t_s.tolist(),
                               o.fail_code.tolist(), strict=True):
            if k not in first or ts < first[k][0]:
                first[k] = (ts, code)
    return [PropagationFailure(
        int(objects.norad_cat_id[k]),
        iso_ms(start_us + round(ts * 1e6)),
        int(code), ERROR_MESSAGES.get(int(code), "unknown"))
        for k, (ts, code) in sorted(first.items())]

"""Batched SGP4/SDP4 through python-sgp4's ``SatrecArray`` (Vallado's C++), chunked
over objects and times so that memory stays bounded; per-object errors as data.

Shapes: ``(n_objects, n_times, 3)`` for positions (km, TEME) and velocities (km/s, TEME);
``(n_objects, n_times)`` uint8 error codes, python-sgp4's ``SGP4_ERRORS`` table.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from sgp4.api import SGP4_ERRORS, WGS72, Satrec, SatrecArray

from orbitwatch.core.constants import EARTH_RADIUS_KM
from orbitwatch.core.time import split_jd_after
from orbitwatch.formats.elements import ElementSet

#: SGP4 error code of a satellite that has decayed (mrt < 1 Earth radius).
DECAYED = 6
_DEG = math.pi / 180.0
_XPDOTP = 1440.0 / (2.0 * math.pi)  # rev/day per rad/min
_SGP4_EPOCH_JD = 2433281.5  # sgp4init's epoch is days since 1949-12-31 00:00 UT


def init_satrec(norad_cat_id: int, epoch_jd: tuple[float, float], bstar: float,
                mean_motion_dot: float, mean_motion_ddot: float, eccentricity: float,
                arg_of_pericenter_deg: float, inclination_deg: float, mean_anomaly_deg: float,
                mean_motion_rev_day: float, ra_of_asc_node_deg: float) -> Satrec:
    """Initialise a Satrec from mean elements in OMM units (WGS72 constants, 'i' improved
    mode); ``epoch_jd`` is the split UTC Julian date of the epoch.

    Catalog numbers above 339,999 have no Satrec form; they are initialised as 0 and
    the real number stays with the caller. The epoch is set exactly from the split
    Julian date, as ``twoline2rv`` does.
    """
    jd, fr = epoch_jd
    sat = Satrec()
    sat.sgp4init(
        WGS72, "i",
        norad_cat_id if norad_cat_id <= 339_999 else 0,
        # Same expression as Vallado's twoline2rv, so results match the reference
        # bit for bit (the rounding of this sum moves near-parabolic orbits by mm).
        (jd + fr) - _SGP4_EPOCH_JD,
        bstar,
        mean_motion_dot / (_XPDOTP * 1440.0),
        mean_motion_ddot / (_XPDOTP * 1440.0 * 1440.0),
        eccentricity,
        arg_of_pericenter_deg * _DEG,
        inclination_deg * _DEG,
        mean_anomaly_deg * _DEG,
        mean_motion_rev_day / _XPDOTP,
        ra_of_asc_node_deg * _DEG,
    )
    sat.jdsatepoch, sat.jdsatepochF = jd, fr
    return sat


def satrec_from_elements(es: ElementSet) -> Satrec:
    """An initialised Satrec of one element set (:func:`init_satrec`)."""
    return init_satrec(es.norad_cat_id, es.epoch_jd, es.bstar, es.mean_motion_dot,
                       es.mean_motion_ddot, es.eccentricity, es.arg_of_pericenter,
                       es.inclination, es.mean_anomaly, es.mean_motion, es.ra_of_asc_node)


@dataclass(slots=True)
class PropagationChunk:
    """One block of a propagation: objects ``object_slice`` x times ``time_slice``."""

    object_slice: slice
    time_slice: slice
    error: np.ndarray  # (n_obj, n_t) uint8
    position_teme_km: np.ndarray  # (n_obj, n_t, 3)
    velocity_teme_km_s: np.ndarray  # (n_obj, n_t, 3)


def iter_propagate(
    satrecs: Sequence[Satrec],
    jd: np.ndarray,
    fr: np.ndarray,
    *,
    max_block_states: int = 2_000_000,
) -> Iterator[PropagationChunk]:
    """Propagate every satellite to every time, one bounded block at a time.

    ``jd`` and ``fr`` are the split UTC Julian dates of the times. A block holds at
    most ``max_block_states`` object-time states (about 56 bytes each), so memory
    does not grow with the catalog or the window.
    """
    jd = np.ascontiguousarray(jd, dtype=np.float64)
    fr = np.ascontiguousarray(fr, dtype=np.float64)
    n_obj, n_t = len(satrecs), len(jd)
    if n_obj == 0 or n_t == 0:
        return
    times_per_block = max(1, min(n_t, max_block_states))
    objects_per_block = max(1, max_block_states // times_per_block)
    for o0 in range(0, n_obj, objects_per_block):
        block = SatrecArray(list(satrecs[o0 : o0 + objects_per_block]))
        for t0 in range(0, n_t, times_per_block):
            t1 = min(n_t, t0 + times_per_block)
            e, r, v = block.sgp4(jd[t0:t1], fr[t0:t1])
            yield PropagationChunk(slice(o0, o0 + len(r)), slice(t0, t1), e, r, v)


def propagate_teme(
    satrecs: Sequence[Satrec], jd: np.ndarray, fr: np.ndarray, *, max_block_states: int = 2_000_000
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All states at once: ``(error, position_teme_km, velocity_teme_km_s)``.

    Failed states hold NaN; see :func:`iter_propagate` to bound memory.
    """
    n_obj, n_t = len(satrecs), len(jd)
    err = np.zeros((n_obj, n_t), dtype=np.uint8)
    pos = np.full((n_obj, n_t, 3), np.nan)
    vel = np.full((n_obj, n_t, 3), np.nan)
    for c in iter_propagate(satrecs, jd, fr, max_block_states=max_block_states):
        err[c.object_slice, c.time_slice] = c.error
        pos[c.object_slice, c.time_slice] = c.position_teme_km
        vel[c.object_slice, c.time_slice] = c.velocity_teme_km_s
    # a state SGP4 calls good must be a number
    err[(err == 0) & ~np.isfinite(pos).all(axis=-1)] = IMPLAUSIBLE
    return err, pos, vel


def summarize_errors(error: np.ndarray) -> dict[str, int]:
    """Count failing objects by SGP4 error message (an object counts once, by the
    first error code it hit)."""
    failed = error != 0
    rows = np.flatnonzero(failed.any(axis=1))
    first = error[rows, failed[rows].argmax(axis=1)] if len(rows) else np.array([], np.uint8)
    codes, counts = np.unique(first, return_counts=True)
    return {f"{SGP4_ERRORS[int(c)]} (code {int(c)})": int(n)
            for c, n in zip(codes, counts, strict=True)}


#: Our error code for a state SGP4 returned without error but outside the range of
#: geocentric distance its mean elements allow (stale element sets of objects that have
#: re-entered can come back hundreds of thousands of km out).
IMPLAUSIBLE = 7
DIVERGED = 8
ERROR_MESSAGES = {
    **SGP4_ERRORS,
    IMPLAUSIBLE: "state outside the orbit's radius range",
    DIVERGED: "trajectory not smooth between samples (element set diverged, re-entering)",
}


def flag_implausible(error: np.ndarray, position_km: np.ndarray, r_max_km: np.ndarray) -> None:
    """Set ``error`` (n, t) to IMPLAUSIBLE, in place, where a state without SGP4 error lies
    below the Earth's surface or beyond ``r_max_km`` (n,)."""
    r = np.sqrt(np.einsum("...k,...k->...", position_km, position_km))
    bad = (error == 0) & ((r < EARTH_RADIUS_KM) | (r > r_max_km[:, None]) | ~np.isfinite(r))
    error[bad] = IMPLAUSIBLE


def states_at(
    satrecs: Sequence[Satrec], obj: np.ndarray, t_s: np.ndarray, jd0: float, fr0: float,
    r_max_km: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """SGP4 states of ``satrecs[obj[k]]`` at ``t_s[k]`` seconds after the split Julian date
    ``(jd0, fr0)``: ``(error (k,), position_teme_km (k, 3), velocity_teme_km_s (k, 3))``."""
    n = len(obj)
    err = np.zeros(n, np.uint8)
    pos = np.empty((n, 3))
    vel = np.empty((n, 3))
    if n == 0:
        return err, pos, vel
    order = np.argsort(obj, kind="stable")
    sorted_obj = obj[order]
    bounds = np.flatnonzero(np.diff(sorted_obj)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [n]))
    jd, fr = split_jd_after(jd0, fr0, t_s)
    for a, b in zip(starts, ends, strict=True):
        idx = order[a:b]
        e, r, v = satrecs[int(sorted_obj[a])].sgp4_array(jd[idx], fr[idx])
        err[idx], pos[idx], vel[idx] = e, r, v
    flag_implausible(err[:, None], pos[:, None, :], r_max_km[obj])
    return err, pos, vel

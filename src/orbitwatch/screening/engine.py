"""The screening run over one window: time chunks screened in worker processes.

Per chunk: SGP4 samples of every object every ``sample_s`` (python-sgp4's SatrecArray),
a per-object interpolation-error bound, the spatial-hash sweep over detection
intervals of ``step_s`` (kernels.sweep), and Newton refinement of the candidates on
exact SGP4 states (refine.refine_tca). Chunks are independent, so they run on all cores;
python-sgp4 holds the GIL, hence processes rather than threads.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sgp4.api import SatrecArray

from orbitwatch.core.processes import usable_cpus
from orbitwatch.core.time import split_jd_after
from orbitwatch.propagation.element_arrays import ElementArrays
from orbitwatch.propagation.frames import rtn_basis
from orbitwatch.propagation.sgp4_batch import DIVERGED, flag_implausible
from orbitwatch.screening import kernels
from orbitwatch.screening.executors import run_locally, run_on_dask
from orbitwatch.screening.refine import refine_tca
from orbitwatch.screening.results import EVENT_DTYPE
from orbitwatch.screening.volume import VolumePolicy

#: One approach found twice (from two guesses, or by two neighbouring chunks): the same
#: pair with TCAs this close (s). Two real approaches of one pair are half an orbit
#: apart; formation pairs, which could be closer, are not events.
DUPLICATE_S = 1.0


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """Numerical settings (docs/screening.md says how each enters the detection bound)."""

    step_s: float = 60.0  # detection interval (docs/screening.md: why 60 s at every size)
    sample_s: float = 240.0  # SGP4 sample spacing; Hermite in between
    chunk_s: float = 6 * 3600.0  # time per work unit
    slow_km_s: float = 0.010  # below this relative speed a pair is a formation pair
    error_safety: float = 3.0  # factor on the estimated interpolation error
    error_floor_km: float = 0.020  # GEO resonance steps: up to 11 m seen at 240 s
    diverged_km: float = 50.0  # an error estimate above this is no orbit (code DIVERGED)
    workers: int | None = None  # None: all cores
    dask_address: str | None = None  # a Dask scheduler (tcp://host:8786): run chunks there


@dataclass(slots=True)
class ChunkOutput:
    """Findings of the chunk [start_s, end_s]; times in s from the window start.

    ``events`` are rows of the run's event table (EVENT_DTYPE): approaches within the
    volume and the window, object 1 the primary (or the lower catalog number), each once
    within the chunk, in TCA order (then object rows); ``tca_s`` their TCAs. Everything
    per approach is done here, in the workers: the parent only joins the chunks, comparing
    the rows within DUPLICATE_S of a bound two chunks share (screening.api)."""

    start_s: float
    end_s: float
    events: np.ndarray
    tca_s: np.ndarray
    slow_i: np.ndarray
    slow_j: np.ndarray
    slow_t_s: np.ndarray
    slow_d_km: np.ndarray
    fail_obj: np.ndarray
    fail_t_s: np.ndarray
    fail_code: np.ndarray
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Samples:
    """SGP4 samples of every object over a span, time-major for the kernels.

    ``position_km`` / ``velocity_km_s`` (n_t, n_obj, 3) TEME, zero where not ``ok``;
    ``ok`` (n_t, n_obj): no failure at or before the sample (once an object has failed
    it stays failed: SGP4 can return states again after reporting decay, from mean
    elements that have diverged); ``error`` (n_obj, n_t) codes (``ERROR_MESSAGES``);
    ``pos_err_km`` (n_obj,) the interpolation-error bound the sweep pads with.
    """

    t_s: np.ndarray
    error: np.ndarray
    ok: np.ndarray
    position_km: np.ndarray
    velocity_km_s: np.ndarray
    pos_err_km: np.ndarray


def sample_states(array: SatrecArray, r_max_km: np.ndarray, jd0: float, fr0: float,
                  start_s: float, end_s: float, st: EngineSettings) -> Samples:
    """SGP4 every ``st.sample_s`` over [start_s, end_s] (s after the split date jd0, fr0),
    implausible states flagged, and each object's Hermite interpolation-error bound
    (``kernels.interpolation_error`` x ``error_safety`` + ``error_floor_km``)."""
    n_samples = math.ceil((end_s - start_s) / st.sample_s) + 1
    t_samples = start_s + st.sample_s * np.arange(n_samples)
    err, pos, vel = array.sgp4(*split_jd_after(jd0, fr0, t_samples))
    flag_implausible(err, pos, r_max_km)
    ok = np.ascontiguousarray(np.logical_and.accumulate(err == 0, axis=1).T)
    pos = np.ascontiguousarray(pos.transpose(1, 0, 2))
    vel = np.ascontiguousarray(vel.transpose(1, 0, 2))
    estimate, _ = kernels.interpolation_error(pos, vel, ok, st.sample_s, st.diverged_km)
    pos[~ok] = 0.0
    vel[~ok] = 0.0
    return Samples(t_samples, err, ok, pos, vel, estimate * st.error_safety + st.error_floor_km)


class _Context:
    """Per-process state: the satellites, built once per worker."""

    def __init__(self, elements: ElementArrays, jd0: float, fr0: float, start_us: int,
                 window_s: float, primary: np.ndarray, radius_km: float,
                 settings: EngineSettings, policy: VolumePolicy, regime: np.ndarray) -> None:
        self.satrecs = elements.satrecs()
        self.norad = elements.norad_cat_id
        self.epoch_us = elements.epoch_us
        self.start_us, self.window_s = start_us, window_s
        self.policy, self.regime = policy, regime
        self.array = SatrecArray(self.satrecs)
        self.r_max = elements.max_radius_km()
        self.jd0, self.fr0 = jd0, fr0
        self.primary = primary
        self.radius_km = radius_km
        self.settings = settings

    def screen_chunk(self, start_s: float, end_s: float) -> ChunkOutput:
        st = self.settings
        sm = sample_states(self.array, self.r_max, self.jd0, self.fr0, start_s, end_s, st)
        t_samples, err, ok, pos, vel, pos_err = (sm.t_s, sm.error, sm.ok, sm.position_km,
                                                 sm.velocity_km_s, sm.pos_err_km)
        n_samples = len(t_samples)
        del sm
        failed_rows = np.flatnonzero(~ok[-1])
        first = (~ok[:, failed_rows]).argmax(axis=0)
        fail_t = t_samples[first]
        fail_code = err[failed_rows, first]
        fail_code[fail_code == 0] = DIVERGED
        n_steps = math.ceil((end_s - start_s) / st.step_s - 1e-9)
        count, ci, cj, ct, cd, cf = kernels.sweep(
            pos, vel, ok, st.sample_s, st.step_s, n_steps, pos_err, self.radius_km,
            st.slow_km_s, self.primary, 1 << 16)
        ci, cj, ct, cd, cf = ci[:count], cj[:count], ct[:count] + start_s, cd[:count], cf[:count]
        slow = cf != 0
        # one guess per pair and interval neighbourhood: the closest chord. Slow chords
        # are refined too (not the still ones): an approach's class (event, or formation
        # pair) is decided by its relative speed at TCA, which a chord's mean speed only
        # approximates, so that the class does not depend on where the intervals fall
        moving = cf != kernels.FLAG_STILL
        fi, fj, ft = ci[moving], cj[moving], ct[moving]
        order = np.lexsort((ft, fj, fi))
        fi, fj, ft = fi[order], fj[order], ft[order]
        new = first_of_each(fi, fj, ft, st.step_s)
        fi, fj, ft = fi[new], fj[new], ft[new]
        # closest approach on the interpolants first: a pair whose interpolated distance
        # stays beyond the radius plus both error bounds cannot come within the radius;
        # the others start the exact refinement a few ms from their TCA
        t_h, d_h, conv = kernels.interpolated_tca(
            pos, vel, ok, st.sample_s, fi, fj, ft - start_s, st.step_s,
            (n_samples - 1) * st.sample_s)
        del pos, vel, ok
        far = conv & (d_h > self.radius_km + pos_err[fi] + pos_err[fj] + 1e-3)
        guess = np.where(conv, t_h + start_s, ft)
        fi, fj, guess = fi[~far], fj[~far], guess[~far]
        ref = refine_tca(self.satrecs, fi, fj, guess, self.jd0, self.fr0,
                         self.r_max, max_step_s=st.step_s)
        miss = np.linalg.norm(ref.position_2_km - ref.position_1_km, axis=1)
        speed = np.linalg.norm(ref.velocity_2_km_s - ref.velocity_1_km_s, axis=1)
        within = (ref.converged & (miss <= self.radius_km)
                  & (ref.tca_s >= start_s - 1.0) & (ref.tca_s < end_s + 1.0))
        keep = within & (speed >= st.slow_km_s)
        slower = within & ~keep  # within the radius, but a formation pair at TCA
        si, sj, stt, sd = min_per_pair(np.concatenate((ci[slow], fi[slower])),
                                       np.concatenate((cj[slow], fj[slower])),
                                       np.concatenate((ct[slow], ref.tca_s[slower])),
                                       np.concatenate((cd[slow], miss[slower])))
        counts = {
            "candidates": int((~slow).sum()),
            "formation_records": int(slow.sum()),
            "beyond_on_interpolants": int(far.sum()),
            "refined": len(fi),
            "not_converged": int((~ref.converged & ~ref.failed).sum()),
            "refine_propagation_failed": int(ref.failed.sum()),
        }
        a = orient_and_measure(fi[keep], fj[keep], ref.position_1_km[keep],
                               ref.velocity_1_km_s[keep], ref.position_2_km[keep],
                               ref.velocity_2_km_s[keep], self.primary, self.norad,
                               self.regime, self.policy)
        inside = np.flatnonzero(a.least <= 1.0)
        tca_s = ref.tca_s[keep]
        # each approach once (the earliest of its TCAs), then those within the window
        rows = inside[np.lexsort((tca_s[inside], a.j[inside], a.i[inside]))]
        t = tca_s[rows]
        once = first_of_each(a.i[rows], a.j[rows], t, DUPLICATE_S) & (t >= 0.0) & (
            t <= self.window_s)
        rows, t = rows[once], t[once]
        by_tca = np.lexsort((a.j[rows], a.i[rows], t))
        rows, t = rows[by_tca], t[by_tca]
        return ChunkOutput(start_s, end_s, self.event_rows(a, rows, t), t,
                           si, sj, stt, sd, failed_rows, fail_t, fail_code, counts)

    def event_rows(self, a: Approaches, rows: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Approaches ``rows`` of ``a``, at ``t`` s from the window start, as event rows."""
        i, j = a.i[rows], a.j[rows]
        r1, v1, r2, v2 = a.r1[rows], a.v1[rows], a.r2[rows], a.v2[rows]
        ev = np.zeros(len(rows), EVENT_DTYPE)
        tca_us = self.start_us + np.round(t * 1e6).astype(np.int64)
        ev["idx_1"], ev["idx_2"] = i, j
        ev["norad_cat_id_1"], ev["norad_cat_id_2"] = self.norad[i], self.norad[j]
        ev["tca_us"] = tca_us
        ev["miss_m"] = np.linalg.norm(r2 - r1, axis=1) * 1000.0
        ev["rel_speed_m_s"] = np.linalg.norm(v2 - v1, axis=1) * 1000.0
        ev["miss_r_m"], ev["miss_t_m"], ev["miss_n_m"] = (a.miss_rtn[rows] * 1000.0).T
        ev["dse_1_days"] = (tca_us - self.epoch_us[i]) / 86_400e6
        ev["dse_2_days"] = (tca_us - self.epoch_us[j]) / 86_400e6
        ev["entry_s"], ev["exit_s"] = a.entry[rows], a.exit[rows]
        ev["r1_km"], ev["v1_km_s"], ev["r2_km"], ev["v2_km_s"] = r1, v1, r2, v2
        return ev


@dataclass(slots=True)
class Approaches:
    i: np.ndarray
    j: np.ndarray
    r1: np.ndarray
    v1: np.ndarray
    r2: np.ndarray
    v2: np.ndarray
    miss_rtn: np.ndarray  # km, object 2 - object 1 in object 1's RTN frame
    least: np.ndarray  # least scaled distance in the volume (<= 1: inside)
    entry: np.ndarray  # volume entry and exit, s from TCA
    exit: np.ndarray


def orient_and_measure(i, j, r1, v1, r2, v2, primary: np.ndarray, norad: np.ndarray,
                       regime: np.ndarray, policy: VolumePolicy) -> Approaches:
    """Approaches at TCA with object 1 the primary (between two primaries or in all vs
    all, the lower catalog number), the miss and relative velocity in object 1's RTN
    frame, and the primary's regime's volume: least scaled distance, entry and exit."""
    swap = (primary[j] & ~primary[i]) | ((primary[i] == primary[j]) & (norad[j] < norad[i]))
    i, j = np.where(swap, j, i), np.where(swap, i, j)
    r1, r2 = np.where(swap[:, None], r2, r1), np.where(swap[:, None], r1, r2)
    v1, v2 = np.where(swap[:, None], v2, v1), np.where(swap[:, None], v1, v2)
    basis = rtn_basis(r1, v1) if len(i) else np.empty((0, 3, 3))
    miss_rtn = np.einsum("nij,nj->ni", basis, r2 - r1)
    vel_rtn = np.einsum("nij,nj->ni", basis, v2 - v1)
    least = np.full(len(i), np.inf)
    entry = np.full(len(i), np.nan)
    exit_ = np.full(len(i), np.nan)
    regimes = regime[i]
    for name in np.unique(regimes):
        sel = regimes == name
        least[sel], entry[sel], exit_[sel] = policy.for_regime(name).scaled_min_and_crossing(
            miss_rtn[sel], vel_rtn[sel])
    return Approaches(i, j, r1, v1, r2, v2, miss_rtn, least, entry, exit_)


def first_of_each(i: np.ndarray, j: np.ndarray, t: np.ndarray, gap_s: float) -> np.ndarray:
    """For rows sorted by pair (i, j), then time ``t`` (s): True for each row that starts
    a new pair or comes more than ``gap_s`` after the pair's previous row."""
    new = np.ones(len(i), bool)
    new[1:] = (i[1:] != i[:-1]) | (j[1:] != j[:-1]) | (t[1:] - t[:-1] > gap_s)
    return new


def min_per_pair(
    i: np.ndarray, j: np.ndarray, t: np.ndarray, d: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The record of least distance ``d`` for each pair (i, j)."""
    if len(i) == 0:
        return i, j, t, d
    order = np.lexsort((d, j, i))
    i, j, t, d = i[order], j[order], t[order], d[order]
    first = np.ones(len(i), bool)
    first[1:] = (i[1:] != i[:-1]) | (j[1:] != j[:-1])
    return i[first], j[first], t[first], d[first]


#: Chunks per worker at least (local pool or cluster): the last round then leaves at
#: most a third of the workers idle, and a worker that is slow or lost holds a small
#: share of the run. 6 h chunks over 7 days are 28: two rounds on 16 workers, the
#: second with 12 idle (the issue's measured 34% efficiency at 16).
CHUNKS_PER_WORKER = 3


def chunk_bounds(window_s: float, chunk_s: float, step_s: float) -> list[tuple[float, float]]:
    """Split [0, window_s] into chunks whose length is a multiple of the step and more
    than 2 DUPLICATE_S (rows near one bound are then never near the other)."""
    chunk_s = max(step_s, round(chunk_s / step_s) * step_s)
    chunk_s *= max(1, math.ceil(4 * DUPLICATE_S / chunk_s))
    edges = [*list(np.arange(0.0, window_s, chunk_s)), window_s]
    return [(float(a), float(b)) for a, b in itertools.pairwise(edges)]


def chunks_for(window_s: float, settings: EngineSettings, workers: int,
               per_worker: int = CHUNKS_PER_WORKER) -> list[tuple[float, float]]:
    """The window's chunks for ``workers`` parallel workers: at least ``per_worker``
    each, none longer than ``settings.chunk_s``."""
    chunk_s = min(settings.chunk_s, window_s / (per_worker * max(1, workers)))
    return chunk_bounds(window_s, chunk_s, settings.step_s)


def run_chunks(
    elements: ElementArrays, jd0: float, fr0: float, start_us: int, window_s: float,
    primary: np.ndarray, radius_km: float, settings: EngineSettings,
    policy: VolumePolicy, regime: np.ndarray,
    progress: Callable[[int, int], None] | None = None,
) -> list[ChunkOutput]:
    """Screen every chunk of the window: on the Dask cluster when the settings name one,
    else in local worker processes when more than one (screening.executors)."""
    args = (elements, jd0, fr0, start_us, window_s, primary, radius_km, settings, policy,
            regime)
    if settings.dask_address:
        return run_on_dask(settings.dask_address, _Context, args,
                           lambda threads: chunks_for(window_s, settings, threads), progress)
    workers = max(1, settings.workers or usable_cpus())
    bounds = (chunks_for(window_s, settings, workers) if workers > 1
              else chunk_bounds(window_s, settings.chunk_s, settings.step_s))
    workers = min(workers, len(bounds))
    return run_locally(_Context, args, bounds, workers, progress)

"""The sweep kernel's output does not depend on its starting room for candidates."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
from sgp4.api import SatrecArray

from orbitwatch.catalog.synth import synthesize
from orbitwatch.formats.elements import datetime_to_split_jd
from orbitwatch.propagation.sgp4_batch import satrec_from_elements
from orbitwatch.screening import kernels


def test_candidate_arrays_grow_without_changing_the_result():
    epoch = datetime(2026, 1, 1, tzinfo=UTC)
    elements = [o.elements for o in synthesize(1500, seed=3, epoch=epoch)]
    jd0, fr0 = datetime_to_split_jd(epoch)
    h = 240.0
    t = h * np.arange(math.ceil(3 * 3600 / h) + 1)
    err, pos, vel = SatrecArray([satrec_from_elements(e) for e in elements]).sgp4(
        np.full(len(t), jd0), fr0 + t / 86400.0)
    ok = np.ascontiguousarray((err == 0).T)
    pos = np.ascontiguousarray(pos.transpose(1, 0, 2))
    vel = np.ascontiguousarray(vel.transpose(1, 0, 2))
    est, _ = kernels.interpolation_error(pos, vel, ok, h, 50.0)
    pad = est * 3 + 0.02
    primary = np.zeros(len(elements), bool)
    runs = [kernels.sweep(pos, vel, ok, h, 60.0, 180, pad, 5.0, 0.01, primary, cap)
            for cap in (1, 1 << 20)]
    (n_small, *small), (n_big, *big) = runs
    assert n_small == n_big > 50
    for a, b in zip(small, big, strict=True):
        assert np.array_equal(a[:n_small], b[:n_big])

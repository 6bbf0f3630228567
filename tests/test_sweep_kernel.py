"""The sweep kernel's output does not depend on its starting room for candidates."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from orbitwatch.catalog.synth import synthesize
from orbitwatch.core.time import datetime_to_split_jd
from orbitwatch.propagation.element_arrays import ElementArrays
from orbitwatch.screening import EngineSettings, kernels
from orbitwatch.screening.engine import sample_states


def test_candidate_arrays_grow_without_changing_the_result():
    epoch = datetime(2026, 1, 1, tzinfo=UTC)
    elements = [o.elements for o in synthesize(1500, seed=3, epoch=epoch)]
    jd0, fr0 = datetime_to_split_jd(epoch)
    st = EngineSettings()
    arrays = ElementArrays.from_element_sets(elements)
    sm = sample_states(arrays.satrec_array(), arrays.max_radius_km(), jd0, fr0, 0.0,
                       3 * 3600.0, st)
    primary = np.zeros(len(elements), bool)
    n_steps = round(3 * 3600.0 / st.step_s)
    runs = [kernels.sweep(sm.position_km, sm.velocity_km_s, sm.ok, st.sample_s, st.step_s,
                          n_steps, sm.pos_err_km, 5.0, st.slow_km_s, primary, cap)
            for cap in (1, 1 << 20)]
    (n_small, *small), (n_big, *big) = runs
    assert n_small == n_big > 50
    for a, b in zip(small, big, strict=True):
        assert np.array_equal(a[:n_small], b[:n_big])

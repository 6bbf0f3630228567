"""Monte Carlo Pc (two-body) against CARA's Monte Carlo for the Alfano 2009 cases, and
the Kepler propagator it rests on."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from orbitwatch.core.constants import MU_M3_S2
from orbitwatch.core.twobody import kepler_positions
from orbitwatch.risk.montecarlo import pc_monte_carlo


def test_kepler_quarter_orbit_and_energy():
    r = 7000e3
    v = math.sqrt(MU_M3_S2 / r)
    period = 2 * math.pi * math.sqrt(r**3 / MU_M3_S2)
    p = kepler_positions(np.array([r, 0, 0.0]), np.array([0, v, 0.0]),
                         np.array([period / 4, period / 2]))
    assert np.allclose(p, [[0, r, 0], [-r, 0, 0]], atol=1e-3)
    r0, v0 = np.array([6800e3, 100e3, 50e3]), np.array([100.0, 9000.0, 1500.0])
    t = np.array([300.0, 3000.0, 9000.0])
    h = 1e-3
    p, q = kepler_positions(r0, v0, t), kepler_positions(r0, v0, t + h)
    vel = (q - p) / h
    energy = 0.5 * (vel**2).sum(axis=1) - MU_M3_S2 / np.linalg.norm(p, axis=1)
    assert np.allclose(energy, 0.5 * v0 @ v0 - MU_M3_S2 / np.linalg.norm(r0), rtol=1e-6)


def _alfano(shared_data: Path, k: int, which: str):
    xlrd = pytest.importorskip("xlrd")
    path = (shared_data / "cara" / "AlfanoInputData" / "Alfano_2009_Test_Cases"
            / f"Case{k} data at {which}.xls")
    sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
    rows = [[v for v in sheet.row_values(r) if isinstance(v, float)] for r in range(sheet.nrows)]
    rows = [r for r in rows if r]
    title = str(sheet.cell_value(0, 0))
    return (title, np.array(rows[0] + rows[1]), np.array(rows[2:8]),
            np.array(rows[8] + rows[9]), np.array(rows[10:16]))


@pytest.mark.slow  # seconds per case: the whole suite runs them
@pytest.mark.parametrize("case", [5, 6, 7, 8])
def test_monte_carlo_agrees_with_cara(shared_data: Path, case: int):
    """Draws at epoch, two-body to TCA: within the 95 % intervals of both estimates."""
    table = (shared_data / "cara" / "alfano_2009_cases_expected_pc.csv").read_text()
    expected = {int(r["Case"]): r for r in csv.DictReader(table.splitlines())}[case]
    vectors = json.loads((shared_data / "cara" / "cara_unit_test_vectors.json").read_text())
    window = vectors["alfano_2009_cases_1_to_12"]["Pc3D_Hall_TLimit_s"][case - 1]
    title, *_ = _alfano(shared_data, case, "TCA")
    tca_after = float(re.search(r"TCA, (\d+) seconds", title).group(1))
    _, s1, c1, s2, c2 = _alfano(shared_data, case, "Epoch Time")
    mc = pc_monte_carlo(s1[:3], s1[3:], c1, s2[:3], s2[3:], c2, float(expected["HBR"]),
                        half_window_s=window / 2, tca_after_s=tca_after, draws=20_000)
    cara = float(expected["CARA_PcMC"])
    assert mc.low95 <= float(expected["CARA_PcMCHi95"]) and mc.high95 >= float(
        expected["CARA_PcMCLo95"]), f"case {case}: {mc} vs CARA {cara}"
    # the stated interval is the exact (Clopper-Pearson) one of hits / draws
    exact = stats.binomtest(mc.hits, mc.draws).proportion_ci(0.95, method="exact")
    assert (mc.low95, mc.high95) == pytest.approx((exact.low, exact.high), rel=1e-9)
    assert mc.pc == mc.hits / mc.draws and mc.draws == 20_000

"""Frames: Vallado et al. 2006 (AIAA 2006-6753) TEME example, and Skyfield as an
independent cross-check of geodetic positions and GCRS states."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from orbitwatch.core.time import datetime_to_split_jd
from orbitwatch.formats.tle import parse_tle
from orbitwatch.propagation import (
    EarthOrientation,
    itrf_to_geodetic,
    propagate,
    teme_to_gcrf,
    teme_to_itrf,
)

THIRTY_CM = 0.0003  # km
ONE_CM_S = 0.00001  # km/s

# AIAA 2006-6753 appendix C: 2004-04-06 07:51:28.386009 UTC, dUT1 -0.4399619 s,
# xp -0.140682", yp 0.333309", LOD 1.5563 ms.
EPOCH = datetime(2004, 4, 6, 7, 51, 28, 386009, tzinfo=UTC)
R_TEME = [5094.18016210, 6127.64465950, 6380.34453270]
V_TEME = [-4.746131487, 0.785818041, 5.531931288]
R_ITRF = [-1033.4793830, 7901.2952754, 6380.3565958]
V_ITRF = [-3.225636520, -2.872451450, 5.531924446]
R_GCRF = [5102.508958, 6123.011401, 6378.136928]
V_GCRF = [-4.743220157, 0.790536497, 5.533755727]


def _vallado_eop() -> EarthOrientation:
    def const(x: float) -> np.ndarray:
        return np.array([x, x])

    return EarthOrientation(np.array([50000.0, 60000.0]), const(-0.140682), const(0.333309),
                            const(-0.4399619), const(0.0015563), source="AIAA 2006-6753")


def test_teme_to_itrf_matches_vallado_2006() -> None:
    jd, fr = datetime_to_split_jd(EPOCH)
    r, v = teme_to_itrf(np.array([R_TEME]), np.array([V_TEME]), [jd], [fr], _vallado_eop())
    np.testing.assert_allclose(r[0], R_ITRF, rtol=0, atol=THIRTY_CM)
    np.testing.assert_allclose(v[0], V_ITRF, rtol=0, atol=ONE_CM_S)


def test_teme_to_gcrf_matches_vallado_2006() -> None:
    jd, fr = datetime_to_split_jd(EPOCH)
    r, v = teme_to_gcrf(np.array([R_TEME]), np.array([V_TEME]), [jd], [fr], _vallado_eop())
    np.testing.assert_allclose(r[0], R_GCRF, rtol=0, atol=THIRTY_CM)
    np.testing.assert_allclose(v[0], V_GCRF, rtol=0, atol=ONE_CM_S)


def test_polar_motion_changes_itrf_by_the_expected_amount() -> None:
    jd, fr = datetime_to_split_jd(EPOCH)
    with_pm, _ = teme_to_itrf(np.array([R_TEME]), np.array([V_TEME]), [jd], [fr], _vallado_eop())
    no_pm = EarthOrientation(np.array([5e4, 6e4]), np.zeros(2), np.zeros(2),
                             np.full(2, -0.4399619), np.full(2, 0.0015563))
    without, _ = teme_to_itrf(np.array([R_TEME]), np.array([V_TEME]), [jd], [fr], no_pm)
    shift_m = np.linalg.norm(with_pm - without) * 1000
    # 0.36" of pole offset at 10,200 km from the centre is about 18 m.
    assert 5 < shift_m < 25


def test_geodetic_of_known_points() -> None:
    lat, lon, h = itrf_to_geodetic(np.array([[6378.137, 0, 0], [0, 0, 6356.752314245],
                                             [0, 6378.137 + 500, 0]]))
    np.testing.assert_allclose(lat, [0, 90, 0], atol=1e-9)
    np.testing.assert_allclose(lon[[0, 2]], [0, 90], atol=1e-9)
    np.testing.assert_allclose(h, [0, 0, 500], atol=1e-9)


ISS = """ISS (ZARYA)
1 25544U 98067A   24001.50000000  .00016717  00000+0  30270-3 0  9994
2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.49815350432905
"""
MOLNIYA = """MOLNIYA 1-91
1 25485U 98054A   24001.52347569  .00000075  00000+0  00000+0 0  9999
2 25485  64.2218 226.7196 7224016 284.0779  12.1010  2.00576533185025
"""


@pytest.mark.parametrize("tle", [ISS, MOLNIYA], ids=["iss", "molniya"])
def test_geodetic_and_gcrf_agree_with_skyfield(tle: str) -> None:
    skyfield_api = pytest.importorskip("skyfield.api")
    es = parse_tle(tle, checksum_policy="ignore").records[0]
    ts = skyfield_api.load.timescale(builtin=True)
    times = [datetime(2024, 1, 1, h, 7, 13, tzinfo=UTC) for h in range(0, 24, 3)]
    t = ts.from_datetimes(times)
    sat = skyfield_api.EarthSatellite(*tle.splitlines()[1:3], ts=ts)
    geo = skyfield_api.wgs84.geographic_position_of(sat.at(t))
    dut1 = np.asarray(t.dut1)
    mjd = np.array([d.timestamp() / 86400 + 40587 for d in times])
    eop = EarthOrientation(mjd, np.zeros(len(mjd)), np.zeros(len(mjd)), dut1, np.zeros(len(mjd)))
    eph = propagate([es], times, frame="itrf", eop=eop)
    lat, lon, h = itrf_to_geodetic(eph.position_km[0])
    # 1e-5 deg is about 1 m on the ground; the two differ by sidereal-time model only.
    np.testing.assert_allclose(lat, geo.latitude.degrees, atol=2e-5)
    dlon = (lon - geo.longitude.degrees + 180) % 360 - 180
    np.testing.assert_allclose(dlon, 0, atol=2e-5)
    np.testing.assert_allclose(h, geo.elevation.km, atol=0.002)
    gcrf = propagate([es], times, frame="gcrf", eop=eop)
    np.testing.assert_allclose(gcrf.position_km[0], sat.at(t).position.km.T, atol=0.005)

"""The space environment: ESA's orbit classes at every boundary, densities that integrate
back to the objects, the space-weather reader's errors, NRLMSISE-00 against an
independent implementation, orbit decay against its closed form, re-entry predictions
that never read a decay date, disposal rules, and the commands' errors."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from orbitwatch.cli.main import cli
from orbitwatch.core.constants import EARTH_RADIUS_KM
from orbitwatch.environment import kernels
from orbitwatch.environment.census import time_fraction_below
from orbitwatch.environment.classes import ORBIT_CLASSES, object_class, orbit_class
from orbitwatch.environment.space_weather import read_space_weather
from orbitwatch.errors import InputError
from tests.env_helpers import sw_line, write_space_weather
from tests.service_helpers import synthetic_db


def _run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _cls(hp, ha, i, a=None, e=None) -> str:
    a = (hp + ha) / 2 + EARTH_RADIUS_KM if a is None else a
    e = (ha - hp) / (2 * a) if e is None else e
    return str(orbit_class(np.array([hp]), np.array([ha]), np.array([a]), np.array([e]),
                           np.array([i]))[0])


@pytest.mark.parametrize(("hp", "ha", "i", "a", "e", "expected"), [
    # GEO: i 0-25, hp and ha 35586-35986 (both bounds, each side)
    (35786, 35786, 0.1, None, None, "GEO"), (35586, 35986, 25.0, None, None, "GEO"),
    (35585.9, 35786, 0.1, None, None, "EGO"), (35786, 35986.1, 0.1, None, None, "EGO"),
    (35786, 35786, 25.1, None, None, "IGO"),
    # IGO / EGO: a 37948-46380, e < 0.25
    (35000, 36000, 30, 37948, 0.1, "IGO"), (35000, 36000, 30, 37947.9, 0.1, "OTHER"),
    (40000, 52000, 30, 46380, 0.24, "IGO"), (40000, 60000, 30, 46380.1, 0.2, "GHO"),
    (35000, 36000, 10, 42000, 0.25, "OTHER"),
    # NSO: i 50-70, hp and ha 18100-24300
    (20200, 20200, 55, None, None, "NSO"), (18100, 24300, 50, None, None, "NSO"),
    (20200, 20200, 49.9, None, None, "MEO"), (20200, 20200, 70.1, None, None, "MEO"),
    (18099.9, 20200, 55, None, None, "MEO"), (20200, 24300.1, 55, None, None, "MEO"),
    # GTO: i < 90, hp < 2000, ha 31570-40002
    (250, 35786, 27, None, None, "GTO"), (1999.9, 31570, 89.9, None, None, "GTO"),
    (250, 40002, 27, None, None, "GTO"), (250, 40002.1, 27, None, None, "HEO"),
    (250, 35786, 90, None, None, "OTHER"), (2000, 35786, 27, None, None, "MGO"),
    # MEO: hp and ha 2000-31570
    (2000, 31570, 10, None, None, "MEO"), (2000, 31570.1, 10, None, None, "MGO"),
    # GHO: hp 31570-40002, ha > 40002
    (31570, 40003, 10, 60000, 0.5, "GHO"), (40002, 40002.1, 10, 60000, 0.5, "GHO"),
    # LEO: hp and ha < 2000
    (400, 420, 51.6, None, None, "LEO"), (1999.9, 1999.9, 98, None, None, "LEO"),
    (1999.9, 2000, 98, None, None, "LMO"),
    # HAO: hp and ha > 40002
    (40002.1, 400000, 5, 300000, 0.5, "HAO"),
    # MGO: hp 2000-31570, ha 31570-40002
    (2000, 31570, 80, 30000, 0.3, "MEO"), (31569, 40002, 80, 30000, 0.1, "MGO"),
    # HEO: hp < 31570, ha > 40002
    (500, 40003, 63.4, 26600, 0.74, "HEO"), (31569.9, 40002.1, 63.4, 40000, 0.1, "IGO"),
    (31569.9, 40002.1, 63.4, 30000, 0.3, "HEO"),
    # LMO: hp < 2000, ha 2000-31570
    (300, 2000, 98, None, None, "LMO"), (1999.9, 31570, 98, None, None, "LMO"),
])
def test_every_orbit_class_boundary(hp, ha, i, a, e, expected):
    assert _cls(hp, ha, i, a, e) == expected


def test_the_classes_are_esas_twelve_and_first_match_wins():
    assert ORBIT_CLASSES == ("GEO", "IGO", "EGO", "NSO", "GTO", "MEO", "GHO", "LEO", "HAO",
                             "MGO", "HEO", "LMO")
    # an NSO orbit is also a MEO orbit: the earlier class names it
    assert _cls(20000, 20000, 55) == "NSO"


@pytest.mark.parametrize(("otype", "name", "expected"), [
    ("PAYLOAD", "ISS (ZARYA)", "PL"), ("ROCKET BODY", "CZ-2C R/B", "RB"),
    ("DEBRIS", "FENGYUN 1C DEB", "PD"), ("DEBRIS", "SL-16 R/B DEB", "RD"),
    ("UNKNOWN", "OBJECT A", "UI"), (None, "COSMOS 1408 DEB", "PD"),
    (None, "CZ-4B R/B", "RB"), (None, "OBJECT B", "UI"), (None, "STARLINK-1007", "PL"),
])
def test_object_classes(otype, name, expected):
    assert object_class(otype, name) == expected


def test_time_fraction_matches_sampled_mean_anomaly():
    a, e = 7500.0, 0.08
    rng = np.random.default_rng(3)
    mean_anomaly = rng.uniform(0, 2 * np.pi, 200_000)
    big_e = mean_anomaly.copy()
    for _ in range(30):  # Kepler's equation by Newton's method
        big_e -= (big_e - e * np.sin(big_e) - mean_anomaly) / (1 - e * np.cos(big_e))
    radius = a * (1 - e * np.cos(big_e))
    edges = np.linspace(a * (1 - e) - 10, a * (1 + e) + 10, 25)
    fraction = time_fraction_below(np.array([a]), np.array([e]), edges)[0]
    sampled = np.array([(radius < r).mean() for r in edges])
    assert np.abs(fraction - sampled).max() < 0.005
    assert fraction[0] == 0.0 and fraction[-1] == 1.0


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    return synthetic_db(tmp_path_factory.mktemp("env"), objects=400)


def test_densities_integrate_back_to_the_objects(small_db: Path):
    code, out, _ = _run("environment", "density", "--db", str(small_db), "--low", "0",
                        "--high", "500000", "--step", "500", "--format", "json")
    assert code == 0
    shells = json.loads(out)
    code, out, _ = _run("environment", "census", "--db", str(small_db), "--format", "json")
    total = sum(r["TOTAL"] for r in json.loads(out))
    assert sum(s["OBJECTS"] for s in shells) == pytest.approx(total, abs=1e-6)
    for s in shells[:20]:
        volume = 4 / 3 * math.pi * ((EARTH_RADIUS_KM + s["ALT_HIGH_KM"]) ** 3
                                    - (EARTH_RADIUS_KM + s["ALT_LOW_KM"]) ** 3)
        assert s["DENSITY_PER_KM3"] * volume == pytest.approx(s["OBJECTS"], rel=1e-9, abs=1e-12)
        by_class = sum(s[f"{c}_PER_KM3"] for c in ("PL", "PD", "RB", "RD", "UI"))
        assert by_class == pytest.approx(s["DENSITY_PER_KM3"], rel=1e-9, abs=1e-20)


def test_census_groups_count_every_object_once(small_db: Path):
    totals = set()
    for by in ("orbit-class", "object-class", "owner", "launch-year"):
        code, out, _ = _run("environment", "census", "--db", str(small_db), "--by", by,
                            "--format", "json")
        assert code == 0
        rows = json.loads(out)
        totals.add(sum(r["TOTAL"] for r in rows))
        assert all(r["TOTAL"] == r["PL"] + r["PD"] + r["RB"] + r["RD"] + r["UI"] for r in rows)
    assert len(totals) == 1 and totals.pop() > 300


def test_space_weather_errors_name_file_line_and_field(tmp_path: Path):
    good = sw_line(date(2020, 1, 1), 150.0, 150.0, 10)
    bad = tmp_path / "sw.txt"
    bad.write_text(f"BEGIN OBSERVED\n{good}\n{good[:112]}  abc {good[118:]}\nEND OBSERVED\n")
    with pytest.raises(InputError, match=r"sw.txt:3: field F10.7 OBS .*'abc'"):
        read_space_weather(bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("DATATYPE CssiSpaceWeather\n")
    with pytest.raises(InputError, match="not a CelesTrak space-weather file"):
        read_space_weather(empty)
    code, _, err = _run("lifetime", "--space-weather", str(empty), "--db",
                        str(synthetic_db(tmp_path, objects=50)))
    assert code == 2 and err.count("\n") == 1 and "not a CelesTrak" in err


def test_gaps_between_sections_are_interpolated(tmp_path: Path):
    path = tmp_path / "sw.txt"
    lines = [sw_line(date(2020, 1, 1) + timedelta(days=k), 100.0, 100.0, 5) for k in range(3)]
    later = [sw_line(date(2020, 1, 11), 200.0, 200.0, 15)]
    path.write_text("BEGIN OBSERVED\n" + "\n".join(lines) + "\nEND OBSERVED\nBEGIN "
                    "DAILY_PREDICTED\n" + "\n".join(later) + "\nEND DAILY_PREDICTED\n")
    w = read_space_weather(path)
    assert len(w.day) == 11 and w.section[5] == "INTERPOLATED"
    assert w.f107[6] == pytest.approx(100 + (200 - 100) * (6 - 2) / (10 - 2))
    assert w.last_observed == date(2020, 1, 3)


def test_satkits_nrlmsise00_agrees_with_an_independent_implementation(tmp_path: Path):
    nrlmsise00 = pytest.importorskip("nrlmsise00")
    import satkit

    from orbitwatch.environment.atmosphere import _gfz_table, _load_weather

    weather = read_space_weather(write_space_weather(tmp_path / "sw.txt", date(2019, 1, 1),
                                                     date(2023, 1, 1), f107=170.0, ap=12))
    _load_weather(_gfz_table(weather))
    for h, lat, lon in ((200, 0, 0), (400, 45, 90), (600, -30, 200), (800, 60, 300)):
        t = datetime(2021, 6, 1, 12)
        ours = satkit.nrlmsise00(float(h), latitude_deg=lat, longitude_deg=lon, time=t,
                                 use_spaceweather=True)[0]
        theirs = nrlmsise00.msise_model(t, h, lat, lon, 170.0, 170.0, 12.0,
                                        method="gtd7d")[0][5] * 1000.0  # g/cm^3 -> kg/m^3
        assert ours == pytest.approx(theirs, rel=0.05)


def test_circular_decay_follows_the_closed_form():
    # constant density, polar orbit (no co-rotation term), circular: da/dt = -B rho
    # sqrt(mu a), so 2 (sqrt(a0) - sqrt(a)) = B rho sqrt(mu) t
    rho, b = 1e-12, 0.02
    altitudes = np.array([0.0, 1000.0, 3000.0])
    days = np.array([0.0, 1e6])
    log_rho = np.full((2, 3), math.log(rho))
    a0 = kernels.R_EQ + 500.0
    radius = np.array([kernels.R_EQ])
    t_end = 365.25
    _, a_end, _ = kernels.decay(np.array([a0]), np.array([0.0]), np.array([0.0]), radius,
                                np.array([b]), np.array([0.0]), np.array([t_end]), days,
                                log_rho, log_rho[0], altitudes, 1.0, np.inf)
    k = b * rho * 1000.0 * math.sqrt(kernels.MU) * t_end * 86400.0
    expected = (math.sqrt(a0) - k / 2) ** 2
    assert a_end[0] == pytest.approx(expected, abs=0.05)  # km
    assert a0 - a_end[0] > 5.0  # it did decay


@pytest.fixture(scope="module")
def leo_db(tmp_path_factory) -> tuple[Path, Path]:
    """Three LEO objects as 3LE (epoch 2025-06-01) and a matching space-weather file."""
    from orbitwatch.formats.elements import ElementSet
    from orbitwatch.formats.tle import write_tle

    folder = tmp_path_factory.mktemp("leo")
    epoch = datetime(2025, 6, 1, tzinfo=UTC)
    sets = []
    for norad, name, n, ndot in ((70001, "LOW SAT", 15.95, 0.0005),
                                 (70002, "MID SAT", 15.2, 0.00002),
                                 (70003, "HIGH SAT", 14.3, 0.0000001)):
        sets.append(ElementSet(norad_cat_id=norad, object_name=name,
                               object_id=f"2025-0{norad - 69990}A", epoch=epoch,
                               mean_motion=n, eccentricity=0.0005, inclination=97.5,
                               ra_of_asc_node=10.0, arg_of_pericenter=20.0, mean_anomaly=30.0,
                               bstar=1e-4, mean_motion_dot=ndot, mean_motion_ddot=0.0))
    tle = folder / "leo.3le"
    tle.write_text(write_tle(sets))
    db = folder / "c.db"
    code, _, err = _run("catalog", "load", "--db", str(db), str(tle))
    assert code == 0, err
    sw = write_space_weather(folder / "sw.txt", date(2010, 1, 1), date(2040, 1, 1),
                             predicted_from=date(2025, 6, 2))
    return db, sw


def test_lifetime_orders_by_altitude_and_band_brackets(leo_db):
    db, sw = leo_db
    code, out, err = _run("lifetime", "--db", str(db), "--space-weather", str(sw),
                          "--format", "json", "--limit", "0")
    assert code == 0, err
    rows = {r["NORAD_CAT_ID"]: r for r in json.loads(out)}
    low, mid = rows[70001], rows[70002]
    assert low["DECAY_UTC"] < mid["DECAY_UTC"]
    assert low["BC_SOURCE"] == "NDOT"
    for r in (low, mid):
        assert r["DECAY_EARLY_UTC"] <= r["DECAY_UTC"] <= r["DECAY_LATE_UTC"]
        assert r["LIFETIME_YEARS"] > 0
    assert 0 < low["LIFETIME_YEARS"] < 1.0  # 15.95 rev/day: about 250 km


def test_the_interval_holds_the_models_measured_spread_when_the_weather_is_known(
        leo_db, tmp_path: Path):
    """A space-weather file observed to 2040: the weather to come adds nothing, yet the
    model and B still err (the hindcast's 10-90 % of predicted / true lifetime), so the
    interval is the nominal lifetime divided by those, not one day. Where B is not
    measured or the apogee is above LEO, the interval starts at the catalog time and the
    remark says why."""
    from dataclasses import replace

    from orbitwatch.core.orbit import mean_motion_rev_day
    from orbitwatch.environment.lifetime import MEASURED_SPREAD
    from orbitwatch.formats.elements import ElementSet
    from orbitwatch.formats.tle import write_tle

    db = tmp_path / "c.db"
    db.write_bytes(leo_db[0].read_bytes())
    unmeasured = ElementSet(  # a decaying mean motion that the fit got negative: no NDOT
        norad_cat_id=70004, object_name="NOISY SAT", object_id="2025-014A",
        epoch=datetime(2025, 6, 1, tzinfo=UTC), mean_motion=15.7, eccentricity=0.0005,
        inclination=97.5, ra_of_asc_node=10.0, arg_of_pericenter=20.0, mean_anomaly=30.0,
        bstar=2e-4, mean_motion_dot=-0.00001, mean_motion_ddot=0.0)
    a = 6378.137 + (200.0 + 5000.0) / 2  # km: perigee 200 km, apogee 5,000 km
    eccentric = replace(unmeasured, norad_cat_id=70005, object_name="ECCENTRIC SAT",
                        object_id="2025-015A", mean_motion=float(mean_motion_rev_day(a)),
                        eccentricity=4800.0 / (2 * a), mean_motion_dot=0.0005)
    (tmp_path / "noisy.3le").write_text(write_tle([unmeasured, eccentric]))
    assert _run("catalog", "load", "--db", str(db), str(tmp_path / "noisy.3le"))[0] == 0
    sw = write_space_weather(tmp_path / "observed.txt", date(2010, 1, 1), date(2040, 1, 1))
    code, out, err = _run("lifetime", "--db", str(db), "--space-weather", str(sw),
                          "--format", "json", "--limit", "0")
    assert code == 0, err
    rows = {r["NORAD_CAT_ID"]: r for r in json.loads(out)}
    at = date(2025, 6, 1)
    measured = [r for r in rows.values()
                if r["BC_SOURCE"] in ("NDOT", "HISTORY") and r["DECAY_UTC"]
                and r["APOGEE_KM"] < 2000]
    assert measured
    for r in measured:
        life = (date.fromisoformat(r["DECAY_UTC"]) - at).days
        early = (date.fromisoformat(r["DECAY_EARLY_UTC"]) - at).days
        late = (date.fromisoformat(r["DECAY_LATE_UTC"]) - at).days
        assert early == pytest.approx(life / MEASURED_SPREAD[1], abs=1.5)
        assert late == pytest.approx(life / MEASURED_SPREAD[0], abs=1.5)
        assert r["REMARK"] is None
    noisy = rows[70004]
    assert noisy["BC_SOURCE"] == "BSTAR" and noisy["DECAY_UTC"] > "2025-06-01"
    assert noisy["DECAY_EARLY_UTC"] == "2025-06-01" and "not measured" in noisy["REMARK"]
    high = rows[70005]  # drag measured, but lunisolar perturbations of perigee left out
    assert high["BC_SOURCE"] == "NDOT" and high["APOGEE_KM"] > 2000 and high["DECAY_UTC"]
    assert high["DECAY_EARLY_UTC"] == "2025-06-01" and "apogee above LEO" in high["REMARK"]


def test_predictions_never_read_a_future_decay_date(leo_db, tmp_path: Path):
    db, sw = leo_db
    _, before, _ = _run("lifetime", "--db", str(db), "--space-weather", str(sw), "--format",
                        "json", "--limit", "0")
    satcat = tmp_path / "satcat.csv"
    satcat.write_text("OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,"
                      "LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,"
                      "DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE\n"
                      "LOW SAT,2025-011A,70001,PAYLOAD,,US,2025-05-01,AFETR,2025-06-20,89,97.5,"
                      "260,250,1.0,,EA,ORB\n")
    copy = tmp_path / "c.db"
    copy.write_bytes(db.read_bytes())
    code, _, err = _run("catalog", "load", "--db", str(copy), str(satcat))
    assert code == 0, err
    _, after, _ = _run("lifetime", "--db", str(copy), "--space-weather", str(sw), "--format",
                       "json", "--limit", "0")
    strip = [{k: v for k, v in r.items() if k != "OBJECT_TYPE"} for r in json.loads(before)]
    assert strip == [{k: v for k, v in r.items() if k != "OBJECT_TYPE"}
                     for r in json.loads(after)]


def test_a_verdict_whose_deadline_is_within_the_re_entry_interval_says_so(tmp_path: Path):
    """US payloads launched in 2025 (the FCC's 5-year rule) at altitudes whose re-entry
    falls from months to decades away: each verdict decided by a deadline inside its
    re-entry interval says it is uncertain, and no other does."""
    from orbitwatch.formats.elements import ElementSet
    from orbitwatch.formats.tle import write_tle

    epoch = datetime(2025, 6, 1, tzinfo=UTC)
    numbers = range(70100, 70116)
    sets = [ElementSet(norad_cat_id=n, object_name=f"SAT {n}", object_id=f"2025-1{k:02d}A",
                       epoch=epoch, mean_motion=15.75 - 0.035 * k, eccentricity=0.0005,
                       inclination=97.5, ra_of_asc_node=10.0, arg_of_pericenter=20.0,
                       mean_anomaly=30.0, bstar=1e-4, mean_motion_dot=0.0002 * 0.8 ** k,
                       mean_motion_ddot=0.0)
            for k, n in enumerate(numbers)]
    (tmp_path / "sats.3le").write_text(write_tle(sets))
    header = ("OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,"
              "LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,"
              "DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE\n")
    (tmp_path / "satcat.csv").write_text(header + "".join(
        f"SAT {n},2025-1{k:02d}A,{n},PAYLOAD,,US,2025-05-01,AFETR,,90,97.5,400,400,1.0,,EA,"
        "ORB\n" for k, n in enumerate(numbers)))
    db = tmp_path / "c.db"
    assert _run("catalog", "load", "--db", str(db), str(tmp_path / "sats.3le"),
                str(tmp_path / "satcat.csv"))[0] == 0
    sw = write_space_weather(tmp_path / "sw.txt", date(2010, 1, 1), date(2060, 1, 1),
                             predicted_from=date(2025, 6, 2))
    code, out, err = _run("environment", "compliance", "--db", str(db), "--space-weather",
                          str(sw), "--format", "json", "--limit", "0")
    assert code == 0, err
    code, life, err = _run("lifetime", "--db", str(db), "--space-weather", str(sw),
                           "--format", "json", "--limit", "0")
    interval = {r["NORAD_CAT_ID"]: (r["DECAY_EARLY_UTC"], r["DECAY_LATE_UTC"])
                for r in json.loads(life)}
    uncertain = 0
    for row in json.loads(out):
        assert row["RULE"] == "FCC-5Y" and row["DEADLINE_UTC"] == "2030-06-01"
        early, late = interval[row["NORAD_CAT_ID"]]
        inside = early is not None and early <= "2030-06-01" and (late is None or
                                                                 late > "2030-06-01")
        assert ("uncertain" in (row["REASON"] or "")) == inside, row
        uncertain += inside
    assert 0 < uncertain < len(sets)


def test_compliance_states_rule_end_of_mission_and_verdict(leo_db, tmp_path: Path):
    db, sw = leo_db
    satcat = tmp_path / "satcat.csv"
    satcat.write_text("OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,"
                      "LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,"
                      "DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE\n"
                      "LOW SAT,2025-011A,70001,PAYLOAD,,US,2025-05-01,AFETR,,89,97.5,260,250,"
                      "1.0,,EA,ORB\n"
                      "MID SAT,2025-012A,70002,ROCKET BODY,,FR,2025-05-02,FRGUI,,94,97.5,480,"
                      "470,1.0,,EA,ORB\n"
                      "HIGH SAT,2025-013A,70003,PAYLOAD,,US,2024-01-02,AFETR,,100,97.5,840,830,"
                      "1.0,,EA,ORB\n")
    copy = tmp_path / "c.db"
    copy.write_bytes(db.read_bytes())
    assert _run("catalog", "load", "--db", str(copy), str(satcat))[0] == 0
    code, out, err = _run("environment", "compliance", "--db", str(copy), "--space-weather",
                          str(sw), "--format", "json", "--limit", "0")
    assert code == 0, err
    rows = {r["NORAD_CAT_ID"]: r for r in json.loads(out)}
    assert rows[70001]["RULE"] == "FCC-5Y" and rows[70001]["VERDICT"] == "COMPLIANT"
    assert rows[70001]["END_OF_MISSION_BASIS"].startswith("snapshot time")
    assert rows[70002]["RULE"] == "IADC-25Y"
    assert rows[70002]["END_OF_MISSION_UTC"] == "2025-05-02"
    # launched before the FCC rule: the 25-year guideline; 830 km stays up for centuries
    assert rows[70003]["RULE"] == "IADC-25Y" and rows[70003]["VERDICT"] == "NON_COMPLIANT"
    # a verdict against the object says why, also when no re-entry date is predicted
    high = rows[70003]
    assert high["REASON"] == ("in orbit beyond the re-entry model's 200-year horizon"
                              if high["DECAY_UTC"] is None
                              else "predicted re-entry after the deadline")
    code, out, err = _run("environment", "compliance", "--db", str(copy), "--space-weather",
                          str(sw), "--scorecard", "--format", "json")
    assert code == 0, err
    card = {r["OWNER"]: r for r in json.loads(out)}
    assert card["US"]["OBJECTS"] == 2 and card["US"]["DISPOSAL_JUDGED"] == 2
    assert card["US"]["COMPLIANT_SHARE"] == 0.5
    # one owner code, spaces and empty items around it: the same parse for every command
    for command in (("environment", "compliance"), ("lifetime",)):
        code, out, err = _run(*command, "--db", str(copy), "--space-weather", str(sw),
                              "--owner", " FR ,, ", "--format", "json", "--limit", "0")
        assert code == 0, err
        assert [r["NORAD_CAT_ID"] for r in json.loads(out)] == [70002]


def test_commands_on_an_empty_catalog_or_out_of_range_dates(tmp_path: Path, leo_db):
    from orbitwatch.catalog import CatalogStore

    db, sw = leo_db
    empty = tmp_path / "empty.db"
    CatalogStore(empty).close()
    for command in (["environment", "census"], ["lifetime", "--space-weather", str(sw)]):
        code, _, err = _run(*command, "--db", str(empty))
        assert code == 2 and "holds no element set" in err and err.count("\n") == 1
    code, _, err = _run("environment", "census", "--db", str(db), "--at", "1990-01-01")
    assert code == 2 and "no object" in err and err.count("\n") == 1
    short = write_space_weather(tmp_path / "short.txt", date(2024, 1, 1), date(2024, 12, 31))
    code, _, err = _run("lifetime", "--db", str(db), "--space-weather", str(short))
    assert code == 2 and "covers 2024-01-01 to 2024-12-31" in err


@pytest.mark.slow
def test_reentry_hindcast_of_the_2022_catalog(shared_data: Path, tmp_path: Path):
    """The issue's numbers: the 2022-01-25 catalog predicted without the SATCAT, against
    the decay dates of the 2025-03-06 SATCAT (Starlink left out)."""
    import subprocess
    import sys

    bench = Path(__file__).parent.parent / "benchmarks" / "bench_lifetime.py"
    out = subprocess.run([sys.executable, str(bench), "--db", str(tmp_path / "h.db")],
                         capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if "all that came down" in x)
    n = int(line.split("n=")[1].split()[0])
    median = float(line.split("median |error|")[1].split("%")[0])
    within = float(line.split("within 25%")[1].split("%")[0])
    early = float(out.rsplit("(", 1)[1].split("%")[0])
    assert n > 4000
    assert median <= 20.0 and within >= 70.0 and early <= 15.0
    # the printed interval is calibrated to hold about 80 % of the re-entries
    inside = float(out.split("DECAY_EARLY_UTC..DECAY_LATE_UTC:")[1].split("%")[0])
    assert 75.0 <= inside <= 90.0


def test_plots_of_density_belt_and_evolution(small_db: Path, tmp_path: Path):
    pytest.importorskip("matplotlib")
    for args, name in ((["density"], "d.png"), (["density", "--geo"], "g.png"),
                       (["evolution"], "e.png")):
        out = tmp_path / name
        code, _, err = _run("environment", *args, "--db", str(small_db), "--plot", str(out))
        assert code == 0, err
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000


def test_an_orbit_raised_against_drag_is_kept_by_manoeuvres(tmp_path: Path):
    """Two element sets ten days apart, the second 300 m higher, at 400 km where the
    newest set's drag (NDOT) would have lowered it by kilometres: only thrust raises an
    orbit, so B comes from the newest set and the prediction says it assumes the burns
    stop (before: NDOT too, but no word of it)."""
    from orbitwatch.catalog import CatalogStore, take_snapshot
    from orbitwatch.core.orbit import mean_motion_rev_day, semi_major_axis_km
    from orbitwatch.environment.lifetime import predict_lifetimes
    from orbitwatch.formats.elements import ElementSet
    from orbitwatch.formats.tle import write_tle

    weather = write_space_weather(tmp_path / "sw.txt", date(2010, 1, 1), date(2040, 1, 1),
                                  predicted_from=date(2025, 7, 1))
    first = datetime(2025, 5, 20, tzinfo=UTC)
    a1 = float(semi_major_axis_km(15.55))
    sets = [ElementSet(norad_cat_id=70200, object_name="KEPT SAT", object_id="2024-200A",
                       epoch=t, mean_motion=round(float(mean_motion_rev_day(a)), 8),
                       eccentricity=0.0005, inclination=53.0, ra_of_asc_node=0.0,
                       arg_of_pericenter=0.0, mean_anomaly=0.0, bstar=3e-4,
                       mean_motion_dot=0.0002)
            for t, a in ((first, a1), (first + timedelta(days=10), a1 + 0.3))]
    (tmp_path / "k.3le").write_text(write_tle(sets))
    db = tmp_path / "k.db"
    assert _run("catalog", "load", "--db", str(db), str(tmp_path / "k.3le"))[0] == 0
    with CatalogStore(db) as store:  # the rule alone, without the manoeuvre detector's
        snap = take_snapshot(store, first + timedelta(days=10, hours=1))
        result = predict_lifetimes(snap, read_space_weather(weather), store=store, workers=1)
    row = result.rows()[0]
    assert row["BC_SOURCE"] == "NDOT" and row["REMARK"] == (
        "orbit kept by manoeuvres (its history decays less than its drag says): the "
        "prediction assumes they stop")
    # through the command the detector finds the raise itself and says when
    code, out, err = _run("lifetime", "--db", str(db), "--space-weather", str(weather),
                          "--format", "json")
    assert code == 0 and json.loads(out)[0]["REMARK"].startswith("manoeuvred"), err


@pytest.mark.parametrize(("n1", "b_true"), [
    (15.5, 0.02),  # a small satellite near 350 km
    (14.0, 5.0),  # high area-to-mass debris (MLI, needles) near 900 km, A/m a few m^2/kg
])
def test_ballistic_coefficient_from_the_element_set_history(tmp_path: Path, n1: float,
                                                            b_true: float):
    """Two element sets ten days apart, the second from the first decayed with a known B
    through the same atmosphere: the history gives that B back (BC_SOURCE HISTORY), for
    a B of the high area-to-mass debris too (a cap of 1 m^2/kg fell back to BSTAR)."""
    from orbitwatch.catalog import CatalogStore, take_snapshot
    from orbitwatch.core.orbit import mean_motion_rev_day, semi_major_axis_km
    from orbitwatch.environment.atmosphere import ALTITUDES_KM, density_table
    from orbitwatch.environment.lifetime import _days, predict_lifetimes
    from orbitwatch.formats.elements import ElementSet
    from orbitwatch.formats.tle import write_tle

    weather = read_space_weather(write_space_weather(
        tmp_path / "sw.txt", date(2010, 1, 1), date(2040, 1, 1), predicted_from=date(2025, 7, 1)))
    first = datetime(2025, 5, 20, tzinfo=UTC)
    second = first + timedelta(days=10)
    e, inc = 0.0005, 51.6
    table = density_table(weather, date(2025, 1, 1), workers=1)
    a1 = float(semi_major_axis_km(n1))
    from orbitwatch.core.time import datetime_to_us
    t1, t2 = (_days(table, np.array([datetime_to_us(t)])) for t in (first, second))
    _, a2, e2 = kernels.decay(np.array([a1]), np.array([e]), np.cos(np.radians([inc])),
                              kernels.mean_radius_km(np.array([inc])), np.array([b_true]),
                              t1, t2, table.days, table.log_density,
                              table.cycle_mean_log_density, ALTITUDES_KM, 1.0, np.inf)
    sets = [ElementSet(norad_cat_id=70100, object_name="HIST SAT", object_id="2024-100A",
                       epoch=t, mean_motion=round(float(n), 8), eccentricity=round(float(ecc), 7),
                       inclination=inc, ra_of_asc_node=0.0, arg_of_pericenter=0.0,
                       mean_anomaly=0.0, bstar=5e-4, mean_motion_dot=0.0)
            for t, n, ecc in ((first, n1, e), (second, mean_motion_rev_day(a2[0]), e2[0]))]
    tle = tmp_path / "h.3le"
    tle.write_text(write_tle(sets))
    db = tmp_path / "h.db"
    assert _run("catalog", "load", "--db", str(db), str(tle))[0] == 0
    with CatalogStore(db) as store:
        snap = take_snapshot(store, second + timedelta(hours=1))
        result = predict_lifetimes(snap, weather, store=store, workers=1)
    assert result.b_source[0] == "HISTORY"
    assert result.b_m2_kg[0] == pytest.approx(b_true, rel=0.03)

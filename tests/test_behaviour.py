"""Behaviour in orbit: manoeuvres and dockings found in the real 2025-09 history (the ISS
reboosts, Progress MS-32 and Cygnus NG-23 docking, passive satellites quiet), proximity
classes on the history (TerraSAR-X / TanDEM-X in formation, the ISS stack attached) and
on constructed pairs (an approach, and the same approach seen through a stale element
set), and the commands' answers to bad input."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from orbitwatch.app.behaviour import timeline
from orbitwatch.catalog import CatalogStore
from orbitwatch.cli.main import cli
from orbitwatch.core.orbit import semi_major_axis_km
from orbitwatch.formats.elements import ElementSet
from orbitwatch.formats.tle import write_tle
from tests.history_helpers import (
    CYGNUS,
    HST,
    ISS,
    LAGEOS_1,
    PROGRESS,
    TANDEM,
    TERRASAR,
    small_history_db,
)


def _run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def history_db(shared_data: Path, tmp_path_factory) -> Path:
    return small_history_db(shared_data, tmp_path_factory.mktemp("history"))


def _manoeuvres(db: Path, *args: str) -> list[dict]:
    code, out, err = _run("manoeuvres", "--db", str(db), "--format", "json", "--limit", "0",
                          *args)
    assert code == 0, err
    return json.loads(out)


def test_the_iss_reboosts_and_nothing_else(history_db: Path):
    rows = [r for r in _manoeuvres(history_db, "--id", str(ISS))]
    assert [r["KIND"] for r in rows] == ["RAISE", "RAISE"]
    first, second = rows
    # the reboosts of 2025-09-25 and 2025-09-26: about +0.9 km and +2.8 km
    assert first["EPOCH_BEFORE"] < "2025-09-25T12" < first["EPOCH_AFTER"] < "2025-09-26"
    assert second["EPOCH_BEFORE"] < "2025-09-26T12" < second["EPOCH_AFTER"] < "2025-09-27"
    assert 700 < first["DA_M"] < 1200 and 2500 < second["DA_M"] < 3200
    assert 0.3 < first["DV_T_M_S"] < 0.8 and 1.2 < second["DV_T_M_S"] < 2.0
    # each DV states its 1-sigma, from the element-set noise it was judged by: both
    # reboosts stand well above it
    assert all(0 < r["DV_SIGMA_M_S"] < r["DV_M_S"] / 5 for r in rows)


def test_visiting_vehicles_dock_and_then_carry_the_stations_elements(history_db: Path):
    rows = _manoeuvres(history_db, "--id", f"{PROGRESS},{CYGNUS}")
    docks = {r["NORAD_CAT_ID"]: r for r in rows if r["KIND"].startswith("DOCKED")}
    assert docks[PROGRESS]["KIND"] == f"DOCKED TO {ISS}"
    assert docks[PROGRESS]["EPOCH_AFTER"].startswith("2025-09-13")
    assert docks[CYGNUS]["KIND"] == f"DOCKED TO {ISS}"
    assert docks[CYGNUS]["EPOCH_AFTER"].startswith("2025-09-18")
    assert docks[CYGNUS]["DV_M_S"] is None and docks[CYGNUS]["DV_SIGMA_M_S"] is None
    # once docked, the station's reboosts are not theirs
    assert not [r for r in rows if r["NORAD_CAT_ID"] == CYGNUS and r["KIND"] == "RAISE"]


def test_passive_satellites_are_quiet(history_db: Path):
    assert _manoeuvres(history_db, "--id", f"{HST},{LAGEOS_1}") == []


def test_formation_flyers_and_the_docked_stack(history_db: Path):
    code, out, err = _run("proximity", "--db", str(history_db), "--at", "2025-09-14",
                          "--days", "4", "--format", "json", "--limit", "0", "--workers", "1")
    assert code == 0, err
    pairs = {(r["NORAD_CAT_ID_1"], r["NORAD_CAT_ID_2"]): r for r in json.loads(out)}
    assert pairs[(TERRASAR, TANDEM)]["CLASS"] == "FORMATION"
    assert pairs[(TERRASAR, TANDEM)]["MIN_RANGE_KM"] < 2.0
    assert pairs[(ISS, 49044)]["CLASS"] == "ATTACHED"
    assert all(r["CLASS"] != "APPROACH" for r in pairs.values())


def _pair_db(folder: Path, stale: bool) -> Path:
    """Two satellites on one orbit, the chaser's element set each day 1.5 km nearer the
    target along it (both sets follow SGP4's own secular rates of the node, perigee and
    mean anomaly, so that an old set of the target lands where a new one would); with
    ``stale`` the target's only element set is from the first day."""
    from orbitwatch.propagation.sgp4_batch import satrec_from_elements

    start = datetime(2026, 2, 1, tzinfo=UTC)
    n = 15.2
    a = float(semi_major_axis_km(n))
    base = dict(mean_motion=n, eccentricity=0.0003, inclination=53.0, bstar=1e-9,
                mean_motion_dot=0.0)
    first = ElementSet(norad_cat_id=71002, object_name="TARGET", epoch=start,
                       ra_of_asc_node=40.0, arg_of_pericenter=0.0, mean_anomaly=0.0, **base)
    sat = satrec_from_elements(first)
    sets = []
    for day in range(7):
        minutes = day * 1440.0
        angles = dict(ra_of_asc_node=(40.0 + math.degrees(sat.nodedot * minutes)) % 360,
                      arg_of_pericenter=math.degrees(sat.argpdot * minutes) % 360)
        target_m = math.degrees(sat.mdot * minutes) % 360
        epoch = start + timedelta(days=day)
        offset_deg = math.degrees((12.0 - 1.5 * day) / a)
        sets.append(ElementSet(norad_cat_id=71001, object_name="CHASER", epoch=epoch,
                               mean_anomaly=(target_m + offset_deg) % 360, **angles, **base))
        if day == 0 or not stale:
            sets.append(ElementSet(norad_cat_id=71002, object_name="TARGET", epoch=epoch,
                                   mean_anomaly=target_m, **angles, **base))
    tle = folder / f"pair-{stale}.3le"
    tle.write_text(write_tle(sets))
    db = folder / f"pair-{stale}.db"
    assert _run("catalog", "load", "--db", str(db), str(tle))[0] == 0
    return db


@pytest.mark.parametrize(("stale", "expected"), [(False, "APPROACH"), (True, "STALE")])
def test_an_approach_and_the_same_seen_through_a_stale_element_set(tmp_path: Path, stale,
                                                                    expected):
    db = _pair_db(tmp_path, stale)
    code, out, err = _run("proximity", "--db", str(db), "--at", "2026-02-01", "--days", "7",
                          "--format", "json", "--workers", "1")
    assert code == 0, err
    (pair,) = json.loads(out)
    assert pair["CLASS"] == expected
    assert pair["MAX_RANGE_KM"] > 10 > 4 > pair["MIN_RANGE_KM"]
    if stale:
        assert pair["ELSET_AGE_DAYS_2"] > 3


def test_bad_input_gets_one_line_and_exit_code_2(history_db: Path, tmp_path: Path):
    code, _, err = _run("manoeuvres", "--db", str(history_db), "--id", "99999")
    assert code == 2 and "99999" in err and err.count("\n") == 1
    from orbitwatch.core.time import iso_ms

    with CatalogStore(history_db) as store:
        last = store.db.execute("SELECT MAX(epoch_us) FROM element_sets WHERE "
                                  "norad_cat_id = ?", (ISS,)).fetchone()[0]
    code, _, err = _run("manoeuvres", "--db", str(history_db), "--id", str(ISS), "--from",
                        iso_ms(last - 1000))
    assert code == 2 and "no evidence" in err and err.count("\n") == 1
    code, _, err = _run("manoeuvres", "--db", str(history_db), "--from", "2030-01-01")
    assert code == 2 and "no element-set history" in err
    empty = tmp_path / "e.db"
    CatalogStore(empty).close()
    code, _, err = _run("proximity", "--db", str(empty))
    assert code == 2 and "holds no element set" in err


def test_the_behaviour_endpoints(history_db: Path):
    from orbitwatch.service.app import create_app
    from tests.test_service import call

    app = create_app(history_db, workers=1)
    r = call(app, "GET", "/api/behaviour/manoeuvres", params={"ids": str(ISS)}).json()
    assert [m["KIND"] for m in r["items"]] == ["RAISE", "RAISE"]
    assert r["summary"]["objects"] >= 6  # the picked objects with their own element sets
    tl = call(app, "GET", f"/api/objects/{ISS}/timeline").json()
    assert len(tl["element_sets"]) > 30 and len(tl["manoeuvres"]) == 2
    smas = [s["SMA_KM"] for s in tl["element_sets"]]
    assert max(smas) - min(smas) > 2.5  # the reboosts raised it by 3.7 km in all
    pairs = call(app, "GET", "/api/behaviour/proximity",
                 params={"start": "2025-09-14", "days": 2}).json()
    assert any(p["CLASS"] == "ATTACHED" and ISS in (p["NORAD_CAT_ID_1"], p["NORAD_CAT_ID_2"])
               for p in pairs)
    assert call(app, "GET", "/api/objects/99999/timeline").status_code == 404
    assert call(app, "GET", "/api/behaviour/manoeuvres",
                params={"ids": "99999"}).status_code == 400


def test_the_service_scans_a_window_of_history_once(history_db: Path, tmp_path: Path):
    """Each object's timeline needs every object's manoeuvres (the threshold is scaled by
    the population), 2 s on 15 days of the active catalog, and a proximity search screens
    each day: the service does each once per window and database state, not per request,
    and a new load is seen."""
    from orbitwatch.service.app import create_app
    from tests.test_service import call

    db = tmp_path / "h.db"
    db.write_bytes(Path(history_db).read_bytes())
    app = create_app(db, workers=1)
    state = app.state.ow
    direct = call(app, "GET", f"/api/objects/{ISS}/timeline").json()
    for norad in (ISS, PROGRESS, CYGNUS, HST):
        assert call(app, "GET", f"/api/objects/{norad}/timeline").status_code == 200
    assert call(app, "GET", "/api/behaviour/manoeuvres").status_code == 200
    assert call(app, "GET", "/api/objects/99999/timeline").status_code == 404
    assert state.behaviour_scans == 1
    with CatalogStore(db) as store:  # what the scan answers is what one object's load gives
        assert direct == timeline(store, ISS)
    window = {"start": "2025-09-14", "days": 1}
    first = call(app, "GET", "/api/behaviour/proximity", params=window).json()
    assert call(app, "GET", "/api/behaviour/proximity",
                params={**window, "ids": str(ISS)}).status_code == 200
    assert state.behaviour_scans == 2
    picked = call(app, "GET", "/api/behaviour/proximity", params={**window, "ids": str(ISS)})
    assert picked.json() == [p for p in first
                             if ISS in (p["NORAD_CAT_ID_1"], p["NORAD_CAT_ID_2"])]
    another = tmp_path / "one.tle"
    another.write_text(write_tle([ElementSet(
        norad_cat_id=70001, object_name="NEW SAT", object_id="2025-099A",
        epoch=datetime(2025, 9, 20, tzinfo=UTC), mean_motion=15.2, eccentricity=0.001,
        inclination=51.6, ra_of_asc_node=10.0, arg_of_pericenter=0.0, mean_anomaly=0.0,
        bstar=1e-4, mean_motion_dot=0.0, mean_motion_ddot=0.0)]))
    assert _run("catalog", "load", "--db", str(db), str(another))[0] == 0
    # a new object with one element set: its timeline is that set and no manoeuvre
    lone = call(app, "GET", "/api/objects/70001/timeline").json()
    assert len(lone["element_sets"]) == 1 and lone["manoeuvres"] == []
    assert state.behaviour_scans == 3


def test_a_window_that_ends_before_it_starts_is_bad_input_and_leaves_nothing(history_db):
    """An end before the start is the user's mistake (400 / exit 2 saying so), not an
    object without history (it was a 404); and a computation that failed leaves no lock
    behind in the service (one per distinct failing request grew without bound)."""
    from orbitwatch.service.app import create_app
    from tests.test_service import call

    app = create_app(history_db, workers=1)
    backwards = {"start": "2025-09-20", "end": "2025-09-19"}
    for path in (f"/api/objects/{ISS}/timeline", "/api/behaviour/manoeuvres"):
        r = call(app, "GET", path, params=backwards)
        assert r.status_code == 400 and "ends before it starts" in r.json()["detail"]
    for at in ("1990-01-01", "1991-01-01"):  # no catalog then: fails inside the cache
        assert call(app, "GET", "/api/environment/census", params={"at": at}).status_code \
            == 400
    assert app.state.ow._flights == {}
    code, _, err = _run("manoeuvres", "--db", str(history_db), "--from", "2025-09-20",
                        "--to", "2025-09-19")
    assert code == 2 and "ends before it starts" in err and err.count("\n") == 1


def test_scoring_with_the_fields_convention(history_db: Path):
    from orbitwatch.behaviour.scoring import Burn, score_detections

    # the ISS reboosts (2025-09-25 and 2025-09-26, daytime UTC, as NASA reported them)
    burns = [Burn(ISS, datetime(2025, 9, 25, 12, tzinfo=UTC)),
             Burn(ISS, datetime(2025, 9, 26, 12, tzinfo=UTC))]
    rows = _manoeuvres(history_db, "--id", str(ISS))
    score = score_detections(rows, burns, satellite_years=15 / 365.25)
    assert (score.burns, score.matched, score.false_alarms) == (2, 2, 0)
    assert score.recall == 1.0 and score.false_alarms_per_satellite_year == 0.0
    # a burn on a quiet day is missed, and a detection that matches nothing is a false alarm
    moved = [Burn(ISS, datetime(2025, 9, 18, 12, tzinfo=UTC)), burns[1]]
    score = score_detections(rows, moved, satellite_years=15 / 365.25)
    assert (score.matched, score.false_alarms) == (1, 1)
    assert score.false_alarms_per_satellite_year == pytest.approx(365.25 / 15)


def test_an_in_track_burns_sigma_is_the_noise_it_was_judged_by():
    """A constructed history: 40 element sets 6 h apart whose semi-major axis scatters
    by a known noise (node and perigee exactly on their J2 drift), then a 1 km raise.
    For a purely in-track burn DV / DV_SIGMA must be the detection's own score: the
    same noise scale, taken through the same DV formula."""
    from orbitwatch.behaviour.manoeuvres import History, detect_manoeuvres
    from orbitwatch.core.constants import EARTH_RADIUS_KM, J2, MU_KM3_S2

    rng = np.random.default_rng(3)
    k = np.arange(40)
    a_km = 6778.0 + rng.normal(0.0, 0.03, k.size) + np.where(k >= 25, 1.0, 0.0)
    n_rev_day = np.sqrt(MU_KM3_S2 / a_km ** 3) * 86_400.0 / (2 * np.pi)
    t_days = k * 0.25
    inc, ecc = np.radians(51.6), 0.001
    j2_rate = 2 * np.pi * n_rev_day * J2 * (EARTH_RADIUS_KM / (a_km * (1 - ecc ** 2))) ** 2
    mean_rate = 0.5 * (j2_rate[1:] + j2_rate[:-1])  # over each 6-h step, rad/day
    raan = np.degrees(np.cumsum(np.r_[0.0, -1.5 * mean_rate * np.cos(inc) * 0.25]))
    argp = np.degrees(np.cumsum(np.r_[0.0, 0.75 * mean_rate * (5 * np.cos(inc) ** 2 - 1)
                                      * 0.25]))
    history = History(np.full(k.size, 70001), (t_days * 86_400e6).astype(np.int64) + 10**15,
                      n_rev_day, np.full(k.size, ecc), np.full(k.size, 51.6), raan % 360,
                      argp % 360, np.full(k.size, 1e-4), np.zeros(k.size),
                      ["TEST SAT"] * k.size)
    found = [r for r in detect_manoeuvres(history).rows if r["DV_M_S"]]
    assert len(found) == 1 and found[0]["KIND"] == "RAISE"
    burn = found[0]
    assert 900 < burn["DA_M"] < 1100
    assert burn["DV_M_S"] / burn["DV_SIGMA_M_S"] == pytest.approx(burn["SCORE_SIGMAS"],
                                                                   rel=0.02)


def test_pairs_are_chosen_by_either_objects_owner_name_or_number(tmp_path: Path):
    """A pair is chosen when either of its objects meets the whole selection; owners come
    from the SATCAT."""
    from orbitwatch.app.behaviour import proximity_rows
    from orbitwatch.app.selection import ObjectSelection

    satcat = tmp_path / "satcat.csv"
    satcat.write_text("OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,"
                      "LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,"
                      "RCS,DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE\n"
                      + "".join(f"{name},2025-01{k}A,{70000 + k},PAYLOAD,,{owner},2025-05-01,"
                                f"AFETR,,95,97.5,500,490,1.0,,EA,ORB\n"
                                for k, (name, owner) in enumerate(
                                    [("ALPHA", "US"), ("BRAVO", "PRC"), ("CHARLIE", "FR")],
                                    start=1)))
    db = tmp_path / "c.db"
    assert _run("catalog", "load", "--db", str(db), str(satcat))[0] == 0
    names = {70001: "ALPHA", 70002: "BRAVO", 70003: "CHARLIE"}
    pairs = [{"NORAD_CAT_ID_1": a, "OBJECT_NAME_1": names[a], "NORAD_CAT_ID_2": b,
              "OBJECT_NAME_2": names[b]} for a, b in ((70001, 70002), (70002, 70003))]
    with CatalogStore(db) as store:
        def chosen(**parts):
            return [(p["NORAD_CAT_ID_1"], p["NORAD_CAT_ID_2"]) for p in
                    proximity_rows(store, ObjectSelection(**parts), pairs=pairs)]

        assert chosen() == [(70001, 70002), (70002, 70003)]
        assert chosen(owners=["US"]) == [(70001, 70002)]
        assert chosen(owners=["FR"]) == [(70002, 70003)]
        assert chosen(owners=["PRC"]) == [(70001, 70002), (70002, 70003)]
        assert chosen(name="charlie") == [(70002, 70003)]
        assert chosen(ids=[70001], owners=["PRC"]) == []  # one object must meet both
        assert chosen(ids=[70002], owners=["PRC"]) == [(70001, 70002), (70002, 70003)]


def test_re_entry_of_manoeuvring_objects_says_so_and_takes_drag_from_the_newest_set(
        history_db: Path, shared_data: Path):
    """The ISS reboosted twice in the history: its prediction says it assumes no more
    burns, and so do those of the modules and vehicles docked to it. TerraSAR-X and
    TanDEM-X keep their orbit with burns too small to find: over the weeks they decay far
    less than their drag makes them, which gave a B 30 times too small and a lifetime
    beyond the 200-year horizon at 507 km; their B now comes from the newest element set
    (NDOT) and they say why. The HST decays freely: untouched."""
    weather = shared_data / "reference/space_weather/sw19571001.txt"
    code, out, err = _run("lifetime", "--db", str(history_db), "--space-weather",
                          str(weather), "--format", "json", "--limit", "0")
    assert code == 0, err
    rows = {r["NORAD_CAT_ID"]: r for r in json.loads(out)}
    assert rows[ISS]["REMARK"].startswith("manoeuvred (the last seen 2025-09-26)")
    # the modules and vehicles docked to it carry its element sets, and its burns
    for docked in (49044, 63520, 64751):
        assert rows[docked]["REMARK"] == rows[ISS]["REMARK"], docked
    for kept in (TERRASAR, TANDEM):
        row = rows[kept]
        assert row["BC_SOURCE"] == "NDOT" and "orbit kept by manoeuvres" in row["REMARK"]
        assert row["DECAY_UTC"] is not None and 10 < row["LIFETIME_YEARS"] < 50
    assert rows[HST]["BC_SOURCE"] == "HISTORY" and rows[HST]["REMARK"] is None
    assert rows[LAGEOS_1]["REMARK"] == "in orbit beyond the 200-year horizon"
    assert rows[LAGEOS_1]["DECAY_EARLY_UTC"] is None  # no interval for what stays up

"""Access planning: passes against Skyfield, imaging windows, GNSS DOP, footprints,
plots and the errors bad input gets."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import erfa
import numpy as np
import pytest
from click.testing import CliRunner

from orbitwatch.access.footprint import footprint_geometry, footprint_half_angle_rad
from orbitwatch.access.geometry import sun_teme_km, sunlit
from orbitwatch.access.gnss import dilution_of_precision
from orbitwatch.access.imaging import Sensor, imaging_windows
from orbitwatch.access.passes import VISIBILITY_SAMPLES, PassSettings, SiteView, find_passes
from orbitwatch.access.regions import country, read_region_geojson
from orbitwatch.access.sites import HorizonMask, Site, read_sites_geojson
from orbitwatch.cli.main import cli
from orbitwatch.core.time import datetime_to_split_jd, datetime_to_us
from orbitwatch.errors import InputError
from orbitwatch.formats import parse_tle, read_elements
from orbitwatch.propagation.element_arrays import ElementArrays
from orbitwatch.propagation.eop import EarthOrientation
from orbitwatch.propagation.sgp4_batch import satrec_from_elements, states_at

one_second = 1.0
hundredth_degree = 0.01
START_2022 = datetime(2022, 1, 25, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog_2022(shared_data: Path):
    path = shared_data / "catalogs" / "spacetrack_full_2022-01-25.3le"
    return read_elements(path.read_text(), source=path.name).records


@pytest.fixture(scope="module")
def eop(shared_data: Path) -> EarthOrientation:
    return EarthOrientation.from_finals(shared_data / "reference" / "eop" /
                                        "finals.all.iau2000.txt")


@pytest.fixture(scope="module")
def mixed_orbits(catalog_2022):
    """LEO (ISS, NOAA 20, HST), two Molniyas (HEO, fast at perigee) and a GEO."""
    by_id = {e.norad_cat_id: e for e in catalog_2022}
    molniya = [e for e in catalog_2022 if (e.object_name or "").startswith("MOLNIYA")
               and e.eccentricity > 0.6][:2]
    return [by_id[25544], by_id[43013], by_id[20580], by_id[28884], *molniya]


def skyfield_events(es, site: Site, start: datetime, days: float, altitude_deg: float):
    from skyfield.api import EarthSatellite, load, wgs84

    ts = load.timescale()
    sat = EarthSatellite.from_satrec(satrec_from_elements(es), ts)
    topos = wgs84.latlon(site.latitude_deg, site.longitude_deg, elevation_m=site.altitude_m)
    t, kinds = sat.find_events(topos, ts.from_datetime(start),
                               ts.from_datetime(start + timedelta(days=days)),
                               altitude_degrees=altitude_deg)
    out = []
    for ti, kind in zip(t, kinds, strict=True):
        alt = (sat - topos).at(ti).altaz()[0].degrees
        out.append((int(kind), datetime_to_us(ti.utc_datetime()), float(alt)))
    return out


@pytest.mark.parametrize("site", [Site("Oslo", 59.91, 10.75, 20.0, 0.0),
                                  Site("Hobart", -42.88, 147.33, 50.0, 10.0)])
def test_passes_agree_with_skyfield(mixed_orbits, eop, site):
    days = 2.0
    result = find_passes(mixed_orbits, [site], START_2022, timedelta(days=days), eop=eop,
                         settings=PassSettings(workers=1))
    assert len(result.passes) > 10
    for k, es in enumerate(mixed_orbits):
        ours = result.passes[result.passes["idx"] == k]
        events = skyfield_events(es, site, START_2022, days, site.min_elevation_deg)
        culminations = [(t, alt) for kind, t, alt in events if kind == 1]
        rises = [t for kind, t, _ in events if kind == 0]
        sets = [t for kind, t, _ in events if kind == 2]
        whole = ours[~ours["starts_before_window"] & ~ours["ends_after_window"]]
        assert len(whole) <= len(culminations) <= len(ours), es.object_name
        for t, alt in culminations:
            j = int(np.argmin(np.abs(ours["max_us"] - t)))
            assert abs(int(ours["max_us"][j]) - t) / 1e6 <= one_second, es.object_name
            assert abs(ours["max_el_deg"][j] - alt) <= hundredth_degree, es.object_name
        for times, field in ((rises, "rise_us"), (sets, "set_us")):
            for t in times:
                assert np.min(np.abs(ours[field] - t)) / 1e6 <= one_second, es.object_name


def test_a_grazing_pass_is_found(mixed_orbits, eop):
    """A threshold 0.003 deg under a culmination: the pass lasts seconds and lies
    between two 20 s grid points whose elevations are both below the threshold."""
    iss = mixed_orbits[0]
    site = Site("Oslo", 59.91, 10.75, 20.0, 0.0)
    events = skyfield_events(iss, site, START_2022, 1.0, 0.0)
    t_max, alt = next((t, a) for kind, t, a in events if kind == 1 and a > 5.0)
    grazing = Site("Oslo", 59.91, 10.75, 20.0, alt - 0.003)
    result = find_passes([iss], [grazing], START_2022, timedelta(days=1), eop=eop,
                         settings=PassSettings(workers=1))
    near = result.passes[np.abs(result.passes["max_us"] - t_max) < 5e6]
    assert len(near) == 1
    duration_s = (int(near["set_us"][0]) - int(near["rise_us"][0])) / 1e6
    assert 0.0 < duration_s < 20.0
    assert near["max_el_deg"][0] == pytest.approx(alt, abs=hundredth_degree)


def test_horizon_mask_sets_rise_and_set(mixed_orbits, eop):
    mask = HorizonMask.parse("0:5,90:25,180:5,270:15")
    site = Site("masked", 59.91, 10.75, 20.0, 0.0, mask)
    result = find_passes(mixed_orbits[:2], [site], START_2022, timedelta(days=2), eop=eop,
                         settings=PassSettings(workers=1))
    whole = result.passes[~result.passes["starts_before_window"]]
    assert len(whole) > 3
    # the elevation at every rise equals the mask at the rise azimuth
    jd0, fr0 = datetime_to_split_jd(START_2022)
    t = (whole["rise_us"] - datetime_to_us(START_2022)) / 1e6
    sats = [satrec_from_elements(e) for e in mixed_orbits[:2]]
    _, pos, _ = states_at(sats, whole["idx"], t, jd0, fr0,
                          ElementArrays.from_element_sets(mixed_orbits[:2]).max_radius_km())
    az, el, _ = SiteView(site, jd0, fr0, eop).angles(pos, t)
    assert el == pytest.approx(mask.at(az), abs=hundredth_degree)
    assert (whole["max_el_deg"] >= mask.at(whole["max_az_deg"]) - 1e-6).all()


def test_sun_position_against_erfa_earth_ephemeris():
    """The low-precision Sun against ERFA's Earth ephemeris (epv00) rotated to the true
    equator and equinox of date (pnm06a): within 0.02 deg over a year."""
    for day in range(0, 365, 17):
        t = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=day, hours=5)
        jd, fr = 2440587.5 + datetime_to_us(t) / 86400e6, 0.0
        pvh, _ = erfa.epv00(jd, fr)
        sun_gcrs = -pvh["p"]  # au, geocentric
        sun_of_date = erfa.pnm06a(jd, fr) @ sun_gcrs
        ours = sun_teme_km(np.array([jd]), np.array([fr]))[0]
        cos = ours @ sun_of_date / np.linalg.norm(ours) / np.linalg.norm(sun_of_date)
        assert math.degrees(math.acos(min(1.0, cos))) < 0.02
        assert np.linalg.norm(ours) / 149_597_870.7 == pytest.approx(
            np.linalg.norm(sun_of_date), rel=2e-4)


def test_earth_shadow():
    sun = np.array([1.5e8, 0.0, 0.0])
    points = np.array([[7000.0, 0, 0], [-7000.0, 0, 0], [-7000.0, 6500.0, 0],
                       [-7000.0, 6300.0, 0]])
    assert sunlit(points, sun).tolist() == [True, False, True, False]


def test_sites_from_geojson_and_bad_sites(shared_data: Path, tmp_path: Path):
    ksat = read_sites_geojson(shared_data / "ground" / "groundstations" / "ksat.json")
    assert len(ksat) > 5 and all(-90 <= s.latitude_deg <= 90 for s in ksat)
    ssn = read_sites_geojson(shared_data / "ground" / "ssn_sensors" / "vallado_ssn.json",
                             min_elevation_deg=3.0)
    socorro = next(s for s in ssn if s.name == "Socorro")
    assert socorro.min_elevation_deg == 20.0 and socorro.altitude_m == pytest.approx(1510.2)
    with pytest.raises(InputError, match="latitude 95"):
        Site("bad", 95.0, 0.0)
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "North of north"},
         "geometry": {"type": "Point", "coordinates": [10.0, 95.0]}}]}))
    with pytest.raises(InputError, match=r"bad.geojson: feature 1 \(North of north\).*latitude"):
        read_sites_geojson(bad)


@pytest.fixture(scope="module")
def eo_satellites(shared_data: Path):
    path = shared_data / "catalogs" / "celestrak_active_2026-07-12.csv"
    records = read_elements(path.read_text(), source=path.name).records
    names = ("SENTINEL-2", "LANDSAT", "PLEIADES", "SPOT", "WORLDVIEW")
    return [e for e in records if (e.object_name or "").startswith(names)]


def test_imaging_windows_over_djibouti(eo_satellites):
    start = datetime(2026, 7, 12, 6, tzinfo=UTC)
    djibouti = country("DJI")
    narrow = imaging_windows(eo_satellites, djibouti, Sensor(max_off_nadir_deg=10.0), start,
                             timedelta(days=3))
    wide = imaging_windows(eo_satellites, djibouti, Sensor(max_off_nadir_deg=30.0), start,
                           timedelta(days=3))
    assert 0 < len(narrow.windows) < len(wide.windows)
    for w in narrow.windows:
        assert 0.0 < w["COVERED_FRACTION"] <= 1.0
        assert w["BEST_OFF_NADIR_DEG"] <= 10.0
        # a wider sensor sees the same pass at least as long
        assert any(v["NORAD_CAT_ID"] == w["NORAD_CAT_ID"] and v["ENTRY_UTC"] <= w["ENTRY_UTC"]
                   and v["EXIT_UTC"] >= w["EXIT_UTC"] for v in wide.windows)
    stats = wide.revisit
    assert stats["MAX_REVISIT_GAP_H"] >= stats["MEAN_REVISIT_GAP_H"] > 0
    # Sun-synchronous morning orbits: with the ground sunlit, no night window is lost
    lit = imaging_windows(eo_satellites, djibouti,
                          Sensor(max_off_nadir_deg=30.0, min_sun_elevation_deg=10.0), start,
                          timedelta(days=3))
    assert 0 < len(lit.windows) <= len(wide.windows)


def test_swath_width_to_off_nadir():
    # 290 km swath from 786 km (Sentinel-2): about 10.5 deg half angle
    eta = Sensor(swath_km=290.0).off_nadir_rad(np.array([6371.0 + 786.0]))[0]
    assert math.degrees(eta) == pytest.approx(10.5, abs=0.2)


def test_regions_bad_input(tmp_path: Path):
    with pytest.raises(InputError, match="unknown country 'Djiboutti'; did you mean Djibouti"):
        country("Djiboutti")
    empty = tmp_path / "empty.geojson"
    empty.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    with pytest.raises(InputError, match=r"empty\.geojson: no Polygon"):
        read_region_geojson(empty)
    square = tmp_path / "square.geojson"
    square.write_text(json.dumps({"type": "Polygon", "coordinates": [
        [[43.0, 11.0], [43.5, 11.0], [43.5, 11.5], [43.0, 11.5], [43.0, 11.0]]]}))
    region = read_region_geojson(square)
    # 0.5 x 0.5 deg at 11 deg latitude
    assert region.area_km2() == pytest.approx((0.5 * 111.19) ** 2 * math.cos(math.radians(11.25)),
                                              rel=0.01)
    assert region.contains(np.array([43.2, 44.0]), np.array([11.2, 11.2])).tolist() == [True,
                                                                                        False]


def test_dop_matches_direct_least_squares():
    rng = np.random.default_rng(7)
    n_sat, n_t = 14, 30
    az = rng.uniform(0, 360, (n_sat, n_t))
    el = rng.uniform(-30, 90, (n_sat, n_t))
    visible = el > 10.0
    systems = ["GPS"] * 7 + ["GALILEO"] * 7
    dop = dilution_of_precision(az, el, visible, systems)
    for k in range(n_t):
        rows = []
        in_view = sorted({systems[i] for i in range(n_sat) if visible[i, k]})
        for i in np.flatnonzero(visible[:, k]):
            a, e = math.radians(az[i, k]), math.radians(el[i, k])
            u = [math.cos(e) * math.sin(a), math.cos(e) * math.cos(a), math.sin(e)]
            rows.append([-u[0], -u[1], -u[2]] + [float(systems[i] == s) for s in in_view])
        g = np.array(rows)
        if len(rows) < 3 + len(in_view):
            assert math.isnan(dop["GDOP"][k])
            continue
        q = np.linalg.inv(g.T @ g)
        assert dop["GDOP"][k] == pytest.approx(math.sqrt(np.trace(q)), rel=1e-9)
        assert dop["PDOP"][k] == pytest.approx(math.sqrt(q[0, 0] + q[1, 1] + q[2, 2]), rel=1e-9)
        assert dop["HDOP"][k] == pytest.approx(math.sqrt(q[0, 0] + q[1, 1]), rel=1e-9)
        assert dop["VDOP"][k] == pytest.approx(math.sqrt(q[2, 2]), rel=1e-9)


def test_footprint_geometry():
    geo_radius_km = 42164.0
    lam = footprint_half_angle_rad(geo_radius_km, 0.0)
    assert math.degrees(lam) == pytest.approx(math.degrees(math.acos(6371.0 / 42164.0)))
    geom = footprint_geometry(0.0, 48.0, lam)
    assert geom["type"] == "Polygon"
    ring = np.radians(np.array(geom["coordinates"][0]))
    # every vertex at the footprint's central angle from the sub-satellite point
    cos_d = np.cos(ring[:, 1]) * np.cos(ring[:, 0] - math.radians(48.0))
    assert np.degrees(np.arccos(cos_d)) == pytest.approx(math.degrees(lam), abs=1e-3)
    cut = footprint_geometry(0.0, 175.0, 0.3)
    assert cut["type"] == "MultiPolygon" and len(cut["coordinates"]) == 2
    lons = [p[0] for poly in cut["coordinates"] for p in poly[0]]
    assert min(lons) == -180.0 and max(lons) == 180.0
    polar = footprint_geometry(85.0, 20.0, 0.3)
    assert max(p[1] for p in polar["coordinates"][0]) == 90.0
    with pytest.raises(InputError, match="inside the Earth"):
        footprint_half_angle_rad(6000.0, 0.0)


def _run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def active_db(shared_data: Path, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("access") / "c.db"
    code, _, err = _run("catalog", "load", "--db", str(db),
                        str(shared_data / "catalogs" / "celestrak_active_2026-07-12.csv"))
    assert code == 0, err
    return db


def test_cli_passes_access_gnss_footprint(active_db: Path, tmp_path: Path):
    at = "2026-07-12T06:00:00Z"
    sky = tmp_path / "sky.svg"
    code, out, err = _run("passes", "--db", str(active_db), "--at", at, "--id", "25544",
                          "--site", "Paris=48.85,2.35,35", "--format", "json", "--plot",
                          str(sky))
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all(r["NORAD_CAT_ID"] == 25544 and r["MAX_EL_DEG"] >= 10.0 for r in rows)
    assert sky.read_text().lstrip().startswith("<?xml")
    code, out, err = _run("access", "--db", str(active_db), "--at", at, "--days", "2",
                          "--name", "^SENTINEL-2", "--country", "Djibouti", "--swath", "290",
                          "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0].startswith("NORAD_CAT_ID,OBJECT_NAME,ENTRY_UTC,EXIT_UTC")
    assert "MEAN_REVISIT_GAP_H" in err
    code, out, err = _run("gnss", "--db", str(active_db), "--at", at, "--hours", "1",
                          "--site", "48.85,2.35", "--systems", "GPS,GALILEO", "--format",
                          "json")
    assert code == 0, err
    series = json.loads(out)
    assert len(series) == 13 and all(r["VISIBLE_GPS"] >= 4 and r["PDOP"] < 5 for r in series)
    png = tmp_path / "map.png"
    code, out, err = _run("footprint", "--db", str(active_db), "--at", at, "--id", "25544",
                          "--min-el", "10", "--map", str(png))
    assert code == 0, err
    feature = json.loads(out)["features"][0]
    assert feature["properties"]["NORAD_CAT_ID"] == 25544
    assert 1000 < feature["properties"]["FOOTPRINT_RADIUS_KM"] < 2000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("args, message", [
    (("passes", "--site", "95,0", "--id", "25544"), "latitude 95"),
    (("passes", "--id", "25544"), "--site"),
    (("access", "--country", "Atlantis", "--off-nadir", "30"), "unknown country 'Atlantis'"),
    (("access", "--country", "DJ"), "give one sensor: --off-nadir DEG or --swath KM"),
    (("access", "--country", "DJ", "--off-nadir", "30", "--swath", "290"), "--off-nadir DEG or"),
    (("gnss", "--site", "10,10", "--systems", "GPS,LORAN"), "unknown GNSS system(s) LORAN"),
    (("passes", "--site", "0,0", "--id", "25544", "--plot", "sky.gif"), ".png or .svg"),
    (("passes", "--site", "0,0", "--id", "1"), "catalog number(s) 1"),
])
def test_cli_bad_input_is_one_line_and_exit_2(active_db: Path, args, message):
    code, _, err = _run(*args[:1], "--db", str(active_db), "--at", "2026-07-12T06:00:00Z",
                        *args[1:])
    assert code == 2, err
    assert message in err and err.count("\n") == 1


def test_cli_empty_region(active_db: Path, tmp_path: Path):
    empty = tmp_path / "nothing.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}')
    code, _, err = _run("access", "--db", str(active_db), "--region", str(empty),
                        "--off-nadir", "20", "--at", "2026-07-12T06:00:00Z")
    assert code == 2 and "nothing.geojson: no Polygon" in err


#: Areas (km^2) from national statistics, and Antarctica's grounded ice from Bedmap2
#: (Fretwell et al. 2013, about 12.3 million km^2); the tolerance allows for Natural
#: Earth's 1:50m coastlines.
KNOWN_AREAS_KM2 = {"Fiji": (18_274, 0.05), "Russia": (17_098_246, 0.03),
                   "Antarctica": (12_300_000, 0.05), "New Zealand": (268_021, 0.03),
                   "Brazil": (8_515_767, 0.02), "France": (643_801, 0.03),
                   "Kiribati": (811, 0.25)}


@pytest.mark.parametrize("name", sorted(KNOWN_AREAS_KM2))
def test_country_areas_across_the_antimeridian_and_round_a_pole(name: str):
    from orbitwatch.access.regions import country

    known, tolerance = KNOWN_AREAS_KM2[name]
    region = country(name)
    assert region.area_km2() == pytest.approx(known, rel=tolerance)
    lon, lat, _ = region.grid()
    assert 1500 < len(lon) < 3000  # the grid's target, whatever the shape
    assert ((lon >= -180) & (lon <= 180)).all()
    assert region.contains(lon, lat).all()


def test_fiji_has_no_false_strip_and_both_sides_of_the_antimeridian():
    from orbitwatch.access.regions import country

    fiji = country("Fiji")
    lon, _, _ = fiji.grid()
    assert (lon > 179.0).any() and (lon < -179.0).any()
    assert not ((lon > -178.0) & (lon < 174.0)).any()
    strip = np.array([-170.0, -150.0, -120.0, -90.0])
    assert not fiji.contains(strip, np.full(4, -16.5)).any()
    assert fiji.contains(np.array([178.44]), np.array([-18.0]))[0]  # Viti Levu


def test_antarctica_contains_the_pole_side_only():
    from orbitwatch.access.regions import country

    antarctica = country("Antarctica")
    inside = antarctica.contains(np.array([0.0, 90.0, -120.0, 45.0, 0.0]),
                                 np.array([-80.0, -85.0, -75.0, -40.0, 10.0]))
    assert inside.tolist() == [True, True, True, False, False]


def test_gnss_counts_only_satellites_in_their_working_orbits(shared_data: Path):
    """The 2022 catalog names 68 NAVSTARs; 36 are in the 26,560 km working orbit, the rest
    in disposal orbits 500-1,400 km higher. DOP uses the working ones unless asked."""
    from orbitwatch.access.gnss import select_gnss
    from orbitwatch.core.orbit import semi_major_axis_km

    records = parse_tle((shared_data / "catalogs" / "spacetrack_full_2022-01-25.3le")
                        .read_text(), source="catalog").records
    every = select_gnss(records, ["GPS"], retired=True)
    working = select_gnss(records, ["GPS"])
    assert len(every) == 68 and 30 <= len(working) <= 36
    assert all(abs(semi_major_axis_km(e.mean_motion) - 26_560) < 25 for e in working)
    assert all(semi_major_axis_km(e.mean_motion) > 27_000 for e in every if e not in working)
    galileo = select_gnss(records, ["GALILEO"])
    assert {e.norad_cat_id for e in galileo} >= {40128, 40129}  # GSAT0201/0202, eccentric


def test_a_pass_is_visible_when_any_part_of_it_is(shared_data: Path):
    """ISS over New Delhi for 30 days: a pass is visible when the satellite is sunlit and
    the site dark at any moment of it, checked independently every 5 s on exact SGP4
    (judged at rise, culmination and set only, 7 of 12 were found)."""
    from orbitwatch.access.geometry import look_angles, sun_teme_km, sunlit
    from orbitwatch.core.time import TimeBase, us_to_datetime

    stations = (shared_data / "catalogs" / "celestrak_stations_2026-03-10.json").read_text()
    iss = [e for e in read_elements(stations, source="stations").records
           if e.norad_cat_id == 25544]
    site = Site("New Delhi", 28.61, 77.21, 216.0, 10.0)
    start = datetime(2026, 3, 10, tzinfo=UTC)
    result = find_passes(iss, [site], start, timedelta(days=30),
                         settings=PassSettings(workers=1))
    sat = satrec_from_elements(iss[0])
    base = TimeBase(result.window_start_us)
    view = SiteView(site, *base.jd0, None)
    seen = 0
    for p in result.passes:
        a = (int(p["rise_us"]) - base.start_us) / 1e6
        b = (int(p["set_us"]) - base.start_us) / 1e6
        t = np.arange(a, b, 5.0)
        jd, fr = base.split_jd(t)
        _, r, _ = sat.sgp4_array(jd, fr)
        sun = sun_teme_km(jd, fr)
        sp, sb = view.frame(t)
        _, sun_el, _ = look_angles(sun, sp, sb)
        dense = sunlit(r, sun) & (sun_el < PassSettings().darkness_deg)
        # a stretch shorter than the sampling (duration / 15) may be missed
        long_enough = dense.sum() * 5.0 > (b - a) / (VISIBILITY_SAMPLES - 1) + 10.0
        if long_enough:
            assert p["visible"], us_to_datetime(int(p["rise_us"]))
        if p["visible"]:
            seen += 1
            assert dense.any()
            span = (int(p["rise_us"]), int(p["visible_from_us"]), int(p["visible_to_us"]),
                    int(p["set_us"]))
            assert list(span) == sorted(span)
    assert seen >= 10

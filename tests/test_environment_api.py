"""The environment endpoints over a synthetic catalog: census, density, GEO belt,
evolution, lifetimes, compliance and the scorecard, and their 4xx answers."""

from __future__ import annotations

from datetime import date

import pytest

from orbitwatch.errors import InputError
from orbitwatch.service.app import create_app
from tests.env_helpers import write_space_weather
from tests.service_helpers import synthetic_db
from tests.test_service import call


@pytest.fixture(scope="module")
def env_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("envapi")
    db = synthetic_db(folder, objects=400)
    sw = write_space_weather(folder / "sw.txt", date(2015, 1, 1), date(2045, 1, 1),
                             predicted_from=date(2026, 1, 1))
    return create_app(db, workers=1, space_weather=sw), create_app(db, workers=1)


def test_census_density_geo_and_evolution(env_app):
    app, _ = env_app
    census = call(app, "GET", "/api/environment/census").json()
    assert census["objects"] == sum(r["TOTAL"] for r in census["items"]) > 300
    by_owner = call(app, "GET", "/api/environment/census", params={"by": "owner"}).json()
    assert sum(r["TOTAL"] for r in by_owner["items"]) == census["objects"]
    density = call(app, "GET", "/api/environment/density",
                   params={"low_km": 0, "high_km": 100000, "step_km": 1000}).json()
    assert sum(r["OBJECTS"] for r in density["items"]) == pytest.approx(census["objects"])
    geo = call(app, "GET", "/api/environment/geo", params={"step_deg": 10}).json()
    geo_count = next(r["TOTAL"] for r in census["items"] if r["ORBIT_CLASS"] == "GEO")
    assert len(geo["items"]) == 36 and sum(r["OBJECTS"] for r in geo["items"]) == geo_count
    evolution = call(app, "GET", "/api/environment/evolution").json()
    assert evolution and evolution[-1]["TOTAL"] == census["objects"]


def test_lifetime_compliance_and_scorecard(env_app):
    app, _ = env_app
    life = call(app, "GET", "/api/environment/lifetime", params={"limit": 5000}).json()
    assert life["total"] > 300 and "NRLMSISE-00" in life["model"]
    dated = [r["DECAY_UTC"] for r in life["items"] if r["DECAY_UTC"]]
    assert dated == sorted(dated) and dated
    prc = call(app, "GET", "/api/environment/lifetime", params={"owner": "PRC"}).json()
    assert 0 < prc["total"] < life["total"]
    comp = call(app, "GET", "/api/environment/compliance",
                params={"verdict": "NON_COMPLIANT", "limit": 5000}).json()
    assert all(r["VERDICT"] == "NON_COMPLIANT" and r["RULE"] for r in comp["items"])
    card = call(app, "GET", "/api/environment/scorecard").json()
    assert sum(r["OBJECTS"] for r in card["items"]) == life["total"]


def test_owner_lists_read_alike_on_every_endpoint(env_app):
    """One parse of an owner list, as the CLI's: spaces and empty items are no owner, so
    a blank list is no filter (compliance once kept '' as an owner and answered nothing)."""
    app, _ = env_app
    for path in ("/api/environment/compliance", "/api/environment/lifetime"):
        every = call(app, "GET", path, params={"limit": 5000}).json()
        assert call(app, "GET", path, params={"owner": " ", "limit": 5000}).json() == every
        prc = call(app, "GET", path, params={"owner": "PRC", "limit": 5000}).json()
        assert 0 < prc["total"] < every["total"]
        assert call(app, "GET", path, params={"owner": " PRC ,, ", "limit": 5000}).json() == prc


def test_an_object_selection_needs_every_part_it_is_given():
    import numpy as np

    from orbitwatch.app.selection import EVERY_OBJECT, ObjectSelection

    norad = np.array([25544, 48274, 20580, 900])
    owners = ["ISS", "PRC", "US", None]
    names = ["ISS (ZARYA)", "CSS (TIANHE)", "HST", None]
    assert not EVERY_OBJECT and EVERY_OBJECT.mask(norad, owners, names).all()
    pick = ObjectSelection.parse("25544, 20580", " US ,", None, "--id")
    assert pick.ids == [25544, 20580] and pick.owners == ["US"]
    assert pick.mask(norad, owners, names).tolist() == [False, False, True, False]
    named = ObjectSelection.parse(None, None, "^(iss|css) ")
    assert named.mask(norad, owners, names).tolist() == [True, True, False, False]
    with pytest.raises(InputError, match="name pattern"):
        ObjectSelection.parse(None, None, "([")
    with pytest.raises(InputError, match="--id"):
        ObjectSelection.parse("25544,x", None, None, "--id")


@pytest.mark.parametrize(("path", "params", "status", "text"), [
    ("/api/environment/census", {"at": "1990-01-01"}, 400, "no object"),
    ("/api/environment/census", {"at": "yesterday-ish"}, 400, "at"),
    ("/api/environment/density", {"low_km": 500, "high_km": 400}, 400, "low_km"),
    ("/api/environment/geo", {"step_deg": 7}, 400, "a divisor of 360"),
    ("/api/environment/geo", {"step_deg": 1e-81}, 400, "a divisor of 360"),
    ("/api/environment/density", {"low_km": 0, "high_km": 99999, "step_km": 1}, 400,
     "altitude shells"),
    ("/api/environment/lifetime", {"name": "(["}, 400, "name pattern"),
])
def test_bad_requests_get_a_4xx_naming_the_field(env_app, path, params, status, text):
    app, _ = env_app
    r = call(app, "GET", path, params=params)
    assert r.status_code == status and text in r.text


def test_without_space_weather_the_lifetime_says_how_to_get_it(env_app):
    _, bare = env_app
    r = call(bare, "GET", "/api/environment/lifetime")
    assert r.status_code == 400 and "fetch-space-weather" in r.text

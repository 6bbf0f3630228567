"""The HTTP API in-process (httpx.ASGITransport): catalog, screening jobs, events with
risk, CDMs, coordination, passes and access; clear 4xx errors."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import httpx
import numpy as np
import pytest
from click.testing import CliRunner

from orbitwatch.cli.main import cli
from orbitwatch.formats.cdm import read_cdm
from orbitwatch.service.app import create_app

AT = "2026-01-01T00:00:00Z"


def _cli(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.stderr


@pytest.fixture(scope="module")
def catalog_db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("service")
    db, omm, sat = tmp / "c.db", tmp / "s.json", tmp / "sat.csv"
    _cli("catalog", "synth", "--objects", "1500", "-o", str(omm), "--satcat", str(sat))
    _cli("catalog", "load", str(omm), str(sat), "--db", str(db))
    return db


def call(app, method: str, url: str, **kwargs) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(go())


@pytest.fixture(scope="module")
def app_with_run(catalog_db: Path):
    app = create_app(catalog_db, workers=1)
    r = call(app, "POST", "/api/runs", json={"at": AT, "days": 0.5, "volume": "5"})
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    app.state.ow.jobs.wait(job_id)
    job = call(app, "GET", f"/api/jobs/{job_id}").json()
    assert job["state"] == "done", job
    assert job["progress"] == 1.0 and job["run_id"] == 1
    return app


def test_health_and_search(catalog_db: Path):
    app = create_app(catalog_db)
    health = call(app, "GET", "/api/health").json()
    assert health["objects"] == 1500 and health["software"].startswith("orbitwatch ")
    page = call(app, "GET", "/api/objects", params={"limit": 10, "offset": 5}).json()
    assert page["total"] == 1500 and len(page["items"]) == 10
    assert [o["NORAD_CAT_ID"] for o in page["items"]] == list(range(6, 16))
    one = call(app, "GET", "/api/objects", params={"q": "7"}).json()
    assert any(o["NORAD_CAT_ID"] == 7 for o in one["items"])
    debris = call(app, "GET", "/api/objects", params={"type": "debris", "limit": 500}).json()
    assert debris["total"] > 0 and all(o["OBJECT_TYPE"] == "DEBRIS" for o in debris["items"])
    detail = call(app, "GET", "/api/objects/7").json()
    assert detail["object"]["NORAD_CAT_ID"] == 7 and detail["element_set_count"] >= 1
    assert 0 < detail["element_sets"][0]["PERIGEE_ALT_KM"] < 100_000
    track = call(app, "GET", "/api/objects/7/track", params={"at": AT, "minutes": 90}).json()
    assert len(track["itrf_km"]) == 91 and all(-90 <= x <= 90 for x in track["lat_deg"])


def test_positions_for_the_globe(catalog_db: Path):
    app = create_app(catalog_db)
    pos = call(app, "GET", "/api/positions", params={"at": AT}).json()
    n = len(pos["ids"])
    assert n > 1400 and len(pos["p0_km"]) == len(pos["p1_km"]) == 3 * n
    # 60 s apart in the Earth-fixed frame: LEO objects moved hundreds of km, nothing
    # faster than escape speed, geosynchronous ones little
    p0 = np.reshape(pos["p0_km"], (-1, 3))
    d = np.linalg.norm(np.reshape(pos["p1_km"], (-1, 3)) - p0, axis=1)
    radius = np.linalg.norm(p0, axis=1)
    assert (d[radius < 8000] > 300).all() and (d < 11.2 * 60).all()
    assert (d[np.abs(radius - 42164) < 50] < 100).all()


def test_events_sorted_filtered_paged_and_exported(app_with_run):
    app = app_with_run
    runs = call(app, "GET", "/api/runs").json()
    assert runs[0]["RUN_ID"] == 1 and runs[0]["EVENTS"] > 0
    total = runs[0]["EVENTS"]
    page = call(app, "GET", "/api/runs/1/events", params={"sort": "range", "limit": 5}).json()
    assert page["total"] == total
    ranges = [e["TCA_RANGE"] for e in page["items"]]
    assert ranges == sorted(ranges)
    by_pc = call(app, "GET", "/api/runs/1/events",
                 params={"sort": "pc", "desc": True, "limit": 5000}).json()["items"]
    assert [e["PC"] for e in by_pc] == sorted((e["PC"] for e in by_pc), reverse=True)
    for e in by_pc:
        assert e["PC_METHOD"] == "FOSTER-1992" and e["COVARIANCE"].startswith("assumed:")
    second = call(app, "GET", "/api/runs/1/events",
                  params={"sort": "tca", "limit": 3, "offset": 3}).json()["items"]
    assert [e["EVENT"] for e in second] == [4, 5, 6][: len(second)]
    one = by_pc[0]["NORAD_CAT_ID_1"]
    mine = call(app, "GET", "/api/runs/1/events", params={"object": one}).json()
    assert mine["total"] >= 1 and all(one in (e["NORAD_CAT_ID_1"], e["NORAD_CAT_ID_2"])
                                      for e in mine["items"])
    text = call(app, "GET", "/api/runs/1/events.csv", params={"band": "green"}).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(r["PC_BAND"] == "green" for r in rows)


def test_event_geometry_cdm_and_coordination(app_with_run):
    app = app_with_run
    ev = call(app, "GET", "/api/runs/1/events/1").json()
    assert len(ev["track_1_itrf_km"]) == 91 and len(ev["miss_rtn_m"]) == 3
    miss = sum(x * x for x in ev["miss_rtn_m"]) ** 0.5
    assert miss == pytest.approx(ev["event"]["TCA_RANGE"] * 1000.0, abs=0.1)
    kvn = call(app, "GET", "/api/runs/1/events/1/cdm").text
    cdm = read_cdm(kvn, source="api")
    assert cdm.objects[0].designator == str(ev["event"]["NORAD_CAT_ID_1"])
    xml = call(app, "GET", "/api/runs/1/events/1/cdm", params={"format": "xml"})
    assert xml.text.lstrip().startswith("<?xml")
    groups = call(app, "GET", "/api/runs/1/coordination").json()
    assert sum(g["EVENTS"] for g in groups) == call(app, "GET", "/api/runs").json()[0]["EVENTS"]
    history = call(app, "GET", f"/api/objects/{ev['event']['NORAD_CAT_ID_1']}/events").json()
    assert any(h["RUN_ID"] == 1 for h in history)


def test_service_screening_takes_what_the_cli_takes(catalog_db: Path):
    """Owners, the snapshot time apart from the window start, and a maximum age reach
    the run, as in ``orbitwatch screen`` (one workflow for both, app.screening)."""
    app = create_app(catalog_db, workers=1)
    r = call(app, "POST", "/api/runs", json={
        "at": "2026-01-01T06:00:00Z", "elements_at": AT, "days": 0.25, "volume": "10",
        "owners": "PRC", "max_age_days": 30})
    assert r.status_code == 202, r.text
    assert r.json()["request"]["owners"] == ["PRC"]
    job = app.state.ow.jobs.wait(r.json()["job_id"])
    assert job.state == "done", job.error
    run = next(x for x in call(app, "GET", "/api/runs").json() if x["RUN_ID"] == job.run_id)
    assert "owner PRC" in run["SCOPE"]
    assert run["WINDOW_START"].startswith("2026-01-01T06:00:00")
    events = call(app, "GET", f"/api/runs/{job.run_id}/events", params={"limit": 5000}).json()
    assert events["total"] > 0
    assert all("PRC" in (e["OWNER_1"], e["OWNER_2"]) for e in events["items"])


def test_passes_and_access(catalog_db: Path):
    app = create_app(catalog_db)
    rows = call(app, "GET", "/api/passes", params={"lat": 48.85, "lon": 2.35, "ids": "1,2,3",
                                                    "at": AT}).json()
    assert rows and all(r["MAX_EL_DEG"] >= 10 for r in rows)
    acc = call(app, "GET", "/api/access", params={"country": "FR", "ids": "1,2,3,4,5,6",
                                                   "off_nadir_deg": 40, "at": AT,
                                                   "days": 2}).json()
    assert acc["region"] == "France" and "MAX_REVISIT_GAP_H" in acc["revisit"]


@pytest.mark.parametrize("method, url, kwargs, status, message", [
    ("GET", "/api/objects/99999", {}, 404, "no object 99999"),
    ("GET", "/api/runs/42/events", {}, 404, "no screening run 42"),
    ("GET", "/api/objects/-3", {}, 422, ""),
    ("GET", "/api/passes", {"params": {"lat": 95, "lon": 0, "ids": "1"}}, 422, "lat"),
    ("GET", "/api/passes", {"params": {"lat": 1, "lon": 0, "ids": "x"}}, 400, "ids"),
    ("GET", "/api/passes", {"params": {"lat": 1, "lon": 0, "ids": "1", "at": "tuesday"}}, 400,
     "at:"),
    ("GET", "/api/access", {"params": {"country": "Atlantis", "ids": "1",
                                       "off_nadir_deg": 20}}, 400, "unknown country"),
    ("GET", "/api/access", {"params": {"country": "DJ", "ids": "1"}}, 400,
     "off_nadir_deg (deg) or swath_km (km)"),
    ("POST", "/api/runs", {"json": {"volume": "5x5"}}, 400, "volume"),
    ("POST", "/api/runs", {"json": {"days": -1}}, 422, "days"),
    ("GET", "/api/jobs/77", {}, 404, "no job 77"),
])
def test_bad_requests_get_clear_4xx(catalog_db: Path, method, url, kwargs, status, message):
    app = create_app(catalog_db)
    r = call(app, method, url, **kwargs)
    assert r.status_code == status, r.text
    assert message in r.text


def test_positions_say_how_old_the_elements_are(catalog_db: Path):
    app = create_app(catalog_db)
    fresh = call(app, "GET", "/api/positions", params={"at": AT}).json()["elements_age"]
    late = call(app, "GET", "/api/positions", params={"at": "2026-03-01T00:00:00Z"}
                ).json()["elements_age"]
    assert fresh["stale"] == 0 and fresh["objects"] > 1000
    assert late["stale"] > 0.9 * late["objects"] and late["oldest_days"] > 59
    assert late["limits_days"]["LEO"] == 3.0


def test_api_docs_need_no_cdn(catalog_db: Path):
    app = create_app(catalog_db)
    page = call(app, "GET", "/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in page and "cdn." not in page
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert call(app, "GET", f"/static/vendor/{asset}").status_code == 200

"""An HTTP API that cannot be knocked over: bounded inputs, linear-time name patterns,
a bounded job queue, a token for work when asked for, trusted hosts, one computation per
resource however many ask, and 4xx (never 500) for odd input."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from orbitwatch.catalog.store import CatalogStore
from orbitwatch.cli.main import cli
from orbitwatch.service.app import create_app
from tests.service_helpers import cli_ok, synthetic_db
from tests.test_service import call

AT = "2026-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = synthetic_db(tmp_path_factory.mktemp("guards"), objects=400)
    cli_ok("screen", "--db", str(path), "--at", AT, "--days", "0.25", "--workers", "1")
    return path


@pytest.mark.parametrize(("body", "message"), [
    ({"volume": "1e308"}, "beyond the limit of 200 km"),
    ({"volume": "0.4x44x5000"}, "beyond the limit of 200 km"),
    ({"at": "3000-01-01T00:00:00Z"}, "outside 1957-10-04 .. 2099-12-31"),
    ({"name": "x" * 201}, "at most 200 characters"),
])
def test_work_is_bounded_with_a_4xx_naming_the_limit(db: Path, body, message):
    app = create_app(db, workers=1)
    r = call(app, "POST", "/api/runs", json={"at": AT, "days": 1, **body})
    assert r.status_code in (400, 422), r.text
    assert message in r.text


@pytest.mark.parametrize("path", ["/api/passes?lat=0&lon=0&name={p}",
                                  "/api/access?country=Djibouti&name={p}"])
def test_a_catastrophic_pattern_answers_at_once(db: Path, path: str):
    """``^((.*)*)*X$`` backtracks exponentially in Python's re on any name without an X
    (the server froze); with RE2 the request completes."""
    app = create_app(db, workers=1)
    done: dict = {}

    def ask() -> None:
        done["r"] = call(app, "GET", path.format(p="%5E%28%28.%2A%29%2A%29%2AX%24"))
        done["health"] = call(app, "GET", "/api/health")

    worker = threading.Thread(target=ask, daemon=True)
    worker.start()
    worker.join(120)  # exponential backtracking would take years on 20-character names
    assert "health" in done, "the request never completed"
    assert done["r"].status_code in (200, 400) and done["health"].status_code == 200


def test_times_out_of_range_and_odd_text_are_4xx(db: Path):
    app = create_app(db, workers=1)
    assert call(app, "GET", "/api/positions", params={"at": "3000-01-01T00:00:00Z"}
                ).status_code == 400
    r = call(app, "GET", "/api/objects/1/track", params={"at": "0001-01-01T00:00:00Z"})
    assert r.status_code == 400 and "outside 1957-10-04" in r.text
    r = call(app, "GET", "/api/objects", params={"q": "²"})
    assert r.status_code == 200 and r.json()["total"] == 0


def test_job_queue_is_bounded(db: Path):
    app = create_app(db, workers=1, max_waiting_jobs=1)
    jobs = app.state.ow.jobs
    jobs._slots.acquire()  # hold the only running slot: the first job stays queued
    try:
        first = call(app, "POST", "/api/runs", json={"at": AT, "days": 0.1})
        second = call(app, "POST", "/api/runs", json={"at": AT, "days": 0.1})
    finally:
        jobs._slots.release()
    assert first.status_code == 202
    assert second.status_code == 429 and "limit is 1" in second.text
    assert second.headers["retry-after"]
    assert jobs.wait(first.json()["job_id"], 300).state == "done"


def test_a_token_guards_work_and_reads_stay_open(db: Path):
    app = create_app(db, workers=1, token="s3cret")
    assert call(app, "POST", "/api/runs", json={"at": AT, "days": 0.1}).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert call(app, "POST", "/api/runs", json={"at": AT, "days": 0.1},
                headers=wrong).status_code == 401
    ok = call(app, "POST", "/api/runs", json={"at": AT, "days": 0.1},
              headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 202
    assert call(app, "GET", "/api/runs").status_code == 200
    app.state.ow.jobs.wait(ok.json()["job_id"], 300)


def test_unknown_host_header_is_refused(db: Path):
    app = create_app(db, workers=1)
    r = call(app, "GET", "/api/health", headers={"Host": "rebound.example"})
    assert r.status_code == 400
    assert call(app, "GET", "/api/health", headers={"Host": "localhost:8737"}
                ).status_code == 200


def test_concurrent_first_requests_compute_a_runs_risk_once(db: Path):
    with CatalogStore(db) as store:  # as a run stored by a version without stored risk
        store.db.execute("DROP TABLE IF EXISTS run_risk_1")
        store.db.execute("DELETE FROM run_risk_runs")
    app = create_app(db, workers=1)
    state = app.state.ow
    results = []

    def first_page() -> None:
        with state.store() as store:
            rows = state.run_risk(store, 1).page(sort="pc", limit=20).rows
            results.append(json.dumps(rows))

    threads = [threading.Thread(target=first_page) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 6 and results[0] and all(r == results[0] for r in results)
    assert state.reports_computed == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--host", "0.0.0.0"], "give --token"),
    (["--host", "0.0.0.0", "--token", "t"], "--allowed-host"),
])
def test_serving_beyond_loopback_needs_a_token_and_host_names(tmp_path: Path, args, message):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "c.db"), *args])
    assert result.exit_code == 2 and message in result.stderr


def test_jobs_outlive_the_service_and_unfinished_ones_run_again(db: Path):
    app = create_app(db, workers=1)
    body = {"at": "2026-01-01T00:00:00Z", "days": 0.1, "volume": "5"}
    first = call(app, "POST", "/api/runs", json=body).json()
    done = call(app, "GET", f"/api/jobs/{first['job_id']}", params={"wait_s": 300}).json()
    assert done["state"] == "done" and done["run_id"]
    # a service that stopped while a job was running: the job is in the database
    with CatalogStore(db) as store:
        record = json.loads(store.db.execute(
            "SELECT request_json FROM service_jobs WHERE job_id = ?",
            (first["job_id"],)).fetchone()[0])
        cur = store.db.execute(
            "INSERT INTO service_jobs (created_utc, state, progress, request_json, "
            "description_json) VALUES ('2026-01-01T00:00:00', 'running', 0.4, ?, '{}')",
            (json.dumps(record),))
        interrupted = cur.lastrowid
    restarted = create_app(db, workers=1)
    jobs = {j["job_id"]: j for j in call(restarted, "GET", "/api/jobs").json()}
    assert jobs[first["job_id"]]["state"] == "done"  # the earlier service's job is listed
    again = call(restarted, "GET", f"/api/jobs/{interrupted}", params={"wait_s": 300}).json()
    assert again["state"] == "done" and again["run_id"] > done["run_id"]

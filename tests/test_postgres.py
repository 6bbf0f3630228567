"""orbitwatch on a PostgreSQL server does what it does on a SQLite file: the same run,
the same reports, byte for byte; the service's jobs kept in the server outlive the
service; and a server that goes away mid-run ends the command with one line, leaving
everything stored before intact."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from orbitwatch.catalog import CatalogStore
from tests.conftest import PG_SERVER
from tests.service_helpers import cli_ok, synthetic_db

AT = "2026-01-01T00:00:00Z"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orbitwatch", *args], capture_output=True,
                          text=True, timeout=600)


def test_same_run_and_reports_on_both_engines(tmp_path: Path, pg_url: str):
    outputs = {}
    for name, location in (("sqlite", tmp_path / "c.db"), ("postgresql", pg_url)):
        folder = tmp_path / name
        folder.mkdir()
        db = str(synthetic_db(folder, objects=800, db=location))
        cli_ok("screen", "--db", db, "--at", AT, "--days", "0.5", "--workers", "1")
        # the same catalog loaded again adds nothing on either engine
        again = _cli("catalog", "load", str(folder / "s.json"), "--db", db)
        assert "0 added, 800 already stored" in again.stdout
        outputs[name] = [
            _cli("report", "--db", db, "--sort", sort, "--limit", "0", "--format", "csv").stdout
            for sort in ("pc", "tca", "range")]
        outputs[name].append(_cli("report", "--db", db, "--coordination", "--format",
                                  "csv").stdout)
        outputs[name].append(_cli("runs", "show", "1", "--db", db, "--limit", "0",
                                  "--format", "csv").stdout)
    assert outputs["sqlite"][0].count("\n") > 10
    assert outputs["sqlite"] == outputs["postgresql"]


def test_jobs_outlive_the_service_on_postgresql(tmp_path: Path, pg_url: str):
    from orbitwatch.service.app import create_app
    from tests.test_service import call

    synthetic_db(tmp_path, objects=300, db=pg_url)
    body = {"at": AT, "days": 0.1, "volume": "5"}
    app = create_app(pg_url, workers=1)
    first = call(app, "POST", "/api/runs", json=body).json()
    done = call(app, "GET", f"/api/jobs/{first['job_id']}", params={"wait_s": 300}).json()
    assert done["state"] == "done" and done["run_id"]
    # a service that stopped while a job was running: the job is in the server
    with CatalogStore(pg_url) as store:
        record = store.db.execute("SELECT request_json FROM service_jobs WHERE job_id = ?",
                                  (first["job_id"],)).fetchone()[0]
        interrupted = store.db.insert_returning_id(
            "INSERT INTO service_jobs (created_utc, state, progress, request_json, "
            "description_json) VALUES ('2026-01-01T00:00:00', 'running', 0.4, ?, '{}')",
            (record,), "job_id")
    restarted = create_app(pg_url, workers=1)
    jobs = {j["job_id"]: j for j in call(restarted, "GET", "/api/jobs").json()}
    again = call(restarted, "GET", f"/api/jobs/{interrupted}", params={"wait_s": 300}).json()
    health = call(restarted, "GET", "/api/health").json()
    assert jobs[first["job_id"]]["state"] == "done"
    assert again["state"] == "done" and again["run_id"] > done["run_id"]
    assert health["database"].startswith("postgresql://orbitwatch:***@127.0.0.1")
    assert health["engine"].startswith("PostgreSQL ")
    assert json.loads(record)["days"] == 0.1


def test_server_gone_mid_run_is_one_line_and_loses_nothing(tmp_path: Path, pg_url: str):
    db = str(synthetic_db(tmp_path, objects=3000, db=pg_url))
    cli_ok("screen", "--db", db, "--at", AT, "--days", "0.1", "--workers", "1")
    with CatalogStore(db) as store:
        before = store.counts()
    name = pg_url.rsplit("/", 1)[1]
    proc = subprocess.Popen([sys.executable, "-m", "orbitwatch", "screen", "--db", db, "--at",
                             AT, "--days", "1", "--workers", "1"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    terminated = 0
    with psycopg.connect(PG_SERVER, autocommit=True) as admin:
        deadline = time.time() + 300
        while proc.poll() is None and time.time() < deadline:
            # every connection the screening holds, idle ones kept for reuse included,
            # for as long as it runs: the one it writes the run through among them
            time.sleep(0.5)
            terminated += admin.execute(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                "datname = %s AND application_name = 'orbitwatch'", (name,)).fetchone()[0]
    err = proc.communicate(timeout=300)[1]
    assert terminated, "the screening ended before its connection could be cut"
    assert proc.returncode == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("orbitwatch: error: the PostgreSQL "
                                                   "server failed the command"), err
    assert "rolled back" in lines[0] and "Traceback" not in err
    with CatalogStore(db) as store:
        assert store.counts() == before
    runs = _cli("runs", "list", "--db", db, "--format", "json")
    assert [r["RUN_ID"] for r in json.loads(runs.stdout)] == [1]


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_orbitwatch_db_names_the_default_store(tmp_path: Path, request, engine: str):
    location = (request.getfixturevalue("pg_url") if engine == "postgresql"
                else str(tmp_path / "env.db"))
    synthetic_db(tmp_path, objects=50, db=location)
    done = subprocess.run([sys.executable, "-m", "orbitwatch", "catalog", "info", "--format",
                           "json"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "ORBITWATCH_DB": location,
                               "ORBITWATCH_HOME": str(tmp_path / "home")})
    assert done.returncode == 0, done.stderr
    # the 50 objects loaded there, not the empty default file under ORBITWATCH_HOME
    assert json.loads(done.stdout)[0]["stored"]["objects"] == 50
    assert not (tmp_path / "home" / "catalog.db").exists()


def test_radii_for_one_call_are_computed_apart_and_a_new_table_recomputes(
        tmp_path: Path, pg_url: str):
    from orbitwatch.reports.run_risk import open_run_risk
    from orbitwatch.risk.hbr import Radius
    from tests.service_helpers import screened_db

    db = screened_db(tmp_path, db=pg_url)
    with CatalogStore(db) as store:
        stored = open_run_risk(store, 1)
        assert stored.schema == store.db.main_schema and not stored.computed
        first = stored.page(sort="tca").rows[0]
        norad = first["NORAD_CAT_ID_1"]
        # a radius table given for this call: computed into this connection's own
        # temporary schema, the stored risk untouched
        own = open_run_risk(store, 1, radii={norad: Radius(30.0, "for this call")})
        assert own.computed and own.schema == "pg_temp"
        assert own.page(sort="tca").rows[0]["HBR_SOURCE"].startswith("for this call")
        assert open_run_risk(store, 1).page(sort="tca").rows[0] == first
        # a new stored radius table: the stored risk is computed again, once
        store.store_radii({norad: (25.0, "test table")}, "t.csv")
        again = open_run_risk(store, 1)
        assert again.computed and not open_run_risk(store, 1).computed
        assert again.page(sort="tca").rows[0]["HBR_SOURCE"].startswith("test table")
    with CatalogStore(db) as store:  # the connection's own tables did not outlive it
        assert "run_risk_1" not in store.db.table_names(store.db.temp_schema)


def test_two_processes_storing_a_runs_risk_at_once_both_succeed(tmp_path: Path,
                                                                pg_url: str):
    # two reports (or a report and the service) on the same server, each finding the
    # run's risk not stored for the current radius table, each computing and writing it
    from concurrent.futures import ThreadPoolExecutor

    from orbitwatch.reports.run_risk import open_run_risk
    from tests.service_helpers import screened_db

    db = screened_db(tmp_path, db=pg_url)
    with CatalogStore(db) as store:
        expected = open_run_risk(store, 1).page(sort="pc").rows

    def report(k: int) -> list:
        with CatalogStore(db) as store:
            if k == 0:
                store.db.execute("DELETE FROM run_risk_runs")  # as after `catalog radii`
            return open_run_risk(store, 1).page(sort="pc").rows

    for _ in range(3):
        with CatalogStore(db) as store:
            store.db.execute("DELETE FROM run_risk_runs")
        with ThreadPoolExecutor(4) as pool:
            pages = list(pool.map(report, range(4)))
        assert all(p == expected for p in pages)


def test_a_database_copied_whole_reads_the_same_both_ways(tmp_path: Path, pg_url: str):
    from tests.service_helpers import screened_db

    source = str(screened_db(tmp_path))
    cli_ok("catalog", "load", str(tmp_path / "s.json"), "--db", source)  # loads: 3
    done = _cli("database", "copy", "--db", source, "--to", pg_url)
    assert done.returncode == 0, done.stderr
    assert "1,500 element_sets" in done.stdout and ":orbitwatch@" not in done.stdout
    back = str(tmp_path / "back.db")
    assert _cli("database", "copy", "--db", pg_url, "--to", back).returncode == 0

    def reads(db: str) -> list[str]:
        return [_cli(*args, "--db", db).stdout for args in (
            ("report", "--sort", "pc", "--limit", "0", "--format", "csv"),
            ("runs", "list", "--format", "csv"),
            ("catalog", "rejects", "--format", "csv"),
            ("database", "status", "--format", "csv"))]

    a, b, c = reads(source), reads(pg_url), reads(back)
    assert a[0].count("\n") > 10 and a[:3] == b[:3] == c[:3]
    def table_rows(status: str) -> dict[str, str]:
        return dict(line.split(",", 1) for line in status.splitlines()
                    if line.startswith("rows"))

    held = table_rows(a[3])
    assert held["rows element_sets"] == "1500" and held["rows conjunctions"] != "0"
    for copy in (b[3], c[3]):
        assert {k: v for k, v in table_rows(copy).items() if k in held} == held
    # new rows get new ids after the copied ones
    with CatalogStore(pg_url) as store:
        assert [r["load_id"] for r in store.loads()] == [3, 2, 1]
    cli_ok("catalog", "load", str(tmp_path / "sat.csv"), "--db", pg_url)
    with CatalogStore(pg_url) as store:
        assert store.loads(limit=1)[0]["load_id"] == 4
    # a target that holds anything is refused, and left as it was
    again = _cli("database", "copy", "--db", source, "--to", pg_url)
    assert again.returncode == 2 and "copy into an empty database" in again.stderr
    with CatalogStore(pg_url) as store:
        assert store.counts()["loads"] == 4


def test_behaviour_and_environment_read_the_same_history_on_both_engines(
        shared_data: Path, tmp_path: Path, pg_url: str):
    from tests.history_helpers import small_history_db

    (tmp_path / "f").mkdir()
    (tmp_path / "p").mkdir()
    engines = (str(small_history_db(shared_data, tmp_path / "f")),
               str(small_history_db(shared_data, tmp_path / "p", db=pg_url)))
    outputs = []
    for db in engines:
        outputs.append([_cli(*args, "--db", db).stdout for args in (
            ("manoeuvres", "--format", "csv", "--limit", "0"),
            ("proximity", "--format", "csv", "--limit", "0"),
            ("environment", "census", "--by", "orbit-class", "--at",
             "2025-09-20T00:00:00Z", "--format", "csv"))])
    assert outputs[0][0].count("RAISE") >= 2  # the ISS reboosts at least
    assert outputs[0] == outputs[1]

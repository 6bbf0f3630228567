"""Screening on a Dask cluster: the same events as the local pool on a LocalCluster and on
a scheduler and workers started from the command line (loopback only), a run that loses
a worker to SIGKILL mid-way and still gives identical events, and an unreachable
scheduler that gets one line and exit code 2."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from orbitwatch.catalog import CatalogStore, take_snapshot
from orbitwatch.cli.main import cli
from orbitwatch.screening import EngineSettings, screen
from tests.service_helpers import free_port, synthetic_db

distributed = pytest.importorskip("distributed", reason="dask[distributed] not installed")
pytestmark = pytest.mark.slow  # real schedulers and workers

START = datetime(2026, 1, 1, tzinfo=UTC)
#: Short chunks: many tasks, so that a worker can be lost while some are pending.
SETTINGS = EngineSettings(workers=1, chunk_s=3600.0)


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    db = synthetic_db(tmp_path_factory.mktemp("dask"), objects=500)
    with CatalogStore(db) as store:
        return take_snapshot(store, START)


@pytest.fixture(scope="module")
def local_events(snapshot):
    return screen(snapshot, start=START, duration=timedelta(hours=12), volume=5.0,
                  settings=SETTINGS).events


def _same_events(a: np.ndarray, b: np.ndarray) -> None:
    assert len(a) == len(b) > 10
    key = lambda e: (int(e["norad_cat_id_1"]), int(e["norad_cat_id_2"]), int(e["tca_us"]))  # noqa: E731
    a, b = sorted(a, key=key), sorted(b, key=key)
    for x, y in zip(a, b, strict=True):
        assert (x["norad_cat_id_1"], x["norad_cat_id_2"]) == (y["norad_cat_id_1"],
                                                               y["norad_cat_id_2"])
        assert abs(int(x["tca_us"]) - int(y["tca_us"])) <= 1000  # 1 ms
        assert abs(float(x["miss_m"]) - float(y["miss_m"])) <= 1.0  # 1 m


def test_local_cluster_gives_the_local_pools_events(snapshot, local_events):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        result = screen(snapshot, start=START, duration=timedelta(hours=12), volume=5.0,
                        settings=replace(SETTINGS, dask_address=cluster.scheduler_address))
    _same_events(result.events, local_events)


@pytest.fixture()
def cli_cluster(tmp_path: Path):
    """``dask scheduler`` and two ``dask worker`` processes on loopback."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).parent / "dask")
    commands = [[dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                 "--no-dashboard"]]
    commands += [[dask, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-nanny",
                  "--no-dashboard", "--host", "127.0.0.1"]] * 2
    procs, logs = [], []
    try:
        for k, command in enumerate(commands):
            logs.append((tmp_path / f"dask{k}.log").open("w"))
            procs.append(subprocess.Popen(command, stdout=logs[-1], stderr=subprocess.STDOUT))
            if k == 0:
                time.sleep(2.0)
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
            pids = list(client.run(os.getpid).values())
        yield address, pids
    finally:
        for p in procs:  # a test cluster has nothing to save: no graceful shutdown
            p.kill()
            p.wait()
        for log in logs:
            log.close()


def test_command_line_scheduler_and_workers(cli_cluster, snapshot, local_events, tmp_path):
    address, _ = cli_cluster
    db = synthetic_db(tmp_path, objects=500)
    out = {}
    for name, extra in (("local", ["--workers", "1"]), ("dask", ["--dask", address])):
        result = CliRunner().invoke(cli, ["screen", "--db", str(db), "--at", START.isoformat(),
                                          "--days", "0.5", "--format", "json", "--limit", "0",
                                          "--no-store", *extra])
        assert result.exit_code == 0, result.stderr
        out[name] = json.loads(result.stdout)
    assert len(out["dask"]) == len(out["local"]) > 10
    pairs = lambda rows: sorted((r["NORAD_CAT_ID_1"], r["NORAD_CAT_ID_2"], r["TCA"])  # noqa: E731
                                for r in rows)
    assert pairs(out["dask"]) == pairs(out["local"])


def test_a_worker_killed_mid_run_changes_nothing(cli_cluster, snapshot, local_events):
    address, pids = cli_cluster
    killed = threading.Event()

    def progress(done: int, total: int) -> None:
        if done == 1 and not killed.is_set():
            os.kill(pids[0], signal.SIGKILL)
            killed.set()

    result = screen(snapshot, start=START, duration=timedelta(hours=12), volume=5.0,
                    settings=replace(SETTINGS, dask_address=address), progress=progress)
    assert killed.is_set()
    _same_events(result.events, local_events)


def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path: Path):
    db = synthetic_db(tmp_path, objects=50)
    port = free_port()  # nothing listens there
    result = CliRunner().invoke(cli, ["screen", "--db", str(db), "--at", START.isoformat(),
                                      "--days", "0.1", "--dask", f"tcp://127.0.0.1:{port}"])
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_scheduler_restarted_mid_run_changes_nothing(snapshot, local_events,
                                                       tmp_path: Path):
    # the scheduler dies after the first chunk and comes back on the same address, with
    # a worker started again by its supervisor (compose's `restart`, systemd): the run
    # waits for the cluster, sends the chunks it has no result for, and ends with the
    # same events
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).parent / "dask")
    scheduler = [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                 "--no-dashboard"]
    worker = [dask, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-nanny",
              "--no-dashboard", "--host", "127.0.0.1"]
    log = (tmp_path / "dask.log").open("w")
    procs = [subprocess.Popen(scheduler, stdout=log, stderr=subprocess.STDOUT)]
    time.sleep(2.0)
    procs.append(subprocess.Popen(worker, stdout=log, stderr=subprocess.STDOUT))
    restarted = threading.Event()

    def restart() -> None:
        procs[0].kill()
        procs[0].wait()
        time.sleep(1.0)
        procs.append(subprocess.Popen(scheduler, stdout=log, stderr=subprocess.STDOUT))
        time.sleep(2.0)
        procs.append(subprocess.Popen(worker, stdout=log, stderr=subprocess.STDOUT))
        restarted.set()

    def progress(done: int, total: int) -> None:
        if done == 1 and not restarted.is_set() and len(procs) == 2:
            threading.Thread(target=restart, daemon=True).start()
            time.sleep(0.5)

    try:
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(1, timeout=60)
        result = screen(snapshot, start=START, duration=timedelta(hours=12), volume=5.0,
                        settings=replace(SETTINGS, dask_address=address), progress=progress)
    finally:
        for p in procs:
            p.kill()
            p.wait()
        log.close()
    assert restarted.is_set()
    _same_events(result.events, local_events)

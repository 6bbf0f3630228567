"""Worker processes die with their parent, and the Python API works from any script: one
without a main guard, one with no file (standard input)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.service_helpers import synthetic_db


def _children(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        out |= {int(x) for x in text.split()}
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_when_the_screening_is_killed(tmp_path: Path):
    db = synthetic_db(tmp_path, objects=15_000)  # chunks of several seconds each
    proc = subprocess.Popen([sys.executable, "-m", "orbitwatch", "screen", "--db", str(db),
                             "--at", "2026-01-01T00:00:00Z", "--days", "3", "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)  # until the pool has started both workers
        workers = _children(proc.pid)
    assert len(workers) >= 2, "the screening should have started its workers"
    time.sleep(3.0)  # into their first chunks
    workers = _children(proc.pid)  # the workers and multiprocessing's resource tracker
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # the kernel kills them with the parent; without that they finish their chunk first
    deadline = time.monotonic() + 2.0
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "child processes outlived their parent"


@pytest.mark.parametrize("how", ["stdin", "script file", "module"])
def test_python_api_from_a_script_without_a_main_guard(tmp_path: Path, how: str):
    """The module docstring's example as a user writes it: a script with no ``if
    __name__ == "__main__":``, run from standard input, as a file or with ``-m``. Spawned
    workers must not re-import it (a file would run the screening again in each worker
    and break the pool; standard input cannot be re-imported at all): the run completes,
    once, and does not hang."""
    db = synthetic_db(tmp_path, objects=800)
    script = f"""
import orbitwatch
from datetime import datetime, UTC, timedelta
print("script started", flush=True)
with orbitwatch.CatalogStore({str(db)!r}) as store:
    snap = orbitwatch.take_snapshot(store, datetime(2026, 1, 1, tzinfo=UTC))
r = orbitwatch.screen(snap, duration=timedelta(hours=12),
                      settings=orbitwatch.EngineSettings(workers=2, chunk_s=3 * 3600))
print("events", len(r.events))
"""
    (tmp_path / "my_screening.py").write_text(script)
    command, stdin = {"stdin": ([sys.executable, "-"], script),
                      "script file": ([sys.executable, "my_screening.py"], None),
                      "module": ([sys.executable, "-m", "my_screening"], None)}[how]
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("script started") == 1, done.stdout
    assert done.stdout.splitlines()[-1].startswith("events ")


@pytest.mark.parametrize(("files", "expected"), [
    ({"cpu.max": "100000 100000\n"}, 1),  # cgroup v2, one CPU's time
    ({"cpu.max": "150000 100000\n"}, 2),  # 1.5 CPUs: rounded up
    ({"cpu/cpu.cfs_quota_us": "50000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 1),  # v1
])
def test_a_cpu_quota_caps_the_usable_cpus(tmp_path: Path, files: dict, expected: int):
    from orbitwatch.core.processes import usable_cpus

    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert usable_cpus(tmp_path) == min(expected, len(os.sched_getaffinity(0)))


@pytest.mark.parametrize("files", [{}, {"cpu.max": "max 100000\n"},
                                   {"cpu/cpu.cfs_quota_us": "-1\n",
                                    "cpu/cpu.cfs_period_us": "100000\n"}])
def test_without_a_quota_every_cpu_of_the_affinity_is_usable(tmp_path: Path, files: dict):
    from orbitwatch.core.processes import usable_cpus

    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert usable_cpus(tmp_path) == len(os.sched_getaffinity(0))


def test_the_screening_pool_follows_the_cpu_quota(tmp_path: Path, monkeypatch):
    """In a container limited to one CPU's time, a screening without --workers runs its
    chunks in this process (4 chunks of 6 h over a day), not one worker per host CPU."""
    from datetime import UTC, datetime, timedelta

    import orbitwatch
    from orbitwatch.core import processes

    (tmp_path / "cpu.max").write_text("100000 100000\n")
    monkeypatch.setattr(processes, "CGROUP_ROOT", tmp_path, raising=False)
    db = synthetic_db(tmp_path, objects=300)
    with orbitwatch.CatalogStore(db) as store:
        snap = orbitwatch.take_snapshot(store, datetime(2026, 1, 1, tzinfo=UTC))
    seen: list[tuple[int, int]] = []
    orbitwatch.screen(snap, duration=timedelta(days=1), progress=lambda k, n: seen.append((k, n)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]

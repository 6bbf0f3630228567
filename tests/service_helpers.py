"""A real ``orbitwatch serve`` on loopback for the browser and load tests, and where
they keep their artifacts (screenshots, measured frame rates)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from click.testing import CliRunner

from orbitwatch.cli.main import cli

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("ORBITWATCH_ARTIFACTS", REPO / "test-artifacts"))


def cli_ok(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.stderr


def synthetic_db(folder: Path, objects: int = 1500, db: str | Path | None = None,
                 ) -> str | Path:
    """A catalog database of a synthetic catalog with SATCAT types and owners: ``db`` (a
    file or a PostgreSQL URL), by default a file in ``folder``."""
    db = db if db is not None else folder / "c.db"
    omm, sat = folder / "s.json", folder / "sat.csv"
    cli_ok("catalog", "synth", "--objects", str(objects), "-o", str(omm), "--satcat", str(sat))
    cli_ok("catalog", "load", str(omm), str(sat), "--db", str(db))
    return db


def screened_db(folder: Path, db: str | None = None) -> str | Path:
    """A synthetic catalog screened over half a day from 2026-01-01 (run 1, stored), in
    ``db`` (a PostgreSQL URL) or a file in ``folder``."""
    db = synthetic_db(folder, db=db)
    cli_ok("screen", "--db", str(db), "--at", "2026-01-01T00:00:00Z", "--days", "0.5",
           "--workers", "1", "--limit", "1")
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(db: str | Path, workers: int = 1, token: str | None = None,
                   space_weather: Path | None = None, log_dir: Path | None = None,
                   ) -> Iterator[str]:
    """``orbitwatch serve`` in a subprocess (with an API token when given) on ``db`` (a
    file or a PostgreSQL URL); yields its base URL, stops it after. Its log goes to
    ``log_dir`` (default: the database file's folder)."""
    port = free_port()
    log_dir = log_dir or Path(db).parent
    log = (log_dir / f"serve-{port}.log").open("w")
    env = {**os.environ, **({"ORBITWATCH_TOKEN": token} if token else {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "orbitwatch", "serve", "--db", str(db), "--port", str(port),
         "--workers", str(workers),
         *(["--space-weather", str(space_weather)] if space_weather else [])],
        stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"orbitwatch serve did not start: "
                                   f"{(log_dir / f'serve-{port}.log').read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()

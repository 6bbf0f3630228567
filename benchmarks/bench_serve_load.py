"""Load on the HTTP service: 50 concurrent clients for 30 s on loopback against a real
``orbitwatch serve`` (uvicorn) over a synthetic catalog with one stored run, while a
second screening run is written. Prints requests, failures and p50/p99 latency.

    python benchmarks/bench_serve_load.py [--clients 50] [--seconds 30] [--objects 5000]
                                          [--server URL]

``--server``: also on a new database of that PostgreSQL server (a role that may create
databases; dropped after), one after the other on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.load_client import hammer
from tests.service_helpers import cli_ok, running_server, synthetic_db


def measure(tmp: Path, args: argparse.Namespace, location: str | None) -> dict:
    db = synthetic_db(tmp, objects=args.objects, db=location)
    cli_ok("screen", "--db", str(db), "--at", "2026-01-01T00:00:00Z", "--days", "0.5",
           "--workers", "1")
    with running_server(db, workers=1, log_dir=tmp) as url:
        httpx.get(f"{url}/api/runs/1/events?limit=1", timeout=120)  # report computed once
        httpx.post(f"{url}/api/runs", json={"at": "2026-01-01T12:00:00Z", "days": 1})
        return asyncio.run(hammer(url, clients=args.clients, seconds=args.seconds))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--objects", type=int, default=5000)
    ap.add_argument("--server", default=None, help="a PostgreSQL server URL (see above)")
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = measure(Path(tmp), args, None)
    if args.server:
        import psycopg

        name = f"ow_bench_{uuid.uuid4().hex[:8]}"
        url = urlunsplit(urlsplit(args.server)._replace(path=f"/{name}"))
        with psycopg.connect(args.server, autocommit=True) as admin, \
                tempfile.TemporaryDirectory() as tmp:
            admin.execute(f"CREATE DATABASE {name}")
            try:
                results["postgresql"] = measure(Path(tmp), args, url)
            finally:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    print(f"{args.clients} clients x {args.seconds:g} s, {args.objects} objects, a screening "
          f"job writing meanwhile")
    for engine, result in results.items():
        print(f"  {engine}: requests {result['requests']} ({result['throughput_per_s']:.0f}/s),"
              f" failures {len(result['failures'])}, p50 {result['p50_ms']:.1f} ms, "
              f"p99 {result['p99_ms']:.1f} ms")
        for failure in result["failures"][:5]:
            print(f"    failed: {failure}")
    print(f"  machine: {platform.machine()}, {os.cpu_count()} cores, python "
          f"{platform.python_version()}, {datetime.now(UTC):%Y-%m-%d}")


if __name__ == "__main__":
    main()

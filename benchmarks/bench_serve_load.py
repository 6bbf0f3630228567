"""Load on the HTTP service: 50 concurrent clients for 30 s on loopback against a real
``orbitwatch serve`` (uvicorn) over a synthetic catalog with one stored run, while a
second screening run is written. Prints requests, failures and p50/p99 latency.

    python benchmarks/bench_serve_load.py [--clients 50] [--seconds 30] [--objects 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.load_client import hammer
from tests.service_helpers import cli_ok, running_server, synthetic_db


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--objects", type=int, default=5000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = synthetic_db(Path(tmp), objects=args.objects)
        cli_ok("screen", "--db", str(db), "--at", "2026-01-01T00:00:00Z", "--days", "0.5",
               "--workers", "1")
        with running_server(db, workers=1) as url:
            httpx.get(f"{url}/api/runs/1/events?limit=1", timeout=120)  # report computed once
            httpx.post(f"{url}/api/runs", json={"at": "2026-01-01T12:00:00Z", "days": 1})
            result = asyncio.run(hammer(url, clients=args.clients, seconds=args.seconds))
    print(f"{args.clients} clients x {args.seconds:g} s, {args.objects} objects, a screening "
          f"job writing meanwhile")
    print(f"  requests {result['requests']} ({result['throughput_per_s']:.0f}/s), failures "
          f"{len(result['failures'])}, p50 {result['p50_ms']:.1f} ms, "
          f"p99 {result['p99_ms']:.1f} ms")
    print(f"  machine: {platform.machine()}, {os.cpu_count()} cores, python "
          f"{platform.python_version()}, {datetime.now(UTC):%Y-%m-%d}")


if __name__ == "__main__":
    main()

"""Concurrent readers against a running orbitwatch service: ``clients`` coroutines, each
sending requests back to back for ``seconds``, over the endpoints the UI uses most.

Used by tests/test_service_load.py (short, no errors allowed) and by
benchmarks/bench_serve_load.py (30 s, latency percentiles recorded)."""

from __future__ import annotations

import asyncio
import itertools
import time

import httpx
import numpy as np

PATHS = ("/api/health", "/api/runs", "/api/objects?q=1&limit=20", "/api/objects/{id}",
         "/api/runs/1/events?limit=50&sort=range", "/api/objects?type=DEBRIS&limit=50")


async def hammer(base_url: str, clients: int = 50, seconds: float = 30.0,
                 object_ids: tuple[int, ...] = (1, 2, 3, 5, 8, 13),
                 until_job: int | None = None) -> dict:
    """Latencies (s) and failures of every request; a failure is a status >= 400 or a
    transport error. The clients run for ``seconds``, or, given ``until_job``, until that
    screening job has ended (a long poll tells), however long that takes."""
    latencies: list[float] = []
    failures: list[str] = []
    ids = itertools.cycle(object_ids)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=30.0, limits=limits) as client:
        end = time.perf_counter() + seconds
        job_over = asyncio.Event()

        def over() -> bool:
            return job_over.is_set() if until_job is not None else time.perf_counter() >= end

        async def watch_job() -> None:
            if until_job is not None:
                async with httpx.AsyncClient(base_url=base_url, timeout=None) as watcher:
                    while (await watcher.get(f"/api/jobs/{until_job}", params={
                            "wait_s": 600})).json()["state"] in ("queued", "running"):
                        pass
                job_over.set()

        async def one_client(k: int) -> None:
            for n in itertools.count(k):
                if over():
                    return
                path = PATHS[n % len(PATHS)].replace("{id}", str(next(ids)))
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    if r.status_code >= 400:
                        failures.append(f"{path}: HTTP {r.status_code} {r.text[:200]}")
                except httpx.HTTPError as exc:
                    failures.append(f"{path}: {type(exc).__name__} {exc}")
                latencies.append(time.perf_counter() - t0)

        started = time.perf_counter()
        await asyncio.gather(watch_job(), *(one_client(k) for k in range(clients)))
        seconds = time.perf_counter() - started
    lat = np.array(latencies)
    return {"requests": len(lat), "failures": failures,
            "p50_ms": float(np.percentile(lat, 50) * 1e3) if len(lat) else None,
            "p99_ms": float(np.percentile(lat, 99) * 1e3) if len(lat) else None,
            "throughput_per_s": len(lat) / seconds}

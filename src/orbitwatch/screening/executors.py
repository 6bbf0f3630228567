"""Where the screening engine's chunks run: this process, a local process pool, or a
Dask cluster. One seam: the engine hands over the work (a context type that builds the
satellites, the element sets, window and settings) and the chunk bounds, and gets the
chunk results back in order.

On Dask each task carries the element sets, not positions, and no array is scattered
(a scattered array is lost with its worker): a worker builds its satellites once per
work (cached by the work's content hash) and screens the chunks it is given. A task
whose worker dies is run again elsewhere (``retries``); the results are the same, since
every chunk is a pure function of the work and its bounds. A scheduler that goes away
takes every pending task with it: the run waits for it (and a worker) to come back on
the same address, up to SCHEDULER_RETURN_S, and sends again the chunks it has no result
for.
"""

from __future__ import annotations

import hashlib
import pickle
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import CancelledError
from typing import Any

from orbitwatch.core.processes import worker_pool
from orbitwatch.errors import ClusterError, InputError, MissingExtraError

#: Works kept built per Dask worker process (a work is the satellites of one screening).
_WORKER_CACHE_SIZE = 2
_WORKER_CACHE: OrderedDict[str, Any] = OrderedDict()
#: Seconds to reach a scheduler before saying it cannot be reached.
CONNECT_TIMEOUT_S = 10.0
#: Seconds a run waits for a scheduler that went away to come back with a worker.
SCHEDULER_RETURN_S = 120.0


def work_key(args: tuple) -> str:
    """A content hash of a screening's work (element sets, start, primaries, volume,
    settings): the key a worker caches its satellites under."""
    return hashlib.sha256(pickle.dumps(args, protocol=5)).hexdigest()[:32]


def _dask_chunk(context_type: type, key: str, args: tuple, bounds: tuple[float, float]):
    """On a Dask worker: the work's context (built once per worker), then one chunk."""
    context = _WORKER_CACHE.get(key)
    if context is None:
        context = context_type(*args)
        _WORKER_CACHE[key] = context
        while len(_WORKER_CACHE) > _WORKER_CACHE_SIZE:
            _WORKER_CACHE.popitem(last=False)
    else:
        _WORKER_CACHE.move_to_end(key)
    return context.screen_chunk(*bounds)


def run_on_dask(address: str, context_type: type, args: tuple,
                make_bounds: Callable[[int], list[tuple[float, float]]],
                progress: Callable[[int, int], None] | None = None,
                retries: int = 3) -> list:
    """The chunks of a screening on the Dask scheduler at ``address``, in order;
    ``make_bounds(n)`` splits the window for n worker threads (several chunks each, so
    that a slow or lost worker does not hold the run)."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise MissingExtraError("screening on a Dask cluster (dask, distributed)",
                                "dask") from exc
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        bounds = make_bounds(max(1, sum(client.nthreads().values())))
        key = work_key(args)
        results: list = [None] * len(bounds)
        pending = set(range(len(bounds)))
        while pending:
            futures = {client.submit(_dask_chunk, context_type, key, args, bounds[k],
                                     key=f"ow-chunk-{key}-{k}", retries=retries,
                                     pure=False): k
                       for k in sorted(pending)}
            try:
                with client.as_current():  # as_completed looks for the current client
                    for future in as_completed(futures):
                        k = futures[future]
                        results[k] = future.result()
                        pending.discard(k)
                        if progress:
                            progress(len(bounds) - len(pending), len(bounds))
            except CancelledError as exc:
                if "scheduler-connection-lost" not in str(exc):
                    raise
                _wait_for_cluster(client, address)
        return results
    finally:
        client.close()


def _wait_for_cluster(client: Any, address: str) -> None:
    """Until the client is connected again and the scheduler has a worker; a
    ClusterError when that takes longer than SCHEDULER_RETURN_S."""
    deadline = time.monotonic() + SCHEDULER_RETURN_S
    while time.monotonic() < deadline:
        try:
            if client.status == "running" and sum(client.nthreads().values()) > 0:
                return
        except (OSError, TimeoutError):
            pass  # still reconnecting
        time.sleep(0.5)
    raise ClusterError(f"the Dask scheduler at {address} went away mid-run and did not "
                       f"come back with a worker within {SCHEDULER_RETURN_S:.0f} s; "
                       "nothing was stored: run it again")


_CONTEXT: Any = None


def _init_worker(context_type: type, args: tuple) -> None:
    global _CONTEXT
    _CONTEXT = context_type(*args)


def _run_chunk(bounds: tuple[float, float]):
    return _CONTEXT.screen_chunk(*bounds)


def run_locally(context_type: type, args: tuple, bounds: list[tuple[float, float]],
                workers: int, progress: Callable[[int, int], None] | None = None) -> list:
    """The chunks in this process (one worker) or a local process pool, in order."""
    outputs: list = []
    if workers == 1:
        ctx = context_type(*args)
        for k, b in enumerate(bounds):
            outputs.append(ctx.screen_chunk(*b))
            if progress:
                progress(k + 1, len(bounds))
        return outputs
    with worker_pool(workers, _init_worker, (context_type, args)) as pool:
        for k, out in enumerate(pool.map(_run_chunk, bounds)):
            outputs.append(out)
            if progress:
                progress(k + 1, len(bounds))
    return outputs

"""Worker processes that never outlive their parent and never need the caller's script.

Screening and pass prediction run in a ``spawn`` process pool (python-sgp4 holds the
GIL). Two things go wrong with a plain pool: killed with SIGKILL (or SIGTERM without
clean-up), the parent leaves its workers running, hundreds of MB each, for as long as
their chunk takes; and a caller whose main module is not a file (``python - <
script.py``, a notebook cell run as a script) hangs or breaks the pool, because spawned
children try to re-import it. Here each worker asks the kernel to kill it when its
parent dies (Linux ``PR_SET_PDEATHSIG``; elsewhere it checks the parent at start), and
the pool's workers never import the caller's main module (a script without a main
guard, or one not on disk, cannot break or hang them).

A pool's default size is the CPUs this process may use (``usable_cpus``), not the
machine's: in a container limited to 2 CPUs of a 64-CPU host, ``os.cpu_count()`` says
64, and 64 workers would each build the whole catalog's satellites to share 2 CPUs.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import math
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

_PR_SET_PDEATHSIG = 1
CGROUP_ROOT = Path("/sys/fs/cgroup")


def usable_cpus(cgroup_root: Path | None = None) -> int:
    """The CPUs this process may run on (its affinity), capped by a CPU quota of its
    control group (cgroup v2 ``cpu.max``, v1 ``cpu.cfs_quota_us``), rounded up; >= 1."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cpus = os.cpu_count() or 1
    quota = _cgroup_quota(cgroup_root or CGROUP_ROOT)
    if quota is not None:
        cpus = min(cpus, math.ceil(quota))
    return max(1, cpus)


def _cgroup_quota(root: Path) -> float | None:
    """CPUs' worth of time the control group may use per period; None without a limit."""
    try:
        quota, period = (root / "cpu.max").read_text().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        quota = int((root / "cpu" / "cpu.cfs_quota_us").read_text())
        period = int((root / "cpu" / "cpu.cfs_period_us").read_text())
    except (OSError, ValueError):
        return None
    return None if quota <= 0 or period <= 0 else quota / period


def _die_with(parent_pid: int) -> None:
    """In a worker: be killed with the parent (Linux), or stop now if it is gone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def _start_worker(parent_pid: int, initializer: Callable[..., None] | None,
                  initargs: tuple) -> None:
    _die_with(parent_pid)
    if initializer is not None:
        initializer(*initargs)


_hiding_lock = threading.Lock()
_hiding: dict[str, Any] = {"pools": 0, "saved": {}}


@contextlib.contextmanager
def _main_not_reimported() -> Iterator[None]:
    """Hide the caller's main module from spawned workers while the pool runs.

    ``spawn`` re-imports the parent's ``__main__`` in every worker, by path (a script)
    or by name (``python -m``). Everything a worker runs lives in orbitwatch, so it never
    needs the caller's module, and importing it does harm: a script without ``if
    __name__ == "__main__":`` runs again in each worker, whose own pool then fails while
    it starts, and the parent's pool breaks or hangs; a main module that is not a file
    (standard input, ``-c``) cannot be imported at all. With neither ``__file__`` nor
    ``__spec__`` on ``__main__``, spawn imports nothing (multiprocessing.spawn's
    ``get_preparation_data``). Pools in several threads at once (the service) share one
    hiding: the first hides, the last restores."""
    main = sys.modules.get("__main__")
    with _hiding_lock:
        if _hiding["pools"] == 0 and main is not None:
            _hiding["saved"] = {name: main.__dict__[name] for name in ("__file__", "__spec__")
                                if main.__dict__.get(name) is not None}
            if "__file__" in _hiding["saved"]:
                del main.__file__
            if "__spec__" in _hiding["saved"]:
                main.__spec__ = None
        _hiding["pools"] += 1
    try:
        yield
    finally:
        with _hiding_lock:
            _hiding["pools"] -= 1
            if _hiding["pools"] == 0 and main is not None:
                for name, value in _hiding["saved"].items():
                    setattr(main, name, value)


@contextlib.contextmanager
def worker_pool(workers: int, initializer: Callable[..., None] | None = None,
                initargs: tuple[Any, ...] = ()) -> Iterator[ProcessPoolExecutor]:
    """A ``spawn`` process pool of ``workers`` whose processes die with this one."""
    context = multiprocessing.get_context("spawn")
    with _main_not_reimported(), ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker,
            initargs=(os.getpid(), initializer, initargs)) as pool:
        yield pool

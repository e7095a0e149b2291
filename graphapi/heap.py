"""The garbage collector, set for a long-running server.

Python's full collections walk every object the process holds; with the schema, the modules and the
caches of a started server that was 50-60 ms, about every twentieth request (the p99 of the benchmark).
What start-up made lives as long as the process: it is frozen out of every collection, so a collection
only walks what requests made since (a full one then takes 2-3 ms). Full collections are also made ten
times rarer. The youngest generation keeps Python's threshold: collected often, each collection is short
(0.05 ms; with a threshold ten times higher each took 1.6 ms, a tail of its own)."""

from __future__ import annotations

import array
import asyncio
import ctypes
import ctypes.util
import gc
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

# (youngest, middle, oldest): Python's defaults are (700, 10, 10).
THRESHOLDS = (700, 10, 100)


def settle() -> None:
    """After start-up: collect once, freeze what is left, and collect the oldest generation less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


# Threads of the event loop's default executor (asyncio.to_thread, the supervisor's checks, trim below).
DEFAULT_EXECUTOR_THREADS = 4


async def start_threads(workers: int = DEFAULT_EXECUTOR_THREADS) -> None:
    """Gives the running loop a default executor whose threads are all started now, at start-up. Left to
    asyncio, a thread is started the first time work overlaps, often while many connections are open,
    and its objects (the thread's locks, events, frames) then outlive those connections in the heap's
    newest arenas, which cannot be given back to the system while they hold them."""
    loop = asyncio.get_running_loop()
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="graphapi-default")
    loop.set_default_executor(executor)
    barrier = threading.Barrier(workers)
    await asyncio.gather(*(loop.run_in_executor(None, barrier.wait, 10) for _ in range(workers)))


def trim() -> None:
    """Collect, then give the C heap's free memory back to the system (glibc's malloc_trim): after many
    connections close, their memory is free but stays with the process otherwise. The interpreter's cache
    of attribute lookups is emptied first: it keeps the names it last looked up (strings made while the
    connections were open), each of which holds a whole arena of small objects (1 MiB) in memory."""
    sys._clear_type_cache()
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


class Pauses:
    """Each collection's pause, kept while `watching()` is open, for the metric graphapi_gc_pause_seconds:
    so a pause that would be a request's tail is seen, not guessed. The collector's callback writes into
    arrays made beforehand: taking a metric's lock inside a collection could deadlock on the one the
    interrupted code holds, and objects it made would outlive the collection at random places in the
    heap (each can keep a 1 MiB arena of the allocator from being given back). `drain()` hands them over
    outside it; past MAX_KEPT undrained pauses, more are not kept."""

    MAX_KEPT = 4096

    def __init__(self) -> None:
        self._seconds = array.array("d", bytes(8 * self.MAX_KEPT))
        self._generations = array.array("b", bytes(self.MAX_KEPT))
        self.kept = 0
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self.kept < self.MAX_KEPT:
            self._seconds[self.kept] = time.perf_counter() - self._started
            self._generations[self.kept] = info["generation"]
            self.kept += 1

    @contextmanager
    def watching(self) -> Iterator[None]:
        gc.callbacks.append(self._callback)
        try:
            yield
        finally:
            gc.callbacks.remove(self._callback)

    def drain(self) -> list[tuple[int, float]]:
        kept, self.kept = self.kept, 0
        return list(zip(self._generations[:kept], self._seconds[:kept], strict=True))


def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


_LIBC = _glibc()

"""The garbage collector, set for a long-running server.

Python's full collections walk every object the process holds; with the schema, the modules and the
caches of a started server that was 50-60 ms, about every twentieth request (the p99 of the benchmark).
What start-up made lives as long as the process: it is frozen out of every collection, so a collection
only walks what requests made since (a full one then takes 2-3 ms). Full collections are also made ten
times rarer. The youngest generation keeps Python's threshold: collected often, each collection is short
(0.05 ms; with a threshold ten times higher each took 1.6 ms, a tail of its own)."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# (youngest, middle, oldest): Python's defaults are (700, 10, 10).
THRESHOLDS = (700, 10, 100)


def settle() -> None:
    """After start-up: collect once, freeze what is left, and collect the oldest generation less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


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
    """Each collection's pause, kept while `watching()` is open: (generation, seconds) pairs for the
    metric graphapi_gc_pause_seconds, so a pause that would be a request's tail is seen, not guessed.
    The collector's callback only appends to a list (a metric's lock taken inside a collection could be
    the one the interrupted code holds); `drain()` hands them over outside it. At most MAX_KEPT wait."""

    MAX_KEPT = 4096

    def __init__(self) -> None:
        self.pending: list[tuple[int, float]] = []
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif len(self.pending) < self.MAX_KEPT:
            self.pending.append((info["generation"], time.perf_counter() - self._started))

    @contextmanager
    def watching(self) -> Iterator[None]:
        gc.callbacks.append(self._callback)
        try:
            yield
        finally:
            gc.callbacks.remove(self._callback)

    def drain(self) -> list[tuple[int, float]]:
        taken, self.pending = self.pending, []
        return taken


def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


_LIBC = _glibc()

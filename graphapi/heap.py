"""The garbage collector, set for a long-running server.

Python's full collections walk every object the process holds; with the schema, the modules and the
caches of a started server that was 50-60 ms, about every twentieth request (the p99 of the benchmark).
What start-up made lives as long as the process: it is frozen out of every collection, so a collection
only walks what requests made since (a full one then takes 2-3 ms). Full collections are also made ten
times rarer. The youngest generation keeps Python's threshold: collected often, each collection is short
(0.05 ms; with a threshold ten times higher each took 1.6 ms, a tail of its own)."""

from __future__ import annotations

import gc

# (youngest, middle, oldest): Python's defaults are (700, 10, 10).
THRESHOLDS = (700, 10, 100)


def settle() -> None:
    """After start-up: collect once, freeze what is left, and collect the oldest generation less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)

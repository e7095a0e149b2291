"""The service's garbage collector (graphapi/heap.py): what start-up made is frozen out of collections."""

from __future__ import annotations

import gc

from graphapi import heap
from graphapi.app import create_app
from graphapi.store import Store


async def test_start_up_is_frozen_out_of_garbage_collection(store: Store) -> None:
    app = create_app(store=store)
    thresholds = gc.get_threshold()
    try:
        async with app.router.lifespan_context(app):
            assert gc.get_freeze_count() > 10_000  # the modules, the schema, the app
            assert gc.get_threshold() == heap.THRESHOLDS
            assert heap.THRESHOLDS[0] == 700 and heap.THRESHOLDS[2] > 10  # full collections made rarer
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)

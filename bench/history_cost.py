"""What the history costs (graphapi/graph/history.py): the size of a kept change, for a seed load and for
API writes, and how much the append-only file grows per write. A measurement, not a test:

    .venv/bin/python -m bench.history_cost
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from graphapi.config import Settings
from graphapi.graph import history
from graphapi.graph import records as r
from graphapi.graph.writer import GraphWriter
from graphapi.seed.loader import load
from graphapi.store import open_store

WRITES = 50


def _aof_bytes(data_dir: str) -> int:
    return sum(f.stat().st_size for f in Path(data_dir).rglob("*.aof*") if f.is_file())


async def _kept(store: object, node: str | None) -> list[int]:
    params = {"since": None, "node": node, "afterAt": None, "afterId": None, "limit": 100_000}
    rows = await store.read(history.PAGE, params)  # type: ignore[attr-defined]
    return [len(json.dumps(row)) for row in rows]


async def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="graphapi-history-")
    async with open_store(Settings.from_env({"GRAPHAPI_DATA_DIR": data_dir})) as store:
        await load(store)
        loaded = await _kept(store, None)
        print(f"seed load: {len(loaded)} changes kept, {sum(loaded) // len(loaded)} bytes each on average")
        writer = GraphWriter(store)
        before = _aof_bytes(data_dir)
        for i in range(WRITES):
            renamed = r.Person(id="person:howard-lutnick", name=f"Howard Lutnick {i}")
            await writer.upsert(renamed, source=None, who="bench")
        grown = _aof_bytes(data_dir) - before
        renames = (await _kept(store, "person:howard-lutnick"))[1:]
        print(
            f"{WRITES} API renames: {sum(renames) // len(renames)} bytes kept per change; the append-only "
            f"file grew {grown // WRITES} bytes per write, the write and its kept change together"
        )


if __name__ == "__main__":
    asyncio.run(main())

"""Per-request DataLoaders: every node and every incoming-edge list a request touches is fetched in one
batched query per level of the GraphQL query, however many results there are."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from graphapi.api.records import NodeRecord
from graphapi.graph.model import Rel
from graphapi.graph.reads import INCOMING, NODES_BY_ID
from graphapi.store.base import Store

IncomingKey = tuple[str, Rel]


class Loaders:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.node: DataLoader[str, NodeRecord | None] = DataLoader(load_fn=self._load_nodes)
        self.incoming: DataLoader[IncomingKey, list[str]] = DataLoader(load_fn=self._load_incoming)

    def prime(self, records: Sequence[NodeRecord]) -> None:
        for record in records:
            self.node.prime(record.id, record)

    async def _load_nodes(self, ids: list[str]) -> list[NodeRecord | None]:
        rows = await self.store.read(NODES_BY_ID, {"ids": ids})
        found = {row["id"]: NodeRecord.from_row(row) for row in rows}
        return [found.get(node_id) for node_id in ids]

    async def _load_incoming(self, keys: list[IncomingKey]) -> list[list[str]]:
        params = {"keys": [{"id": node_id, "rel": rel.value} for node_id, rel in keys]}
        rows = await self.store.read(INCOMING, params)
        found = {(row["id"], row["rel"]): row["srcs"] for row in rows}
        return [found.get((node_id, rel.value), []) for node_id, rel in keys]

    async def nodes(self, ids: Sequence[str]) -> list[NodeRecord]:
        """The records of ids that exist, in the order given."""
        return [r for r in await self.node.load_many(list(ids)) if r is not None]

"""Per-request DataLoaders: every node and every incoming-edge list a request touches is fetched in one
batched query per level of the GraphQL query, however many results there are."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from graphapi.graph.claims import Claim
from graphapi.graph.model import Rel
from graphapi.graph.nodes import NodeRecord
from graphapi.graph.reads import CLAIMS_OF, EXCERPTS, INCOMING, NODES_BY_ID, SOURCE_TEXTS
from graphapi.store.base import Store


@dataclass(frozen=True)
class Incoming:
    """The nodes with a `rel` relationship to a node, in id order, at most `limit`; optionally only those
    whose property `prop` (one of reads.INCOMING_FILTERS) equals `value`."""

    node_id: str
    rel: Rel
    limit: int
    prop: str | None = None
    value: str | None = None


ExcerptKey = tuple[str, int, int, int]  # source id, start, end, characters of context


@dataclass(frozen=True)
class Excerpt:
    before: str
    quote: str
    after: str
    length: int  # of the whole text


class Loaders:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.node: DataLoader[str, NodeRecord | None] = DataLoader(load_fn=self._load_nodes)
        self.incoming: DataLoader[Incoming, list[str]] = DataLoader(load_fn=self._load_incoming)
        self.source_text: DataLoader[str, str | None] = DataLoader(load_fn=self._load_texts)
        self.excerpt: DataLoader[ExcerptKey, Excerpt | None] = DataLoader(load_fn=self._load_excerpts)
        self.claims: DataLoader[str, list[Claim]] = DataLoader(load_fn=self._load_claims)

    def forget(self, node_id: str) -> None:
        """Drop what this request has read of a node it has just changed."""
        with contextlib.suppress(KeyError):
            self.node.clear(node_id)

    def prime(self, records: Sequence[NodeRecord]) -> None:
        for record in records:
            self.node.prime(record.id, record)

    async def _load_nodes(self, ids: list[str]) -> list[NodeRecord | None]:
        rows = await self.store.read(NODES_BY_ID, {"ids": ids})
        found = {row["id"]: NodeRecord.from_row(row) for row in rows}
        return [found.get(node_id) for node_id in ids]

    async def _load_incoming(self, keys: list[Incoming]) -> list[list[str]]:
        """One query per relationship type (and filter) asked at this level of the request."""
        groups: dict[tuple[Rel, str | None], list[int]] = {}
        for i, key in enumerate(keys):
            groups.setdefault((key.rel, key.prop), []).append(i)
        found: dict[int, list[str]] = {}
        for group, members in groups.items():
            params = {
                "keys": [
                    {"key": i, "id": keys[i].node_id, "limit": keys[i].limit, "value": keys[i].value}
                    for i in members
                ],
                "limit": max(keys[i].limit for i in members),
            }
            found.update({row["key"]: row["srcs"] for row in await self.store.read(INCOMING[group], params)})
        return [found.get(i, []) for i in range(len(keys))]

    async def _load_claims(self, ids: list[str]) -> list[list[Claim]]:
        found: dict[str, list[Claim]] = {}
        for row in await self.store.read(CLAIMS_OF, {"ids": ids}):
            claim = Claim.from_row(row)
            found.setdefault(claim.record, []).append(claim)
        return [found.get(i, []) for i in ids]

    async def _load_texts(self, ids: list[str]) -> list[str | None]:
        rows = await self.store.read(SOURCE_TEXTS, {"ids": ids})
        found = {row["id"]: row["text"] for row in rows}
        return [found.get(i) for i in ids]

    async def _load_excerpts(self, keys: list[ExcerptKey]) -> list[Excerpt | None]:
        spans = [
            {
                "key": i,
                "source": source,
                "from": max(0, start - chars),
                "start": start,
                "end": end,
                "chars": chars,
            }
            for i, (source, start, end, chars) in enumerate(keys)
        ]
        rows = await self.store.read(EXCERPTS, {"spans": spans})
        found = {
            row["key"]: Excerpt(row["before"], row["quote"], row["after"], row["length"]) for row in rows
        }
        return [found.get(i) for i in range(len(keys))]

    async def nodes(self, ids: Sequence[str]) -> list[NodeRecord]:
        """The records of ids that exist, in the order given."""
        return [r for r in await self.node.load_many(list(ids)) if r is not None]

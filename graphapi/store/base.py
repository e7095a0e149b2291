"""The store interface both engines implement, and the Cypher value type every query is written as."""

from __future__ import annotations

import abc
import contextlib
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphapi.store.cypher import Cypher
from graphapi.store.dialect import SEARCH, SEARCH_COUNT, GraphSchema, fulltext_query

__all__ = ["CountingStore", "Creates", "Cypher", "Params", "Record", "StepCallback", "Store", "WriteStep"]

Record = dict[str, Any]
Params = Mapping[str, Any]
StepCallback = Callable[[], None]


@dataclass(frozen=True)
class Creates:
    """What a step of a load into an empty graph creates, for an engine that builds a new graph without
    Cypher (FalkorDB's GRAPH.BULK): the rows under `rows`, each a node with `labels` (properties under
    the row's key `props`, or the row itself when None), or each an edge of type `labels[0]` from the
    `Node` whose id is the row's `src` to the one whose id is its `dst` (properties under `props`)."""

    labels: tuple[str, ...]
    edge: bool = False
    props: str | None = "props"


@dataclass(frozen=True)
class WriteStep:
    query: Cypher
    params: Params
    # What the statement creates (the rows it is given, and nothing else), when it only creates.
    creates: Creates | None = None


class Store(abc.ABC):
    """An open connection to one graph. Values coming back are plain Python (str, int, float, bool,
    list, dict, datetime.date); each engine converts its own types."""

    engine: str

    @abc.abstractmethod
    async def read(self, query: Cypher, params: Params | None = None) -> list[Record]:
        """Run a read-only statement."""

    @abc.abstractmethod
    async def write(self, query: Cypher, params: Params | None = None) -> list[Record]:
        """Run one statement that writes; it lands whole or not at all."""

    @abc.abstractmethod
    async def write_all(
        self, steps: Iterable[WriteStep], on_step: StepCallback | None = None, *, since: object = None
    ) -> None:
        """Run several writing statements as one unit: all land, or none does. `steps` may be worked out
        as they are sent (a generator: a streamed load), so a store reads it once. With `since` (from
        `watching()`, opened before the steps were worked out), raise WriteConflict and write nothing when
        another write changed the graph meanwhile."""

    async def write_new(
        self, steps: Iterable[WriteStep], on_step: StepCallback | None = None, *, since: object = None
    ) -> None:
        """write_all for a load into an empty graph whose steps only create (each says what: `creates`);
        an engine may build the graph apart from them and swap it in. The same all-or-nothing."""
        await self.write_all(steps, on_step, since=since)

    @contextlib.asynccontextmanager
    async def watching(self, *, priority: bool = False) -> AsyncIterator[object]:
        """Watch the graph for writes from here on: what it yields, passed to write_all as `since`, makes
        the batch refuse (WriteConflict) if anything wrote meanwhile; with `priority`, other writes wait
        while it lasts. None where the engine's own transactions make it unneeded."""
        yield None

    def status(self) -> dict[str, object] | None:
        """The database's state as the service watches it (a supervised embedded server); None if not."""
        return None

    async def search(
        self, terms: Sequence[Sequence[tuple[str, bool]]], labels: list[str] | None, limit: int
    ) -> list[tuple[str, float]]:
        """Ids of the nodes whose normalized search text matches every group of terms (any term of a
        group; a term is (word, prefix)), best first, with the engine's own score; only nodes with one of
        `labels` when given. graphapi/graph/words.py makes the terms."""
        params = {"query": fulltext_query(self.engine, terms), "labels": labels, "limit": limit}
        rows = await self.read(SEARCH[self.engine], params)
        return [(str(row["id"]), float(row["score"])) for row in rows]

    async def search_count(
        self, terms: Sequence[Sequence[tuple[str, bool]]], labels: list[str] | None
    ) -> int:
        """How many nodes `search` would find without a limit."""
        params = {"query": fulltext_query(self.engine, terms), "labels": labels}
        return int((await self.read(SEARCH_COUNT[self.engine], params))[0]["total"])

    @abc.abstractmethod
    async def apply_schema(self, schema: GraphSchema) -> list[str]:
        """Create what the schema declares and is missing; return a line for each thing created."""

    @abc.abstractmethod
    async def missing_schema(self, schema: GraphSchema) -> list[str]:
        """What the schema declares and the database lacks (readiness), without creating anything."""

    @abc.abstractmethod
    async def ping(self) -> None:
        """Raise Unavailable when the database does not answer."""

    @abc.abstractmethod
    async def close(self) -> None: ...


class CountingStore(Store):
    """Wraps a store for one request and counts its database round-trips."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.engine = inner.engine
        self.sent: list[str] = []

    @property
    def round_trips(self) -> int:
        return len(self.sent)

    async def read(self, query: Cypher, params: Params | None = None) -> list[Record]:
        self.sent.append(query.name)
        return await self.inner.read(query, params)

    async def write(self, query: Cypher, params: Params | None = None) -> list[Record]:
        self.sent.append(query.name)
        return await self.inner.write(query, params)

    async def write_all(
        self, steps: Iterable[WriteStep], on_step: StepCallback | None = None, *, since: object = None
    ) -> None:
        if isinstance(steps, Sequence):
            self.sent += [step.query.name for step in steps]
            await self.inner.write_all(steps, on_step, since=since)
        else:
            await self.inner.write_all(self._counted(steps), on_step, since=since)

    async def write_new(
        self, steps: Iterable[WriteStep], on_step: StepCallback | None = None, *, since: object = None
    ) -> None:
        await self.inner.write_new(self._counted(steps), on_step, since=since)

    def _counted(self, steps: Iterable[WriteStep]) -> Iterator[WriteStep]:
        for step in steps:
            self.sent.append(step.query.name)
            yield step

    @contextlib.asynccontextmanager
    async def watching(self, *, priority: bool = False) -> AsyncIterator[object]:
        async with self.inner.watching(priority=priority) as since:
            yield since

    def status(self) -> dict[str, object] | None:
        return self.inner.status()

    async def apply_schema(self, schema: GraphSchema) -> list[str]:
        return await self.inner.apply_schema(schema)

    async def missing_schema(self, schema: GraphSchema) -> list[str]:
        return await self.inner.missing_schema(schema)

    async def ping(self) -> None:
        await self.inner.ping()

    async def close(self) -> None:
        """The wrapped store belongs to the app, not to the request."""

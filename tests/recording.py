"""A store that answers from canned rows and records which named queries a request sends: the fast layer
checks what the API asks of the database, as a compiler's tests check its output, without a database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from graphapi.graph import reads
from graphapi.store import Cypher, GraphSchema, Params, Record, Store, WriteStep

Answer = Callable[[Params], list[Record]]


def node_row(node_id: str, labels: list[str], out: Sequence[tuple[str, str]] = (), **props: Any) -> Record:
    """A row as NODE_FIELDS returns it."""
    return {
        "id": node_id,
        "labels": ["Node", *labels],
        "props": [[k, v] for k, v in {"id": node_id, **props}.items()],
        "out": [{"type": rel, "dst": dst, "props": {}} for rel, dst in out],
    }


class RecordingStore(Store):
    engine = "falkordb"

    def __init__(self, nodes: Sequence[Record] = (), answers: dict[str, Answer] | None = None) -> None:
        self.nodes = {row["id"]: row for row in nodes}
        self.answers = answers or {}
        self.sent: list[tuple[str, dict[str, Any]]] = []

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.sent]

    def _answer(self, query: Cypher, params: Params | None) -> list[Record]:
        given = dict(params or {})
        self.sent.append((query.name, given))
        if query.name in self.answers:
            return self.answers[query.name](given)
        if query.name == reads.NODES_BY_ID.name:
            return [self.nodes[i] for i in given["ids"] if i in self.nodes]
        if query.name == reads.EXISTING_IDS.name:
            return [{"id": i} for i in given["ids"] if i in self.nodes]
        return []

    async def read(self, query: Cypher, params: Params | None = None) -> list[Record]:
        return self._answer(query, params)

    async def write(self, query: Cypher, params: Params | None = None) -> list[Record]:
        return self._answer(query, params)

    async def write_all(
        self, steps: Sequence[WriteStep], on_step: Callable[[], None] | None = None, *, since: object = None
    ) -> None:
        for step in steps:
            self._answer(step.query, step.params)

    async def apply_schema(self, schema: GraphSchema) -> list[str]:
        return []

    async def missing_schema(self, schema: GraphSchema) -> list[str]:
        return []

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        return None

"""Helpers for talking GraphQL to the app in tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx


class GraphQLResult:
    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self.body: dict[str, Any] = response.json()
        self.data: Any = self.body.get("data")
        self.errors: list[dict[str, Any]] = self.body.get("errors") or []
        self.round_trips: int = self.body.get("extensions", {}).get("dbRoundTrips", -1)

    @property
    def codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.errors]


async def gql(client: httpx.AsyncClient, query: str, **variables: Any) -> GraphQLResult:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    return GraphQLResult(response)


async def ok(client: httpx.AsyncClient, query: str, **variables: Any) -> Any:
    """The data of a query that must succeed."""
    result = await gql(client, query, **variables)
    assert not result.errors, result.errors
    return result.data


SEED_DIR = Path(__file__).resolve().parents[1] / "seed"
SOURCE_TEXT = (SEED_DIR / "sources" / "us-canada-tariff-call.txt").read_text(encoding="utf-8")

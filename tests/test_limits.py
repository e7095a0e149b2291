"""Abuse limits: each one refuses a request just over it, with a code and a message that says which
limit, and lets a request just under it through."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx
from graphql.language import Lexer, Source, TokenKind

from graphapi.app import create_app
from graphapi.config import Limits, Settings
from graphapi.store import Store
from helpers import GraphQLResult, gql

ClientFactory = Callable[..., AsyncIterator[httpx.AsyncClient]]


@asynccontextmanager
async def client_with(store: Store, **limits: object) -> AsyncIterator[httpx.AsyncClient]:
    settings = replace(Settings.from_env({}), limits=replace(Limits(), **limits))  # type: ignore[arg-type]
    app = create_app(settings, store=store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client


def refused(result: GraphQLResult, words: str) -> bool:
    return (
        result.codes == ["BAD_USER_INPUT"]
        and words in result.errors[0]["message"]
        and result.round_trips == 0
    )


DEEP = '{ node(id: "position:singh-opposes-us-vehicle-tariff") { ... on Position { evidence { source { statements { speaker { id } } } } } } }'


async def test_query_depth(store: Store) -> None:
    async with client_with(store, max_depth=5) as client:
        assert not (await gql(client, DEEP)).errors
    async with client_with(store, max_depth=4) as client:
        assert refused(await gql(client, DEEP), "exceeds maximum operation depth of 4")


async def test_aliases(store: Store) -> None:
    query = "{ " + " ".join(f'a{i}: node(id: "country:CA") {{ id }}' for i in range(3)) + " }"
    async with client_with(store, max_aliases=3) as client:
        assert not (await gql(client, query)).errors
    async with client_with(store, max_aliases=2) as client:
        assert refused(await gql(client, query), "3 aliases found. Allowed: 2")


def token_count(query: str) -> int:
    lexer, count = Lexer(Source(query)), 0
    while lexer.advance().kind is not TokenKind.EOF:
        count += 1
    return count


async def test_tokens(store: Store) -> None:
    query = "{ actors(first: 5) { totalCount nodes { id name aliases } } sources { nodes { title } } }"
    tokens = token_count(query)
    async with client_with(store, max_tokens=tokens) as client:
        assert not (await gql(client, query)).errors
    async with client_with(store, max_tokens=tokens - 1) as client:
        assert refused(await gql(client, query), f"more than {tokens - 1} tokens")


async def test_query_cost_is_computed_before_execution(store: Store) -> None:
    # actors: 1 + 10 items x nodes (1 + 10 items x evidence (1 + 10 items x scalars (0)))
    query = "{ actors(first: 10) { nodes { id aliases evidence { quote } } } }"
    async with client_with(store, max_cost=111) as client:
        assert not (await gql(client, query)).errors
    async with client_with(store, max_cost=110) as client:
        result = await gql(client, query)
        assert refused(result, "the query costs 111, more than the limit of 110")
        assert result.errors[0]["extensions"]["cost"] == 111
    sized = "query($n: Int) { measures(first: $n) { nodes { id } } }"  # 1 + n x nodes (1)
    async with client_with(store, max_cost=100) as client:
        assert not (await gql(client, sized, n=99)).errors
        assert refused(await gql(client, sized, n=100), "the query costs 101")  # sizes in variables count too


async def test_request_body_size(store: Store) -> None:
    query = '{ node(id: "country:CA") { id } }'
    padding = " " * 1200
    async with client_with(store, max_body_bytes=1000) as client:
        response = await client.post("/graphql", json={"query": query + padding[: 1000 - 40 - len(query)]})
        assert response.status_code == 200, response.text
        response = await client.post("/graphql", json={"query": query + padding})
        assert response.status_code == 413
        body = response.json()
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert "larger than 1000 bytes" in body["errors"][0]["message"]

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the bytes are counted as they come
            yield b'{"query": "{ sources { totalCount } }'
            for _ in range(20):
                yield b" " * 100
            yield b'"}'

        streamed = await client.post(
            "/graphql", content=chunks(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413


async def test_batches_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=[{"query": "{ sources { totalCount } }"}] * 2)
    assert response.status_code == 400
    assert "batch" in response.text.lower()


async def test_introspection_and_suggestions_can_be_switched_off(store: Store) -> None:
    introspect = "{ __schema { queryType { name } } }"
    typo = "{ sources { totalCont } }"
    async with client_with(store) as client:
        assert (await gql(client, introspect)).data == {"__schema": {"queryType": {"name": "Query"}}}
        assert "Did you mean 'totalCount'" in (await gql(client, typo)).errors[0]["message"]
    async with client_with(store, introspection=False, field_suggestions=False) as client:
        result = await gql(client, introspect)
        assert result.data is None and set(result.codes) == {"BAD_USER_INPUT"}
        assert "introspection has been disabled" in result.errors[0]["message"]
        message = (await gql(client, typo)).errors[0]["message"]
        assert "totalCont" in message and "Did you mean" not in message


async def test_request_time_limit_cancels_the_work(store: Store) -> None:
    query = '{ timeline(actor: "person:mark-carney") { totalCount } }'
    async with client_with(store, request_timeout_s=0.000001) as client:
        result = await gql(client, query)
        assert result.codes == ["UNAVAILABLE"] and "took longer than" in result.errors[0]["message"]
    async with client_with(store, request_timeout_s=10) as client:
        result = await gql(client, query)
        assert not result.errors and result.data["timeline"]["totalCount"] == 10  # the store is fine after

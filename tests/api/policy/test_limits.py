"""Abuse limits: each one refuses a request just over it, with a code and a message that says which
limit, and lets a request just under it through."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx
import pytest
from graphql import parse, specified_rules
from graphql.language import Lexer, Source, TokenKind

from graphapi.api.policy.limits import Validator
from graphapi.api.schema import build_schema
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
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and "data" not in body
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
        assert result.round_trips == 0  # cancelled during validation, the request's first wait
    async with client_with(store, request_timeout_s=10) as client:
        result = await gql(client, query)
        assert not result.errors and result.data["timeline"]["totalCount"] == 13  # the store is fine after


def fragment_bomb(levels: int) -> str:
    """The document of a denial of service once found: each fragment spreads the next four times, so a
    walk that expands spreads does 4**levels work for a few hundred bytes."""
    spreads = "".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} ...F{i + 1} ...F{i + 1} }} "
        for i in range(levels)
    )
    return f"query {{ ...F0 }} {spreads}fragment F{levels} on Query {{ actors(first: 100) {{ nodes {{ id }} }} }}"


async def test_fragments_are_costed_once_however_often_they_are_spread(store: Store) -> None:
    # F2 = actors: 1 + 100 x nodes (1 + 10 x id (0)) = 101; F1 = 4 x F2; the query = 4 x F1 = 1616
    async with client_with(store, max_cost=1616) as client:
        assert not (await gql(client, fragment_bomb(2))).errors
    async with client_with(store, max_cost=1615) as client:
        assert refused(await gql(client, fragment_bomb(2)), "the query costs 1616")
    async with client_with(store) as client:
        for levels in (12, 20, 40):
            result = await gql(client, fragment_bomb(levels))
            assert refused(result, "more than the limit of 50000"), result.body
            assert result.errors[0]["extensions"]["cost"] == min(101 * 4**levels, 10**12)
        assert refused(await gql(client, fragment_bomb(250)), "1004 selections")


async def test_selections(store: Store) -> None:
    query = "{ " + "__typename " * 10 + "sources { totalCount } }"  # 12 selections
    async with client_with(store, max_selections=12) as client:
        assert not (await gql(client, query)).errors
    async with client_with(store, max_selections=11) as client:
        result = await gql(client, query)
        assert refused(
            result, "the query has 12 selections (fields and fragments), more than the limit of 11"
        )
    # each written selection counts once, however often its fragment is spread
    spread = "query { ...F ...F ...F } fragment F on Query { sources { totalCount } }"  # 3 + 2
    async with client_with(store, max_selections=5) as client:
        assert not (await gql(client, spread)).errors


async def test_depth_and_aliases_count_through_fragments(store: Store) -> None:
    query = (
        'query { node(id: "position:singh-opposes-us-vehicle-tariff") { ...P } }'
        " fragment P on Position { evidence { ...S } } fragment S on Evidence { source { statements { a: id b: id } } }"
    )  # node, evidence, source, statements: depth 4, 2 aliases
    async with client_with(store, max_depth=4, max_aliases=2) as client:
        assert not (await gql(client, query)).errors
    async with client_with(store, max_depth=3) as client:
        assert refused(await gql(client, query), "'anonymous' exceeds maximum operation depth of 3")
    async with client_with(store, max_aliases=1) as client:
        assert refused(await gql(client, query), "2 aliases found. Allowed: 1")


async def test_fragment_cycles_are_refused_before_anything_walks_them(client: httpx.AsyncClient) -> None:
    result = await gql(
        client,
        "query { ...A } fragment A on Query { ...B } fragment B on Query { sources { nodes { ...A } } }",
    )
    assert refused(result, "fragment `A` spreads itself: A -> B -> A")
    result = await gql(client, "query { __typename } fragment C on Source { id ...C }")
    assert refused(result, "fragment `C` spreads itself: C -> C")


async def test_integer_literals_longer_than_an_int_are_refused_by_name(client: httpx.AsyncClient) -> None:
    digits = "9" * 5000
    result = await gql(client, f"{{ actors(first: {digits}) {{ totalCount }} }}")
    assert refused(result, "`first` holds a number of more than 40 characters")
    assert result.errors[0]["extensions"]["argument"] == "first"
    result = await gql(
        client, f"{{ measures(filter: {{ kind: TARIFF, sector: [{digits}] }}) {{ totalCount }} }}"
    )
    assert refused(result, "`filter` holds a number")
    result = await gql(client, f"query($n: Int = {digits}) {{ actors(first: $n) {{ totalCount }} }}")
    assert refused(result, "`$n` holds a number")
    result = await gql(client, "{ actors(first: 99999999999) { totalCount } }")  # short, but not an Int
    assert result.codes == ["BAD_USER_INPUT"] and "32-bit" in result.errors[0]["message"]


def test_limits_come_from_the_environment() -> None:
    env = {
        "GRAPHAPI_MAX_DEPTH": "5", "GRAPHAPI_MAX_ALIASES": "6", "GRAPHAPI_MAX_TOKENS": "700",
        "GRAPHAPI_MAX_BODY_BYTES": "8000", "GRAPHAPI_MAX_COST": "900", "GRAPHAPI_MAX_SELECTIONS": "40",
        "GRAPHAPI_REQUEST_TIMEOUT": "2.5", "GRAPHAPI_INTROSPECTION": "false",
        "GRAPHAPI_FIELD_SUGGESTIONS": "false", "GRAPHAPI_READS_NEED_KEY": "true",
    }  # fmt: skip
    assert Settings.from_env(env).limits == Limits(
        max_depth=5, max_aliases=6, max_tokens=700, max_body_bytes=8000, max_cost=900, max_selections=40,
        request_timeout_s=2.5, introspection=False, field_suggestions=False, reads_need_key=True,
    )  # fmt: skip
    assert Settings.from_env({}).limits == Limits()
    logs = Settings.from_env({"GRAPHAPI_LOG_FORMAT": "text", "GRAPHAPI_LOG_LEVEL": "DEBUG"})
    assert (logs.log_format, logs.log_level) == ("text", "DEBUG")
    for name, value in [
        ("GRAPHAPI_MAX_DEPTH", "-1"), ("GRAPHAPI_MAX_COST", "lots"), ("GRAPHAPI_MAX_SELECTIONS", "٣"),
        ("GRAPHAPI_REQUEST_TIMEOUT", "0"), ("GRAPHAPI_REQUEST_TIMEOUT", "nan"), ("GRAPHAPI_DEBUG", "maybe"),
    ]:  # fmt: skip
        with pytest.raises(ValueError, match=name):
            Settings.from_env({name: value})


async def test_only_short_queries_are_cached() -> None:
    """The caches of parsed and validated documents take only queries of up to 5,000 characters, so a
    client sending many long, distinct queries cannot fill the memory with them."""
    schema = build_schema()._schema
    validator = Validator()
    rules = tuple(specified_rules)
    for text in ("{ " + "__typename " * 500 + "}", "{ __typename }"):
        assert await validator.errors(schema, parse(text), text, rules) == []
    assert [len(text) for text, _ in validator.cache] == [len("{ __typename }")]


async def test_fragments_nested_past_the_parsers_depth_are_refused_in_words(
    client: httpx.AsyncClient,
) -> None:
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(250))
    result = await gql(client, f"query {{ ...F0 }} {chain} fragment F250 on Query {{ __typename }}")
    assert refused(result, "the query nests selections and fragments too deeply to check")

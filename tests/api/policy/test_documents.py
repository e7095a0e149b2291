"""Trusted documents (graphapi/api/policy/documents.py): a document's SHA-256 instead of its text, with Apollo's
automatic persisted queries or documents registered ahead of time, and a mode allowing only those."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from graphapi.api.policy.documents import Documents, DocumentsError
from graphapi.api.policy.persisted import LocalPersisted
from graphapi.app import create_app
from graphapi.config import Limits, Settings
from graphapi.store import Store

QUERY = "query($on: ID!) { positions(on: $on) { totalCount nodes { actor { name } } } }"
VEHICLE = {"on": "measure:us-vehicle-tariff-2025"}
ALIASES = "{ " + " ".join(f"a{i}: sources {{ totalCount }}" for i in range(40)) + " }"  # 30 at most


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(text: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest(text)}}


async def post(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json=body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


async def _client(store: Store, **env: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings.from_env(env), store=store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client


@pytest.fixture
async def registry(tmp_path: Path) -> Path:
    path = tmp_path / "documents.json"
    path.write_text(json.dumps({digest(QUERY): QUERY}), encoding="utf-8")
    return path


async def test_automatic_persisted_queries(client: httpx.AsyncClient) -> None:
    """Apollo's protocol: the hash alone; unknown, the client sends text and hash once; then the hash."""
    first = await post(client, extensions=persisted(QUERY), variables=VEHICLE)
    assert codes(first) == ["PERSISTED_QUERY_NOT_FOUND"] and first.get("data") is None
    assert first["extensions"]["dbRoundTrips"] == 0
    registered = await post(client, query=QUERY, extensions=persisted(QUERY), variables=VEHICLE)
    assert registered["data"]["positions"]["totalCount"] == 6
    again = await post(client, extensions=persisted(QUERY), variables=VEHICLE)
    assert again["data"] == registered["data"] and again["extensions"]["dbRoundTrips"] == 1
    # by GET too, the extensions as a JSON query parameter
    params = {"extensions": json.dumps(persisted(QUERY)), "variables": json.dumps(VEHICLE)}
    got = (await client.get("/graphql", params=params, headers={"accept": "application/json"})).json()
    assert got["data"] == registered["data"]


@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize("name", ["Fresh1", None])
async def test_an_unknown_hash_is_not_found_whatever_operation_it_names(
    client: httpx.AsyncClient, method: str, name: str | None
) -> None:
    """Apollo's link sends the operation's name with the hash alone; the name belongs to the document
    the server has yet to receive, so the answer is PERSISTED_QUERY_NOT_FOUND (which makes the link send
    the text), not an error about the name."""
    text = f"query {name or ''} {{ sources {{ totalCount }} }} # {method}"
    body: dict[str, Any] = {"extensions": persisted(text), "operationName": name}
    if method == "GET":
        params = {"extensions": json.dumps(body["extensions"]), **({"operationName": name} if name else {})}
        first = (await client.get("/graphql", params=params, headers={"accept": "application/json"})).json()
    else:
        first = await post(client, **body)
    assert codes(first) == ["PERSISTED_QUERY_NOT_FOUND"]
    sent = await post(client, query=text, **body)
    assert sent["data"] == {"sources": {"totalCount": 1}}
    again = await post(client, **body)
    assert again["data"] == {"sources": {"totalCount": 1}}


@pytest.mark.parametrize(
    "extensions",
    [
        {"persistedQuery": {"version": 1, "sha256Hash": digest("{ sources { totalCount } }")}},
        {"persistedQuery": {"version": 1, "sha256Hash": "0" * 63}},
        {"persistedQuery": {"version": 1, "sha256Hash": "z" * 64}},
        {"persistedQuery": {"version": 1, "sha256Hash": ["not", "a", "hash"]}},
        {"persistedQuery": "yes"},
    ],
)
async def test_a_hash_that_is_not_the_query_is_refused(client: httpx.AsyncClient, extensions: Any) -> None:
    body = await post(client, query=QUERY, extensions=extensions, variables=VEHICLE)
    assert codes(body) == ["BAD_USER_INPUT"] and body.get("data") is None
    assert body["errors"][0]["extensions"]["argument"] == "extensions.persistedQuery"
    # and nothing was kept under that hash
    given = extensions["persistedQuery"]
    again = await post(client, extensions=extensions, variables=VEHICLE)
    if isinstance(given, dict) and re.fullmatch(r"[0-9a-f]{64}", str(given["sha256Hash"])):
        assert codes(again) == ["PERSISTED_QUERY_NOT_FOUND"]
    else:  # not a hash at all
        assert codes(again) == ["BAD_USER_INPUT"]


async def test_registered_documents_by_hash_and_by_text(store: Store, registry: Path) -> None:
    async for client in _client(store, GRAPHAPI_REGISTERED_DOCUMENTS=str(registry), GRAPHAPI_DEBUG="true"):
        by_hash = await post(client, extensions=persisted(QUERY), variables=VEHICLE)
        assert by_hash["data"]["positions"]["totalCount"] == 6
        assert by_hash["extensions"]["dbQueries"] == ["compiled.positions"]
        by_text = await post(client, query=QUERY, variables=VEHICLE)
        assert by_text["data"] == by_hash["data"]
        # other documents still run, not being production-only
        other = await post(client, query="{ sources { totalCount } }")
        assert other["data"] == {"sources": {"totalCount": 1}}


async def test_registered_documents_are_not_parsed_again(store: Store, registry: Path) -> None:
    """The token limit guards the parser against a client's text; a registered document was parsed
    when the service started, so a request naming it is not held to it (its text would be)."""
    settings = Settings.from_env({"GRAPHAPI_REGISTERED_DOCUMENTS": str(registry)})
    settings = dataclasses.replace(settings, limits=Limits(max_tokens=20))
    app = create_app(settings, store=store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        by_hash = await post(client, extensions=persisted(QUERY), variables=VEHICLE)
        assert by_hash["data"]["positions"]["totalCount"] == 6
        other = await post(client, query=QUERY.replace("nodes", "edges { node") + " }", variables=VEHICLE)
        assert codes(other) == ["BAD_USER_INPUT"] and "token" in other["errors"][0]["message"]


BIG = """query Big($n: Int, $m: Int!) { actors(first: $n) { nodes { id statements(first: $m) { id about { id }
  speaker { id } } positions(first: $m) { id statements { id } } measuresImposed(first: $m) { id targets { id } } } } }"""


async def test_a_registered_document_is_held_to_the_cost_of_its_variables(
    tmp_path: Path, store: Store
) -> None:
    """Registered documents were checked against the limits without variables; a client's `first` is
    checked with each request, as it is for any text."""
    path = tmp_path / "documents.json"
    path.write_text(json.dumps({digest(BIG): BIG}), encoding="utf-8")
    env = {"GRAPHAPI_REGISTERED_DOCUMENTS": str(path), "GRAPHAPI_ONLY_REGISTERED_DOCUMENTS": "true"}
    async for client in _client(store, **env):
        small = await post(client, extensions=persisted(BIG), variables={"n": 2, "m": 2})
        assert len(small["data"]["actors"]["nodes"]) == 2
        refused = await post(client, extensions=persisted(BIG), variables={"n": 100, "m": 100})
        assert codes(refused) == ["BAD_USER_INPUT"] and "costs" in refused["errors"][0]["message"]
        assert refused["extensions"]["dbRoundTrips"] == 0
    async for client in _client(store, GRAPHAPI_REGISTERED_DOCUMENTS=str(path)):  # sent as its text
        refused = await post(client, query=BIG, variables={"n": 100, "m": 100})
        assert codes(refused) == ["BAD_USER_INPUT"] and "costs" in refused["errors"][0]["message"]


async def test_only_registered_documents(store: Store, registry: Path) -> None:
    env = {"GRAPHAPI_REGISTERED_DOCUMENTS": str(registry), "GRAPHAPI_ONLY_REGISTERED_DOCUMENTS": "true"}
    async for client in _client(store, **env):
        assert (await post(client, extensions=persisted(QUERY), variables=VEHICLE))["data"]["positions"]
        assert (await post(client, query=QUERY, variables=VEHICLE))["data"]["positions"]
        other = "{ sources { totalCount } }"
        refused = await post(client, query=other)
        assert codes(refused) == ["FORBIDDEN"] and refused.get("data") is None
        assert refused["extensions"]["dbRoundTrips"] == 0
        # a client cannot register a document at run time
        refused = await post(client, query=other, extensions=persisted(other))
        assert codes(refused) == ["PERSISTED_QUERY_NOT_FOUND"]
        assert codes(await post(client, extensions=persisted(other))) == ["PERSISTED_QUERY_NOT_FOUND"]
        # introspection is a document like any other
        assert codes(await post(client, query="{ __schema { queryType { name } } }")) == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("not json", "not a JSON object"),
        ('["{ sources { totalCount } }"]', "not a JSON object"),
        (json.dumps({"0" * 64: "{ sources { totalCount } }"}), "is not the SHA-256"),
        (json.dumps({digest("{ sources {"): "{ sources {"}), "does not parse"),
        (json.dumps({digest("{ nope }"): "{ nope }"}), "is not valid"),
        (json.dumps({digest(ALIASES): ALIASES}), "past a limit"),
    ],
)
def test_a_bad_registry_stops_the_service_naming_the_document(
    tmp_path: Path, content: str, named: str
) -> None:
    path = tmp_path / "documents.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DocumentsError, match=named):
        create_app(Settings.from_env({"GRAPHAPI_REGISTERED_DOCUMENTS": str(path)}))


def test_only_registered_documents_needs_some() -> None:
    with pytest.raises(DocumentsError, match="none is registered"):
        create_app(Settings.from_env({"GRAPHAPI_ONLY_REGISTERED_DOCUMENTS": "true"}))


def documents_of(app: Starlette) -> Documents:
    graphql = next(r.endpoint for r in app.routes if getattr(r, "path", None) == "/graphql")
    documents: Documents = graphql.schema.extensions[0]().documents  # the TrustedDocuments extension's
    return documents


async def test_persisted_documents_are_bounded(store: Store) -> None:
    """A client persisting documents without end cannot fill the memory: the least recently used go."""
    app = create_app(Settings.from_env({}), store=store)
    documents_of(app).persisted = LocalPersisted(limit=5_000)
    texts = [f"{{ sources {{ totalCount }} }} # {i} {'x' * 1000}" for i in range(10)]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        for text in texts:
            assert (await post(client, query=text, extensions=persisted(text)))["data"]
        assert codes(await post(client, extensions=persisted(texts[0]))) == ["PERSISTED_QUERY_NOT_FOUND"]
        assert (await post(client, extensions=persisted(texts[-1])))["data"]


async def test_tiny_persisted_documents_count_their_keeping_too(store: Store) -> None:
    """Each kept document costs its hash and the map's entry besides its text: a client persisting many
    one-character documents reaches the bound as surely as one persisting long ones."""
    app = create_app(Settings.from_env({}), store=store)
    documents_of(app).persisted = kept = LocalPersisted(limit=10_000)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        for i in range(200):
            text = f"{{a{i}:__typename}}"
            await post(client, query=text, extensions=persisted(text))
    assert len(kept.texts) <= 10_000 // 256

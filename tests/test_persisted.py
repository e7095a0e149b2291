"""Persisted documents shared by every process of the service (graphapi/api/policy/persisted.py), and Apollo
Client's persisted-query link (pinned in tests/graphql_http/) against `graphapi serve --workers 2`:
named and anonymous operations, over POST and GET, persisted at run time or registered ahead."""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import parse, print_ast

from graphapi.api.policy.persisted import ENTRY_OVERHEAD, SharedPersisted, open_persisted
from graphapi.config import Settings
from graphapi.store import Store
from helpers import serving

CLIENT_DIR = Path(__file__).parent / "graphql_http"
# As the link hashes it: graphql-js's printing of the document (Python's prints alike), as a build tool
# writing the registry from the app's documents would have it.
REGISTERED = print_ast(parse("query Registered { sources { totalCount } }"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def test_processes_share_what_clients_persist_within_a_bound(store: Store) -> None:
    """Two processes' stores on the one server: what one keeps the other finds; past the bound the oldest
    goes, counting each entry's keeping, whoever kept it."""
    namespace = f"test-{uuid.uuid4().hex}"
    settings = Settings.from_env({})
    async with open_persisted(settings, store) as one, open_persisted(settings, store) as other:
        assert isinstance(one, SharedPersisted) and isinstance(other, SharedPersisted)
        one = SharedPersisted(one.client, namespace, limit=10 * (100 + ENTRY_OVERHEAD))
        other = SharedPersisted(other.client, namespace, limit=one.limit)
        texts = [f"{{ a{i}: __typename }}".ljust(100) for i in range(10)]
        for text in texts:
            await one.put(digest(text), text)
        assert [await other.get(digest(t)) for t in texts] == texts  # all ten, read by the other
        await one.put(digest(texts[3]), texts[3])  # sent again: nothing changes
        await other.put(digest("x" * 100), "x" * 100)  # one more: the oldest goes
        assert await one.get(digest(texts[0])) is None
        assert [await one.get(digest(t)) for t in texts[1:]] == texts[1:]
        assert await other.get(digest("x" * 100)) == "x" * 100
        assert await one.size() == one.limit
        # a lookup writes nothing (the server would fsync its append-only file for it)
        before = (await one.client.info("persistence"))["aof_current_size"]
        for t in texts[1:]:
            await one.get(digest(t))
        assert (await one.client.info("persistence"))["aof_current_size"] == before
        # many writers at once keep the bound
        many = [f"{{ b{i}: __typename }}".ljust(300) for i in range(60)]
        await asyncio.gather(*((one if i % 2 else other).put(digest(t), t) for i, t in enumerate(many)))
        assert 0 < await one.size() <= one.limit
        await one.client.delete(*one.keys)


def apollo(url: str, method: str, *documents: str) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None or not (CLIENT_DIR / "node_modules" / "@apollo" / "client").exists():
        pytest.fail(
            "@apollo/client is not installed: run `npm ci --prefix tests/graphql_http` (./dev test does)"
        )
    command = [node, str(CLIENT_DIR / "apollo.mjs"), f"{url}/graphql", method, *documents]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("persisted")
    registry = data_dir / "documents.json"
    registry.write_text(json.dumps({digest(REGISTERED): REGISTERED}), encoding="utf-8")
    env = {"GRAPHAPI_REGISTERED_DOCUMENTS": str(registry), "GRAPHAPI_LOG_LEVEL": "WARNING"}
    with serving(data_dir, "--workers", "2", **env) as (url, _):
        yield url


@pytest.mark.slow
@pytest.mark.parametrize("method", ["post", "get"])
def test_apollo_persisted_queries_named_and_anonymous(two_workers: str, method: str) -> None:
    """The link sends the hash alone, the text once when told PERSISTED_QUERY_NOT_FOUND, and then a
    client in another process (another connection, either worker) is answered by the hash alone."""
    tag = uuid.uuid4().hex[:8]
    named = f"query Fresh{tag} {{ sources {{ totalCount }} }}"
    anonymous = f"{{ sources {{ totalCount }} t{tag}: __typename }}"
    first = apollo(two_workers, method, named, anonymous, REGISTERED)
    second = apollo(two_workers, method, named, anonymous, REGISTERED)
    verb = method.upper()
    for run in (first, second):
        for answer in run:
            assert answer.get("failed") is None and not answer["errors"], answer
            assert answer["data"]["sources"]["totalCount"] == 1
    # unknown at first: the hash, then the text (always POSTed by the link)
    for answer in first[:2]:
        assert answer["sent"] == [{"method": verb, "hashOnly": True}, {"method": "POST", "hashOnly": False}]
    # known from then on, to every process; a registered document from the start
    for answer in [*second, first[2]]:
        assert answer["sent"] == [{"method": verb, "hashOnly": True}]


@pytest.mark.slow
async def test_a_document_persisted_once_is_known_to_every_worker(two_workers: str) -> None:
    text = f"{{ sources {{ totalCount }} n{uuid.uuid4().hex[:8]}: __typename }}"
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest(text)}}
    async with httpx.AsyncClient(base_url=two_workers) as client:
        sent = await client.post("/graphql", json={"query": text, "extensions": extensions})
        assert sent.json()["data"]["sources"] == {"totalCount": 1}

    async def by_hash() -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=two_workers) as client:  # a connection of its own
            answer: dict[str, Any] = (await client.post("/graphql", json={"extensions": extensions})).json()
            return answer

    answers = await asyncio.gather(*(by_hash() for _ in range(20)))
    assert [a.get("data", {}).get("sources") for a in answers] == [{"totalCount": 1}] * 20

"""Documents crafted to make the work before execution explode, sent to a real `graphapi serve` while
another client probes /health: each is refused with a code (or answered) quickly, and /health keeps
answering throughout. The deadlines are generous (a shared machine); the figures are printed (`-s`)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpers import serving

pytestmark = pytest.mark.slow  # starts a server process of its own


def fragment_bomb(n: int) -> str:
    """The issue's 684-byte document (n=12): each fragment spreads the next four times."""
    spreads = "".join(
        f"fragment F{i} on Query{{...F{i + 1} ...F{i + 1} ...F{i + 1} ...F{i + 1}}} " for i in range(n)
    )
    return "query{...F0} " + spreads + f"fragment F{n} on Query{{actors(first:100){{nodes{{id}}}}}}"


def nested(levels: int) -> str:
    return "{ " + 'node(id: "measure:x") { ... on Measure { ' * levels + "id" + " } }" * levels + " }"


def duplicated(depth: int, copies: int) -> str:
    """The same field, with the same selection, `copies` times at each of `depth` levels: graphql-core's
    overlapping-fields rule compares every pair."""
    inner = "id"
    for _ in range(depth):
        inner = " ".join([f"retaliatesAgainst {{ {inner} }}"] * copies)
    return "{ measures(first: 1) { nodes { " + inner + " } } }"


DOCUMENTS: dict[str, str] = {
    "fragment bomb n=12": fragment_bomb(12),
    "fragment bomb n=20": fragment_bomb(20),
    "fragment bomb n=40": fragment_bomb(40),
    "fragments spreading each other 4x in fields, 30 levels": "query { measures { nodes { ...M0 } } } "
    + "".join(
        f"fragment M{i} on Measure {{ retaliatesAgainst {{ ...M{i + 1} }} retaliatesAgainst {{ ...M{i + 1} }} }} "
        for i in range(30)
    )
    + "fragment M30 on Measure { id }",
    "a chain of 290 fragments": "query { ...F0 } "
    + " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(290))
    + " fragment F290 on Query { __typename }",
    "a fragment cycle": "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
    "nesting 190 levels": nested(190),
    "nesting past the parser's 200 levels": nested(250),
    "introspection 30 levels deep": "{ __schema { types { "
    + "fields { type { " * 30
    + "name"
    + " } }" * 30
    + " } } }",
    "300 overlapping fields with different arguments": "{ "
    + " ".join(f"sources(first: {i % 2 + 1}) {{ totalCount }}" for i in range(150))
    + " }",
    "600 overlapping fields": "{ " + "sources { totalCount } " * 300 + "}",
    "overlapping duplicates 4 levels x 4": duplicated(4, 4),
    "overlapping duplicates 7 levels x 2": duplicated(7, 2),
    "a 60 KB alias": "{ " + "a" * 60_000 + ": __typename }",
    "290 operations, none named": " ".join(f"query Q{i} {{ __typename }}" for i in range(290)),
    "500 directives on a field": "{ __typename " + "@skip(if: false) " * 500 + "}",
    "a 5,000-digit integer literal": "{ actors(first: " + "9" * 5000 + ") { totalCount } }",
    "4,000 tokens of aliases": "{ " + " ".join(f"a{i}: __typename" for i in range(1400)) + " }",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tmp_path_factory.mktemp("crafted"), GRAPHAPI_LOG_LEVEL="WARNING") as (url, _):
        yield url


class HealthProbe:
    """GET /health every 20 ms on its own thread; records each answer's latency, and any failure."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self.stop.is_set():
                started = time.perf_counter()
                try:
                    response = client.get(f"{self.url}/health")
                    if response.status_code != 200:
                        self.failures.append(f"status {response.status_code}")
                except httpx.HTTPError as exc:
                    self.failures.append(repr(exc))
                self.latencies.append(time.perf_counter() - started)
                time.sleep(0.02)

    def __enter__(self) -> HealthProbe:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(60)


def send(url: str, document: str) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = httpx.post(f"{url}/graphql", json={"query": document}, timeout=60)
    return time.perf_counter() - started, response


def outcome(response: httpx.Response) -> tuple[str, ...]:
    body: dict[str, Any] = response.json()
    if not body.get("errors"):
        return ("answered",)
    return tuple(sorted({error["extensions"]["code"] for error in body["errors"]}))


def test_crafted_documents_are_refused_fast_while_health_answers(served: str) -> None:
    timings: dict[str, float] = {}
    with HealthProbe(served) as probe:
        for name, document in DOCUMENTS.items():  # one at a time, each timed
            elapsed, response = send(served, document)
            timings[name] = elapsed
            assert response.status_code in (200, 400), (name, response.text[:300])
            assert outcome(response) in {("BAD_USER_INPUT",), ("answered",)}, (name, response.text[:300])
        with ThreadPoolExecutor(8) as pool:  # and all at once, twice over
            burst = list(pool.map(lambda doc: send(served, doc), [*DOCUMENTS.values()] * 2))
    for _, response in burst:
        assert outcome(response) in {("BAD_USER_INPUT",), ("answered",)}, response.text[:300]
    print("\n" + "\n".join(f"{elapsed * 1000:8.1f} ms  {name}" for name, elapsed in timings.items()))
    print(f"/health: {len(probe.latencies)} probes, slowest {max(probe.latencies) * 1000:.1f} ms")
    assert not probe.failures, probe.failures
    assert max(timings.values()) < 10, timings  # measured: well under a second each
    assert max(probe.latencies) < 5, max(probe.latencies)  # measured: tens of milliseconds
    # the document is refused by its cost, computed without expanding the spreads
    for n in (12, 20, 40):
        _, response = send(served, fragment_bomb(n))
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and "the query costs" in error["message"]


def test_json_nested_10000_deep_is_refused_while_health_answers(served: str, tmp_path: Path) -> None:
    body = '{"query": "{ __typename }", "variables": {"v": ' + "[" * 10_000 + "]" * 10_000 + "}}"
    with HealthProbe(served) as probe:
        response = httpx.post(f"{served}/graphql", content=body, headers={"content-type": "application/json"})
    assert (
        response.status_code == 400
        and json.loads(response.text)["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    )
    assert not probe.failures

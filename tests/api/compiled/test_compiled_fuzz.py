"""Generated queries over the compiled root fields, asked of two servers on the same seed: one compiling
reads (the default), one resolving field by field (GRAPHAPI_COMPILE=false). Whatever the selection,
arguments, aliases or fragments, the two answer the same data and the same errors: the compiler is a
second implementation of every read, and this is where a difference between the two shows."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema, nodes

from graphapi.api.compiled.roots import ROOTS
from helpers import SEED_DIR, serving

pytestmark = pytest.mark.slow  # starts two servers and their databases

SDL = (SEED_DIR.parent / "schema" / "schema.graphql").read_text(encoding="utf-8")
# Ids of every kind in the seed, one of each kind that does not exist, and junk.
IDS = [
    "measure:us-vehicle-tariff-2025",
    "measure:ca-retaliatory-tariffs",
    "measure:us-threatened-tariffs-eu-coordination",
    "person:mark-carney",
    "person:donald-trump",
    "country:CA",
    "country:US",
    "party:ca-liberal",
    "org:eu",
    "office:ca-prime-minister",
    "event:trump-carney-call-2025",
    "event:ca-general-election-2025",
    "statement:carney-us-no-longer-reliable",
    "position:poilievre-opposes-us-vehicle-tariff",
    "source:us-canada-tariff-call",
    "person:nobody",
    "measure:nope",
    "not an id",
]
DAYS = ["2020-01-01", "2025-03-14", "2025-04-02", "2025-04-03", "2025-06-01", "2010-01-01", "2025-13-01"]
SCALARS = {
    "ID": st.sampled_from(IDS).map(nodes.String),
    "Day": st.sampled_from(DAYS).map(nodes.String),
    "Date": st.sampled_from(DAYS[:-1]).map(nodes.String),
}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    compiled_dir, resolved_dir = tmp_path_factory.mktemp("compiled"), tmp_path_factory.mktemp("resolved")
    fast_dir = tmp_path_factory.mktemp("fast")
    quiet = {"GRAPHAPI_LOG_LEVEL": "WARNING", "GRAPHAPI_DEBUG": "true"}
    with (
        serving(compiled_dir, **quiet) as (compiled, _),
        serving(resolved_dir, GRAPHAPI_COMPILE="false", **quiet) as (resolved, _),
        # without debug: a compiled query asked before takes the fast path (graphapi/api/transport/fast.py)
        serving(fast_dir, GRAPHAPI_LOG_LEVEL="WARNING") as (fast, _),
    ):
        yield compiled, resolved, fast
    _no_compiler_failure(compiled_dir / "serve.log")
    _no_compiler_failure(fast_dir / "serve.log")


def _no_compiler_failure(log: Path) -> None:
    """A compiler bug falls back to the resolvers and answers right; its log line is how it shows."""
    failed = [line for line in log.read_text().splitlines() if "the resolvers answer it" in line]
    assert not failed, failed[:5]


def comparable(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    errors = [
        {**e, "extensions": {k: v for k, v in (e.get("extensions") or {}).items() if k != "requestId"}}
        for e in body.get("errors") or []
    ]
    return {
        "status": response.status_code,
        # as JSON text: 11 and 11.0 are equal in Python, not to a client that decodes an Int
        "data": json.dumps(body.get("data"), sort_keys=True),
        "errors": sorted(errors, key=lambda e: json.dumps(e, sort_keys=True)),
    }


def assert_alike(a: dict[str, Any], b: dict[str, Any], query: str) -> None:
    """The same answer. When an error empties the whole `data` (a non-null root field failed), the
    other root fields may or may not have reported theirs by then, on either path, as the spec allows:
    then the errors of one must be among the errors of the other."""
    if a["data"] == b["data"] == "null" and a["status"] == b["status"] and a["errors"] and b["errors"]:
        fewer, more = sorted((a["errors"], b["errors"]), key=len)
        assert all(error in more for error in fewer), query
        return
    assert a == b, query


def test_generated_selections_answer_alike_compiled_and_resolved(servers: tuple[str, str, str]) -> None:
    compiled_url, resolved_url, fast_url = servers
    compiled, resolved, fast = (
        httpx.Client(base_url=compiled_url, timeout=60),
        httpx.Client(base_url=resolved_url, timeout=60),
        httpx.Client(base_url=fast_url, timeout=60),
    )
    asked = {"compiled": 0, "any": 0, "answered": 0}

    # The same 300 selections each run, so a CI run is repeatable; GRAPHAPI_FUZZ_RANDOM=1 explores anew.
    random = os.environ.get("GRAPHAPI_FUZZ_RANDOM") == "1"

    @settings(
        max_examples=300,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=not random,
    )
    @given(query=from_schema(SDL, fields=sorted(ROOTS), custom_scalars=SCALARS, allow_x00=False))
    def check(query: str) -> None:
        a = compiled.post("/graphql", json={"query": query})
        b = resolved.post("/graphql", json={"query": query})
        assert_alike(comparable(a), comparable(b), query)
        for _ in range(2):  # the second time from the cached plans, when it compiled
            assert_alike(comparable(fast.post("/graphql", json={"query": query})), comparable(b), query)
        asked["any"] += 1
        sent = (a.json().get("extensions") or {}).get("dbQueries") or []
        compiled_here = any(name.startswith("compiled.") for name in sent)
        asked["compiled"] += compiled_here
        # compiled and answered by the statements alone (a node that is not there is the resolvers')
        asked["answered"] += compiled_here and not a.json().get("errors")

    check()
    # The comparison means something only when the compiler took many of the queries (the others are
    # refused before either path runs them, or ask for a field left to the resolvers).
    assert asked["compiled"] >= asked["any"] // 3, asked
    fast_answers = next(
        float(line.split()[1])
        for line in fast.get("/metrics").text.splitlines()
        if line.startswith("graphapi_fast_operations_total ")
    )
    assert fast_answers >= asked["answered"] // 2, (fast_answers, asked)

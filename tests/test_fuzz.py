"""Generated queries, valid and invalid, thrown at a running `graphapi serve` over HTTP: no response is a
500, every error has a code, no stack trace leaks, and the data afterwards is what it was. Strings that
look like Cypher injection are matched literally."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

from helpers import SEED_DIR, serving

pytestmark = pytest.mark.slow  # starts database or server processes of its own

CODES = {
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "UNAVAILABLE",
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "CONFLICT",
}  # INTERNAL: a bug
SDL = (SEED_DIR.parent / "schema" / "schema.graphql").read_text(encoding="utf-8")
# Ids that exist, ids that do not, and junk; days valid and not.
IDS = st.sampled_from(
    ["measure:us-vehicle-tariff-2025", "person:mark-carney", "country:CA", "event:x", "nope", ""]
)
SCALARS = {
    "Day": st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=12)).map(nodes.String),
    "Date": st.dates().map(lambda d: nodes.String(d.isoformat())),
    "ID": IDS.map(nodes.String),
}
FINGERPRINT = '{ a: actors { totalCount } m: measures { totalCount } s: statements { totalCount } p: positions(on: "measure:us-vehicle-tariff-2025") { totalCount } }'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("fuzz")
    with serving(data_dir, GRAPHAPI_LOG_LEVEL="WARNING") as (url, _):
        yield url
    logged = (data_dir / "serve.log").read_text()
    assert "Traceback" not in logged and '"level": "ERROR"' not in logged, logged[-3000:]


def check(response: httpx.Response) -> None:
    assert response.status_code != 500, response.text
    body = response.json()
    for error in body.get("errors") or []:
        assert error.get("extensions", {}).get("code") in CODES, error
    assert "Traceback" not in response.text and 'File "' not in response.text


def fingerprint(url: str) -> object:
    return httpx.post(f"{url}/graphql", json={"query": FINGERPRINT}).json()["data"]


@pytest.mark.parametrize("mode", [Mode.POSITIVE, Mode.NEGATIVE], ids=["valid", "invalid"])
def test_generated_queries_never_break_the_service(server: str, mode: Mode) -> None:
    before = fingerprint(server)
    http = httpx.Client(base_url=server, timeout=30)

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(query=from_schema(SDL, custom_scalars=SCALARS, mode=mode))
    def run(query: str) -> None:
        check(http.post("/graphql", json={"query": query}))

    run()
    http.close()
    assert fingerprint(server) == before


@given(text=st.sampled_from([
    "') RETURN 1 //", "\" OR 1=1 --", "x}) DETACH DELETE n //", "$limit", "\\u0027; MATCH (n) DETACH DELETE n",
    "*", "@name:{x}", "-tariffs", "((((", "tariffs\" | \"x",
]))  # fmt: skip
@settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_injection_looking_strings_are_matched_literally(server: str, text: str) -> None:
    before = fingerprint(server)
    for query, variables in [
        ("query($t: String!) { search(text: $t) { totalCount } }", {"t": text}),
        ("query($t: String!) { actors(filter: {nameContains: $t}) { totalCount } }", {"t": text}),
        ("query($t: ID!) { node(id: $t) { id } }", {"t": text}),
        ("query($t: ID!) { statements(by: $t) { totalCount } }", {"t": "person:" + text}),
    ]:
        response = httpx.post(f"{server}/graphql", json={"query": query, "variables": variables})
        check(response)
        data = response.json().get("data") or {}
        if data.get("actors"):
            assert data["actors"]["totalCount"] == 0  # no actor's name contains these strings
    assert fingerprint(server) == before

"""What operators see: Prometheus metrics at /metrics and a structured log line per operation."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from graphapi.logs import configure_logging
from helpers import gql


def sample(metrics: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in metrics.splitlines():
        if line.startswith(f"{name}{{{wanted}}}") or (not labels and line.startswith(f"{name} ")):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_metrics_count_operations_latency_round_trips_and_errors(client: httpx.AsyncClient) -> None:
    await gql(client, '{ positions(on: "measure:us-vehicle-tariff-2025") { nodes { actor { name } } } }')
    await gql(client, '{ positions(on: "measure:us-vehicle-tariff-2025") { nodes { id } } }')
    await gql(client, '{ node(id: "person:nobody") { id } }')
    await gql(client, "{ nope }")
    await gql(client, 'mutation { deleteNode(id: "person:mark-carney") { deletedId } }')  # no key: refused
    response = await client.get("/metrics")
    assert response.status_code == 200 and "text/plain" in response.headers["content-type"]
    text = response.text
    assert sample(text, "graphapi_operations_total", operation="query:positions") == 2
    assert sample(text, "graphapi_operation_seconds_count", operation="query:positions") == 2
    # one compiled statement each (graphapi/api/compiled/)
    assert sample(text, "graphapi_db_round_trips_total", operation="query:positions") == 1 + 1
    assert sample(text, "graphapi_errors_total", code="NOT_FOUND") == 1
    assert sample(text, "graphapi_errors_total", code="BAD_USER_INPUT") == 1
    assert (
        sample(text, "graphapi_operations_total", operation="query:-") == 1
    )  # unknown fields: no label of their own


async def test_the_operation_run_names_the_label(client: httpx.AsyncClient) -> None:
    """Of a document of several operations, the one the request runs (its operationName) is counted: the
    first time through the pipeline and again by the fast path of a compiled document seen before."""
    document = "query A { actors { totalCount } } query B { measures { totalCount } }"
    for _ in range(2):
        response = await client.post("/graphql", json={"query": document, "operationName": "B"})
        assert response.json()["data"] == {"measures": {"totalCount": 7}}, response.json()
    text = (await client.get("/metrics")).text
    assert sample(text, "graphapi_operations_total", operation="query:measures") == 2
    assert sample(text, "graphapi_operations_total", operation="query:actors") == 0


async def test_each_operation_is_logged_with_its_request_id(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="graphapi.requests"):
        await client.post(
            "/graphql", json={"query": "{ sources { totalCount } }"}, headers={"X-Request-ID": "req-42"}
        )
    [record] = [r for r in caplog.records if r.name == "graphapi.requests"]
    assert record.request_id == "req-42"  # type: ignore[attr-defined]
    assert record.operation == "query:sources" and record.db_round_trips == 1  # page and total, one statement  # type: ignore[attr-defined]


def test_logs_are_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("json", "INFO")
    try:
        logging.getLogger("graphapi.requests").info(
            "graphql operation", extra={"request_id": "abc", "db_round_trips": 2}
        )
        line = capsys.readouterr().err.strip().splitlines()[-1]
        entry = json.loads(line)
        assert entry["message"] == "graphql operation" and entry["request_id"] == "abc"
        assert entry["level"] == "INFO" and entry["logger"] == "graphapi.requests" and "time" in entry
    finally:
        logging.getLogger().handlers.clear()

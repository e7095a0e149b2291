"""Subscriptions over Server-Sent Events, for clients that cannot open a WebSocket: the graphql-sse
protocol in distinct connections mode, checked with graphql-sse's own client (pinned in
tests/graphql_http/) against a running `graphapi serve`."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpers import serving

pytestmark = pytest.mark.slow  # starts a server process of its own

CLIENT_DIR = Path(__file__).parent / "graphql_http"
PARTS = "measure:us-auto-parts-tariff-2025"
SUBSCRIBE = "subscription($on: ID) { positionChanges(on: $on) { kind id position { stance on { id } } } }"
UPSERT = "mutation($input: PositionInput!) { upsertPosition(input: $input) { created } }"


def node_client() -> str:
    node = shutil.which("node")
    if node is None or not (CLIENT_DIR / "node_modules" / "graphql-sse").exists():
        pytest.fail(
            "graphql-sse is not installed: run `npm ci --prefix tests/graphql_http` (./dev test does)"
        )
    return node


def lines_of(process: subprocess.Popen[str]) -> queue.Queue[dict[str, Any]]:
    """The client's output, one parsed JSON line at a time, read on a thread of its own."""
    found: queue.Queue[dict[str, Any]] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            found.put(json.loads(line))

    threading.Thread(target=read, daemon=True).start()
    return found


@pytest.mark.parametrize("which", ["graphql-sse", "urql"])
def test_a_subscription_over_server_sent_events_receives_a_write(tmp_path: Path, which: str) -> None:
    """graphql-sse's client and urql's `fetchSubscriptions` (which splits events on a blank line of LF
    alone, and so received nothing while events ended in CRLF) each receive a write."""
    node = node_client()
    with serving(tmp_path, GRAPHAPI_LOG_LEVEL="WARNING") as (url, _):
        env = {**os.environ, "GRAPHAPI_DATA_DIR": str(tmp_path)}
        create = [sys.executable, "-m", "graphapi", "keys", "create", "--name", "sse test"]
        key = subprocess.run(create, env=env, capture_output=True, text=True, check=True).stdout.strip()
        command = [
            node,
            str(CLIENT_DIR / "sse.mjs"),
            f"{url}/graphql",
            SUBSCRIBE,
            json.dumps({"on": PARTS}),
            "1",
            which,
        ]
        client = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        try:
            output = lines_of(client)
            assert output.get(timeout=30) == {"connected": True}
            # The stream is open; the subscription starts as its first event is awaited, so write until
            # one arrives (each write a real change: an identical one may rightly send nothing).
            deadline, attempt, result = time.monotonic() + 30, 0, None
            while result is None and time.monotonic() < deadline:
                position = {
                    "id": "position:singh-opposes-parts", "actor": "person:jagmeet-singh", "on": PARTS,
                    "stance": "OPPOSE", "confidence": 0.5 + attempt % 2 / 10, "evidence": ["statement:singh-betrayal"],
                }  # fmt: skip
                response = httpx.post(
                    f"{url}/graphql",
                    json={"query": UPSERT, "variables": {"input": position}},
                    headers={"Authorization": f"Bearer {key}"},
                )
                assert "errors" not in response.json(), response.text
                attempt += 1
                try:
                    result = output.get(timeout=1)
                except queue.Empty:
                    continue
            assert result is not None, "no event within 30 s"
            change = result["data"]["positionChanges"]
            assert change["id"] == "position:singh-opposes-parts" and change["kind"] in ("CREATED", "UPDATED")
            assert change["position"] == {"stance": "OPPOSE", "on": {"id": PARTS}}
            assert client.wait(30) == 0
        finally:
            if client.poll() is None:
                client.kill()
                client.wait()


def test_graphql_sse_client_gets_results_and_request_errors(tmp_path: Path) -> None:
    node = node_client()
    with serving(tmp_path, GRAPHAPI_LOG_LEVEL="WARNING") as (url, _):
        for document, expected in [
            ("{ sources { totalCount } }", {"data": {"sources": {"totalCount": 1}}}),
            ("{ nope }", None),
        ]:
            done = subprocess.run(
                [node, str(CLIENT_DIR / "sse.mjs"), f"{url}/graphql", document],
                capture_output=True, text=True, timeout=60, check=True,
            )  # fmt: skip
            connected, result = (json.loads(line) for line in done.stdout.splitlines())
            assert connected == {"connected": True}
            if expected is not None:
                assert {"data": result["data"]} == expected
            else:  # a request error: no data, a code, delivered as an event rather than a 400
                assert "data" not in result and result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_events_end_their_lines_with_a_line_feed(tmp_path: Path) -> None:
    """On the wire: `event:` and `data:` lines ended by LF, events separated by a blank line of LF alone
    (no CR anywhere), and the stream never compressed."""
    with serving(tmp_path, GRAPHAPI_LOG_LEVEL="WARNING") as (url, _):
        headers = {"accept": "text/event-stream", "accept-encoding": "gzip"}
        with httpx.stream(
            "POST", f"{url}/graphql", json={"query": "{ sources { totalCount } }"}, headers=headers
        ) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            assert "content-encoding" not in response.headers
            body = b"".join(response.iter_raw())
    assert b"\r" not in body
    assert body.startswith(b"event: next\ndata: {") and body.endswith(b"event: complete\ndata: \n\n")

"""Helpers for talking GraphQL to the app in tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx

from graphapi.api.transport.http import GraphQLView
from graphapi.store import load_schema
from graphapi.store.falkor_server import EmbeddedServer
from graphapi.store.falkordb_store import FalkorDBStore


class GraphQLResult:
    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self.body: dict[str, Any] = response.json()
        self.data: Any = self.body.get("data")
        self.errors: list[dict[str, Any]] = self.body.get("errors") or []

    @property
    def round_trips(self) -> int:
        """The database round-trips the response reports; a response without the count fails the test."""
        trips = self.body.get("extensions", {}).get("dbRoundTrips")
        assert isinstance(trips, int), f"the response reports no dbRoundTrips: {self.body}"
        return trips

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
SEED_NODES = 68  # the records of the bundled seed (its nodes)
SEED_TENURES = 8  # and its tenures, records too
SOURCE_TEXT = (SEED_DIR / "sources" / "us-canada-tariff-call.txt").read_text(encoding="utf-8")


@contextlib.contextmanager
def serving(
    data_dir: Path, *args: str, python: str = sys.executable, cwd: Path | None = None, **env: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`graphapi serve` in a process of its own on a free port, ready; stopped with Ctrl-C afterwards.
    Its output goes to a file: a pipe nobody reads would stall it once full."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    environment = {**os.environ, "GRAPHAPI_DATA_DIR": str(data_dir), **env}
    environment.pop("NEO4J_URI", None)
    log_path = data_dir / "serve.log"
    with log_path.open("w") as log:
        command = [python, "-m", "graphapi", "serve", "--port", str(port), *args]
        process = subprocess.Popen(command, env=environment, stdout=log, stderr=log, cwd=cwd)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/ready").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"graphapi serve did not become ready:\n{log_path.read_text()}")
            time.sleep(0.2)
        try:
            yield url, process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                process.wait(30)


@contextlib.asynccontextmanager
async def server_of_its_own(
    data_dir: Path, graph: str, **timeouts: float
) -> AsyncIterator[tuple[EmbeddedServer, FalkorDBStore]]:
    """A store on an embedded server of its own (in `data_dir`), so killing it harms no other test; the
    server is stopped afterwards, whatever state the test left it in."""
    server = EmbeddedServer(data_dir)
    store = FalkorDBStore(server.start(), graph, schema=load_schema(), **timeouts)
    await store.apply_schema(load_schema())
    try:
        yield server, store
    finally:
        await store.close()
        server.start()  # (attaches to it, or starts it again if the test left it down)
        assert server.stop()


def graphql_view(app: Any) -> GraphQLView:
    """The app's GraphQL view (to turn its short way off, or read its settings)."""
    return next(r.app for r in app.routes if isinstance(getattr(r, "app", None), GraphQLView))


async def ask_either_way(app: Any, body: bytes, headers: dict[str, str], *, short: bool) -> httpx.Response:
    """A POST to /graphql by the short way (graphapi/api/transport/lane.py), or with the short way turned
    off (the whole way), with the same request id both times so the answers compare byte for byte."""
    view = graphql_view(app)
    if not short:
        view._short_way = view._compressing  # type: ignore[method-assign]
    try:
        sent = {"content-type": "application/json", "x-request-id": "same-for-both", **headers}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            return await client.post("/graphql", content=body, headers=sent)
    finally:
        vars(view).pop("_short_way", None)

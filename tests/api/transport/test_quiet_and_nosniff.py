"""A client that goes away mid-request is logged at info, without a traceback (it is not the service's
fault); and every HTTP response says `X-Content-Type-Options: nosniff`, refusals and files included."""

from __future__ import annotations

import logging

import httpx
import pytest
from recording import RecordingStore
from starlette.types import Message

from graphapi.app import create_app
from graphapi.config import Limits, Settings


def app_of() -> object:
    settings = Settings.from_env({"GRAPHAPI_DATA_DIR": "/nonexistent"})
    return create_app(settings, store=RecordingStore())


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/graphql", {"json": {"query": "{ __typename }"}}),
        ("POST", "/graphql", {"json": {"query": "{ nope }"}}),
        ("POST", "/graphql", {"content": b"{", "headers": {"content-type": "application/json"}}),
        ("POST", "/graphql", {"content": b"x" * (Limits().max_body_bytes + 1)}),
        ("PUT", "/graphql", {}),
        ("GET", "/nowhere", {}),
        ("GET", "/health", {}),
        ("GET", "/metrics", {}),
        ("GET", "/graphql", {"headers": {"accept": "text/html"}}),
        ("GET", "/explore", {}),
    ],
)
async def test_every_response_says_nosniff(method: str, path: str, kwargs: dict[str, object]) -> None:
    transport = httpx.ASGITransport(app=app_of())  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
    assert response.headers.get("x-content-type-options") == "nosniff", (
        response.status_code,
        response.headers,
    )


async def test_a_client_that_disconnects_mid_body_is_not_an_error(caplog: pytest.LogCaptureFixture) -> None:
    app = app_of()
    sent: list[Message] = []
    messages: list[Message] = [
        {"type": "http.request", "body": b'{"query": "{ __ty', "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/graphql", "raw_path": b"/graphql", "query_string": b"", "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"host", b"t")],
        "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000),
    }  # fmt: skip
    with caplog.at_level(logging.INFO):
        await app(scope, receive, send)  # type: ignore[operator]
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert not problems, [(r.levelname, r.getMessage()) for r in problems]
    assert any("disconnected" in r.getMessage() and r.levelno == logging.INFO for r in caplog.records)

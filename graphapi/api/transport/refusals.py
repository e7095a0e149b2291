"""Refusals outside GraphQL execution (media type, request id, JSON, body size) as GraphQL errors."""

from __future__ import annotations

import json
import logging
import math
import re
import uuid
from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect, HTTPConnection, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphapi.api.policy.limits import MAX_NUMBER_CHARS
from graphapi.api.transport.encoding import json_bytes

log = logging.getLogger("graphapi.http")

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
EVENT_STREAM = "text/event-stream"
# What each media range of `Accept` gets; wildcards get plain JSON, which every client reads.
_ANSWERS = {
    GRAPHQL_RESPONSE: GRAPHQL_RESPONSE,
    JSON: JSON,
    "application/*": JSON,
    "*/*": JSON,
    EVENT_STREAM: EVENT_STREAM,
}
STATUS_BY_CODE = {
    "BAD_USER_INPUT": 400,
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "CONFLICT": 409,
    "TOO_MANY_REQUESTS": 429,
    "INTERNAL": 500,
    "UNAVAILABLE": 503,
    "DISK_FULL": 507,
}
CODE_BY_STATUS = {status: code for code, status in STATUS_BY_CODE.items()}
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def negotiate(accept: str | None) -> str | None:
    """The media type to answer in: the supported one `Accept` ranks highest (the first listed among
    equals); JSON without `Accept`; None when it allows none of them (406)."""
    if not accept or not accept.strip():
        return JSON
    best, best_q = None, 0.0
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        answer = _ANSWERS.get(media.lower())
        if answer is None:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q and math.isfinite(q):
            best, best_q = answer, q
    return best


def request_id_of(connection: HTTPConnection) -> str:
    """The request's id: the client's X-Request-ID when it is a plain token, otherwise a new one."""
    known = getattr(connection.state, "request_id", None)
    if not isinstance(known, str):
        given = connection.headers.get("x-request-id", "")
        known = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        connection.state.request_id = known
    return known


def error_response(
    status: int,
    message: str,
    *,
    connection: HTTPConnection | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> Response:
    """A GraphQL response with one error and no `data`: what every refusal outside execution looks like."""
    code = CODE_BY_STATUS.get(status, "BAD_USER_INPUT" if 400 <= status < 500 else "INTERNAL")
    body = {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    media = JSON
    all_headers = dict(headers or {})
    if connection is not None:
        media = GRAPHQL_RESPONSE if negotiate(connection.headers.get("accept")) == GRAPHQL_RESPONSE else JSON
        all_headers["X-Request-ID"] = request_id_of(connection)
    return Response(json_bytes(body), status, headers=all_headers, media_type=f"{media}; charset=utf-8")


class RequestError(Exception):
    """A request the view refuses before any GraphQL work: its HTTP status says why."""

    def __init__(self, status: int, message: str, *, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


class _NumberTooLong(ValueError):
    pass


def _number(text: str) -> int | float:
    if len(text) > MAX_NUMBER_CHARS:
        raise _NumberTooLong(text)
    value = float(text) if any(c in text for c in ".eE") else int(text)
    if not math.isfinite(value):
        raise _NumberTooLong(text)
    return value


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def decode_json(data: str | bytes, what: str) -> object:
    """Strict JSON (no NaN or Infinity, numbers of at most MAX_NUMBER_CHARS characters), with a message
    that says what is wrong with it in the client's terms."""
    try:
        return json.loads(data, parse_int=_number, parse_float=_number, parse_constant=_no_constants)
    except _NumberTooLong:
        raise RequestError(400, f"{what} holds a number of more than {MAX_NUMBER_CHARS} characters") from None
    except RecursionError:
        raise RequestError(400, f"{what} is JSON nested too deeply") from None
    except UnicodeDecodeError:
        raise RequestError(400, f"{what} is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise RequestError(400, f"{what} is not JSON: {exc.msg} at character {exc.pos}") from None
    except ValueError as exc:
        raise RequestError(400, f"{what} is not JSON: {exc}") from None


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (an unknown path, a method a route does not take) as GraphQL errors."""
    assert isinstance(exc, StarletteHTTPException)
    path = request.url.path[:200]
    messages = {
        404: f"there is nothing at {path}: the API is at /graphql",
        405: f"{request.method} is not allowed on {path}",
    }
    message = messages.get(exc.status_code, exc.detail)
    return error_response(exc.status_code, message, connection=request, headers=exc.headers)


async def unexpected_error(request: Request, exc: Exception) -> Response:
    """Anything unexpected: logged with the request id, answered INTERNAL with that id and nothing more.
    (A client that went away mid-request is not unexpected: logged at info, without a traceback.)"""
    request_id = request_id_of(request)
    if isinstance(exc, ClientDisconnect):
        log.info("request %s: the client disconnected before sending its body", request_id)
        return Response(status_code=400)
    log.error(
        "unexpected error [request %s] %s %s", request_id, request.method, request.url.path, exc_info=exc
    )
    return error_response(500, "Internal server error.", connection=request, requestId=request_id)


EXCEPTION_HANDLERS = {StarletteHTTPException: http_error, Exception: unexpected_error}


class BodySizeLimit:
    """Refuses a request body larger than the limit, counting what arrives (a client may lie in
    Content-Length, or send none), before the app reads it all."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    refused = True
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _TooLarge:
            if refused:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the request body is larger than {self.max_bytes} bytes"
        response = error_response(413, message, connection=HTTPConnection(scope))
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass

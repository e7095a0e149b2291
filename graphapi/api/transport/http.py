"""GraphQL over HTTP to the letter of the spec (graphql/graphql-over-http): Strawberry's ASGI view with the
response's media type negotiated from `Accept`, status codes by media type, request errors without a
`data` key, subscriptions over Server-Sent Events, and every refusal (transport errors included) a GraphQL
JSON body whose errors carry `extensions.code`.

- `application/graphql-response+json` when the client accepts it before `application/json`; then a
  request that fails before execution (parse, validation, limits, variables) is 4xx by its code
  (BAD_USER_INPUT 400, UNAUTHENTICATED 401, FORBIDDEN 403, UNAVAILABLE 503).
- `application/json` otherwise (no `Accept`, `*/*`, `application/json`): 200 for every GraphQL result.
- A request that is not GraphQL over HTTP at all (bad JSON, wrong parameter types, a wrong method or
  media type, too large) is 4xx whatever it accepts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.http.parse_content_type import parse_content_type
from strawberry.http.streaming import HTTPStreamTransport, SSETransport
from strawberry.schema.base import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import (
    GRAPHQL_SSE_PROTOCOL,
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
    GRAPHQL_WS_PROTOCOL,
)
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from graphapi.api.context import Context
from graphapi.api.policy.limits import refusal, timed_out, within
from graphapi.api.transport.capacity import CLOSE_TOO_MANY, Capacity
from graphapi.api.transport.encoding import json_bytes
from graphapi.api.transport.fast import FastPath
from graphapi.api.transport.lane import DEADLINE, FAST_TRIED, lane_media, read_body, replaying
from graphapi.api.transport.parameters import request_parameters
from graphapi.api.transport.refusals import (
    EVENT_STREAM,
    GRAPHQL_RESPONSE,
    JSON,
    STATUS_BY_CODE,
    RequestError,
    decode_json,
    error_response,
    negotiate,
    request_id_of,
)
from graphapi.api.transport.websocket import StrictLegacyWS, StrictTransportWS
from graphapi.store import CountingStore
from graphapi.web.pages import wants_page

log = logging.getLogger("graphapi.http")
T = TypeVar("T")


class LineFeedSSE(SSETransport):
    """Server-Sent Events with each line ended by LF. The spec allows CRLF too, but the common clients
    split events on a blank line of LF alone (urql's `fetchSubscriptions`), so with CRLF they would
    receive nothing."""

    def encode_event(self, event: str, data: str | None = None) -> str:
        return super().encode_event(event, data).replace("\r\n", "\n")

    def encode_comment(self, comment: str) -> str:
        return super().encode_comment(comment).replace("\r\n", "\n")


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's view for queries and mutations over GET and POST, subscriptions over WebSocket
    (graphql-transport-ws, graphql-ws) and Server-Sent Events (graphql-sse, distinct connections), with
    the whole request (parse, validation, limits, execution) under the time limit."""

    graphql_transport_ws_handler_class = StrictTransportWS
    graphql_ws_handler_class = StrictLegacyWS
    stream_transport_classes_by_protocol: Mapping[str, type[HTTPStreamTransport]] = MappingProxyType(
        {**GraphQL.stream_transport_classes_by_protocol, GRAPHQL_SSE_PROTOCOL: LineFeedSSE}
    )

    def __init__(
        self,
        schema: BaseSchema,
        *,
        request_timeout_s: float,
        max_subscriptions_per_connection: int | None = None,
        **options: Any,
    ) -> None:
        protocols = (GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL, GRAPHQL_SSE_PROTOCOL)
        super().__init__(
            schema,
            subscription_protocols=protocols,
            max_subscriptions_per_connection=max_subscriptions_per_connection,
            **options,
        )
        self.request_timeout_s = request_timeout_s
        self._compressing = _gzipped(self._answer)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
        elif EVENT_STREAM in Headers(scope=scope).get("accept", ""):
            await self._answer(scope, receive, send)  # each event must reach the client as it is sent
        else:
            await self._short_way(scope, receive, send)

    async def _short_way(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A compiled query by the short way (graphapi/api/transport/lane.py), else the whole way."""
        media = lane_media(scope)
        fast: FastPath | None = getattr(self.schema, "fast_path", None)
        if media is None or fast is None or not fast.takes(None):
            await self._compressing(scope, receive, send)
            return
        messages, body = await read_body(receive)
        receive = replaying(messages, receive)
        parameters = None
        if body is not None:
            with contextlib.suppress(RequestError):  # the whole way words it
                parameters = request_parameters(decode_json(body, "the request body"), media)
        if parameters is None or not fast.takes(parameters.extensions):
            await self._compressing(scope, receive, send)
            return
        request = Request(scope, receive)
        sub_response = await self.get_sub_response(request)
        context = await self.get_context(request, sub_response)
        deadline = asyncio.get_running_loop().time() + self.request_timeout_s
        work = fast.run(parameters.query, parameters.variables, parameters.operation_name, context)
        result = await self._within_limit(context, work, deadline)
        if result is None:
            scope[FAST_TRIED] = True
            scope[DEADLINE] = deadline
            await self._compressing(scope, receive, send)
            return
        data = await self.process_result(request, result)
        if result.errors:
            self._handle_errors(result.errors, data)
        await _gzipped(self.create_response(data, sub_response))(scope, receive, send)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except ClientDisconnect:
            # the client went away before its request was read whole: nothing to answer, nothing wrong
            log.info("request %s: the client disconnected before sending its body", request_id_of(request))
            return
        except RequestError as exc:
            response = error_response(exc.status, exc.message, connection=request, headers=exc.headers)
        except HTTPException as exc:  # Strawberry's own refusals
            headers = {"Allow": "GET, POST"} if exc.status_code == 405 else None
            response = error_response(exc.status_code, exc.reason, connection=request, headers=headers)
        await response(scope, receive, send)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A WebSocket, counted while open; past the limit accepted only to be closed with 4429 and why."""
        capacity: Capacity = scope["app"].state.capacity
        reason = capacity.full("websocket")
        if reason is None:
            with capacity.websocket():
                await super().__call__(scope, receive, send)
            return
        websocket = WebSocket(scope, receive, send)
        offered = [p.strip() for p in websocket.headers.get("sec-websocket-protocol", "").split(",")]
        await websocket.accept(subprotocol=next((p for p in offered if p in self.protocols), None))
        await websocket.close(code=CLOSE_TOO_MANY, reason=reason)

    async def create_streaming_response(
        self,
        request: Request | WebSocket,
        stream: Callable[[], AsyncIterator[str]],
        sub_response: Response,
        headers: Mapping[str, str],
    ) -> Response:
        """An event stream, counted while it is open."""
        capacity: Capacity = request.app.state.capacity

        async def counted() -> AsyncIterator[str]:
            async with capacity.stream():
                async for chunk in stream():
                    yield chunk

        return await super().create_streaming_response(request, counted, sub_response, headers)

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """The page's rule (graphapi/web/pages.py), so a GET naming a persisted document by hash is run."""
        return wants_page(request.method, request.query_params, request.headers.get("accept", ""))

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        request_id = request_id_of(request)
        http_response = response if isinstance(response, Response) else None
        if http_response is not None:
            http_response.headers["X-Request-ID"] = request_id
        state = request.app.state
        return Context(request, http_response, CountingStore(state.store), request_id, state.bus)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        response = await super().get_sub_response(request)
        response.media_type = negotiate(request.headers.get("accept"))
        return response

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        """The request's parameters, each of the type the spec gives it (or a 4xx naming the one that is
        not); one operation per request (no batches)."""
        media = negotiate(request.headers.get("accept"))
        if media is None:
            raise RequestError(
                406,
                f"this endpoint answers {GRAPHQL_RESPONSE}, {JSON} or {EVENT_STREAM}; `Accept` allows none",
            )
        data: object
        if request.method == "GET":
            params: dict[str, Any] = dict(request.query_params)
            for name in ("variables", "extensions"):
                if isinstance(params.get(name), str) and params[name]:
                    params[name] = decode_json(params[name], f"`{name}`")
            data = params
        else:
            declared = (request.content_type or "").strip()
            content_type, type_params = parse_content_type(declared)
            if not declared or content_type.lower() != JSON:  # (media types ignore case: RFC 9110)
                given = f"not {content_type}" if declared else "there is no Content-Type"
                raise RequestError(415, f"send the request as {JSON}: {given}")
            charset = type_params.get("charset", "utf-8")
            if charset.lower() not in ("utf-8", "utf8"):
                raise RequestError(415, f"send the request in UTF-8, not {charset}")
            data = decode_json(await request.get_body(), "the request body")
        return request_parameters(data, media)

    async def execute_operation(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: None,
        sub_response: Response,
    ) -> Any:
        """The operation within the time limit; past it the work is cancelled, the database call it waits
        on included (the driver abandons the query; FalkorDB stops it at its own query timeout). A stream
        (SSE) only starts here: its events are not under the limit, as on a WebSocket."""
        if isinstance(request_data, GraphQLRequestData) and request_data.protocol == "sse":
            refused = request.app.state.capacity.full("stream")
            if refused:
                raise RequestError(429, refused)
        work = super().execute_operation(
            request, request_adapter, request_data, context, root_value, sub_response
        )
        return await self._within_limit(context, work, request.scope.get(DEADLINE))

    async def _within_limit(
        self, context: Context, work: Awaitable[T], deadline: float | None = None
    ) -> T | ExecutionResult:
        """The work's result, or past the request's time limit (by the event loop's `deadline` when the
        short way started it) a refusal saying so."""
        seconds = self.request_timeout_s
        if deadline is not None:
            seconds = deadline - asyncio.get_running_loop().time()
        try:
            result: T = await within(seconds, work)
        except TimeoutError:
            log.warning(
                "request %s ran past %ss and was cancelled", context.request_id, self.request_timeout_s
            )
            return self._refused(context, timed_out(self.request_timeout_s))
        return result

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        # Plain HTTP runs queries (GET) and mutations (POST); a subscription needs a stream.
        allowed = {OperationType.QUERY}
        if request_adapter.method == "POST":
            allowed.add(OperationType.MUTATION)
        fast: FastPath | None = getattr(self.schema, "fast_path", None)
        tried = request.scope.get(FAST_TRIED, False)  # by the short way, which then sent it here
        if fast and not tried and request_data.protocol == "http" and fast.takes(request_data.extensions):
            answered = await fast.run(
                request_data.query, request_data.variables, request_data.operation_name, context
            )
            if answered is not None:
                return answered
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError:
            name = request_data.operation_name
            message = (
                f"the document has no operation named {name!r}" if name else "the document has no operation"
            )
            return self._refused(context, refusal(message, argument="operationName" if name else "query"))
        except InvalidOperationTypeError as exc:
            if exc.operation_type is OperationType.MUTATION:
                raise RequestError(
                    405, "a mutation is sent with POST, not GET", headers={"Allow": "POST"}
                ) from None
            return self._refused(
                context,
                refusal(
                    "a subscription is served over a WebSocket (graphql-transport-ws) or as Server-Sent "
                    f"Events (`Accept: {EVENT_STREAM}`), not as a plain POST or GET"
                ),
            )
        except MissingQueryError:
            raise RequestError(400, "the request has no `query`") from None

    def _refused(self, context: Context, error: GraphQLError) -> ExecutionResult:
        return ExecutionResult(
            data=None, errors=[error], extensions={"dbRoundTrips": context.store.round_trips}
        )

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if is_request_error(result):
            response.pop("data", None)  # nothing ran: the spec wants no `data` at all
        return response

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        media = sub_response.media_type if sub_response.media_type == GRAPHQL_RESPONSE else JSON
        status = sub_response.status_code or 200
        if media == GRAPHQL_RESPONSE and isinstance(response_data, dict) and "data" not in response_data:
            errors: Any = response_data.get("errors") or [{}]
            status = STATUS_BY_CODE.get(errors[0].get("extensions", {}).get("code"), 400)
        response = Response(json_bytes(response_data), status, media_type=f"{media}; charset=utf-8")
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.background:
            response.background = sub_response.background
        return response


def _gzipped(app: ASGIApp) -> ASGIApp:
    """Answers of 16 KiB or more (GraphiQL's introspection of the schema, a long page) gzipped for clients
    that accept it; smaller ones, which are most, cost no compression."""
    return GZipMiddleware(app, minimum_size=16_384, compresslevel=5)


def is_request_error(result: ExecutionResult) -> bool:
    """Whether the result is a request error: nothing executed, so no error has a path in the data."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(error.path is None for error in errors)

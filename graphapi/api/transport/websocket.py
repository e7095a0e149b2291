"""The WebSocket protocols, strictly: every message is checked against its protocol's shape before it is
acted on, so junk closes the socket with the protocol's code (4400 Bad Request for graphql-transport-ws)
and never raises; ids are strings; an operation refused for capacity gets an error that carries a code.

graphql-transport-ws: https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md
graphql-ws (legacy, subscriptions only): its `start` and `stop` are checked the same way.
"""

from __future__ import annotations

from typing import Any, cast

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import Message, SubscribeMessage
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import OperationMessage, StartMessage

from graphapi.api.context import Context
from graphapi.api.transport.capacity import per_connection_refusal
from graphapi.errors import LimitReached

BAD_REQUEST = 4400
MAX_ID_CHARS = 128

_OPTIONAL_OBJECT = (dict, type(None))


def _problem_with_payload(payload: object) -> str | None:
    """What is wrong with an operation's payload (`query`, `variables`...), or None."""
    if not isinstance(payload, dict):
        return "`payload` must be an object with `query`"
    if not isinstance(payload.get("query"), str):
        return "`payload.query` must be a string"
    if not isinstance(payload.get("operationName"), str | None):
        return "`payload.operationName` must be a string or null"
    for name in ("variables", "extensions"):
        if not isinstance(payload.get(name), _OPTIONAL_OBJECT):
            return f"`payload.{name}` must be an object or null"
    return None


def _problem_with_id(message: dict[str, Any]) -> str | None:
    given = message.get("id")
    if not isinstance(given, str) or not given:
        return "`id` must be a non-empty string"
    if len(given) > MAX_ID_CHARS:
        return f"`id` must be at most {MAX_ID_CHARS} characters"
    return None


# graphql-transport-ws: the message types and what each must hold beyond `type`.
_TRANSPORT_TYPES = {"connection_init", "ping", "pong", "subscribe", "complete"}


def transport_ws_problem(message: object) -> str | None:
    """Why a graphql-transport-ws message is malformed, or None."""
    if not isinstance(message, dict):
        return "a message must be a JSON object"
    kind = message.get("type")
    if not isinstance(kind, str):
        return "a message needs a string `type`"
    if kind not in _TRANSPORT_TYPES:
        return f"unknown message type {kind[:40]!r}"
    if kind in ("connection_init", "ping", "pong"):
        if not isinstance(message.get("payload"), _OPTIONAL_OBJECT):
            return "`payload` must be an object or null"
        return None
    return _problem_with_id(message) or (
        _problem_with_payload(message.get("payload")) if kind == "subscribe" else None
    )


def legacy_ws_problem(message: object) -> str | None:
    """Why a graphql-ws (legacy) message is malformed, or None."""
    if not isinstance(message, dict):
        return "a message must be a JSON object"
    kind = message.get("type")
    if kind not in ("connection_init", "connection_terminate", "start", "stop"):
        return "unknown message type"
    if kind == "connection_init":
        return None if isinstance(message.get("payload"), _OPTIONAL_OBJECT) else "`payload` must be an object"
    if kind == "connection_terminate":
        return None
    return _problem_with_id(message) or (
        _problem_with_payload(message.get("payload")) if kind == "start" else None
    )


def coded_error(message: str, code: str) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code}}


class StrictTransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    async def handle_message(self, message: Message) -> None:
        problem = transport_ws_problem(message)
        if problem:
            await self.websocket.close(code=BAD_REQUEST, reason=problem)
            return
        if message["type"] == "connection_init" and message.get("payload") is None:
            message = cast(Message, {"type": "connection_init", "payload": {}})
        await super().handle_message(message)

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and message["id"] not in self.operations
            and limit is not None
            and len(self.operations) >= limit
        ):
            error = coded_error(per_connection_refusal(limit), LimitReached.code)
            await self.send_message(cast(Message, {"id": message["id"], "type": "error", "payload": [error]}))
            return
        await super().handle_subscribe(message)


class StrictLegacyWS(BaseGraphQLWSHandler[Context, None]):
    async def handle_message(self, message: OperationMessage) -> None:
        problem = legacy_ws_problem(message)
        if problem:
            await self.websocket.close(code=BAD_REQUEST, reason=problem)
            return
        await super().handle_message(message)

    async def handle_start(self, message: StartMessage) -> None:
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and message["id"] not in self.tasks
            and limit is not None
            and len(self.tasks) >= limit
        ):
            error = coded_error(per_connection_refusal(limit), LimitReached.code)
            await self.send_message(
                cast(OperationMessage, {"type": "error", "id": message["id"], "payload": error})
            )
            return
        await super().handle_start(message)

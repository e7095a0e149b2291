"""The short way through HTTP for a compiled query. A POST of plain JSON that accepts JSON (or GraphQL's
response type) is read here, and when the fast path (graphapi/api/transport/fast.py) answers it, the
view's own sub-response, context, result and response are made for it without Strawberry's request
handling (its adapters, the Content-Type parsed by the `email` package, its IDE and method checks),
about a third of a compiled query's own CPU. Anything else, or anything the fast path declines, goes the
whole way with the body it sent replayed, so its answer and its refusals are exactly the view's."""

from __future__ import annotations

from starlette.types import Message, Receive, Scope

from graphapi.api.transport.refusals import GRAPHQL_RESPONSE, JSON, negotiate

# The Content-Type values almost every client sends; any other spelling goes the whole way, whose parser
# takes it or words the refusal.
PLAIN_JSON = frozenset(
    {b"application/json", b"application/json; charset=utf-8", b"application/json;charset=utf-8"}
)
# Set on a request's scope when the fast path declined it here: the whole way does not try it again.
FAST_TRIED = "graphapi.fast_tried"
# With it, the event loop's time at which the request's time limit, started by the short way, runs out: the
# whole way has only what is left (one limit for the request, not one for each way).
DEADLINE = "graphapi.deadline"


def lane_media(scope: Scope) -> str | None:
    """The media type to answer in when the short way may take the request (a POST of plain JSON that
    accepts JSON or GraphQL's response type); None otherwise. The first of a repeated header counts, as
    Starlette's `Headers.get` has it."""
    if scope.get("method") != "POST":
        return None
    content_type: bytes | None = None
    accept: bytes | None = None
    for name, value in scope.get("headers", ()):
        if name == b"content-type" and content_type is None:
            content_type = value
        elif name == b"accept" and accept is None:
            accept = value
    if content_type is None or content_type.lower() not in PLAIN_JSON:
        return None
    media = negotiate(accept.decode("latin-1") if accept is not None else None)
    return media if media in (JSON, GRAPHQL_RESPONSE) else None


async def read_body(receive: Receive) -> tuple[list[Message], bytes | None]:
    """The messages to replay and the whole body; None for the body when a message other than a part of
    it came (a disconnect): the whole way then hears the body so far and that message. The parts are
    joined as they come, not kept as the messages they came in (a body sent a byte at a packet would
    otherwise hold a few hundred bytes a byte)."""
    received = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            so_far = {"type": "http.request", "body": bytes(received), "more_body": True}
            return ([so_far] if received else []) + [message], None
        received += message.get("body", b"")
        if not message.get("more_body", False):
            body = bytes(received)
            return [{"type": "http.request", "body": body, "more_body": False}], body


def replaying(messages: list[Message], receive: Receive) -> Receive:
    """`receive` with the messages already read given again first."""
    pending = list(messages)

    async def again() -> Message:
        return pending.pop(0) if pending else await receive()

    return again

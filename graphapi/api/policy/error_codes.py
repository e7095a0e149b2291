"""The error policy: every error carries `extensions.code`; unexpected ones are masked and logged with the
request id, so a client never sees a stack trace or an internal message (a socket path, a driver's text,
a query's name: those go to the log)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from graphapi.errors import GraphApiError, StoreError, Unavailable

log = logging.getLogger("graphapi.errors")
# What scalars and graphql-core raise for a value that does not coerce.
USER_FAULTS = (GraphQLError, ValueError, TypeError)
UNAVAILABLE_MESSAGE = "the database is not reachable or did not answer in time; try again shortly"


class ErrorCodes(MaskErrors):
    def __init__(self) -> None:
        super().__init__(error_message="Internal server error.")

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._with_code(error) for error in errors]

    def _with_code(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        request_id = getattr(self.execution_context.context, "request_id", None)
        if isinstance(original, Unavailable):
            log.warning("database unavailable [request %s] at %s: %s", request_id, error.path, original)
            public = GraphQLError(UNAVAILABLE_MESSAGE, error.nodes, path=error.path)
            return _coded(public, "UNAVAILABLE", {"code": "UNAVAILABLE", "requestId": request_id})
        if isinstance(original, GraphApiError) and not isinstance(original, StoreError):
            extensions: dict[str, Any] = {"code": original.code}
            argument = getattr(original, "argument", None)
            if argument:
                extensions["argument"] = argument
            return _coded(error, extensions["code"], extensions)
        if isinstance(original, InvalidOperationTypeError | CannotGetOperationTypeError):
            # An operation this transport does not run (a query or mutation sent as a legacy graphql-ws
            # subscription), or no operation to run: the request is at fault, and the message says so.
            message = (
                "this WebSocket protocol (graphql-ws) runs subscriptions only: send queries and mutations "
                "over HTTP, or use graphql-transport-ws"
                if isinstance(original, InvalidOperationTypeError)
                else original.as_http_error_reason()
            )
            return _coded(GraphQLError(message, error.nodes, path=error.path), "BAD_USER_INPUT")
        if original is None or (error.path is None and isinstance(original, USER_FAULTS)):
            # Syntax, validation and argument coercion errors (a bad Day, say): the request is at fault.
            # (Anything else raised before execution is a bug of ours, and masked below.)
            return _coded(error, (error.extensions or {}).get("code", "BAD_USER_INPUT"))
        log.error("unexpected error [request %s] at %s", request_id, error.path, exc_info=original)
        masked = self.anonymise_error(error)
        return _coded(masked, "INTERNAL", {"code": "INTERNAL", "requestId": request_id})


def _coded(error: GraphQLError, code: str, extensions: dict[str, Any] | None = None) -> GraphQLError:
    error.extensions = {**(error.extensions or {}), **(extensions or {"code": code})}
    return error


class RoundTrips(SchemaExtension):
    """Reports the request's database round-trips in the response's `extensions`; with `debug`, also the
    names of the queries (internal names, kept from clients otherwise)."""

    def __init__(self, *, debug: bool = False) -> None:
        super().__init__()
        self.debug = debug

    def on_operation(self) -> Iterator[None]:
        yield

    def get_results(self) -> dict[str, Any]:
        store = getattr(self.execution_context.context, "store", None)
        results: dict[str, Any] = {"dbRoundTrips": getattr(store, "round_trips", 0)}
        if self.debug:
            results["dbQueries"] = list(getattr(store, "sent", []))
        return results

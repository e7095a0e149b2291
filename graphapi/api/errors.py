"""The error policy: every error carries `extensions.code`; unexpected ones are masked and logged with the
request id, so a client never sees a stack trace or an internal message."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors, SchemaExtension

from graphapi.errors import GraphApiError, StoreError

log = logging.getLogger("graphapi.errors")


class ErrorCodes(MaskErrors):
    def __init__(self) -> None:
        super().__init__(error_message="Internal server error.")

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._with_code(error) for error in errors]

    def _with_code(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        request_id = getattr(self.execution_context.context, "request_id", None)
        if isinstance(original, GraphApiError) and not isinstance(original, StoreError):
            extensions: dict[str, Any] = {"code": original.code}
            argument = getattr(original, "argument", None)
            if argument:
                extensions["argument"] = argument
            return _coded(error, extensions["code"], extensions)
        if original is None or error.path is None:
            # Syntax, validation and argument coercion errors (a bad Day, say): the request is at fault.
            return _coded(error, (error.extensions or {}).get("code", "BAD_USER_INPUT"))
        log.error("unexpected error [request %s] at %s", request_id, error.path, exc_info=original)
        masked = self.anonymise_error(error)
        return _coded(masked, "INTERNAL", {"code": "INTERNAL", "requestId": request_id})


def _coded(error: GraphQLError, code: str, extensions: dict[str, Any] | None = None) -> GraphQLError:
    error.extensions = {**(error.extensions or {}), **(extensions or {"code": code})}
    return error


class RoundTrips(SchemaExtension):
    """Reports the request's database round-trips in the response's `extensions`."""

    def on_operation(self) -> Iterator[None]:
        yield

    def get_results(self) -> dict[str, Any]:
        store = getattr(self.execution_context.context, "store", None)
        return {
            "dbRoundTrips": getattr(store, "round_trips", 0),
            "dbQueries": list(getattr(store, "sent", [])),
        }

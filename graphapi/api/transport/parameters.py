"""A GraphQL-over-HTTP request's parameters from its decoded JSON (or query string), each of the type the
spec gives it, or a 4xx naming the one that is not. One operation per request (no batches)."""

from __future__ import annotations

from strawberry.http import GraphQLRequestData

from graphapi.api.transport.refusals import EVENT_STREAM, RequestError


def request_parameters(data: object, media: str) -> GraphQLRequestData:
    """The parameters of a request answered in `media` (negotiated from `Accept`)."""
    if isinstance(data, list):
        raise RequestError(400, "batches of operations are not supported: send one operation per request")
    if not isinstance(data, dict):
        raise RequestError(
            400,
            "the request must be a JSON object with `query` (and optionally "
            "`operationName`, `variables`, `extensions`)",
        )
    query = data.get("query")
    extensions = data.get("extensions")
    # a persisted document is named by its hash instead (graphapi/api/policy/documents.py)
    if query is None and not (isinstance(extensions, dict) and "persistedQuery" in extensions):
        raise RequestError(400, "the request has no `query`")
    if query is not None and not isinstance(query, str):
        raise RequestError(400, "`query` must be a string (the GraphQL document)")
    operation_name = data.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(400, "`operationName` must be a string or null")
    for name in ("variables", "extensions"):
        if data.get(name) is not None and not isinstance(data[name], dict):
            raise RequestError(400, f"`{name}` must be an object or null")
    return GraphQLRequestData(
        query=query,
        variables=data.get("variables"),
        operation_name=operation_name or None,  # "" is no name, as the spec has it for GET
        extensions=extensions,
        protocol="sse" if media == EVENT_STREAM else "http",
    )

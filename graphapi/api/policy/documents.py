"""Trusted documents: a client may send a document's SHA-256 instead of its text.

- Registered documents: a JSON file (GRAPHAPI_REGISTERED_DOCUMENTS) maps the hex SHA-256 of each
  document to its text, as frontend build tools write them. They are parsed, validated and checked
  against the limits once, when the service starts (a bad one stops it, naming its hash); a request
  naming one by hash (or sending its exact text) is neither parsed nor validated again (its cost is
  checked with the request's variables), and its compiled statements are cached like any other's.
- Automatic persisted queries (Apollo's protocol): `extensions.persistedQuery.sha256Hash` alone asks for
  a document sent before; unknown, the answer is the error PERSISTED_QUERY_NOT_FOUND and the client sends
  the text with its hash once, which the service checks and keeps where every process finds it
  (graphapi/api/policy/persisted.py: bounded, the least recently used out). A refusal for an unknown hash is
  PERSISTED_QUERY_NOT_FOUND whatever `operationName` the request names, since the name belongs to the
  document the client has yet to send.
- With GRAPHAPI_ONLY_REGISTERED_DOCUMENTS=true (production), only registered documents run: any other
  text, or an unregistered hash, is refused before parsing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate
from graphql.execution import ExecutionResult
from strawberry.extensions import SchemaExtension

from graphapi.api.policy.limits import check
from graphapi.api.policy.persisted import LocalPersisted, PersistedDocuments
from graphapi.config import Limits

PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
# What a refused request runs instead (its refusal is the answer): a valid document that reads nothing.
_PLACEHOLDER = parse("{ __typename }")

_HEX_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DocumentsError(ValueError):
    """A registered documents file that cannot be used; the message names the file and the hash."""


@dataclass
class Documents:
    """The registered documents (parsed, validated) and the documents clients persisted at run time."""

    only_registered: bool = False
    registered: Mapping[str, tuple[str, DocumentNode]] = field(default_factory=dict)
    # What clients persisted at run time: the process's own until the app's lifespan opens the shared one
    persisted: PersistedDocuments = field(default_factory=LocalPersisted)
    _registered_ids: set[int] = field(default_factory=set)

    def register(self, path: Path | None, schema: GraphQLSchema, limits: Limits | None = None) -> None:
        """Read, parse, validate and check against the limits the registered documents of `path` (a JSON
        object of documents by their SHA-256)."""
        texts: Any = {}
        if path is not None:
            try:
                texts = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise DocumentsError(f"{path}: not a JSON object of documents by hash ({exc})") from None
            if not isinstance(texts, dict):
                raise DocumentsError(f"{path}: not a JSON object of documents by hash")
        registered = {}
        for digest, text in texts.items():
            if not isinstance(text, str) or sha256(text) != digest.lower():
                raise DocumentsError(f"{path}: {digest[:80]!r} is not the SHA-256 of its document")
            try:
                document = parse(text)
            except GraphQLError as exc:
                raise DocumentsError(f"{path}: the document {digest} does not parse: {exc.message}") from None
            if errors := validate(schema, document):
                raise DocumentsError(f"{path}: the document {digest} is not valid: {errors[0].message}")
            if (refused := check(limits or Limits(), schema, document, {})) is not None:
                raise DocumentsError(f"{path}: the document {digest} is past a limit: {refused.message}")
            registered[digest.lower()] = (text, document)
        if self.only_registered and not registered:
            raise DocumentsError("only registered documents are allowed, and none is registered")
        self.registered = registered
        self._registered_ids = {id(document) for _, document in registered.values()}

    def prevalidated(self, document: DocumentNode) -> bool:
        """Whether `document` is a registered one (parsed and validated when the service started)."""
        return id(document) in self._registered_ids

    async def resolve(
        self, query: str | None, extensions: Mapping[str, Any] | None
    ) -> tuple[str | None, DocumentNode | None]:
        """The text to run (and its parsed document, when registered); GraphQLError to refuse."""
        persisted = (extensions or {}).get("persistedQuery")
        digest = persisted.get("sha256Hash") if isinstance(persisted, Mapping) else None
        if persisted is not None and not (isinstance(digest, str) and _HEX_SHA256.fullmatch(digest)):
            raise _refusal("`extensions.persistedQuery.sha256Hash` must be the hex SHA-256 of a document")
        if digest is not None:
            digest = digest.lower()
            if query is not None and sha256(query) != digest:
                raise _refusal("`extensions.persistedQuery.sha256Hash` is not the SHA-256 of the query")
            if digest in self.registered:
                return None, self.registered[digest][1]
            if self.only_registered:
                raise _refusal("no registered document has this hash", PERSISTED_QUERY_NOT_FOUND)
            if query is None:
                found = await self.persisted.get(digest)
                if found is None:
                    raise _refusal("PersistedQueryNotFound", PERSISTED_QUERY_NOT_FOUND)
                return found, None
            await self.persisted.put(digest, query)
            return query, None
        if self.registered and query is not None:
            known = self.registered.get(sha256(query))
            if known is not None:
                return None, known[1]
        if self.only_registered:
            raise _refusal(
                "only registered documents are accepted: send the SHA-256 of one in "
                "`extensions.persistedQuery.sha256Hash`",
                "FORBIDDEN",
            )
        return query, None


def _refusal(message: str, code: str = "BAD_USER_INPUT") -> GraphQLError:
    argument = {"argument": "extensions.persistedQuery"} if code == "BAD_USER_INPUT" else {}
    return GraphQLError(message, extensions={"code": code, **argument})


class TrustedDocuments(SchemaExtension):
    """Replaces a hash by its document before anything else runs; a refusal is the operation's answer."""

    def __init__(self, documents: Documents) -> None:
        super().__init__()
        self.documents = documents
        self.refusal: GraphQLError | None = None

    async def on_operation(self) -> AsyncIterator[None]:
        context = self.execution_context
        try:
            text, document = await self.documents.resolve(context.query, context.operation_extensions)
        except GraphQLError as refusal:
            self.refusal = refusal
            text, document = None, _PLACEHOLDER
        if document is not None:  # registered (or refused): nothing to parse; validated at start-up
            context.query, context.graphql_document = None, document
            if self.refusal is not None:
                context.pre_execution_errors = []
                # The placeholder runs instead of the client's document, whose operation name it lacks
                # (Strawberry keeps the name privately; a test fails if that changes).
                context._provided_operation_name = None
        else:
            context.query = text
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if self.refusal is not None and context.result is None:
            context.result = ExecutionResult(data=None, errors=[self.refusal])
        yield

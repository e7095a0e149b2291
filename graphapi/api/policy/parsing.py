"""Documents parsed so that they are freed as soon as they are dropped, not by the cycle collector."""

from __future__ import annotations

from graphql import DocumentNode, parse


def parse_document(text: str, max_tokens: int) -> DocumentNode:
    """graphql-core's parse, with its tokens' backward links cut. Its tokens link both ways, so every
    parsed document was a cycle of thousands of objects only the collector could free: after a burst
    of large documents (hostile ones, refused by the limits), a full collection freed them all at once
    and held the event loop for 120-480 ms (measured with the C allocator; 40-110 ms with Python's).
    Cut, a document is freed when its last reference goes, a little at a time. Errors' locations come
    from the nodes' offsets and the source, which stay; nothing reads a token's `prev` after parsing."""
    document = parse(text, max_tokens=max_tokens)
    token = document.loc.start_token if document.loc is not None else None
    while token is not None:
        token.prev = None
        token = token.next
    return document

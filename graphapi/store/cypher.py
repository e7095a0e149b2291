"""The value every Cypher statement is written as."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cypher:
    """One Cypher statement, the same text on every engine.

    Queries are module-level constants of this type so a test can collect every statement the app can
    send and run it through Neo4j's linter.
    """

    name: str
    text: str
    # Which engines the statement is sent to; dialect-specific statements name theirs.
    engines: frozenset[str] = frozenset({"neo4j", "falkordb"})

"""History is data: every change a seed load or a write through the API makes to a node is kept, with
each field's old and new value, when it was made and by what (a seed file, an API key), as a `Change`
node beside the graph (without the label `Node`, so only the `changes` query reaches it).

A load's changes are written in the load's own all-or-nothing unit; a write through the API records its
change right after the write lands (a failure to record it is logged, the write stands). The `changes`
query pages through them in the order they were made, the same changes the subscriptions announce.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from graphapi.graph.changes import ChangeKind
from graphapi.store.cypher import Cypher

# A value longer than this is kept cut, saying so (a source's text may run to megabytes).
MAX_VALUE_CHARS = 10_000
# Properties that are not the record's: who changed it (the change says so) and the search copy.
_NOT_FIELDS = frozenset({"searchText", "createdAt", "createdBy", "updatedAt", "updatedBy"})

RECORD = Cypher("write.record_changes", "UNWIND $rows AS row CREATE (c:Change) SET c = row")
# The API's changes also carry the database's own time (`seen`, ms): a seed load compares it with the time
# the database gave its files (`loadedSeen`), one clock for both (graphapi/seed/digests.py).
RECORD_API = Cypher(
    "write.record_api_changes", "UNWIND $rows AS row CREATE (c:Change) SET c = row, c.seen = timestamp()"
)

_FILTER = "($since IS NULL OR c.at >= $since) AND ($node IS NULL OR c.node = $node)"
PAGE = Cypher(
    "read.changes",
    f"MATCH (c:Change) WHERE {_FILTER} "
    "AND ($afterAt IS NULL OR c.at > $afterAt OR (c.at = $afterAt AND c.id > $afterId)) "
    "RETURN c.id AS id, c.at AS at, c.by AS by, c.kind AS kind, c.node AS node, c.label AS label, "
    "c.fields AS fields, c.olds AS olds, c.news AS news ORDER BY c.at, c.id LIMIT $limit",
)
COUNT = Cypher("read.changes_count", f"MATCH (c:Change) WHERE {_FILTER} RETURN count(c) AS total")


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str | None  # the value as JSON; None where the field had none
    new: str | None


@dataclass(frozen=True)
class Recorded:
    id: str
    at: str
    by: str
    kind: ChangeKind
    node: str
    label: str
    fields: tuple[FieldChange, ...]

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Recorded:
        olds, news = row.get("olds") or [], row.get("news") or []
        fields = tuple(
            FieldChange(name, _none(old), _none(new))
            for name, old, new in zip(row.get("fields") or [], olds, news, strict=True)
        )
        return cls(
            str(row["id"]), str(row["at"]), str(row["by"]), ChangeKind(row["kind"]), str(row["node"]),
            str(row["label"]), fields,
        )  # fmt: skip


@dataclass(frozen=True)
class NodeChange:
    """A node's change as a write works it out: its properties before (None: it is new) and after
    (None: it is gone), and its relationships' changes (`+TARGETS country:CA` made, `-...` removed,
    `~HOLDS office:x` changed)."""

    kind: ChangeKind
    node: str
    label: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    links: tuple[str, ...] = ()


def stamp() -> str:
    """When, to the microsecond: changes sort by it (then by their ids)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def rows(changes: Iterable[NodeChange], by: str, at: str | None = None) -> list[dict[str, Any]]:
    """The `Change` nodes of some node changes made together, in order."""
    at = at or stamp()
    out = []
    for i, change in enumerate(changes):
        fields, olds, news = field_changes(change.before, change.after, change.links)
        out.append(
            {
                "id": f"{at}#{i:06d}",
                "at": at,
                "by": by,
                "kind": change.kind.value,
                "node": change.node,
                "label": change.label,
                "fields": fields,
                "olds": olds,
                "news": news,
            }
        )
    return out


Fields = tuple[list[str], list[str], list[str]]


def field_changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, links: Iterable[str]
) -> Fields:
    """What a `Change` node lists of one node's change: its fields, their old and new values as JSON,
    and its relationships ("+REL dst" made, "-REL dst" removed, "~REL dst" changed)."""
    fields, olds, news = [], [], []
    before, after = before or {}, after or {}
    for name in sorted((before.keys() | after.keys()) - _NOT_FIELDS):
        if before.get(name) != after.get(name):
            fields.append(name)
            olds.append(_json(before.get(name)))
            news.append(_json(after.get(name)))
    for link in links:
        fields.append(link[1:])
        olds.append("" if link[0] == "+" else "true")
        news.append("" if link[0] == "-" else "true")
    return fields, olds, news


def _json(value: Any) -> str:
    """The value as JSON, cut past MAX_VALUE_CHARS; "" for none (neither engine stores a null in a list)."""
    if value is None:
        return ""
    kind = type(value)
    if kind is str:  # what json.dumps does with a str, without its encoder (a load writes millions)
        text = encode_basestring(value)
    elif kind is int:
        text = int.__repr__(value)
    else:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_VALUE_CHARS:
        return json.dumps({"cut": text[:MAX_VALUE_CHARS], "characters": len(text)}, ensure_ascii=False)
    return text


def _none(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


__all__ = [
    "COUNT",
    "PAGE",
    "RECORD",
    "RECORD_API",
    "FieldChange",
    "Fields",
    "NodeChange",
    "Recorded",
    "field_changes",
    "rows",
    "stamp",
]

"""Filtered, ordered, keyset-paged lists (actors, measures, statements, positions, events, sources): for
each list, one page query per anchors given, sort field and direction, one count per anchors given, and
the parts compiled statements are built from (graphapi/api/compiled/list_roots.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphapi.graph.node_record import NODE_FIELDS
from graphapi.store.cypher import Cypher


@dataclass(frozen=True)
class ListQuery:
    """A filtered list: one page query per (anchors given, sort field, descending), and one count per
    anchors given. An anchor is a filter naming a node (a speaker, an imposer): the query starts from
    that node through the id index instead of scanning every node of the label and testing each.

    `heads` are the page queries up to their LIMIT (the rows `n` and their sort key `k`), and `parts` the
    pieces they are made of, for statements that project the page themselves (graphapi/api/compiled/)."""

    name: str
    pages: dict[tuple[frozenset[str], str, bool], Cypher]
    counts: dict[frozenset[str], Cypher]
    anchors: frozenset[str]
    heads: dict[tuple[frozenset[str], str, bool], str]
    parts: ListParts

    def page(self, anchors: frozenset[str], field: str, descending: bool) -> Cypher:
        return self.pages[(anchors, field, descending)]

    def count(self, anchors: frozenset[str]) -> Cypher:
        return self.counts[anchors]


# A list's filter: the parameters it is given by, and its condition over `n` when any of them is set.
Filter = tuple[tuple[str, ...], str]

# The flag that widens the temporal filters from what is known to what is possible (`certainty:
# POSSIBLE`); a request without it asks for what is known only.
POSSIBLE = "possible"


def _optional(names: tuple[str, ...], condition: str) -> str:
    """The filter as one text serves every request: true when none of its parameters is set."""
    unset = " AND ".join(f"${name} IS NULL" for name in names)
    return f"({unset} OR {condition})" if len(names) == 1 else f"(({unset}) OR {condition})"


@dataclass(frozen=True)
class ListParts:
    start: str  # the pattern every variant begins with, such as `(n:Statement)`
    filters: tuple[Filter, ...]
    keys: Mapping[str, str]  # sort field -> sort key over `n`
    anchors: Mapping[str, str]  # anchor -> the pattern it adds after `(n)`
    anchor_where: Mapping[str, str]  # anchor -> its condition in the MATCH's WHERE, for some
    # a temporal filter's condition when only what is known is asked (no `$possible` branch to evaluate)
    known_only: Mapping[tuple[str, ...], str]

    @property
    def where(self) -> str:
        """The filters over `n` and parameters, each true when its parameters are not set."""
        return " AND ".join(_optional(names, condition) for names, condition in self.filters) or "true"

    def where_set(self, given: frozenset[str]) -> str:
        """The filters of the parameters `given` (set in this request; POSSIBLE when it asks for what is
        possible too) alone: what a compiled statement says, chosen by which filters are set. FalkorDB
        evaluates every `$x IS NULL OR ...` and `$possible AND ...` for every node it scans, so the text
        that serves every request costs several times more per node (20,000 measures: 5.1 ms against 1.4
        for one status)."""
        known = POSSIBLE not in given
        kept = [
            f"({self.known_only[names] if known and names in self.known_only else condition})"
            for names, condition in self.filters
            if given.intersection(names)
        ]
        return " AND ".join(kept) or "true"

    def match(self, used: frozenset[str], where: str) -> str:
        """From MATCH to `WITH n WHERE ...`: the anchors `used` in the MATCH, the filters after it."""
        patterns = [self.start] + [f"(n){self.anchors[a]}" for a in sorted(used)]
        conditions = [self.anchor_where[a] for a in sorted(used) if a in self.anchor_where]
        condition = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return f"MATCH {', '.join(patterns)}{condition} WITH n WHERE {where}"

    def keyset(self, field: str, descending: bool) -> str:
        """From `WITH n` on: the sort key `k`, the rows after the cursor, the page in order, `$limit` rows."""
        op, direction = ("<", "DESC") if descending else (">", "ASC")
        return (
            f"WITH n, {self.keys[field]} AS k "
            f"WHERE $afterId IS NULL OR k {op} $afterKey OR (k = $afterKey AND n.id {op} $afterId) "
            f"WITH n, k ORDER BY k {direction}, n.id {direction} LIMIT $limit"
        )


def _subsets(names: list[str]) -> list[frozenset[str]]:
    return [frozenset(n for i, n in enumerate(names) if mask >> i & 1) for mask in range(2 ** len(names))]


def list_query(
    name: str,
    start: str,
    filters: tuple[Filter, ...],
    keys: Mapping[str, str],
    anchors: dict[str, str] | None = None,
    anchor_where: dict[str, str] | None = None,
    known_only: dict[tuple[str, ...], str] | None = None,
) -> ListQuery:
    """`start` is the pattern every variant begins with, such as `(n:Statement)`; each anchor in use adds
    `(n)<its pattern>` to the same MATCH (and its `anchor_where` condition, for an anchor on several nodes,
    to that MATCH's WHERE). The other filters come after a WITH: in the MATCH's own WHERE they lead
    FalkorDB's planner to scan every node of the label instead of starting from the anchors (measured:
    69 ms instead of 0.4 ms on 100,000 statements)."""
    anchors = anchors or {}
    anchor_where = anchor_where or {}
    parts = ListParts(start, filters, keys, anchors, anchor_where, known_only or {})
    pages, counts, heads = {}, {}, {}
    for used in _subsets(sorted(anchors)):
        match = parts.match(used, parts.where)
        suffix = "".join(f"_{a.lower()}" for a in sorted(used))
        counts[used] = Cypher(f"read.{name}{suffix}_count", f"{match} RETURN count(n) AS total")
        for field in keys:
            for descending in (False, True):
                head = f"{match} {parts.keyset(field, descending)}"
                heads[(used, field, descending)] = head
                pages[(used, field, descending)] = Cypher(
                    f"read.{name}{suffix}_page_by_{field.lower()}{'_desc' if descending else ''}",
                    f"{head} RETURN k AS sortKey, {NODE_FIELDS}",
                )
    return ListQuery(name, pages, counts, frozenset(anchors), heads, parts)

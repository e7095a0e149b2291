"""A node as every read returns it (the `NODE_FIELDS` of a RETURN)."""

from __future__ import annotations

# What a node record is everywhere in the API: its properties and its outgoing relationships. A source's
# text and the full-text index's copy of it can be megabytes; they are left out and read on their own
# (SOURCE_TEXTS, EXCERPTS) when a client asks for them. Properties come as [key, value] pairs.
HEAVY_PROPERTIES = ("text", "searchText")
_HEAVY = ", ".join(f"'{key}'" for key in HEAVY_PROPERTIES)
NODE_FIELDS = (
    "n.id AS id, labels(n) AS labels, "
    f"[k IN keys(n) WHERE NOT k IN [{_HEAVY}] | [k, n[k]]] AS props, "
    "[(n)-[r]->(m:Node) | {type: type(r), dst: m.id, props: properties(r)}] AS out"
)

"""The Cypher of single edits (API mutations): each is one statement that checks what it relies on and
writes only when every check holds, so a concurrent change cannot slip between a check and its write.
FalkorDB runs each statement atomically; Neo4j runs it in one transaction.

An edit statement returns one row when it wrote and none when it did not (a check failed, or the node
already says exactly this); the write service then asks the matching diagnosis read which it was.
"""

from __future__ import annotations

from graphapi.graph.claims import API_OWNER, has_claims, write_claim
from graphapi.graph.kinds import CONDITION_PROPERTIES, KINDS, TENURE, Kind
from graphapi.store.cypher import Cypher

# A claim written through the API (claims.is_api_owner), as Cypher.
API_CLAIM = f"(c.owner = '{API_OWNER}' OR c.owner STARTS WITH '{API_OWNER} ')"

# Properties an upsert keeps as they are; they record who made and last changed a node through the API.
AUDIT = ("createdAt", "createdBy", "updatedAt", "updatedBy")

# Every target exists, and every span is its source's text: the checks of a node or tenure upsert.
_CHECKED = (
    "OPTIONAL MATCH (src:Source {id: $source}) "
    "WITH src "
    "OPTIONAL MATCH (t:Node) WHERE t.id IN $targets "
    "WITH src, collect(DISTINCT t) AS ts "
    "WHERE size(ts) = size($targets) "
    "AND all(s IN $spans WHERE src IS NOT NULL AND substring(src.text, s.start, s.end - s.start) = s.quote) "
)

# The node already holds these properties and exactly these owned relationships. Always true or false,
# never null: a property the node lacks compares as null (`null = 'Q42'` is null, and `all` over a null is
# null), which would make the statement neither write nor count as the same; `coalesce` makes it "differs".
_SAME = (
    "n IS NOT NULL "
    "AND all(k IN keys($props) WHERE coalesce(n[k] = $props[k], false)) "
    "AND all(k IN keys(n) WHERE k IN $audit OR k IN keys($props)) "
    "AND size([(n)-[o]->(:Node) WHERE type(o) IN $owned | 1]) = size($keys) "
    "AND all(k IN [(n)-[o]->(m:Node) WHERE type(o) IN $owned | type(o) + ' ' + m.id] WHERE k IN $keys)"
)

# A source's text cannot change while facts quote it by position: their spans would no longer hold.
_QUOTED = (
    "(size([(n)<-[:QUOTED_IN|EVIDENCE_IN]-(:Node) | 1]) > 0 "
    "OR size([(:Person)-[h:HOLDS]->(:Office) WHERE h.evidenceSource = n.id | 1]) > 0)"
)
_TEXT_LOCKED = f"(n IS NOT NULL AND n.checksum <> $props.checksum AND {_QUOTED})"


def _create_links(kind: Kind) -> str:
    """One branch per relationship type the kind owns: types are fixed text, never parameters."""
    if not kind.owned:
        return ""
    branches = " ".join(
        f"FOREACH (_ IN CASE WHEN link.type = '{rel.value}' THEN [1] ELSE [] END "
        f"| CREATE (x)-[:{rel.value}]->(m))"
        for rel in kind.owned
    )
    return f"FOREACH (link IN $links | FOREACH (m IN [t IN ts WHERE t.id = link.dst] | {branches}))"


def _upsert(kind: Kind, claimed: str = "") -> Cypher:
    """A node's checked upsert. `claimed` ("state" or "retract"): a record several sources may state, written
    as the claims make it once the API's claim of a source is in ("state") or out ("retract")
    (graphapi/graph/api_claims.py): the other claims must be those the node was worked out from, the write
    goes ahead when the node or the API's claim differs, and the claim is written with the node."""
    # (FalkorDB needs pattern comprehensions projected by WITH, not inside its WHERE.)
    locked = _TEXT_LOCKED if kind.prefix == "source" else "false"
    others = ""
    if claimed:
        others = (
            _OTHERS.format(carried="ts")
            + f"WHERE {_OTHERS_SAME} OPTIONAL MATCH (own:Claim {{key: $claim.key}}) "
        )
    skip = {
        "": f"WITH ts, n, {_SAME} AS same, {locked} AS locked WHERE NOT same AND NOT locked ",
        "state": f"WITH ts, n, {_SAME} AS same, {_CLAIM_SAME} AS claimSame WHERE NOT (same AND claimSame) ",
        "retract": f"WITH ts, n, own, {_SAME} AS same WHERE n IS NOT NULL AND NOT (same AND own IS NULL) "
        "FOREACH (k IN CASE WHEN own IS NULL THEN [] ELSE [own] END | DELETE k) ",
    }[claimed]
    names = {"": "edit.upsert_", "state": "edit.upsert_claimed_", "retract": "edit.retract_claim_"}
    return Cypher(
        names[claimed] + kind.prefix,
        _CHECKED
        + others
        + "OPTIONAL MATCH (n:Node {id: $id}) "
        + skip
        + f"MERGE (x:Node {{id: $id}}) ON CREATE SET x:{':'.join(kind.labels[1:])} "
        "WITH ts, x, n IS NULL AS created, x.createdAt AS createdAt, x.createdBy AS createdBy "
        "SET x = $props "
        "SET x.createdAt = coalesce(createdAt, $now), x.createdBy = coalesce(createdBy, $who), "
        "x.updatedAt = $now, x.updatedBy = $who "
        "WITH ts, x, created "
        "OPTIONAL MATCH (x)-[old]->(:Node) WHERE type(old) IN $owned DELETE old "
        "WITH DISTINCT ts, x, created "
        f"{_create_links(kind)} "
        + (
            f"MERGE (k:Claim {{key: $claim.key}}) {write_claim('k', '$claim', 'created, k')} "
            if claimed == "state"
            else ""
        )
        + "RETURN created",
    )


# --- records several sources may state: the node the claims make, and the API's claim ---------------

# The claims of the record but the API's of this source, as `key|reported|data` (api_claims.fingerprint)...
_OTHERS = (
    "OPTIONAL MATCH (c:Claim) WHERE c.record = $id AND c.key <> $claim.key "
    "WITH {carried}, collect(c.key + '|' + c.reported + '|' + c.data) AS others "
)
# ...are still those the node was worked out from (else a load or write came between: work it out again).
_OTHERS_SAME = "size(others) = size($others) AND all(o IN others WHERE o IN $others)"
# The API's claim already says this.
_CLAIM_SAME = "coalesce(own.data = $claim.data AND own.reported = $claim.reported, false)"

UPSERTS: dict[str, Cypher] = {kind.prefix: _upsert(kind) for kind in KINDS}

CLAIMED_UPSERTS: dict[str, Cypher] = {
    kind.prefix: _upsert(kind, "state") for kind in KINDS if has_claims(kind)
}
# The node as the other claims make it, the API's claim of a source taken back.
RETRACTS: dict[str, Cypher] = {kind.prefix: _upsert(kind, "retract") for kind in KINDS if has_claims(kind)}

# Why an upsert did not write: the targets that exist, the spans that hold, whether the node exists and
# already says this, whether a source's text is locked by what quotes it.
# Why a checked write did not write: the targets that exist, the spans that do not hold.
_DIAGNOSED = (
    "OPTIONAL MATCH (src:Source {id: $source}) "
    "WITH src "
    "OPTIONAL MATCH (t:Node) WHERE t.id IN $targets "
    "WITH src, collect(DISTINCT t.id) AS found "
)
_BAD_SPANS = (
    "[i IN range(0, size($spans) - 1) WHERE src IS NULL "
    "OR substring(src.text, $spans[i].start, $spans[i].end - $spans[i].start) <> $spans[i].quote] AS badSpans"
)

# ...and whether the node exists and already says this, whether a source's text is locked by what quotes it.
UPSERT_DIAGNOSIS = Cypher(
    "edit.upsert_diagnosis",
    _DIAGNOSED + "OPTIONAL MATCH (n:Node {id: $id}) "
    f"RETURN found, src IS NOT NULL AS sourceExists, {_BAD_SPANS}, "
    f"n IS NOT NULL AS exists, {_SAME} AS same, "
    f"CASE WHEN n IS NULL OR $props.checksum IS NULL THEN false ELSE {_TEXT_LOCKED} END AS locked",
)

# ...and whether the other claims are still those the write was worked out from, and the API's claim
# already says this; the API's claim as it now stands (api_claims.fingerprint), to tell a concurrent
# writer of the same claim from a statement and diagnosis that disagree.
CLAIMED_DIAGNOSIS = Cypher(
    "edit.upsert_claimed_diagnosis",
    _DIAGNOSED
    + _OTHERS.format(carried="src, found")
    + "OPTIONAL MATCH (own:Claim {key: $claim.key}) OPTIONAL MATCH (n:Node {id: $id}) "
    f"RETURN found, src IS NOT NULL AS sourceExists, {_BAD_SPANS}, "
    f"n IS NOT NULL AS exists, {_SAME} AS same, false AS locked, "
    f"{_OTHERS_SAME} AS othersSame, {_CLAIM_SAME} AS claimSame, own IS NULL AS claimGone, "
    "CASE WHEN own IS NULL THEN null ELSE own.key + '|' + own.reported + '|' + own.data END AS ownNow",
)

# The API's claim of a node that is gone already.
DROP_CLAIM = Cypher("edit.drop_claim", "MATCH (c:Claim {key: $key}) DELETE c")

# --- tenures: a relationship with a record of its own ------------------------------------------------

_TENURE_SAME = (
    "h IS NOT NULL AND all(k IN keys($props) WHERE coalesce(h[k] = $props[k], false)) "
    "AND all(k IN keys(h) WHERE k IN $audit OR k IN keys($props))"
)

SET_TENURE = Cypher(
    "edit.set_tenure",
    _CHECKED + "MATCH (p:Person {id: $holder}) MATCH (o:Office {id: $office}) "
    f"OPTIONAL MATCH (p)-[h:{TENURE.rel.value}]->(o) "
    f"WITH p, o, h, {_TENURE_SAME} AS same WHERE NOT same "
    f"MERGE (p)-[x:{TENURE.rel.value}]->(o) "
    "WITH x, h IS NULL AS created, x.createdAt AS createdAt, x.createdBy AS createdBy "
    "SET x = $props "
    "SET x.createdAt = coalesce(createdAt, $now), x.createdBy = coalesce(createdBy, $who), "
    "x.updatedAt = $now, x.updatedBy = $who "
    "RETURN created",
)

TENURE_DIAGNOSIS = Cypher(
    "edit.tenure_diagnosis",
    _DIAGNOSED + "OPTIONAL MATCH (:Person {id: $holder})-[h:HOLDS]->(:Office {id: $office}) "
    f"RETURN found, src IS NOT NULL AS sourceExists, {_BAD_SPANS}, "
    f"h IS NOT NULL AS exists, {_TENURE_SAME} AS same, false AS locked",
)

REMOVE_TENURE = Cypher(
    "edit.remove_tenure",
    f"MATCH (:Person {{id: $holder}})-[h:{TENURE.rel.value}]->(:Office {{id: $office}}) "
    "DELETE h RETURN count(*) AS removed",
)

# --- deletes -------------------------------------------------------------------------------------

# What refers to a set of nodes from outside it: relationships, and tenures citing a source as evidence
# (`CITES`: a tenure is a relationship, so its evidence names its source by id; `via` is its office). The
# filter on the referrer comes after a WITH: in the MATCH, it leads FalkorDB to scan every node for each id
# (measured: 50 ids of a graph of 20,000 statements, 7.8 s instead of milliseconds).
REFERRERS = Cypher(
    "edit.referrers",
    "UNWIND $ids AS id MATCH (d:Node {id: id})<-[r]-(s:Node) WITH d, r, s WHERE NOT s.id IN $ids "
    "RETURN s.id AS src, labels(s) AS labels, type(r) AS rel, d.id AS dst, null AS via "
    "UNION "
    "MATCH (p:Person)-[h:HOLDS]->(o:Office) WHERE h.evidenceSource IN $ids "
    "RETURN p.id AS src, labels(p) AS labels, 'CITES' AS rel, h.evidenceSource AS dst, o.id AS via",
)

# The outgoing relationships of nodes, to tell which of them still stand once others are gone.
_CONDITIONS = "{" + ", ".join(f"{name}: n.{name}" for name in CONDITION_PROPERTIES) + "}"
OUTGOING = Cypher(
    "edit.outgoing",
    "UNWIND $ids AS id MATCH (n:Node {id: id})-[r]->(m:Node) "
    f"RETURN n.id AS src, type(r) AS rel, m.id AS dst, {_CONDITIONS} AS conditions",
)

# Deletes the nodes only if what refers to them from outside is still what the service saw; tenures
# citing a deleted source go with it (their evidence would point nowhere).
DELETE_NODES = Cypher(
    "edit.delete_nodes",
    "MATCH (d:Node) WHERE d.id IN $ids "
    "WITH collect(d) AS doomed "
    "WHERE size(doomed) = size($ids) "
    "UNWIND doomed AS d "
    "OPTIONAL MATCH (d)<-[r]-(s:Node) WHERE NOT s.id IN $ids "
    "WITH doomed, collect(s.id + ' ' + type(r) + ' ' + d.id) AS incoming "
    "WHERE size(incoming) = size($expected) AND all(e IN incoming WHERE e IN $expected) "
    "OPTIONAL MATCH (:Person)-[h:HOLDS]->(:Office) WHERE h.evidenceSource IN $ids "
    "WITH doomed, collect(h) AS citing "
    "WHERE $dropCiting OR size(citing) = 0 "
    # the API's claims of the nodes go with them; the seed files' stay, as the files still state them
    f"OPTIONAL MATCH (c:Claim) WHERE c.record IN $ids AND {API_CLAIM} "
    "WITH doomed, citing, collect(c) AS claims "
    "FOREACH (c IN claims | DELETE c) "
    "FOREACH (h IN citing | DELETE h) "
    "FOREACH (d IN doomed | DETACH DELETE d) "
    "RETURN size(doomed) AS deleted",
)

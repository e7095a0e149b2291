"""The Cypher the read API sends.

List queries return whole node records (`NODE_FIELDS`) so the per-request node loader can be primed with
them, and page by keyset: each row carries its sort key, and a cursor is (key, id) of the last row seen, so
a page costs the same wherever it starts. Every list has one text per sort field and direction, generated
here from an allow-list; optional filters are `$x IS NULL OR ...`, so one text serves every combination.
"""

from __future__ import annotations

from graphapi.graph.kinds import BY_PREFIX, actor_orderings
from graphapi.graph.list_queries import list_query
from graphapi.graph.model import Rel
from graphapi.graph.node_record import NODE_FIELDS
from graphapi.graph.temporal import IN_FORCE_ON, KNOWN_IN_FORCE, KNOWN_IN_RANGE, POSSIBLY_IN_RANGE
from graphapi.store.cypher import Cypher

NODE_RECORD = "RETURN " + NODE_FIELDS

NODES_BY_ID = Cypher("read.nodes_by_id", "MATCH (n:Node) WHERE n.id IN $ids " + NODE_RECORD)

EXISTING_IDS = Cypher("read.existing_ids", "MATCH (n:Node) WHERE n.id IN $ids RETURN n.id AS id")

COUNT_NODES = Cypher("read.count_nodes", "MATCH (n:Node) RETURN count(n) AS nodes")

# Every node's id and who made it through the API (`seed diff`: what no file states).
NODE_MAKERS = Cypher("read.node_makers", "MATCH (n:Node) RETURN n.id AS id, n.createdBy AS createdBy")

# The measures that are part of these (PART_OF), for positions on a measure and its parts.
PARTS_OF = Cypher(
    "read.parts_of",
    "MATCH (part:Node)-[:PART_OF]->(whole:Node) WHERE whole.id IN $ids "
    "RETURN whole.id AS whole, part.id AS id ORDER BY whole.id, part.id",
)

# Positions of some actors on some measures or events: the cells of a side-by-side comparison.
POSITIONS_OF_ON = Cypher(
    "read.positions_of_on",
    "MATCH (a:Node)<-[:HELD_BY]-(p:Position)-[:ON]->(m:Node) WHERE a.id IN $actors AND m.id IN $on "
    "RETURN a.id AS actor, m.id AS on, p.id AS id ORDER BY a.id, m.id, p.id",
)

# The claims stored of these records, oldest source first (graphapi/graph/claims.py).
CLAIMS_OF = Cypher(
    "read.claims_of",
    "MATCH (c:Claim) WHERE c.record IN $ids "
    "RETURN c.key AS key, c.record AS record, c.owner AS owner, c.source AS source, "
    "c.reported AS reported, c.data AS data ORDER BY c.record, c.reported, c.owner",
)
# Every node, the API keys' included: what the command line reports of the database it uses.
COUNT_EVERY_NODE = Cypher("read.count_every_node", "MATCH (n) RETURN count(n) AS nodes")

# Everything about the nodes a load touches, every property included, to compare with the seed.
CURRENT_STATE = Cypher(
    "read.current_state",
    "MATCH (n:Node) WHERE n.id IN $ids "
    "RETURN n.id AS id, properties(n) AS props, "
    "[(n)-[r]->(m:Node) | {type: type(r), dst: m.id, props: properties(r)}] AS out",
)

SOURCE_TEXTS = Cypher(
    "read.source_texts", "MATCH (n:Source) WHERE n.id IN $ids RETURN n.id AS id, n.text AS text"
)

# The text around quotes, cut by the engine, so a long source never travels whole for a few lines of it.
EXCERPTS = Cypher(
    "read.excerpts",
    "UNWIND $spans AS s MATCH (n:Source {id: s.source}) "
    "RETURN s.key AS key, substring(n.text, s.from, s.start - s.from) AS before, "
    "substring(n.text, s.start, s.end - s.start) AS quote, substring(n.text, s.end, s.chars) AS after, "
    "size(n.text) AS length",
)

# The nodes pointing at each of several nodes by one relationship type, in id order, at most $limit per
# node (each key slices its own `limit` of that): one statement per type, and per property filter, since a
# fixed type and a fixed property let the engine walk only those relationships and stop at the limit
# (measured on a node with 10,000 statements: 2 ms, against 80 ms with the type as a parameter).
INCOMING_FILTERS = (None, "stance")


def _incoming(rel: Rel, prop: str | None) -> Cypher:
    where = f"WHERE m.{prop} = k.value " if prop else ""
    return Cypher(
        f"read.incoming_{rel.value.lower()}" + (f"_by_{prop}" if prop else ""),
        "UNWIND $keys AS k "
        f"CALL {{ WITH k MATCH (:Node {{id: k.id}})<-[:{rel.value}]-(m:Node) {where}"
        "RETURN m.id AS src ORDER BY src LIMIT $limit } "
        "WITH k, collect(src) AS srcs "
        "RETURN k.key AS key, srcs[0..k.limit] AS srcs",
    )


INCOMING: dict[tuple[Rel, str | None], Cypher] = {
    (rel, prop): _incoming(rel, prop) for rel in Rel for prop in INCOMING_FILTERS
}


# Sort keys come from the kind registry (graphapi/graph/kinds.py).
ACTORS = list_query(
    "actors",
    "(n:Actor)",
    ((("label",), "$label IN labels(n)"), (("nameContains",), "toLower(n.name) CONTAINS $nameContains")),
    actor_orderings(),
)

# "In force on a day" keeps what is known to be, and with $possible what may be (graphapi/graph/temporal.py).
MEASURES = list_query(
    "measures",
    "(n:Measure)",
    (
        (("status",), "n.status = $status"),
        (("kind",), "n.kind = $kind"),
        (("sector",), "$sector IN n.sectors"),
        (("inForceOn",), IN_FORCE_ON),
    ),
    BY_PREFIX["measure"].orderings,
    {"imposedBy": "-[:IMPOSED_BY]->(:Node {id: $imposedBy})", "target": "-[:TARGETS]->(:Node {id: $target})"},
    known_only={("inForceOn",): KNOWN_IN_FORCE},
)

STATEMENTS = list_query(
    "statements",
    "(n:Statement)",
    (
        (("direct",), "n.direct = $direct"),
        (("saidFrom",), "n.saidOnEnd >= $saidFrom"),
        (("saidTo",), "n.saidOnStart <= $saidTo"),
    ),
    BY_PREFIX["statement"].orderings,
    {"by": "-[:SAID_BY]->(:Node {id: $by})", "about": "-[:ABOUT]->(:Node {id: $about})"},
)

POSITIONS = list_query(
    "positions",
    "(n:Position)",
    (
        (("stance",), "n.stance = $stance"),
        (("minConfidence",), "n.confidence >= $minConfidence"),
        (("basis",), "coalesce(n.basis, 'STATEMENT') = $basis"),
    ),
    BY_PREFIX["position"].orderings,
    # on the measures or events named (by id, or found by words), and by an actor
    {"on": "-[:ON]->(target:Node)", "actor": "-[:HELD_BY]->(:Node {id: $actor})"},
    anchor_where={"on": "target.id IN $on"},
)

# Events whose date is known to fall in the range, and with $possible those whose date may (the rules of
# graphapi/graph/temporal.py over the event's first possible day and the last of its end, or of its date).
_EVENT_DAYS = {"firstDay": "n.dateStart", "lastDay": "coalesce(n.endEnd, n.dateEnd)"}


def _over_event(rule: str) -> str:
    for name, value in _EVENT_DAYS.items():
        rule = rule.replace(name, value)
    return rule


EVENTS = list_query(
    "events",
    "(n:Event)",
    (
        (("kind",), "n.kind = $kind"),
        (("status",), "n.status = $status"),
        (
            ("from", "to"),
            f"(n.dateStart IS NOT NULL AND (({_over_event(KNOWN_IN_RANGE)}) "
            f"OR ($possible AND {_over_event(POSSIBLY_IN_RANGE)})))",
        ),
    ),
    BY_PREFIX["event"].orderings,
    {"participant": "-[:PARTICIPANT]->(:Node {id: $participant})"},
    known_only={("from", "to"): f"n.dateStart IS NOT NULL AND {_over_event(KNOWN_IN_RANGE)}"},
)

SOURCES = list_query("sources", "(n:Source)", (), BY_PREFIX["source"].orderings)

LISTS = {"actors": ACTORS, "measures": MEASURES, "statements": STATEMENTS, "positions": POSITIONS,
         "events": EVENTS, "sources": SOURCES}  # fmt: skip

# --- graph walks ---------------------------------------------------------------------------------

# Variable-length patterns need a literal bound; the caller's depth is applied with length(p).
MAX_WALK = 10

RETALIATION_CHAIN = Cypher(
    "read.retaliation_chain",
    f"MATCH p = (:Node {{id: $id}})-[:RETALIATES_AGAINST*1..{MAX_WALK}]->(:Measure) "
    "WHERE $against AND length(p) <= $maxDepth "
    "UNWIND relationships(p) AS r RETURN DISTINCT startNode(r).id AS src, endNode(r).id AS dst "
    "UNION "
    f"MATCH p = (:Node {{id: $id}})<-[:RETALIATES_AGAINST*1..{MAX_WALK}]-(:Measure) "
    "WHERE $by AND length(p) <= $maxDepth "
    "UNWIND relationships(p) AS r RETURN DISTINCT startNode(r).id AS src, endNode(r).id AS dst",
)

RETALIATIONS = Cypher(
    "read.retaliations",
    "MATCH (a:Measure)-[:RETALIATES_AGAINST]->(b:Measure) "
    "RETURN a.id AS src, b.id AS dst ORDER BY src, dst LIMIT $limit",
)

# One hop from many nodes at once: a breadth-first walk sends one of these per level.
NEIGHBOURS = Cypher(
    "read.neighbours",
    "UNWIND $ids AS id "
    "MATCH (n:Node {id: id})-[r]-(m:Node) WHERE $types IS NULL OR type(r) IN $types "
    "RETURN id AS origin, type(r) AS type, startNode(r).id AS src, endNode(r).id AS dst, m.id AS other "
    "LIMIT $limit",
)

# --- timelines -----------------------------------------------------------------------------------

# An actor's timeline is keyset-paged like every list: each entry has a sort key that orders it (dated
# entries first, by their first possible day, a vaguer date before a precise one on the same day; then the
# undated, in the order of the source text), and each part of the timeline is read from its key on, in key
# order, a page at a time, so a page costs the same whatever the actor's total activity.
# (As graphapi/graph/timeline.py ranks them: a date known only by its bounds with a year.)
_PRECISION_RANK = (
    "CASE precision WHEN 'YEAR' THEN '0' WHEN 'RANGE' THEN '0' WHEN 'MONTH' THEN '1' ELSE '2' END"
)
TIMELINE_KEY = (
    "CASE WHEN firstDay IS NULL THEN '1|' + right('0000000000' + toString(coalesce(position, 0)), 10) "
    f"ELSE '0|' + firstDay + '|' + {_PRECISION_RANK} END + '|' + n.id + '|' + kind"
)
# Dated entries known to fall in the range, and with $possible those that may.
_IN_RANGE = (
    "WHERE (firstDay IS NULL AND $undated) "
    f"OR (firstDay IS NOT NULL AND (({KNOWN_IN_RANGE}) OR ($possible AND {POSSIBLY_IN_RANGE}))) "
)
_FIRST_SPAN = (
    "reduce(m = null, x IN coalesce(n.evidenceStarts, []) | CASE WHEN m IS NULL OR x < m THEN x ELSE m END)"
)
# (n, kind, field, first, last, precision, position) for each part: what the actor said, the events it
# took part in, and the measures it imposed (one entry per date the measure has, or one undated).
_STATEMENTS_PART = (
    "MATCH (:Node {id: $actor})<-[:SAID_BY]-(n:Statement) "
    "WITH n, 'STATEMENT' AS kind, 'saidOn' AS field, n.saidOnStart AS firstDay, n.saidOnEnd AS lastDay, "
    "n.timelineKey AS key "
)
_TIMELINE_PARTS = (
    "MATCH (:Node {id: $actor})<-[:PARTICIPANT]-(n:Event) "
    "WITH n, 'EVENT' AS kind, 'date' AS field, n.dateStart AS firstDay, n.dateEnd AS lastDay, "
    f"n.datePrecision AS precision, {_FIRST_SPAN} AS position ",
    "MATCH (:Node {id: $actor})<-[:IMPOSED_BY]-(n:Measure) "
    "WITH n, [p IN [['MEASURE_ANNOUNCED', 'announcedOn'], ['MEASURE_EFFECTIVE', 'effectiveFrom'], "
    "['MEASURE_ENDED', 'effectiveTo']] WHERE n[p[1] + 'Start'] IS NOT NULL] AS dated "
    "UNWIND CASE WHEN size(dated) = 0 THEN [['MEASURE', null]] ELSE dated END AS p "
    "WITH n, p[0] AS kind, p[1] AS field, "
    "CASE WHEN p[1] IS NULL THEN null ELSE n[p[1] + 'Start'] END AS firstDay, "
    "CASE WHEN p[1] IS NULL THEN null ELSE n[p[1] + 'End'] END AS lastDay, "
    "CASE WHEN p[1] IS NULL THEN null ELSE n[p[1] + 'Precision'] END AS precision, "
    f"{_FIRST_SPAN} AS position ",
)
_PAGE = (
    "WHERE $after IS NULL OR key > $after "
    "WITH n, kind, field, key ORDER BY key LIMIT $limit "
    f"RETURN key, kind, field, {NODE_FIELDS}"
)
TIMELINE_PAGE = Cypher(
    "read.timeline_page",
    " UNION ALL ".join(
        [_STATEMENTS_PART + _IN_RANGE + "WITH n, kind, field, key " + _PAGE]
        + [
            part + _IN_RANGE + f"WITH n, kind, field, {TIMELINE_KEY} AS key " + _PAGE
            for part in _TIMELINE_PARTS
        ]
    ),
)
# The whole timeline in one statement (graphapi/api/compiled/roots.py): the same parts and the tenures
# (which the resolvers read from the person's record and merge in Python,
# graphapi/api/queries/actor_timeline.py), each row the entry's node `n`, its `kind`, its sort `key` and
# its date `dm`: the stored date of `field` on its node, or on the tenure's relationship, as a map of the
# properties DateInterval.from_props reads, under `v`.
_TENURES_PART = (
    "MATCH (:Node {id: $actor})-[h:HOLDS]->(n:Office) "
    "WITH n, h, [p IN [['TENURE_STARTED', 'from'], ['TENURE_ENDED', 'to']] "
    "WHERE h[p[1]] IS NOT NULL OR h[p[1] + 'Precision'] IS NOT NULL] AS dated "
    "UNWIND CASE WHEN size(dated) = 0 THEN [['TENURE', null]] ELSE dated END AS p "
    "WITH n, h, p[0] AS kind, p[1] AS field, "
    "CASE WHEN p[1] IS NULL THEN null ELSE h[p[1] + 'Start'] END AS firstDay, "
    "CASE WHEN p[1] IS NULL THEN null ELSE h[p[1] + 'End'] END AS lastDay, "
    "CASE WHEN p[1] IS NULL THEN null ELSE h[p[1] + 'Precision'] END AS precision, "
    f"{_FIRST_SPAN.replace('n.', 'h.')} AS position "
)
_DATE_SUFFIXES = ("Precision", "AsWritten", "YearStated", "Start", "End", "Relative")


def _date_map(owner: str) -> str:
    stored = ", ".join([f"v: {owner}[field]"] + [f"v{s}: {owner}[field + '{s}']" for s in _DATE_SUFFIXES])
    return f"CASE WHEN field IS NULL THEN null ELSE {{{stored}}} END"


def _entries(part: str, key: str, owner: str, ranged: bool = True) -> str:
    # The page first, then its dates: a hub's ten thousand statements are sorted by key, not mapped.
    carried = "n, kind, field" if owner == "n" else f"n, kind, field, {owner}"
    return (
        part
        + (_IN_RANGE if ranged else "")
        + f"WITH {carried}, {key} AS key WHERE $after IS NULL OR key > $after "
        f"WITH {carried}, key ORDER BY key LIMIT $limit RETURN n, kind, {_date_map(owner)} AS dm, key"
    )


_NULL_ROW = "RETURN null AS n, null AS kind, null AS dm, null AS key"
# A subquery's parts (for `CALL { ... }`): each part's page, and a row of nulls so that the subquery
# always yields a row.
TIMELINE_ENTRIES = " UNION ALL ".join(
    [_entries(_STATEMENTS_PART, "key", "n")]
    + [_entries(part, TIMELINE_KEY, "n") for part in _TIMELINE_PARTS]
    + [_entries(_TENURES_PART, TIMELINE_KEY, "h"), _NULL_ROW]
)
# Without a range and with the undated entries, every entry is kept: a hub's statements are only sorted
# by their stored keys (half the time of testing each against the range).
TIMELINE_ALL_ENTRIES = " UNION ALL ".join(
    [
        _entries(
            "MATCH (:Node {id: $actor})<-[:SAID_BY]-(n:Statement) "
            "WITH n, 'STATEMENT' AS kind, 'saidOn' AS field, n.timelineKey AS key ",
            "key",
            "n",
            ranged=False,
        )
    ]
    + [_entries(part, TIMELINE_KEY, "n", ranged=False) for part in _TIMELINE_PARTS]
    + [_entries(_TENURES_PART, TIMELINE_KEY, "h", ranged=False), _NULL_ROW]
)
# Per part, how many entries the filters keep (to be summed).
TIMELINE_ENTRY_COUNTS = " UNION ALL ".join(
    part + _IN_RANGE + "RETURN count(*) AS total"
    for part in (_STATEMENTS_PART, *_TIMELINE_PARTS, _TENURES_PART)
)

TIMELINE_COUNT = Cypher(
    "read.timeline_count",
    " UNION ALL ".join(
        part + _IN_RANGE + "RETURN count(*) AS total" for part in (_STATEMENTS_PART, *_TIMELINE_PARTS)
    ),
)

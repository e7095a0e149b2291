"""The registry of node kinds: each kind is declared once, here, and everything else derives from it.

A kind names its id prefix, its labels, the record that validates it (graphapi/graph/records.py), the seed
section that holds such records, its GraphQL type, the relationships its record owns, the properties the
full-text index reads, and the orderings of its list. The seed loader, the write service, the edit
statements, search, the GraphQL plumbing and the mutations all read this table; tests/test_registry.py
fails when one of them does not cover a declared kind.

Adding a kind: declare it below, and its record in records.py; its GraphQL type, its mutation and its
input follow (unless written by hand), and commands write its seed section's documentation, the SDL and
the compiler's golden files (see README.md, Contributing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from pydantic.fields import FieldInfo

from graphapi.graph import records as r
from graphapi.graph.model import Rel, id_prefix

ACTOR_LABEL = "Actor"  # the label every actor kind carries besides its own


@dataclass(frozen=True)
class Link:
    """A relationship a record owns: from its node to the ids in one of its fields.

    Two links are special: EVIDENCE_IN links a node whose `field` holds evidence spans (`evidence`, or a
    position's `spans`) to its source, and `source` links a statement to the source it is quoted in; the
    source is not a field of the record, it comes with it (a seed file's source, or a mutation's `source`
    argument). A field of records (a measure's `acting_as`) gives its targets by their `part`."""

    rel: Rel
    field: str
    required: bool = False  # without one, the node cannot stand: a cascading delete removes it
    # ...only while the node's property has this value (a position read from words needs its statements;
    # one read from a deed needs the spans that report it)
    required_when: tuple[str, str] | None = None

    def requires(self, props: Mapping[str, object]) -> bool:
        if self.required_when is None:
            return self.required
        name, value = self.required_when
        return props.get(name) == value

    part: str | None = None  # the field of each entry that holds the target id, for lists of records


EVIDENCE_IN = Link(Rel.EVIDENCE_IN, "evidence")


@dataclass(frozen=True)
class Kind:
    prefix: str
    label: str
    section: str  # the seed file's section ("source" is one mapping; the others are lists)
    record: type[r.Record]
    graphql_type: str
    links: tuple[Link, ...] = ()
    searched: tuple[str, ...] = ()  # properties whose words the full-text index sees (searchText)
    # The orderings of the kind's list: GraphQL enum value -> sort key over `n`, never null so keyset
    # comparisons stay two-valued (missing text sorts last: "~" follows digits and letters).
    orderings: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({"ID": "n.id"}))
    actor: bool = False
    renamed: Mapping[str, str] = field(default_factory=dict)  # record field -> property, where not camelCase
    quoted: bool = False  # the record is itself a quote: its quote, start and end are a span of its source
    single: bool = False  # one per seed file, a mapping rather than a list
    words: str = ""  # what its nodes are, for the GraphQL enums of kinds (`NodeKind`, `ActorKind`)

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label a node of this kind carries, `Node` first."""
        return ("Node", ACTOR_LABEL, self.label) if self.actor else ("Node", self.label)

    @cached_property
    def spans_field(self) -> str | None:
        """The record's field of evidence spans into its source, if the kind has one (asked for every
        field of every record a load maps: worked out once per kind)."""
        return next((link.field for link in self.links if link.rel is Rel.EVIDENCE_IN), None)

    @property
    def owned(self) -> tuple[Rel, ...]:
        """The relationship types an upsert of this kind replaces."""
        return tuple(dict.fromkeys(link.rel for link in self.links))


@dataclass(frozen=True)
class RelationshipKind:
    """A relationship with a record of its own, such as a tenure (Person -[HOLDS]-> Office)."""

    rel: Rel
    section: str
    record: type[r.Record]
    source_field: str
    target_field: str


def _ordered(**keys: str) -> Mapping[str, str]:
    return MappingProxyType({"ID": "n.id", **keys})


_ACTOR_ORDER = _ordered(NAME="n.name")
_ACTOR_SEARCH = ("name", "aliases")

KINDS: tuple[Kind, ...] = (
    Kind(
        "country",
        "Country",
        "countries",
        r.Country,
        "Country",
        links=(EVIDENCE_IN,),
        searched=_ACTOR_SEARCH,
        orderings=_ACTOR_ORDER,
        actor=True,
        words="Countries (`country:` ids).",
    ),
    Kind(
        "person",
        "Person",
        "persons",
        r.Person,
        "Person",
        # A person's HOLDS belong to tenures, set on their own.
        links=(EVIDENCE_IN,),
        searched=_ACTOR_SEARCH,
        orderings=_ACTOR_ORDER,
        actor=True,
        words="Persons (`person:` ids).",
    ),
    Kind(
        "party",
        "Party",
        "parties",
        r.Party,
        "Party",
        links=(Link(Rel.BASED_IN, "country", required=True), EVIDENCE_IN),
        searched=(*_ACTOR_SEARCH, "description"),
        orderings=_ACTOR_ORDER,
        actor=True,
        words="Political parties (`party:` ids).",
    ),
    Kind(
        "org",
        "Organization",
        "organizations",
        r.Organization,
        "Organization",
        links=(EVIDENCE_IN,),
        searched=(*_ACTOR_SEARCH, "kind"),
        orderings=_ACTOR_ORDER,
        actor=True,
        words="Organizations: blocs, agencies (`org:` ids).",
    ),
    Kind(
        "office",
        "Office",
        "offices",
        r.Office,
        "Office",
        links=(Link(Rel.OFFICE_OF, "of", required=True), EVIDENCE_IN),
        searched=("name",),
        words="Offices, posts apart from who holds them (`office:` ids).",
    ),
    Kind(
        "measure",
        "Measure",
        "measures",
        r.Measure,
        "Measure",
        links=(
            Link(Rel.IMPOSED_BY, "imposed_by", required=True),
            Link(Rel.IN_ROLE, "acting_as", part="office"),
            Link(Rel.TARGETS, "targets"),
            Link(Rel.CONDITION_INVOLVES, "condition_involves"),
            Link(Rel.RETALIATES_AGAINST, "retaliates_against"),
            Link(Rel.PART_OF, "part_of"),
            EVIDENCE_IN,
        ),
        searched=("name", "aliases", "sectors", "products", "condition", "kind"),
        orderings=_ordered(
            NAME="n.name", EFFECTIVE_FROM="coalesce(n.effectiveFromStart, '~')", RATE="coalesce(n.rate, -1.0)"
        ),
        words="Measures: tariffs, duties... (`measure:` ids).",
    ),
    Kind(
        "event",
        "Event",
        "events",
        r.Event,
        "Event",
        links=(
            Link(Rel.PARTICIPANT, "participants"),
            Link(Rel.LOCATED_IN, "location"),
            Link(Rel.AFTER, "after"),
            EVIDENCE_IN,
        ),
        searched=("name", "topics", "kind"),
        orderings=_ordered(NAME="n.name", DATE="coalesce(n.dateStart, '~')"),
        words="Events: calls, meetings, talks, elections (`event:` ids).",
    ),
    Kind(
        "statement",
        "Statement",
        "statements",
        r.Statement,
        "Statement",
        links=(
            Link(Rel.SAID_BY, "speaker", required=True),
            Link(Rel.IN_ROLE, "role"),
            Link(Rel.AT_EVENT, "at_event"),
            Link(Rel.ABOUT, "about"),
            Link(Rel.QUOTED_IN, "source", required=True),
        ),
        searched=("quote", "channel"),
        orderings=_ordered(SAID_ON="coalesce(n.saidOnStart, '~')", SOURCE_POSITION="n.spanStart"),
        renamed={"start": "spanStart", "end": "spanEnd"},
        quoted=True,
        words="Statements: quotes with their speaker (`statement:` ids).",
    ),
    Kind(
        "position",
        "Position",
        "positions",
        r.Position,
        "Position",
        links=(
            Link(Rel.HELD_BY, "actor", required=True),
            Link(Rel.ON, "on", required=True),
            Link(Rel.EVIDENCED_BY, "evidence", required_when=("basis", "STATEMENT")),
            Link(Rel.EVIDENCE_IN, "spans", required_when=("basis", "ACTION")),  # the words reporting a deed
        ),
        orderings=_ordered(CONFIDENCE="n.confidence"),
        words="Positions: an actor's stance on a measure or event (`position:` ids).",
    ),
    Kind(
        "source",
        "Source",
        "source",
        r.Source,
        "Source",
        searched=("title", "text"),
        orderings=_ordered(TITLE="n.title"),
        single=True,
        words="Source documents (`source:` ids).",
    ),
)

TENURE = RelationshipKind(Rel.HOLDS, "tenures", r.Tenure, source_field="holder", target_field="office")
RELATIONSHIP_KINDS: tuple[RelationshipKind, ...] = (TENURE,)

BY_PREFIX: Mapping[str, Kind] = MappingProxyType({k.prefix: k for k in KINDS})
BY_LABEL: Mapping[str, Kind] = MappingProxyType({k.label: k for k in KINDS})
ACTOR_KINDS: tuple[Kind, ...] = tuple(k for k in KINDS if k.actor)
ACTOR_PREFIXES: tuple[str, ...] = tuple(k.prefix for k in ACTOR_KINDS)


# The properties the registry's conditional requirements read (see Link.required_when).
CONDITION_PROPERTIES: tuple[str, ...] = tuple(
    sorted({link.required_when[0] for kind in KINDS for link in kind.links if link.required_when})
)


def actor_fields() -> dict[str, FieldInfo]:
    """The fields every actor kind's record has, in the first one's order: what the Actor interface shows
    and `upsertActor` takes of every actor."""
    first = ACTOR_KINDS[0].record.model_fields
    return {
        name: field
        for name, field in first.items()
        if all(name in k.record.model_fields for k in ACTOR_KINDS)
    }


def kind_of(node_id: object) -> Kind | None:
    """The kind a global id names, or None when it is malformed or its prefix is unknown."""
    prefix = id_prefix(node_id)
    return BY_PREFIX.get(prefix) if prefix else None


def kind_of_labels(labels: list[str]) -> Kind | None:
    for label in labels:
        if label in BY_LABEL:
            return BY_LABEL[label]
    return None


def actor_orderings() -> Mapping[str, str]:
    """The orderings every actor kind has, for the list of all actors."""
    shared = set.intersection(*(set(k.orderings) for k in ACTOR_KINDS))
    first = ACTOR_KINDS[0].orderings
    return MappingProxyType({name: first[name] for name in first if name in shared})

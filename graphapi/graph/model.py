"""The vocabulary of the graph: node kinds with their id prefixes and labels, relationship types, enums.

Labels and relationship types reach Cypher only from here (a fixed allow-list), never from user input.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

ID_PATTERN = re.compile(r"^(?P<prefix>[a-z]+):(?P<slug>[A-Za-z0-9][A-Za-z0-9._-]*)$")


@dataclass(frozen=True)
class NodeKind:
    prefix: str
    label: str
    labels: tuple[str, ...]  # every label the node carries, `Node` first


def _kind(prefix: str, label: str, *extra: str) -> NodeKind:
    return NodeKind(prefix, label, ("Node", *extra, label))


NODE_KINDS: dict[str, NodeKind] = {
    kind.prefix: kind
    for kind in (
        _kind("country", "Country", "Actor"),
        _kind("person", "Person", "Actor"),
        _kind("party", "Party", "Actor"),
        _kind("org", "Organization", "Actor"),
        _kind("office", "Office"),
        _kind("measure", "Measure"),
        _kind("event", "Event"),
        _kind("statement", "Statement"),
        _kind("position", "Position"),
        _kind("source", "Source"),
    )
}
ACTOR_PREFIXES = frozenset(p for p, k in NODE_KINDS.items() if "Actor" in k.labels)


class Rel(enum.StrEnum):
    """Relationship types, all pointing from the node whose record declares them."""

    BASED_IN = "BASED_IN"  # Party -> Country
    OFFICE_OF = "OFFICE_OF"  # Office -> Country | Party
    HOLDS = "HOLDS"  # Person -> Office, with the tenure's dates
    IMPOSED_BY = "IMPOSED_BY"  # Measure -> Actor
    TARGETS = "TARGETS"  # Measure -> Actor
    RETALIATES_AGAINST = "RETALIATES_AGAINST"  # Measure -> Measure
    PART_OF = "PART_OF"  # Measure -> Measure
    CONDITION_INVOLVES = "CONDITION_INVOLVES"  # Measure -> Actor named in its condition
    PARTICIPANT = "PARTICIPANT"  # Event -> Actor
    LOCATED_IN = "LOCATED_IN"  # Event -> Country
    AFTER = "AFTER"  # Event -> Event it follows
    SAID_BY = "SAID_BY"  # Statement -> Actor
    IN_ROLE = "IN_ROLE"  # Statement -> Office the speaker spoke as
    AT_EVENT = "AT_EVENT"  # Statement -> Event
    ABOUT = "ABOUT"  # Statement -> anything
    QUOTED_IN = "QUOTED_IN"  # Statement -> Source (span on the statement)
    HELD_BY = "HELD_BY"  # Position -> Actor
    ON = "ON"  # Position -> Measure | Event
    EVIDENCED_BY = "EVIDENCED_BY"  # Position -> Statement
    EVIDENCE_IN = "EVIDENCE_IN"  # any fact -> Source its evidence spans point into


class Stance(enum.StrEnum):
    SUPPORT = "SUPPORT"
    OPPOSE = "OPPOSE"
    NEUTRAL = "NEUTRAL"
    MIXED = "MIXED"


class MeasureStatus(enum.StrEnum):
    THREATENED = "THREATENED"
    ANNOUNCED = "ANNOUNCED"
    IN_FORCE = "IN_FORCE"
    PAUSED = "PAUSED"
    REMOVED = "REMOVED"


class MeasureKind(enum.StrEnum):
    TARIFF = "TARIFF"
    DUTY = "DUTY"
    QUOTA = "QUOTA"
    SANCTION = "SANCTION"
    EXPORT_CONTROL = "EXPORT_CONTROL"
    OTHER = "OTHER"


class EventKind(enum.StrEnum):
    CALL = "CALL"
    MEETING = "MEETING"
    TALKS = "TALKS"
    ELECTION = "ELECTION"
    SUMMIT = "SUMMIT"
    OTHER = "OTHER"


class EventStatus(enum.StrEnum):
    HELD = "HELD"
    ONGOING = "ONGOING"
    SCHEDULED = "SCHEDULED"
    PLANNED = "PLANNED"
    CANCELLED = "CANCELLED"


class ActorKind(enum.StrEnum):
    """Values are the id prefixes of the kinds."""

    COUNTRY = "country"
    PERSON = "person"
    PARTY = "party"
    ORGANIZATION = "org"


class DatePrecision(enum.StrEnum):
    DAY = "DAY"
    MONTH = "MONTH"
    YEAR = "YEAR"


def kind_of(node_id: str) -> NodeKind | None:
    """The node kind an id names, or None when its prefix is unknown or it is not a slug id."""
    match = ID_PATTERN.match(node_id)
    return NODE_KINDS.get(match["prefix"]) if match else None

"""The vocabulary of the graph: global ids, relationship types and the enums of node properties.

Labels and relationship types reach Cypher only from here and from the kind registry
(graphapi/graph/kinds.py), never from user input.
"""

from __future__ import annotations

import enum
import re

MAX_ID_LENGTH = 200
# Matched whole (fullmatch): `$` alone would accept a trailing newline.
ID_PATTERN = re.compile(r"(?P<prefix>[a-z]+):(?P<slug>[A-Za-z0-9][A-Za-z0-9._-]*)", re.ASCII)


def id_prefix(node_id: object) -> str | None:
    """The type prefix of a well-formed global id (`person` of `person:mark-carney`), else None."""
    if not isinstance(node_id, str) or len(node_id) > MAX_ID_LENGTH:
        return None
    match = ID_PATTERN.fullmatch(node_id)
    return match["prefix"] if match else None


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
    IN_ROLE = "IN_ROLE"  # Statement -> Office the speaker spoke as; Measure -> Office an imposer acted in
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


class DatePrecision(enum.StrEnum):
    DAY = "DAY"
    MONTH = "MONTH"
    YEAR = "YEAR"
    RANGE = "RANGE"  # known only by its bounds (earliest and latest possible day)


class Basis(enum.StrEnum):
    """What a position rests on."""

    STATEMENT = "STATEMENT"  # the actor's words (or the source's report of them)
    ACTION = "ACTION"  # a deed: the actor imposes, announces, plans or threatens the measure


class Certainty(enum.StrEnum):
    """How sure an answer about time is, from the dates the sources give."""

    KNOWN = "KNOWN"  # the dates settle it: it holds
    POSSIBLE = "POSSIBLE"  # the dates allow it but do not settle it
    NO = "NO"  # it does not hold, as far as the sources say

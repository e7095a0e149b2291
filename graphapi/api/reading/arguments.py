"""The checks of a read's arguments and the filters they become, below both read paths: the resolvers
(graphapi/api/queries/root.py) and the compiler (graphapi/api/compiled/) call the same functions, so a value
one refuses the other refuses, and a filter means the same statement parameters on both.

A filter is given as GraphQL names its fields (`nameContains`, `from`), as graphql-core's coerced
arguments hold it; `given` turns a Strawberry input into that. Ids are checked for their form here; that
the node exists is each path's own check (the resolvers look it up, a compiled statement matches it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strawberry.utils.str_converters import to_camel_case

from graphapi.errors import BadUserInput
from graphapi.graph import model
from graphapi.graph.kinds import ACTOR_PREFIXES, BY_PREFIX, kind_of
from graphapi.graph.text import check_line
from graphapi.graph.words import Term, query_terms

MAX_IDS = 100
ACTORS = tuple(sorted(ACTOR_PREFIXES))
NESTED_MAX = 100  # the most items a nested list gives (`first` on a node's list)
MAX_CONTEXT = 2000  # the most characters of context around a quote
MAX_WORDS = 12  # the most words a search asks for
POSITION_TARGET_LABELS = [BY_PREFIX["measure"].label, BY_PREFIX["event"].label]
# A search cursor holds the rank of the last hit given out. Hits past this many are never given out (no
# graph here has so many nodes), and FalkorDB's SKIP takes 32-bit numbers: a larger or negative rank is
# not one of ours.
MAX_RANK = 1_000_000
Filter = Mapping[str, Any]


def checked_id(value: str, argument: str, *, kinds: tuple[str, ...] = ()) -> str:
    """A well-formed global id, of one of `kinds` when given; BAD_USER_INPUT otherwise."""
    kind = kind_of(value)
    if kind is None:
        raise BadUserInput(
            f"`{argument}` must be a global id such as 'person:mark-carney'; got {value[:80]!r}",
            argument=argument,
        )
    if kinds and kind.prefix not in kinds:
        wanted = " or ".join(f"'{k}:...'" for k in kinds)
        raise BadUserInput(
            f"`{argument}` must be the id of a {wanted}; got {value[:80]!r}", argument=argument
        )
    return value


def checked_words(value: str | None, argument: str) -> str | None:
    """Words a client filters or searches by: one line of text, not too long."""
    if value is None:
        return None
    try:
        return check_line(value, 500)
    except ValueError as exc:
        raise BadUserInput(f"`{argument}` {exc}", argument=argument) from None


def checked_certainty(certainty: model.Certainty, argument: str = "certainty") -> model.Certainty:
    """The least certainty a temporal question asks for: KNOWN or POSSIBLE (NO would ask for what does not
    hold)."""
    if certainty is model.Certainty.NO:
        raise BadUserInput(
            f"`{argument}` is the least certainty an answer needs: KNOWN or POSSIBLE", argument=argument
        )
    return certainty


def checked_terms(text: str, argument: str) -> list[list[Term]]:
    """The words of a search, normalized: at least one, at most MAX_WORDS."""
    terms = query_terms(text)
    if not terms:
        raise BadUserInput(f"`{argument}` has no words to search for", argument=argument)
    if len(terms) > MAX_WORDS:
        raise BadUserInput(f"`{argument}` has {len(terms)} words; at most {MAX_WORDS}", argument=argument)
    return terms


def offset_after(position: list[Any] | None) -> int:
    """Where the page after a search cursor's position starts; BAD_USER_INPUT for a forged rank."""
    if position is None:
        return 0
    if not 0 <= position[0] < MAX_RANK:
        raise BadUserInput("`after` is not a cursor of this list", argument="after")
    return int(position[0]) + 1


def checked_ref(value: str | None, argument: str, kinds: tuple[str, ...]) -> str | None:
    """A filter naming a node, checked for its form (None when not given)."""
    return None if value is None else checked_id(value, argument, kinds=kinds)


def given(value: object | None) -> dict[str, Any]:
    """A Strawberry input's fields by their GraphQL names ({} for null), as graphql-core coerces them."""
    if value is None:
        return {}
    definition = type(value).__strawberry_definition__  # type: ignore[attr-defined]
    return {
        field.graphql_name or to_camel_case(field.python_name): getattr(value, field.python_name)
        for field in definition.fields
    }


def _value(enum: Any) -> Any:
    return enum.value if enum is not None else None


def _possible(f: Filter) -> bool:
    certainty = f.get("certainty")
    if certainty is None:
        return False
    return checked_certainty(certainty, "filter.certainty") is model.Certainty.POSSIBLE


def actor_filters(f: Filter) -> dict[str, Any]:
    """`actors(filter:)` as the list statement's parameters."""
    words = checked_words(f.get("nameContains"), "filter.nameContains")
    kind = f.get("kind")
    return {
        "label": BY_PREFIX[kind.value].label if kind is not None else None,
        "nameContains": words.lower() if words else None,
    }


def measure_filters(f: Filter) -> dict[str, Any]:
    """`measures(filter:)` as the list statement's parameters."""
    return {
        "status": _value(f.get("status")),
        "kind": _value(f.get("kind")),
        "sector": checked_words(f.get("sector"), "filter.sector"),
        "imposedBy": checked_ref(f.get("imposedBy"), "filter.imposedBy", ACTORS),
        "target": checked_ref(f.get("target"), "filter.target", ACTORS),
        "inForceOn": f.get("inForceOn"),
        "possible": _possible(f),
    }


def statement_filters(by: str | None, about: str | None, f: Filter) -> dict[str, Any]:
    """`statements(by:, about:, filter:)` as the list statement's parameters."""
    return {
        "by": checked_ref(by, "by", ACTORS),
        "about": checked_ref(about, "about", ()),
        "direct": f.get("direct"),
        "saidFrom": f.get("saidFrom"),
        "saidTo": f.get("saidTo"),
    }


def position_filters(stance: model.Stance | None, f: Filter) -> dict[str, Any]:
    """`positions(stance:, filter:)` as the list statement's parameters (`on` is each path's own: the
    resolvers look the targets up, the statement finds them)."""
    also = f.get("stance")
    if stance is not None and also is not None and stance != also:
        raise BadUserInput("`stance` and `filter.stance` disagree", argument="stance")
    chosen = stance or also
    return {
        "stance": _value(chosen),
        "minConfidence": f.get("minConfidence"),
        "actor": checked_ref(f.get("actor"), "filter.actor", ACTORS),
        "basis": _value(f.get("basis")),
    }


def event_filters(f: Filter) -> dict[str, Any]:
    """`events(filter:)` as the list statement's parameters."""
    start, end = f.get("from"), f.get("to")
    if start and end and start > end:
        raise BadUserInput(f"`filter.from` ({start}) is after `filter.to` ({end})", argument="filter.from")
    return {
        "kind": _value(f.get("kind")),
        "status": _value(f.get("status")),
        "participant": checked_ref(f.get("participant"), "filter.participant", ACTORS),
        "from": start,
        "to": end,
        "possible": _possible(f),
    }


# The filter parameters that name a node, with the argument each comes from (each path checks that
# the node exists: an unknown id is an error, not an empty list).
REFS = {
    "imposedBy": "filter.imposedBy",
    "target": "filter.target",
    "by": "by",
    "about": "about",
    "actor": "filter.actor",
    "participant": "filter.participant",
}

"""The kind registry is the one place a kind is declared: every consumer covers every declared kind."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from graphapi.api.enums import ActorKind, NodeKind
from graphapi.api.schema import build_schema
from graphapi.api.types import NODE_TYPES
from graphapi.api.types.common import missing_types
from graphapi.graph import edits, writes
from graphapi.graph import records as r
from graphapi.graph.kinds import ACTOR_KINDS, BY_LABEL, BY_PREFIX, KINDS, RELATIONSHIP_KINDS, Kind, kind_of
from graphapi.graph.reads import LISTS
from graphapi.graph.record_fields import identified_records
from graphapi.seed.files import SeedFile

SEED_README = Path(__file__).resolve().parents[1] / "seed" / "README.md"


def test_prefixes_labels_and_sections_are_unique() -> None:
    for attribute in ("prefix", "label", "section", "graphql_type"):
        values = [getattr(kind, attribute) for kind in KINDS]
        assert len(values) == len(set(values)), attribute
    assert kind_of("person:mark-carney") is BY_PREFIX["person"]
    assert kind_of("person:mark-carney\n") is None and kind_of("nobody:x") is None


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.prefix)
def test_every_consumer_covers_the_kind(kind: Kind) -> None:
    schema = build_schema()
    # the GraphQL type, registered in the schema, with the Node interface
    assert kind.graphql_type in NODE_TYPES
    graphql_type = schema._schema.get_type(kind.graphql_type)
    assert graphql_type is not None and "Node" in {i.name for i in graphql_type.interfaces}  # type: ignore[attr-defined]
    # its search kind, and its actor kind
    assert NodeKind[kind.label.upper()].value == kind.label
    if kind.actor:
        assert ActorKind[kind.label.upper()].value == kind.prefix
    # the statements that write it
    assert kind.prefix in edits.UPSERTS and kind.prefix in writes.CREATE_NODES
    for rel in kind.owned:
        assert f"'{rel.value}'" in edits.UPSERTS[kind.prefix].text
    # its seed section, and the section's documentation
    assert kind.section in SeedFile.model_fields
    assert f"`{kind.section}`" in SEED_README.read_text(encoding="utf-8")
    # the mutation that writes it
    mutations = schema._schema.mutation_type.fields  # type: ignore[union-attr]
    assert f"upsert{'Actor' if kind.actor else kind.graphql_type}" in mutations
    # the fields its links read are the record's own (or the source it comes with)
    for link in kind.links:
        assert link.field in kind.record.model_fields or link.field in ("source", "evidence"), link


def test_every_kind_says_what_it_is() -> None:
    """The words of the GraphQL enums of kinds (NodeKind, ActorKind) come from the registry."""
    assert all(kind.words for kind in KINDS)


def test_relationship_kinds_have_their_section() -> None:
    for rel_kind in RELATIONSHIP_KINDS:
        assert rel_kind.section in SeedFile.model_fields
        assert {rel_kind.source_field, rel_kind.target_field} <= set(rel_kind.record.model_fields)


def test_a_kind_without_a_written_graphql_type_is_found() -> None:
    """(graphapi/api/types/ derives its type from its record: derived_types.py)"""
    # a name no kind will take (the README's recipe adds a Treaty: this test must keep passing then)
    invented = dataclasses.replace(
        BY_PREFIX["event"], prefix="zz-invented", label="ZzInvented", graphql_type="ZzInvented"
    )
    assert missing_types([*KINDS, invented]) == ["ZzInvented"]
    assert missing_types(KINDS) == []


def test_list_orderings_come_from_the_registry() -> None:
    for name, prefix in (("measures", "measure"), ("statements", "statement"), ("positions", "position")):
        fields = {field for (_, field, _) in LISTS[name].pages}
        assert fields == set(BY_PREFIX[prefix].orderings), name
    assert {field for (_, field, _) in LISTS["actors"].pages} == {"ID", "NAME"}


def test_actor_ids_follow_the_registry() -> None:
    assert {k.prefix for k in ACTOR_KINDS} == {"country", "person", "party", "org"}
    r.Statement.model_validate(
        {"id": "statement:s", "speaker": "org:eu", "quote": "q", "start": 0, "end": 1, "direct": True}
    )
    with pytest.raises(ValueError, match="is not an id of the form"):
        r.Statement.model_validate(
            {"id": "statement:s", "speaker": "office:x", "quote": "q", "start": 0, "end": 1, "direct": True}
        )
    assert BY_LABEL["Organization"].prefix == "org"
    # the records check ids against the record classes (they cannot import the registry built from them)
    assert identified_records() == sorted((k.prefix, k.actor) for k in KINDS)

"""The schema explains itself: every type, field, argument, input field and enum value the API serves has
a description, and graphql-schema-linter (pinned in tests/graphql_http/) finds nothing but the rules
disabled below, each with its reason."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
)

from graphapi.api.schema import build_schema

ROOT = Path(__file__).resolve().parents[1]
LINTER = ROOT / "tests" / "graphql_http" / "node_modules" / ".bin" / "graphql-schema-linter"
# Rules left out, and why:
DISABLED = {
    # The SDL lists fields in the order a reader meets them (`id` and `name` first, then what the type
    # says, then its relationships, then `edited`), as the classes declare them; alphabetical order
    # would scatter them.
    "type-fields-sorted-alphabetically",
    "interface-fields-sorted-alphabetically",
    "input-object-fields-sorted-alphabetically",
    # Enum values go in their natural order (THREATENED, ANNOUNCED, IN_FORCE... ; ASC, DESC), which is
    # also the order of the values' meanings.
    "enum-values-sorted-alphabetically",
}


def undescribed(schema: GraphQLSchema) -> list[str]:
    """The schema coordinates of everything without a description, built-in types aside."""
    missing = []
    for name, named in schema.type_map.items():
        if name.startswith("__") or name in ("String", "Int", "Float", "Boolean", "ID"):
            continue
        if not (named.description or "").strip():
            missing.append(name)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                if not (field.description or "").strip():
                    missing.append(f"{name}.{field_name}")
                missing += [
                    f"{name}.{field_name}({arg})"
                    for arg, a in field.args.items()
                    if not (a.description or "").strip()
                ]
        elif isinstance(named, GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, v in named.fields.items() if not (v.description or "").strip()]
        elif isinstance(named, GraphQLEnumType):
            missing += [
                f"{name}.{v}" for v, value in named.values.items() if not (value.description or "").strip()
            ]
    return missing


def test_every_type_field_argument_input_field_and_enum_value_is_described() -> None:
    assert undescribed(build_schema()._schema) == []


def test_a_missing_description_is_found() -> None:
    """The check itself finds each kind of omission."""
    from graphql import build_schema as from_sdl

    sdl = """
        "Described." type Query { "Described." a(x: Int): E  b(y: In): Int }
        "Described." enum E { "Described." ONE TWO }
        input In { z: Int }
    """
    assert sorted(undescribed(from_sdl(sdl))) == [
        "E.TWO",
        "In",
        "In.z",
        "Query.a(x)",
        "Query.b",
        "Query.b(y)",
    ]


def test_graphql_schema_linter_finds_nothing(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not LINTER.exists():
        pytest.fail(
            "graphql-schema-linter is not installed: run `npm ci --prefix tests/graphql_http` (./dev test does)"
        )
    done = subprocess.run(
        [str(LINTER), "--format", "json", "--except", ",".join(sorted(DISABLED)), str(ROOT / "schema" / "schema.graphql")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    errors = json.loads(done.stdout)["errors"]
    assert [f"{e['rule']}: {e['message']}" for e in errors] == []
    assert done.returncode == 0

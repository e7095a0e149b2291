"""A claim is written property by property (graphapi/graph/claims.py, `set_claim`), not with
`SET c = <map>`, with which FalkorDB 4.16.3 corrupts its heap far more often (`python -m
bench.falkordb_corruption`). Written so, it must still hold exactly what `Claim.to_row` states: every
property set, and one the claim no longer has removed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from graphapi.graph import reads, writes
from graphapi.graph.claims import CLAIM_PROPERTIES, Claim, set_claim
from graphapi.store import Cypher, Store

RECORD = "person:claim-writes-test"
KEYS = Cypher("test.claim_keys", "MATCH (c:Claim {key: $key}) RETURN keys(c) AS keys")


def _claim(source: str | None, name: str) -> Claim:
    return Claim(RECORD, "claim-writes.yaml", source, "2025-04-02", values={"name": {"name": name}})


@pytest.mark.parametrize("source", ["source:somewhere", None])
def test_every_property_a_claim_stores_is_set_by_name(source: str | None) -> None:
    row = _claim(source, "Somebody").to_row()
    assert set(row["props"]) - {"key"} <= set(CLAIM_PROPERTIES)
    assert "= $claim " not in set_claim("k", "$claim") + " "  # never the whole map at once
    assert writes.SET_RECORD_CLAIMS.text.endswith(set_claim("c", "row.props"))


@pytest.fixture
async def claim_store(store: Store) -> AsyncIterator[Store]:
    yield store
    await store.write(writes.DROP_RECORD_CLAIMS, {"keys": [_claim(None, "").key]})


async def test_a_rewritten_claim_holds_what_it_states_now_and_nothing_it_stated_before(
    claim_store: Store,
) -> None:
    before, after = _claim("source:somewhere", "Before"), _claim(None, "After")
    for claim in (before, after):
        await claim_store.write(writes.SET_RECORD_CLAIMS, {"rows": [claim.to_row()]})
    (stored,) = await claim_store.read(reads.CLAIMS_OF, {"ids": [RECORD]})
    assert Claim.from_row(stored) == after
    (kept,) = await claim_store.read(KEYS, {"key": after.key})
    assert sorted(kept["keys"]) == sorted(after.to_row()["props"])  # `source` is gone

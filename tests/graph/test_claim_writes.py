"""A claim is written as graphapi/graph/claims.py's `write_claim` says: its value projected by a WITH, then
set property by property, never `SET c = $claim` straight from the parameter, with which FalkorDB 4.16.3
corrupts its heap (`python -m bench.falkordb_corruption`). Written so, it must still hold exactly what
`Claim.to_row` states: every property set, and one the claim no longer has removed."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from bench.falkordb_corruption import as_written_now, commands, replay
from graphapi.graph import edits, reads, writes
from graphapi.graph.claims import CLAIM_PROPERTIES, Claim, write_claim
from graphapi.store import Cypher, Store

RECORD = "person:claim-writes-test"
KEYS = Cypher("test.claim_keys", "MATCH (c:Claim {key: $key}) RETURN keys(c) AS keys")


def _claim(source: str | None, name: str) -> Claim:
    return Claim(RECORD, "claim-writes.yaml", source, "2025-04-02", values={"name": {"name": name}})


@pytest.mark.parametrize("source", ["source:somewhere", None])
def test_every_property_a_claim_stores_is_set_by_name(source: str | None) -> None:
    row = _claim(source, "Somebody").to_row()
    assert set(row["props"]) - {"key"} <= set(CLAIM_PROPERTIES)


def test_every_statement_that_writes_a_claim_projects_it_first() -> None:
    # never set straight from the parameter, nor as a whole map
    assert (
        "= $claim" not in write_claim("k", "$claim", "k")
        and " = claim " not in write_claim("k", "$c", "k") + " "
    )
    assert writes.SET_RECORD_CLAIMS.text.endswith(write_claim("c", "row.props", "c"))
    for upsert in edits.CLAIMED_UPSERTS.values():  # the API's writes of claims, every kind
        assert write_claim("k", "$claim", "created, k") in upsert.text
        assert not re.search(r"\bk(\.\w+)? = \$claim", upsert.text)  # (`own.data = $claim.data` compares)


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


@pytest.mark.slow  # (three embedded servers of their own, a few seconds each)
def test_the_recorded_run_that_corrupted_the_heap_reads_back_whole_as_claims_are_written_now() -> None:
    """The 2,538 commands of a test run after which a claim read back as '' (bench/falkordb_corruption.py:
    as recorded, 29 of 30 replays went wrong on a quiet machine), with each claim written by `write_claim`:
    every claim reads back as written and the server stays up (0 of 220 replays went wrong, quiet or
    beside a test run)."""
    sent = as_written_now(commands())
    assert [replay(sent) for _ in range(3)] == ["clean"] * 3

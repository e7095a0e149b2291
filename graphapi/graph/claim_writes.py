"""Writes through the API of the records several sources may state (graphapi/graph/api_claims.py): the
API's claim of a source stated or taken back, and the node worked out again from the claims, in one checked
statement that also checks the other claims are still those it was worked out from; worked out again when
a concurrent load or write changed them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphapi.errors import Conflict, DeclinedWrite, InvalidRecord
from graphapi.graph import edits, reads
from graphapi.graph import records as r
from graphapi.graph.api_claims import api_owner, claimed_write, fingerprint
from graphapi.graph.claims import Claim, kind_of_claims, merged_write
from graphapi.graph.edit_params import ATTEMPTS, Saved, check_writable, upsert_params
from graphapi.graph.mapping import NodeWrite, node_write
from graphapi.graph.nodes import NodeRecord

if TYPE_CHECKING:
    from graphapi.graph.writer import GraphWriter


@dataclass(frozen=True)
class Retracted:
    """What taking back the API's claim did: whether there was one, whether the record went with it (no
    claim stated it any more), and the node as it now stands."""

    retracted: bool
    deleted: bool
    record: NodeRecord | None


async def upsert_claimed(writer: GraphWriter, record: r.Record, source: str | None, who: str) -> Saved:
    """The node the claims make with the API's claim of `source` in, written with the claim."""
    node_id = str(getattr(record, "id", ""))
    moved = False
    for _ in range(ATTEMPTS):
        written, before = await writer.prior(source, node_id)
        stored = await writer.store.read(reads.CLAIMS_OF, {"ids": [node_id]})
        claimed = claimed_write(node_write(record, source, written), stored, written)
        write = claimed.write
        params = {**upsert_params(write, source, who), "claim": claimed.claim, "others": claimed.others}
        check_writable(write)
        rows = await writer.store.write(edits.CLAIMED_UPSERTS[write.kind.prefix], params)
        if rows:
            made = f"{'~' if claimed.before else '+'}claim of {api_owner(source)}"
            return await writer.written(write, before, bool(rows[0]["created"]), True, who, made)
        found = await _diagnosis(writer, params, write)
        if found["othersSame"] and found["same"] and found["claimSame"]:
            return Saved(write.id, False, False, before)
        moved = moved or _moved(found, stored, claimed.claim["key"])
    raise _gave_up(node_id, moved)


async def retract_claim(writer: GraphWriter, node_id: str, source: str | None, who: str) -> Retracted:
    """Take back the API's claim of `source` (None: the API's own word) of a record. The record is worked out
    again from the other claims; with none left it is deleted, as a load deletes what no file states
    (refused while other nodes refer to it)."""
    owner = api_owner(source)
    key = Claim(node_id, owner, source, "").key
    moved = False
    for _ in range(ATTEMPTS):
        _, before = await writer.prior(None, node_id)
        stored = await writer.store.read(reads.CLAIMS_OF, {"ids": [node_id]})
        if not any(row["key"] == key for row in stored):
            return Retracted(False, False, before)
        others = [row for row in stored if row["key"] != key]
        if not others or before is None:
            return await _last_claim_taken_back(writer, node_id, key, before, who)
        write = merged_write(kind_of_claims([Claim.from_row(others[0])]), [Claim.from_row(o) for o in others])
        params = {
            **upsert_params(write, None, who),
            "claim": {"key": key},
            "others": [fingerprint(o) for o in others],
        }
        rows = await writer.store.write(edits.RETRACTS[write.kind.prefix], params)
        if rows:
            saved = await writer.written(write, before, False, True, who, f"-claim of {owner}")
            return Retracted(True, False, saved.record)
        found = await _diagnosis(writer, {**params, "claim": {"key": key, "data": None}}, write)
        if found["othersSame"] and found["same"] and found["claimGone"]:
            return Retracted(False, False, before)
        moved = moved or _moved(found, stored, key)
    raise _gave_up(node_id, moved)


async def _last_claim_taken_back(
    writer: GraphWriter, node_id: str, key: str, before: NodeRecord | None, who: str
) -> Retracted:
    if before is None:  # the node is gone already: only its claim is left to take back
        await writer.store.write(edits.DROP_CLAIM, {"key": key})
        return Retracted(True, False, None)
    await writer.delete(node_id, cascade=False, who=who)  # the API's claims go with the node
    return Retracted(True, True, None)


async def _diagnosis(writer: GraphWriter, params: dict[str, Any], write: NodeWrite) -> dict[str, Any]:
    """Why a claimed write did not write: a problem of the record is raised; else the diagnosis row, `same`
    settled (the node already says this, and no problem)."""
    found = (await writer.store.read(edits.CLAIMED_DIAGNOSIS, params))[0]
    result = await writer.diagnose(found, params, write)
    if result.problems:
        raise InvalidRecord(result.problems)
    return {**found, "same": result.same}


def _moved(found: dict[str, Any], stored: list[dict[str, Any]], key: str) -> bool:
    """Whether the claims changed between the attempt's read and its diagnosis: the others, or the API's
    claim itself (another writer of the same source stated or took it back meanwhile). The diagnosis reads
    after the statement, so a decline it cannot explain is such a change, or else a bug of ours."""
    own = next((fingerprint(row) for row in stored if row["key"] == key), None)
    return not found["othersSame"] or found["ownNow"] != own


def _gave_up(node_id: str, moved: bool) -> Exception:
    if moved:
        return Conflict(f"the claims of {node_id} kept changing while it was written; try again")
    return DeclinedWrite(
        f"the write of {node_id} was declined {ATTEMPTS} times and its diagnosis found no reason"
    )


__all__ = ["Retracted", "retract_claim", "upsert_claimed"]

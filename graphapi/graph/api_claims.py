"""Writes through the API as claims (graphapi/graph/claims.py): an upsert of a record several sources may
state says what the source it names reports of the record, beside what the seed files say, and the node is
what all the claims make.

- The claim's owner is `api <source id>` (or `api` for a write that names no source): a later write through
  the API naming the same source replaces it, whoever makes it.
- Its date is its source's (the latest bound of `writtenOn`; none when the source gives no date); a write
  that names no source is dated the day it is made: it is the curators' own word, as of then.
- It states the fields the write gives a value (a value, a non-empty list): a field left out or empty keeps
  what other sources say of it, and on a record only the API states, that removes it.

The write goes ahead only if the other claims of the record are still those the node was worked out from
(graphapi/graph/edits.py, CLAIMED_UPSERTS): a concurrent load or write makes the service work it out again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from graphapi.graph.claims import API_OWNER, Claim, claim_of, merged_write
from graphapi.graph.dates import DateInterval
from graphapi.graph.mapping import NodeWrite


def api_owner(source: str | None) -> str:
    """Whose claim a write through the API is: its source's, as the API reports it."""
    return API_OWNER if source is None else f"{API_OWNER} {source}"


def fingerprint(row: dict[str, Any]) -> str:
    """A stored claim as the checked write compares it (edits.CLAIMED_UPSERTS: key, date and data)."""
    return f"{row['key']}|{row.get('reported') or ''}|{row['data']}"


@dataclass(frozen=True)
class ClaimedWrite:
    """The node the claims make once the API's claim is in, with the write's own spans to check; the claim
    as stored; and the other claims it was worked out from (their fingerprints)."""

    write: NodeWrite
    claim: dict[str, Any]
    others: list[str]
    before: Claim | None  # the API's claim of this source before the write


def claimed_write(
    write: NodeWrite, stored: Sequence[dict[str, Any]], written: DateInterval | None
) -> ClaimedWrite:
    """The write of a record with the API's claim merged into those stored (rows of reads.CLAIMS_OF)."""
    if write.source is None:
        reported = dt.datetime.now(dt.UTC).date().isoformat()
    else:
        reported = written.end_key if written is not None and written.latest else ""
    claim = claim_of(write, api_owner(write.source), (), reported)
    others = [row for row in stored if row["key"] != claim.key]
    before = next((Claim.from_row(row) for row in stored if row["key"] == claim.key), None)
    merged = merged_write(write.kind, [*(Claim.from_row(row) for row in others), claim])
    checked = replace(merged, spans=write.spans, source=write.source, problems=write.problems)
    return ClaimedWrite(checked, claim.to_row()["props"], [fingerprint(row) for row in others], before)


__all__ = ["ClaimedWrite", "api_owner", "claimed_write", "fingerprint"]

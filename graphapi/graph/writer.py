"""The write service: every change to the graph goes through here, from API mutations and seed loads alike.

It takes validated records (graphapi/graph/records.py), maps them to the graph (graphapi/graph/mapping.py),
writes each in one statement that checks what it relies on as it writes (graphapi/graph/edits.py), says
why when it did not write, announces what changed, and reads back what now stands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphapi.errors import (
    BadUserInput,
    Conflict,
    DeclinedWrite,
    DiskFull,
    InvalidRecord,
    NotFound,
    StoreError,
    Unavailable,
)
from graphapi.graph import claim_writes, edits, history, reads
from graphapi.graph import records as r
from graphapi.graph.changes import Change, ChangeKind, Publish, publish_nowhere
from graphapi.graph.claims import has_claims
from graphapi.graph.dates import DateInterval
from graphapi.graph.edit_params import ATTEMPTS, Saved, check_writable, now, span_params, upsert_params
from graphapi.graph.kinds import kind_of, kind_of_labels
from graphapi.graph.load_plan import BATCH_SIZE, LoadPlan, LoadReport, PreparedLoad
from graphapi.graph.loads import prepare_load
from graphapi.graph.mapping import NodeWrite, SpanCheck, TenureWrite, node_write, tenure_write
from graphapi.graph.model import Rel
from graphapi.graph.nodes import NodeRecord
from graphapi.store.base import Store

log = logging.getLogger("graphapi.edits")

_SOURCE_LINKS = (Rel.EVIDENCE_IN, Rel.QUOTED_IN)


@dataclass(frozen=True)
class Deleted:
    deleted: list[str]  # the node asked for first, then what could not stand without it
    detached: list[str]  # nodes that referred to a deleted one and stay


@dataclass
class _Diagnosis:
    problems: list[tuple[str, str]] = field(default_factory=list)
    same: bool = False


class GraphWriter:
    def __init__(self, store: Store, publish: Publish = publish_nowhere) -> None:
        self.store = store
        self.publish = publish

    # --- nodes ---

    async def upsert(self, record: r.Record, *, source: str | None, who: str) -> Saved:
        """Create or replace the node of a record; its owned relationships become those it names. A record
        several sources may state is written as the API's claim of it (graphapi/graph/api_claims.py)."""
        node_id = str(getattr(record, "id", ""))
        kind = kind_of(node_id)
        if kind is not None and has_claims(kind):
            return await claim_writes.upsert_claimed(self, record, source, who)
        written, before = await self.prior(source, node_id)
        write = node_write(record, source, written)
        params = upsert_params(write, source, who)
        created, changed = await self._write_checked(
            edits.UPSERTS[write.kind.prefix], edits.UPSERT_DIAGNOSIS, params, write
        )
        return await self.written(write, before, created, changed, who)

    async def retract(self, node_id: str, source: str | None, *, who: str) -> claim_writes.Retracted:
        """Take back the API's claim of a source of a record (graphapi/graph/claim_writes.py)."""
        return await claim_writes.retract_claim(self, node_id, source, who)

    async def written(
        self,
        write: NodeWrite,
        before: NodeRecord | None,
        created: bool,
        changed: bool,
        who: str,
        claim: str | None = None,
    ) -> Saved:
        """Read back what an upsert wrote; announce and keep the change (with the claim it made, if any)."""
        after = await self.read_back(write.id)
        if changed:
            kind = ChangeKind.CREATED if created else ChangeKind.UPDATED
            await self.publish(Change(kind, write.id, write.kind.label, frozenset(write.targets)))
            links = _link_changes(before, after)
            links += (claim,) if claim else ()  # the API's claim made (+) or changed (~)
            props = None if before is None else before.props
            await self._remember(
                [history.NodeChange(kind, write.id, write.kind.label, props, after.props, links)], who
            )
        return Saved(write.id, created, changed, after)

    async def prior(self, source: str | None, node_id: str) -> tuple[DateInterval | None, NodeRecord | None]:
        """In one read: the source's own date, which bounds what its records report (as a seed load does;
        None without a source or a date), and the node as it stands before the write (None: new)."""
        ids = [i for i in (source, node_id) if i]
        found = {
            row["id"]: NodeRecord.from_row(row)
            for row in await self.store.read(reads.NODES_BY_ID, {"ids": ids})
        }
        source_record = found.get(source) if source else None
        written = DateInterval.from_props(source_record.props, "writtenOn") if source_record else None
        return written, found.get(node_id)

    async def _remember(self, changes: list[history.NodeChange], who: str) -> None:
        """Keep what a write changed (graphapi/graph/history.py); the write has landed, so a failure to
        keep it is logged, not raised."""
        try:
            await self.store.write(history.RECORD_API, {"rows": history.rows(changes, who)})
        except (Unavailable, StoreError, DiskFull) as exc:
            log.error("a change was written but not kept in the history: %s", exc)

    async def read_back(self, node_id: str) -> NodeRecord:
        rows = await self.store.read(reads.NODES_BY_ID, {"ids": [node_id]})
        if not rows:
            raise NotFound(f"{node_id!r} was written but cannot be read back")
        return NodeRecord.from_row(rows[0])

    # --- bulk loads ---

    async def load(
        self,
        plan: LoadPlan,
        *,
        batch_size: int = BATCH_SIZE,
        overwrite: bool = False,
        on_plan: Callable[[int], None] | None = None,
        on_step: Callable[[], None] | None = None,
    ) -> LoadReport:
        """Make the graph say what checked records say, in batches, all or nothing; announce the changes.
        Refused, writing nothing, when something stands in the way (graphapi/graph/loads.py)."""
        prepared = await prepare_load(self.store, plan, batch_size, overwrite=overwrite)
        if prepared.problems:
            raise BadUserInput("; ".join(problem.message for problem in prepared.problems))
        return await self.apply(prepared, on_plan=on_plan, on_step=on_step)

    async def apply(
        self,
        prepared: PreparedLoad,
        *,
        on_plan: Callable[[int], None] | None = None,
        on_step: Callable[[], None] | None = None,
        since: object = None,
    ) -> LoadReport:
        """Write a prepared load, all or nothing, and announce its changes. `since`: the graph's write
        version read before the load was prepared (a WriteConflict if the graph changed after it)."""
        if on_plan:
            on_plan(len(prepared.steps))
        if prepared.steps:
            await self.store.write_all(prepared.steps, on_step=on_step, since=since)
        for change in prepared.changes:
            await self.publish(change)
        return prepared.report

    # --- tenures ---

    async def set_tenure(self, record: r.Tenure, *, source: str | None, who: str) -> Saved:
        written, _ = await self.prior(source, "")
        write = tenure_write(record, source, written)
        params = {
            "holder": write.holder,
            "office": write.office,
            "props": write.props,
            "targets": sorted({write.holder, write.office}),
            "source": source,
            "spans": span_params(write.spans),
            "audit": list(edits.AUDIT),
            "now": now(),
            "who": who,
        }
        created, changed = await self._write_checked(edits.SET_TENURE, edits.TENURE_DIAGNOSIS, params, write)
        if changed:
            # A tenure is part of its holder's record (an outgoing relationship): the holder changed.
            await self.publish(Change(ChangeKind.UPDATED, write.holder, "Person", frozenset({write.office})))
            link = f"{'+' if created else '~'}HOLDS {write.office}"
            await self._remember([_holder_change(write.holder, link)], who)
        return Saved(write.holder, created, changed)

    async def remove_tenure(self, holder: str, office: str, *, who: str = "the API") -> bool:
        rows = await self.store.write(edits.REMOVE_TENURE, {"holder": holder, "office": office})
        removed = bool(rows and rows[0]["removed"])
        if removed:
            await self.publish(Change(ChangeKind.UPDATED, holder, "Person", frozenset({office})))
            await self._remember([_holder_change(holder, f"-HOLDS {office}")], who)
        return removed

    # --- checked writes ---

    async def _write_checked(
        self, statement: Any, diagnosis: Any, params: dict[str, Any], write: NodeWrite | TenureWrite
    ) -> tuple[bool, bool]:
        """(created, changed). The statement writes only when its checks hold and the graph does not
        already say this; when it did not write, the diagnosis says which. A concurrent change between
        the two (the checks now hold, or the node changed) is met by trying again."""
        check_writable(write)
        for _ in range(ATTEMPTS):
            rows = await self.store.write(statement, params)
            if rows:
                return bool(rows[0]["created"]), True
            found = await self.store.read(diagnosis, params)
            result = await self.diagnose(found[0], params, write)
            if result.problems:
                raise InvalidRecord(result.problems)
            if result.same:
                return False, False
        # Declined each time with no reason the diagnosis can name: a statement and its diagnosis that
        # disagree (a bug of ours, reported as such), never "unavailable": the database answered each time.
        raise DeclinedWrite(
            f"the write of {params.get('id') or params.get('holder')} was declined {ATTEMPTS} "
            "times and its diagnosis found no reason"
        )

    async def diagnose(
        self, row: dict[str, Any], params: dict[str, Any], write: NodeWrite | TenureWrite
    ) -> _Diagnosis:
        problems: list[tuple[str, str]] = []
        found = set(row["found"])
        if isinstance(write, NodeWrite):
            # a missing source is the `source` the evidence came with, not the field of its spans
            named = [
                ("source" if link.rel in _SOURCE_LINKS else link.field, link.dst) for link in write.links
            ]
        else:
            named = [("holder", write.holder), ("office", write.office)]
        for record_field, dst in dict.fromkeys(named):
            if dst not in found:
                problems.append((record_field, f"no node has the id {dst!r}"))
        if row["badSpans"] and row["sourceExists"]:
            text = await self._source_text(params["source"])
            for index in row["badSpans"]:
                problems.append(_span_problem(write.spans[index], text))
        if row["locked"]:
            problems.append(
                ("text", "facts quote this source by position; its text cannot change under them")
            )
        if row["same"] is None:
            raise DeclinedWrite("the diagnosis could not tell whether the node already says this")
        return _Diagnosis(list(dict.fromkeys(problems)), bool(row["same"]) and not problems)

    async def _source_text(self, source_id: str) -> str:
        rows = await self.store.read(reads.SOURCE_TEXTS, {"ids": [source_id]})
        return str(rows[0]["text"] or "") if rows else ""

    # --- deletes ---

    async def delete(self, node_id: str, *, cascade: bool, who: str = "the API") -> Deleted:
        """Delete a node. Without `cascade` it is refused while anything refers to it; with it, what can
        no longer stand (a position whose last evidence goes, a statement whose speaker goes...) goes
        too, and the rest is detached. Checked and written in one statement: a reference made meanwhile
        makes the service look again."""
        for _ in range(ATTEMPTS):
            existing = await self.store.read(reads.NODES_BY_ID, {"ids": [node_id]})
            if not existing:
                raise NotFound(f"`id`: no node has the id {node_id!r}")
            doomed, referrers = await self._doomed(node_id, cascade)
            incoming = [row for row in referrers if row["rel"] != "CITES"]
            if referrers and not cascade:
                raise BadUserInput(_referred_to(node_id, referrers), argument="id")
            related = await self._outgoing(doomed)
            records = {
                row["id"]: NodeRecord.from_row(row)
                for row in await self.store.read(reads.NODES_BY_ID, {"ids": doomed})
            }
            rows = await self.store.write(
                edits.DELETE_NODES,
                {
                    "ids": doomed,
                    "expected": [f"{row['src']} {row['rel']} {row['dst']}" for row in incoming],
                    "dropCiting": cascade,
                },
            )
            if rows:
                break
        else:
            raise Conflict(f"{node_id} kept changing while it was deleted; try again")
        kept = []
        for gone in doomed:
            kind = kind_of(gone)
            label = kind.label if kind else "Node"
            out = related.get(gone, _Outgoing())
            await self.publish(
                Change(ChangeKind.DELETED, gone, label, frozenset(k.split(" ", 1)[1] for k in out.keys))
            )
            props = records[gone].props if gone in records else {}
            kept.append(history.NodeChange(ChangeKind.DELETED, gone, label, props, None))
        # what only referred to them lost that relationship: its change is kept too (a seed load reads the
        # files that state it for it: graphapi/seed/digests.py)
        await self._remember(kept + _detached_changes(referrers, set(doomed)), who)
        detached = sorted({row["src"] for row in referrers} - set(doomed))
        return Deleted(doomed, detached)

    async def _doomed(self, node_id: str, cascade: bool) -> tuple[list[str], list[dict[str, Any]]]:
        """The nodes a delete removes (the one asked for, and with `cascade` whatever loses the last of
        a relationship it cannot stand without), and what refers to them from outside."""
        doomed = [node_id]
        while True:
            referrers = await self.store.read(edits.REFERRERS, {"ids": doomed})
            if not cascade:
                return doomed, referrers
            candidates = sorted({row["src"] for row in referrers if row["rel"] != "CITES"})
            outgoing = await self._outgoing(candidates) if candidates else {}
            falling = [
                src
                for src in candidates
                if not _stands(src, outgoing.get(src, _Outgoing()), set(doomed), referrers)
            ]
            if not falling:
                return doomed, referrers
            doomed += falling

    async def _outgoing(self, ids: Sequence[str]) -> dict[str, _Outgoing]:
        out: dict[str, _Outgoing] = {}
        for row in await self.store.read(edits.OUTGOING, {"ids": list(ids)}):
            node = out.setdefault(row["src"], _Outgoing(conditions=dict(row["conditions"] or {})))
            node.keys.append(f"{row['rel']} {row['dst']}")
        return out


def _stands(node_id: str, outgoing: _Outgoing, doomed: set[str], referrers: list[dict[str, Any]]) -> bool:
    """Whether a node keeps, outside `doomed`, a target of every relationship it cannot stand without."""
    labels: list[str] = next((row["labels"] for row in referrers if row["src"] == node_id), [])
    kind = kind_of(node_id) or kind_of_labels(labels)
    if kind is None:
        return True
    for link in kind.links:
        if not link.requires(outgoing.conditions):
            continue
        targets = [key.split(" ", 1)[1] for key in outgoing.keys if key.split(" ", 1)[0] == link.rel.value]
        if targets and all(t in doomed for t in targets):
            return False
    return True


@dataclass
class _Outgoing:
    """A node's outgoing relationships as `TYPE dst`, and the properties its requirements depend on."""

    keys: list[str] = field(default_factory=list)
    conditions: dict[str, Any] = field(default_factory=dict)


def _referred_to(node_id: str, referrers: list[dict[str, Any]]) -> str:
    named = [
        f"{row['src']} ({'tenure evidence' if row['rel'] == 'CITES' else row['rel']})" for row in referrers
    ]
    shown = ", ".join(named[:10]) + (f" and {len(named) - 10} more" if len(named) > 10 else "")
    return f"`id`: {node_id} is referred to by {shown}; pass cascade: true to delete it anyway"


def _span_problem(span: SpanCheck, text: str) -> tuple[str, str]:
    found = text.find(span.quote) if span.quote else -1
    hint = f"; the quote is at start {found}, end {found + len(span.quote)}" if found >= 0 else ""
    if span.end > len(text):
        return (
            span.field,
            f"[{span.start}:{span.end}] runs past the source's text ({len(text)} characters){hint}",
        )
    return span.field, f"the source's text [{span.start}:{span.end}] is not the quote{hint}"


def _link_changes(before: NodeRecord | None, after: NodeRecord) -> tuple[str, ...]:
    """The owned relationships a write made and removed, as history.NodeChange names them."""
    had = {f"{edge.rel.value} {edge.dst}" for edge in (before.out if before else [])}
    has = {f"{edge.rel.value} {edge.dst}" for edge in after.out}
    return tuple([f"+{key}" for key in sorted(has - had)] + [f"-{key}" for key in sorted(had - has)])


def _detached_changes(referrers: list[dict[str, Any]], doomed: set[str]) -> list[history.NodeChange]:
    """The changes of the nodes a cascade detached: the relationships they lost (a tenure whose evidence
    went, `-HOLDS office`)."""
    links: dict[str, set[str]] = {}
    for row in referrers:
        if row["src"] not in doomed:
            link = f"-HOLDS {row['via']}" if row["rel"] == "CITES" else f"-{row['rel']} {row['dst']}"
            links.setdefault(row["src"], set()).add(link)
    changes = []
    for src, lost in sorted(links.items()):
        kind = kind_of(src)
        label = kind.label if kind else "Node"
        changes.append(history.NodeChange(ChangeKind.UPDATED, src, label, None, None, tuple(sorted(lost))))
    return changes


def _holder_change(holder: str, link: str) -> history.NodeChange:
    return history.NodeChange(ChangeKind.UPDATED, holder, "Person", None, None, (link,))

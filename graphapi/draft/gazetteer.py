"""What the graph knows that an article may name: actors, measures and events by their names and aliases
(and persons by a surname no one else has), offices by their titles, and who held each office when. Read
from the store, or built from records (a seed file's, in tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphapi.graph import records as r
from graphapi.graph.model import id_prefix
from graphapi.store.base import Store
from graphapi.store.cypher import Cypher

# The kinds an article may name, by id prefix.
NAMED = ("country", "person", "party", "org", "measure", "event")
_NAMED_LABELS = ["Country", "Person", "Party", "Organization", "Office", "Measure", "Event"]

GAZETTEER_NODES = Cypher(
    "draft.gazetteer_nodes",
    "MATCH (n:Node) WHERE any(label IN labels(n) WHERE label IN $labels) "
    "OPTIONAL MATCH (n)-[:OFFICE_OF|BASED_IN]->(c:Node) "
    "RETURN n.id AS id, n.name AS name, n.aliases AS aliases, c.id AS of",
)
GAZETTEER_TENURES = Cypher(
    "draft.gazetteer_tenures",
    "MATCH (p:Person)-[h:HOLDS]->(o:Office) "
    "RETURN p.id AS holder, o.id AS office, h.fromStart AS first, h.toEnd AS last",
)

# Stored bounds of an open side (graphapi/graph/dates.py): before and after every day.
_OPEN = ("0000-00-00", "9999-99-99")


@dataclass(frozen=True)
class Entry:
    """Something an article may name: its id, its name and the other names it goes by."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    of: str | None = None  # an office's country or party; a party's country

    @property
    def prefix(self) -> str:
        return id_prefix(self.id) or ""


@dataclass(frozen=True)
class Holding:
    """A tenure: `first` the earliest day it can have begun, `last` the latest it can have ended (None:
    open)."""

    holder: str
    office: str
    first: dt.date | None
    last: dt.date | None

    def possible_on(self, day: dt.date) -> bool:
        return (self.first is None or self.first <= day) and (self.last is None or day <= self.last)


@dataclass
class Gazetteer:
    entries: list[Entry] = field(default_factory=list)
    offices: list[Entry] = field(default_factory=list)
    holdings: list[Holding] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id = {e.id: e for e in [*self.entries, *self.offices]}

    # --- building ---

    @classmethod
    def from_records(cls, records: Iterable[r.Record]) -> Gazetteer:
        entries, offices, holdings = [], [], []
        for record in records:
            if isinstance(record, r.Office):
                offices.append(Entry(record.id, record.name, (), record.of))
            elif isinstance(record, r.Tenure):
                first = record.from_.fuzzy().earliest if record.from_ and not record.from_.relative else None
                last = record.to.fuzzy().latest if record.to and not record.to.relative else None
                holdings.append(Holding(record.holder, record.office, first, last))
            elif isinstance(record, r.Party):
                entries.append(Entry(record.id, record.name, tuple(record.aliases), record.country))
            elif isinstance(record, r.Country | r.Person | r.Organization | r.Measure):
                entries.append(Entry(record.id, record.name, tuple(record.aliases)))
            elif isinstance(record, r.Event):
                entries.append(Entry(record.id, record.name))
        return cls(entries, offices, holdings)

    @classmethod
    def from_rows(cls, nodes: Sequence[dict[str, Any]], tenures: Sequence[dict[str, Any]]) -> Gazetteer:
        entries: list[Entry] = []
        offices: list[Entry] = []
        for row in nodes:
            if not row.get("name"):
                continue
            entry = Entry(row["id"], row["name"], tuple(row.get("aliases") or ()), row.get("of"))
            (offices if entry.prefix == "office" else entries).append(entry)
        holdings = [
            Holding(row["holder"], row["office"], _day(row.get("first")), _day(row.get("last")))
            for row in tenures
        ]
        return cls(entries, offices, holdings)

    @classmethod
    async def from_store(cls, store: Store) -> Gazetteer:
        nodes = await store.read(GAZETTEER_NODES, {"labels": _NAMED_LABELS})
        tenures = await store.read(GAZETTEER_TENURES, {})
        return cls.from_rows(nodes, tenures)

    # --- looking up ---

    def country_of(self, actor_id: str) -> str | None:
        """The country an office or party belongs to (through its party for a party's office)."""
        entry = self.by_id.get(actor_id)
        while entry is not None and entry.prefix != "country":
            entry = self.by_id.get(entry.of) if entry.of else None
        return entry.id if entry is not None else None

    def holders(self, office: str, day: dt.date | None) -> list[str]:
        """Who the graph says may have held the office on the day (without a day: whoever holds it with no
        end given), the tenure that surely covers the day first."""
        found = [
            h
            for h in self.holdings
            if h.office == office and (h.possible_on(day) if day is not None else h.last is None)
        ]
        return list(dict.fromkeys(h.holder for h in found))

    def offices_held(self, person: str, day: dt.date | None) -> list[str]:
        return [h.office for h in self.holdings if h.holder == person and (day is None or h.possible_on(day))]


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str) or value in _OPEN:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None

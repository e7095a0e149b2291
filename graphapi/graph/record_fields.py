"""The field types records are made of (graphapi/graph/records.py): ids of each kind, checked against the
record classes themselves; numbers as the database keeps them; lines, passages and documents of text; the
base of every record; and the checks across fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from graphapi.graph.model import id_prefix
from graphapi.graph.text import check_line, check_text
from graphapi.store.falkordb_params import FLOAT_DIGITS

if TYPE_CHECKING:
    from graphapi.graph.record_parts import DateIn


def _kept_digits(value: float) -> float:
    """A number as the database keeps it, to 15 significant digits: a client's 0.5 + 7/100 arrives as
    0.5700000000000001 and is stored, and read back, as 0.57."""
    return float(f"{value:.{FLOAT_DIGITS}g}")


# Every number a record holds (rates, amounts, confidence).
Number = Annotated[float, AfterValidator(_kept_digits)]


def _registered(actors_only: bool) -> Callable[[], Iterable[str]]:
    """The prefixes of the records that have an id of their own (or of the actors' among them), looked up
    when a value is checked, from the record classes themselves: the kind registry (graphapi/graph/
    kinds.py) declares one kind per such record, and is built from these records, so this module does not
    import it (tests/test_registry.py checks that both say the same)."""

    def prefixes() -> Iterable[str]:
        return _registered_prefixes(actors_only)

    return prefixes


@cache
def _registered_prefixes(actors_only: bool) -> frozenset[str]:
    """(Asked for each id a record holds: worked out once, when the first id is checked, by which time
    graphapi/graph/records.py has defined every record.)"""
    return frozenset(prefix for prefix, actor in identified_records() if actor or not actors_only)


@cache
def field_names(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a record class, in order (asked for each record a load maps)."""
    return tuple(cls.model_fields)


def identified_records() -> list[tuple[str, bool]]:
    """(the id's prefix, whether an actor) for every record class whose `id` names its own kind."""
    found: dict[str, bool] = {}
    pending: list[type[Record]] = [Record]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        id_field = cls.model_fields.get("id")
        for mark in id_field.metadata if id_field is not None else ():
            if isinstance(mark, IdOf):
                found[mark.kinds] = cls.actor_kind
    return sorted(found.items())


def prefixed(prefixes: Iterable[str] | Callable[[], Iterable[str]]) -> Callable[[str], str]:
    fixed = None if callable(prefixes) else frozenset(prefixes)

    def check(value: str) -> str:
        allowed = fixed if fixed is not None else frozenset(prefixes() if callable(prefixes) else ())
        if id_prefix(value) not in allowed:
            expected = " or ".join(f"'{p}:<slug>'" for p in sorted(allowed))
            raise ValueError(f"{value[:80]!r} is not an id of the form {expected}")
        return value

    return check


@dataclass(frozen=True)
class IdOf:
    """Marks an id type with what it may name, for the seed format's documentation (graphapi/seed/docs.py)."""

    kinds: str


SourceId = Annotated[str, AfterValidator(prefixed(["source"])), IdOf("source")]
CountryId = Annotated[str, AfterValidator(prefixed(["country"])), IdOf("country")]
PersonId = Annotated[str, AfterValidator(prefixed(["person"])), IdOf("person")]
PartyId = Annotated[str, AfterValidator(prefixed(["party"])), IdOf("party")]
OrganizationId = Annotated[str, AfterValidator(prefixed(["org"])), IdOf("org")]
OfficeId = Annotated[str, AfterValidator(prefixed(["office"])), IdOf("office")]
MeasureId = Annotated[str, AfterValidator(prefixed(["measure"])), IdOf("measure")]
EventId = Annotated[str, AfterValidator(prefixed(["event"])), IdOf("event")]
StatementId = Annotated[str, AfterValidator(prefixed(["statement"])), IdOf("statement")]
PositionId = Annotated[str, AfterValidator(prefixed(["position"])), IdOf("position")]
ActorId = Annotated[str, AfterValidator(prefixed(_registered(actors_only=True))), IdOf("actor")]
StanceTargetId = Annotated[str, AfterValidator(prefixed(["measure", "event"])), IdOf("measure or event")]
AnyId = Annotated[str, AfterValidator(prefixed(_registered(actors_only=False))), IdOf("node")]

# One line of text (a name, an alias, a title), non-empty; running text may hold line breaks: a passage
# (a quote, a condition, a note) up to MAX_PASSAGE characters, a document (a source's text) far more.
MAX_PASSAGE = 4000
Line = Annotated[str, Field(min_length=1), AfterValidator(check_line)]
Passage = Annotated[str, Field(min_length=1), AfterValidator(lambda v: check_text(v, MAX_PASSAGE))]
Document = Annotated[str, Field(min_length=1), AfterValidator(check_text)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    actor_kind: ClassVar[bool] = False  # the record of an actor's kind (graphapi/graph/records.py)


class FieldError(ValueError):
    """A problem a check across fields finds, naming the field it is about (pydantic locates such checks at
    the record, not at a field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_offsets(start: int | None, end: int | None) -> None:
    """Both offsets or neither, the start not after the end. (Whether text[start:end] is the quote is
    checked against the source: by the seed's checks, and by the write itself.)"""
    if (start is None) != (end is None):
        missing = "end" if end is None else "start"
        raise FieldError(missing, "give both start and end, or neither (the quote is then looked for)")
    if start is not None and end is not None and start > end:
        raise FieldError("start", f"the start ({start}) is after the end ({end})")


def check_order(first: DateIn | None, last: DateIn | None, first_name: str, last_name: str) -> None:
    """The start cannot be sure to come after the end. Bounds relative to the source are checked when the
    source is known (graphapi/graph/mapping.py)."""
    if first is None or last is None or first.relative or last.relative:
        return
    start, end = first.fuzzy(), last.fuzzy()
    if start.earliest is not None and end.latest is not None and start.earliest > end.latest:
        message = f"{first_name} ({start.describe(False)}) is after {last_name} ({end.describe(False)})"
        raise FieldError(first_name, message)

"""The seed format's documentation, generated from the record models (graphapi/graph/records.py): every
field a seed file may hold, required or not, its type and its description (`Field(description=...)`).
`graphapi seed docs` writes it into seed/README.md between two markers; a test fails when the committed
README differs from the models."""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from typing import Any

from annotated_types import Ge, Gt, Le, MaxLen, MinLen
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from graphapi.graph import records as r
from graphapi.graph.kinds import KINDS, RELATIONSHIP_KINDS
from graphapi.graph.text import check_line

BEGIN = "<!-- seed-format: written by `graphapi seed docs` from graphapi/graph/records.py; do not edit -->"
END = "<!-- seed-format: end -->"

# Records a section's records hold, documented once each after the sections.
PARTS: tuple[tuple[type[r.Record], str, str], ...] = (
    (r.Span, "span", "Where evidence sits in the file's source: `text[start:end] == quote`."),
    (r.DateIn, "date", "A date as the source gives it (or just `on`, written alone: `2025-04-02`)."),
    (r.Money, "money", "An amount of money as the source states it."),
    (r.Effect, "effect", "An expected or observed effect of a measure, as the source states it."),
    (r.DraftMark, "draft mark", "A record the drafter proposed, not yet accepted (`graphapi seed draft`)."),
)
_PART_NAMES = {model: name for model, name, _ in PARTS}


def sections() -> list[tuple[str, type[r.Record], bool]]:
    """(section, record, single) of every section a seed file may hold: the source first."""
    out: list[tuple[str, type[r.Record], bool]] = [(k.section, k.record, k.single) for k in KINDS if k.single]
    out += [(k.section, k.record, k.single) for k in KINDS if not k.single]
    out += [(k.section, k.record, False) for k in RELATIONSHIP_KINDS]
    return out


def render() -> str:
    lines = [
        BEGIN,
        "",
        "Required fields are in bold. An *actor id* names a country, person, party or organization; a *node "
        "id* any node. A *date*, a *span*, an amount of *money* and an *effect* are described after the "
        "sections.",
        "",
    ]
    for section, record, single in sections():
        what = "one mapping" if single else "a list"
        lines += [f"### `{section}` ({what})", "", *_table(record), ""]
    lines += ["### The parts of records", ""]
    for model, name, description in PARTS:
        lines += [f"**{name}**: {description}", "", *_table(model), ""]
    lines.append(END)
    return "\n".join(lines)


def with_format(readme: str) -> str:
    """The README with its generated part (between the markers) as the models now say."""
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no generated part: put {BEGIN!r} and {END!r} where it goes")
    return readme[:start] + render() + readme[end + len(END) :]


def _table(model: type[BaseModel]) -> list[str]:
    rows = ["| field | type | what it is |", "|---|---|---|"]
    # the id first, then the fields in the order the model declares them
    for name, info in sorted(model.model_fields.items(), key=lambda item: item[0] != "id"):
        shown = f"`{info.alias or name}`"
        if info.is_required():
            shown = f"**{shown}**"
        rows.append(f"| {shown} | {describe(info.annotation, info.metadata)} | {_cell(info)} |")
    return rows


def _cell(info: FieldInfo) -> str:
    text = (info.description or "").replace("|", "\\|")
    return text[:1].upper() + text[1:] if text else ""


def describe(annotation: Any, metadata: list[Any] = ()) -> str:  # type: ignore[assignment]
    """A field's type in words: `one line of text`, `list of person ids`, `number, 0 to 1`..."""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return describe(rest[0] if len(rest) == 1 else typing.Union[tuple(rest)], metadata)  # noqa: UP007
    if origin is typing.Annotated:
        return describe(args[0], [*metadata, *annotation.__metadata__])
    if origin is list:
        return f"list of {_plural(describe(args[0]))}" + _length(metadata)
    if origin in (typing.Union, types.UnionType) and set(args) == {str, dt.date}:
        return "date"
    marker = next((m for m in metadata if isinstance(m, r.IdOf)), None)
    if marker is not None:
        return f"{marker.kinds} id"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "one of " + ", ".join(f"`{member.value}`" for member in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return next((name for part, name in _PART_NAMES.items() if part is annotation), annotation.__name__)
    if annotation is str:
        one_line = any(isinstance(m, AfterValidator) and m.func is check_line for m in metadata)
        return "one line of text" if one_line else "text"
    if annotation is bool:
        return "true or false"
    if annotation in (int, float):
        return ("whole number" if annotation is int else "number") + _range(metadata)
    return str(annotation)


def _plural(word: str) -> str:
    if word.endswith(" id"):
        return word + "s"
    return {"one line of text": "lines of text", "span": "spans", "money": "amounts of money"}.get(
        word, word + "s"
    )


def _number(value: Any) -> str:
    if abs(value) >= 1e9:
        return f"{value:.0e}".replace("e+", "e")
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _range(metadata: list[Any]) -> str:
    low = next((_number(m.ge) for m in metadata if isinstance(m, Ge)), None)
    low = low or next((f"more than {_number(m.gt)}" for m in metadata if isinstance(m, Gt)), None)
    high = next((_number(m.le) for m in metadata if isinstance(m, Le)), None)
    if low is not None and high is not None:
        return f", {low}, at most {high}" if low.startswith("more") else f", {low} to {high}"
    return f", from {low}" if low is not None else ""


def _length(metadata: list[Any]) -> str:
    least = next((m.min_length for m in metadata if isinstance(m, MinLen)), 0)
    most = next((m.max_length for m in metadata if isinstance(m, MaxLen)), None)
    said = f", at least {least}" if least else ""
    return said + (f", at most {most}" if most is not None else "")

"""From mutation inputs to validated records, and from record problems to the arguments a client sent."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from pydantic import ValidationError

from graphapi.errors import BadUserInput, InvalidRecord
from graphapi.graph import records as r
from graphapi.graph.mapping import camel

# Input fields that are not the record's: where the record's evidence points (passed on its own).
NOT_RECORD_FIELDS = frozenset({"source"})


def to_record(record_type: type[r.Record], given: object, **extra: Any) -> Any:
    """The record of an input object, validated. Input fields the record does not have are refused when
    set (a country's iso code given for a person, say)."""
    data = {k: v for k, v in dataclasses.asdict(given).items() if k not in NOT_RECORD_FIELDS}  # type: ignore[call-overload]
    data.update(extra)
    accepted = {f.alias or name for name, f in record_type.model_fields.items()} | set(
        record_type.model_fields
    )
    for name, value in list(data.items()):
        if name not in accepted:
            if value not in (None, [], ""):
                argument = f"input.{camel(name)}"
                raise BadUserInput(f"`{argument}` does not apply to this kind of node", argument=argument)
            del data[name]
    try:
        return record_type.model_validate(data)
    except ValidationError as exc:
        raise _bad_input(exc) from exc


def _bad_input(exc: ValidationError) -> BadUserInput:
    error = exc.errors()[0]
    cause = error.get("ctx", {}).get("error")
    path = (*error["loc"], cause.field) if isinstance(cause, r.FieldError) else error["loc"]
    argument = "input" + "".join(f"[{p}]" if isinstance(p, int) else f".{camel(str(p))}" for p in path)
    argument = re.sub(r"\.from_?$", ".from", argument)
    message = (
        str(error["ctx"]["error"]) if error["type"] == "value_error" and "ctx" in error else error["msg"]
    )
    return BadUserInput(f"`{argument}`: {message}", argument=argument)


def as_input_error(exc: InvalidRecord) -> BadUserInput:
    """A record problem found as it was written (a reference, a span), named as the client's argument."""
    messages = []
    for field, message in exc.problems:
        messages.append(f"`input.{_path(field)}`: {message}")
    return BadUserInput("; ".join(messages), argument=f"input.{_path(exc.problems[0][0])}")


def _path(field: str) -> str:
    """`effects[0].evidence` as the client spells it; `at_event` becomes `atEvent`."""
    return re.sub(r"[A-Za-z_]+", lambda m: camel(m.group()), field)

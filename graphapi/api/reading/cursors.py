"""Cursors: opaque to clients, and bound to the list, ordering and filter that gave them out.

A cursor holds the position of the last row of a page ([sort key, id] for keyset lists, [offset] for
ranked ones) and the scope it belongs to. A cursor used anywhere else (another list, another ordering,
other filters) is refused, naming `after`, rather than silently restarting or skipping.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphapi.errors import BadUserInput

MAX_CURSOR = 1024  # characters; ours are far shorter


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a cursor value")


@dataclass(frozen=True)
class CursorScope:
    list_name: str  # "measures"
    order: str  # "RATE:DESC"
    filters: str  # a digest of the filter values

    @classmethod
    def of(cls, list_name: str, order: str, filters: Mapping[str, Any]) -> CursorScope:
        canonical = json.dumps(filters, sort_keys=True, separators=(",", ":"), default=str)
        return cls(list_name, order, hashlib.sha256(canonical.encode()).hexdigest()[:16])

    def encode(self, position: list[Any]) -> str:
        payload = {"l": self.list_name, "o": self.order, "f": self.filters, "p": position}
        return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()

    def decode(
        self, cursor: str | None, shape: tuple[type, ...], argument: str = "after"
    ) -> list[Any] | None:
        """The position in a cursor of this scope, checked against the shape the list gives out; None
        without a cursor. Anything else is BAD_USER_INPUT naming the argument."""
        if cursor is None:
            return None
        payload = decoded(cursor)
        if payload is None:
            raise BadUserInput(f"`{argument}` is not a cursor of this list", argument=argument)
        if payload["l"] != self.list_name:
            origin, here = payload["l"][:40], self.list_name
            raise BadUserInput(
                f"`{argument}` is not a cursor of this list: it comes from `{origin}`, not `{here}`",
                argument=argument,
            )
        if payload["o"] != self.order:
            raise BadUserInput(
                f"`{argument}` is not a cursor of this list in this order: it was given out for "
                f"{payload['o'][:40]}, not {self.order}",
                argument=argument,
            )
        if payload["f"] != self.filters:
            raise BadUserInput(
                f"`{argument}` is not a cursor of this list with these filters: page with the arguments that "
                "gave it out",
                argument=argument,
            )
        position = payload["p"]
        if not (
            isinstance(position, list)
            and len(position) == len(shape)
            and all(_fits(value, kind) for value, kind in zip(position, shape, strict=True))
        ):
            raise BadUserInput(f"`{argument}` is not a cursor of this list", argument=argument)
        return position


def decoded(cursor: str) -> dict[str, Any] | None:
    """A cursor's payload (list, ordering, filters, position), or None when it is not one of ours."""
    if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
        payload = json.loads(text, parse_constant=_no_constants)
    except (binascii.Error, UnicodeError, ValueError, RecursionError):
        return None
    if not isinstance(payload, dict) or set(payload) != {"l", "o", "f", "p"}:
        return None
    if not all(isinstance(payload[k], str) for k in ("l", "o", "f")):
        return None
    return payload


def _fits(value: Any, kind: type) -> bool:
    """A sort key or id of the expected type: no booleans, no NaN, no nested values, bounded text."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return kind in (str, object) and len(value) <= 512 and "\x00" not in value
    if isinstance(value, int):
        return kind in (int, object) and abs(value) < 2**53
    if isinstance(value, float):
        return kind in (float, object) and math.isfinite(value)
    return False

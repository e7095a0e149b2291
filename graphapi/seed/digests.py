"""A seed file's digest: what its records depend on, so that a load leaves out a file that has not changed
since it was last loaded (graphapi/seed/loader.py).

The digest covers the file's bytes, the text of the source it names in a file of its own (`file:`), and
the loader's version: the code that maps a file to the graph (every module of `graphapi/graph/` and
`graphapi/seed/`) and the libraries that read it. So a change to any of them makes every file be read again.
It is kept on the file's `SeedFile` node (beside the graph, with the list of what the file states), written
in the load's own all-or-nothing unit: a load that is refused or conflicts leaves the digests it found.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from graphapi.graph.load_plan import chunks
from graphapi.store.base import Store
from graphapi.store.cypher import Cypher

# The code that maps a file's records to the graph (with what it imports from elsewhere: the digits a float
# keeps), and the libraries that read, validate and map it (the stemmer makes each node's search text, with
# Python's Unicode database: graphapi/graph/words.py).
_CODE = ("graph", "seed")
_FILES = ("store/falkordb_params.py",)
_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "yaml-rs", "snowballstemmer")

# The digests kept of the files named (a file that states nothing has no SeedFile node, and no digest).
STORED_DIGESTS = Cypher(
    "load.digests",
    "MATCH (f:SeedFile) WHERE f.name IN $names "
    "RETURN f.name AS name, f.digest AS digest, coalesce(f.inputs, []) AS inputs, "
    "size(coalesce(f.nodes, [])) AS records, coalesce(f.loadedSeen, 0) AS loadedSeen",
)
# The records changed through the API since a time: their history's `Change` nodes, by the index on the
# database's time, which only the API's changes carry (graphapi/graph/history.py, RECORD_API).
API_CHANGED_SINCE = Cypher(
    "load.api_changed_since",
    "MATCH (c:Change) WHERE c.seen >= $since RETURN c.node AS id, max(c.seen) AS seen",
)
# Which of these files state one of these records, or a tenure of one of them.
FILES_STATING = Cypher(
    "load.files_stating",
    "MATCH (f:SeedFile) WHERE f.name IN $names "
    "WITH f, [x IN coalesce(f.nodes, []) WHERE x IN $ids] AS found, "
    "[t IN coalesce(f.tenures, []) WHERE split(t, ' ')[0] IN $ids] AS held "
    "WHERE size(found) > 0 OR size(held) > 0 "
    "RETURN f.name AS name, found + [t IN held | split(t, ' ')[0]] AS ids",
)


@cache
def loader_version() -> str:
    """What the mapping of a file depends on besides the file: the loader's code and libraries."""
    root = Path(__file__).resolve().parents[1]
    version = hashlib.sha256()
    paths = [path for package in _CODE for path in sorted((root / package).rglob("*.py"))]
    for path in paths + [root / name for name in _FILES]:
        version.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    version.update(f"unicode={unicodedata.unidata_version}\0".encode())
    for name in _LIBRARIES:
        try:
            version.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            version.update(f"{name}=-\0".encode())
    return version.hexdigest()


def digest(data: bytes, inputs: Sequence[tuple[str, str]]) -> str:
    """The digest of a file's bytes and the files it reads beside it ((name relative to it, text))."""
    out = hashlib.sha256(loader_version().encode() + b"\0" + hashlib.sha256(data).digest())
    for name, text in inputs:
        out.update(b"\0" + name.encode() + b"\0" + hashlib.sha256(text.encode()).digest())
    return out.hexdigest()


def current_digest(path: Path, inputs: Sequence[str]) -> str | None:
    """The digest of a file as it is now, with the files it read beside it at its last load (a file that
    now names another one has changed itself); None if any cannot be read."""
    try:
        data = path.read_bytes()
        texts = [(name, (path.parent / name).read_text(encoding="utf-8")) for name in inputs]
    except (OSError, UnicodeDecodeError):
        return None
    return digest(data, texts)


async def changed_through_api(store: Store, stored: Sequence[Mapping[str, Any]]) -> set[str]:
    """The files (`stored`: rows of STORED_DIGESTS) that state a record changed through the API since
    their last load: a load reads them, so that it says so, as it always has. Both times are the
    database's (`loadedSeen` set by the statement that wrote the file's list, `seen` by the API's change),
    so the clocks of the processes that load and serve do not matter; a change in the same millisecond as
    the load counts as after it (the file is read once more, and found unchanged)."""
    if not stored:
        return set()
    loaded = {str(row["name"]): int(row.get("loadedSeen") or 0) for row in stored}
    rows = await store.read(API_CHANGED_SINCE, {"since": min(loaded.values())})
    changed = {str(row["id"]): int(row["seen"]) for row in rows}
    found: set[str] = set()
    for chunk in chunks(sorted(changed), 1000):
        for row in await store.read(FILES_STATING, {"names": sorted(loaded), "ids": chunk}):
            name = str(row["name"])
            if any(changed[str(i)] >= loaded[name] for i in row["ids"]):
                found.add(name)
    return found


def stamp(file_digest: str | None, inputs: Sequence[str]) -> dict[str, Any]:
    """The properties of a file's SeedFile node that say what it was loaded from."""
    props: dict[str, Any] = {"digest": file_digest} if file_digest else {}
    return props | ({"inputs": list(inputs)} if inputs and file_digest else {})


def unchanged(stored: Sequence[Mapping[str, Any]], files: Mapping[str, Path]) -> dict[str, int]:
    """The files (by name) whose digest is the one kept (`stored`: rows of STORED_DIGESTS), with how many
    records each states."""
    found = {}
    for row in stored:
        path = files.get(str(row["name"]))
        if path is not None and row["digest"] and current_digest(path, row["inputs"]) == row["digest"]:
            found[str(row["name"])] = int(row["records"])
    return found


__all__ = [
    "STORED_DIGESTS",
    "changed_through_api",
    "current_digest",
    "digest",
    "loader_version",
    "stamp",
    "unchanged",
]

"""`graphapi seed fix-spans`: write each quote's offsets into its seed file, so nobody computes them by hand.

The file is edited as text, at the places the YAML parser reports for each value, so comments, quoting
and layout stay as they were: an offset given is replaced in place, a missing pair is added after its
quote (`start:` and `end:` lines at the quote's indentation, or `, start: N, end: N` in a flow mapping).
The result is read back before it replaces the file: it must hold the same records, offsets aside.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graphapi.graph.kinds import KINDS, RELATIONSHIP_KINDS
from graphapi.seed.files import SeedDocument, read_one
from graphapi.seed.problems import SeedInvalid, SeedProblem
from graphapi.seed.spans import Quote, occurrences, place, place_record, quotes
from graphapi.seed.yaml_loader import SeedYamlLoader


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


def fix_spans(path: Path) -> list[str]:
    """Write the offsets of every quote of a seed file whose offsets are missing or do not hold it; what
    was written, one line each. Raises SeedInvalid (writing nothing) when a quote cannot be placed."""
    document = read_one(path)
    raw = path.read_text(encoding="utf-8")
    tree = yaml.compose(raw, Loader=SeedYamlLoader)
    edits: list[_Edit] = []
    said: list[str] = []
    problems: list[SeedProblem] = []
    for where, record, node in _records(document, tree):
        for quote in quotes(record):
            start = _offset(quote, document.source_text)
            if isinstance(start, str):
                problems.append(SeedProblem(path, where, quote.field, start))
                continue
            if (quote.start, quote.end) == (start, start + len(quote.quote)):
                continue
            edits += _offset_edits(raw, _mapping_at(node, quote.path), start, start + len(quote.quote))
            was = "were missing" if quote.start is None else f"were {quote.start}, {quote.end}"
            said.append(f"{where}: {quote.field}: start {start}, end {start + len(quote.quote)} ({was})")
    if problems:
        raise SeedInvalid(problems)
    if not edits:
        return []
    fixed = raw
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        fixed = fixed[: edit.start] + edit.text + fixed[edit.end :]
    _replace_checked(path, document, fixed)
    return said


def _offset(quote: Quote, text: str | None) -> int | str:
    """Where the quote begins: found when its offsets are missing; when they do not hold it, the
    occurrence it names or else the one nearest to the offsets given."""
    if text is None:
        return "evidence needs a `source` section in the same file"
    if quote.start is None or text[quote.start : quote.end] == quote.quote:
        return place(quote, text)
    found = occurrences(text, quote.quote)
    if not found:
        return "the quote does not occur in the source text"
    if quote.occurrence is not None:
        return place(Quote(quote.path, quote.quote, None, None, quote.occurrence), text)
    given = quote.start
    return min(found, key=lambda at: abs(at - given))


def _records(document: SeedDocument, tree: Any) -> list[tuple[str, Any, Any]]:
    """(how problems name it, record, its YAML mapping node) for every record of the file."""
    sections = {key.value: value for key, value in tree.value} if isinstance(tree, yaml.MappingNode) else {}
    out: list[tuple[str, Any, Any]] = []
    for kind in KINDS:
        node, record = sections.get(kind.section), getattr(document.records, kind.section)
        if kind.single and isinstance(node, yaml.MappingNode) and record is not None:
            out.append((f"{kind.section} ({record.id})", record, node))
    for name in [k.section for k in KINDS if not k.single] + [k.section for k in RELATIONSHIP_KINDS]:
        node = sections.get(name)
        if not isinstance(node, yaml.SequenceNode):
            continue
        for index, record in enumerate(getattr(document.records, name)):
            named = record.id if hasattr(record, "id") else f"{record.holder} in {record.office}"
            out.append((f"{name}[{index}] ({named})", record, node.value[index]))
    return out


def _mapping_at(node: Any, path: tuple[str | int, ...]) -> yaml.MappingNode:
    for part in path:
        if isinstance(part, int):
            node = node.value[part]
        else:
            node = next(value for key, value in node.value if key.value == part)
    assert isinstance(node, yaml.MappingNode)
    return node


def _offset_edits(raw: str, mapping: yaml.MappingNode, start: int, end: int) -> list[_Edit]:
    values = {key.value: (key, value) for key, value in mapping.value}
    if "start" in values and "end" in values:
        return [
            _Edit(values[name][1].start_mark.index, values[name][1].end_mark.index, str(offset))
            for name, offset in (("start", start), ("end", end))
        ]
    quote_key, quote_value = values["quote"]
    if mapping.flow_style:
        return [
            _Edit(quote_value.end_mark.index, quote_value.end_mark.index, f", start: {start}, end: {end}")
        ]
    indent = " " * quote_key.start_mark.column
    if quote_value.style in ("|", ">"):  # a block scalar runs to the next line: put the offsets before it
        at = quote_key.start_mark.index
        return [_Edit(at, at, f"start: {start}\n{indent}end: {end}\n{indent}")]
    line_end = raw.find("\n", quote_value.end_mark.index)
    at = len(raw) if line_end < 0 else line_end
    return [_Edit(at, at, f"\n{indent}start: {start}\n{indent}end: {end}")]


def _replace_checked(path: Path, document: SeedDocument, fixed: str) -> None:
    """Write the fixed text beside the file, read it back, and put it in the file's place only if it holds
    the same records but for offsets, every quote at its offsets (atomically: a reader sees the old file or
    the new one)."""
    target = path.resolve()  # a link keeps pointing at the file, which keeps its permissions
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(fixed)
        os.chmod(temporary, target.stat().st_mode & 0o7777)
        again = read_one(Path(temporary))
        same = _without_offsets(again.records.model_dump()) == _without_offsets(document.records.model_dump())
        placed = all(
            not place_record(record, again.source_text)[1]
            and all(q.start is not None for q in quotes(record))
            for _, record, _ in _records(again, yaml.compose(fixed, Loader=SeedYamlLoader))
        )
        if not (same and placed):
            raise SeedInvalid([SeedProblem(path, None, None, "the offsets could not be written in place")])
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _without_offsets(value: Any) -> Any:
    if isinstance(value, dict):
        quoted = "quote" in value
        return {k: _without_offsets(v) for k, v in value.items() if not (quoted and k in ("start", "end"))}
    if isinstance(value, list):
        return [_without_offsets(v) for v in value]
    return value

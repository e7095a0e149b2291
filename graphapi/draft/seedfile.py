"""A draft as a seed file: the YAML of graphapi/seed's format, the source's text in a file beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from graphapi.draft.drafter import Draft
from graphapi.graph import records as r

# Lines are not folded: each record's `draft:` mark stays on one line, to be removed as one.
WIDTH = 100_000
HEADER = """\
# A DRAFT of the graph of one article, written by `graphapi seed draft`: proposals, not facts.
# Every record marked `draft:` says what it rests on (the rule and how sure it is). Review each: correct
# it, delete it, or accept it by removing its `draft:` line. `graphapi seed load` refuses the file while
# any record is still marked; `graphapi seed validate` checks it as it is. Quotes carry no offsets:
# `graphapi seed fix-spans` writes them.
"""


def document(draft: Draft, text_file: str | None) -> dict[str, Any]:
    """The seed file's sections, as YAML would hold them."""
    source = _plain(draft.source)
    if text_file is not None:
        source.pop("text", None)
        source = {k: v for k, v in {**source, "file": text_file}.items()}
        order = ["id", "draft", "title", "file", "written_on", "language"]
        source = {k: source[k] for k in order if k in source}
    out: dict[str, Any] = {"source": source}
    persons = [_plain(a) for a in draft.actors if isinstance(a, r.Person)]
    organizations = [_plain(a) for a in draft.actors if isinstance(a, r.Organization)]
    if persons:
        out["persons"] = persons
    if organizations:
        out["organizations"] = organizations
    if draft.statements:
        out["statements"] = [_plain(s) for s in draft.statements]
    return out


def _plain(record: r.Record) -> dict[str, Any]:
    data = record.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
    first = [k for k in ("id", "draft") if k in data]
    return {**{k: data[k] for k in first}, **{k: v for k, v in data.items() if k not in first}}


def dump(draft: Draft, text_file: str | None) -> str:
    body = yaml.safe_dump(
        document(draft, text_file), sort_keys=False, allow_unicode=True, width=WIDTH, default_flow_style=None
    )
    return HEADER + "\n" + body


def write(draft: Draft, out: Path) -> Path:
    """Write the draft to `out` and the article's text beside it (`<name>.txt`); the text file's path."""
    text_path = out.with_suffix(".txt")
    text_path.write_text(draft.text, encoding="utf-8")
    out.write_text(dump(draft, text_path.name), encoding="utf-8")
    return text_path

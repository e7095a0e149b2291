"""Finding seed files and reading them into validated records, with every problem located."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError, create_model

from graphapi.graph import records as r
from graphapi.graph.kinds import KINDS, RELATIONSHIP_KINDS
from graphapi.graph.text import check_line, check_text
from graphapi.seed.digests import digest
from graphapi.seed.problems import SeedInvalid, SeedProblem
from graphapi.seed.yaml_loader import load_yaml

# A seed file: one section per kind of the registry (the source a single mapping, the others lists) and
# one per relationship kind (tenures). Unknown sections are errors.
_SECTIONS: dict[str, Any] = {
    kind.section: ((kind.record | None, None) if kind.single else (list[kind.record], []))  # type: ignore[name-defined]
    for kind in KINDS
}
_SECTIONS |= {rel.section: (list[rel.record], []) for rel in RELATIONSHIP_KINDS}  # type: ignore[name-defined]
SeedFile = create_model("SeedFile", __base__=r.Record, **_SECTIONS)

# seed/, inside the package (graphapi/bundled/seed links to it), so an installed wheel loads it too.
BUNDLED_SEED_DIR = (Path(__file__).resolve().parents[1] / "bundled" / "seed").resolve()
SEED_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class SeedDocument:
    path: Path
    records: Any  # a SeedFile
    source_text: str | None
    # what it was read from (graphapi/seed/digests.py): the digest, and the files read beside it
    digest: str | None = None
    inputs: tuple[str, ...] = ()


def discover(paths: Sequence[Path] = ()) -> list[Path]:
    """The seed files named, with directories expanded to the seed files directly inside them."""
    found: list[Path] = []
    missing: list[SeedProblem] = []
    for path in paths or [BUNDLED_SEED_DIR]:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in SEED_SUFFIXES and p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            missing.append(SeedProblem(path, None, None, "no such file or directory"))
    missing += [problem for path in found if (problem := _name_problem(path)) is not None]
    if missing:
        raise SeedInvalid(missing)
    return found


def _name_problem(path: Path) -> SeedProblem | None:
    """A seed file's name becomes the unique name its records are owned by. One line, and no space at
    either end: FalkorDB 4.x crashes (SIGSEGV) writing a value with leading or trailing whitespace into a
    property under a unique constraint (tests/store/test_store_values.py)."""
    name = path.name
    try:
        check_line(name, 200)
    except ValueError as exc:
        return SeedProblem(path, None, None, f"the file's name {exc}")
    if name != name.strip():
        return SeedProblem(path, None, None, "the file's name must not begin or end with a space")
    return None


def read_all(paths: Iterable[Path]) -> list[SeedDocument]:
    """Parse and validate every file; raise SeedInvalid listing every problem in every file."""
    documents, problems = [], []
    for path in paths:
        try:
            documents.append(read_one(path))
        except SeedInvalid as exc:
            problems += exc.problems
    if problems:
        raise SeedInvalid(problems)
    return documents


def read_one(path: Path) -> SeedDocument:
    try:
        data = path.read_bytes()
        # (as read_text would: universal newlines)
        raw = load_yaml(data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedInvalid([SeedProblem(path, None, None, f"cannot read: {exc}")]) from exc
    except yaml.YAMLError as exc:
        raise SeedInvalid([SeedProblem(path, None, None, f"not valid YAML: {exc}")]) from exc
    if not isinstance(raw, dict):
        raise SeedInvalid([SeedProblem(path, None, None, "the top level must be a mapping of sections")])
    try:
        records = SeedFile.model_validate(raw)
    except ValidationError as exc:
        raise SeedInvalid([_locate(path, raw, error) for error in exc.errors()]) from exc
    source_text, inputs = _read_source(path, records)
    # the digest of what was read, before it was mapped: a file changed meanwhile is read again next time
    return SeedDocument(path, records, source_text, digest(data, inputs), tuple(name for name, _ in inputs))


def _read_source(path: Path, records: Any) -> tuple[str | None, list[tuple[str, str]]]:
    """The source's text, and the file it was read from beside the seed file (name, text), if any."""
    source = records.source
    if source is None or source.text is not None:
        return (None if source is None else str(source.text)), []
    text_path = path.parent / source.file
    record = f"source ({source.id})"
    try:
        text = text_path.read_text(encoding="utf-8")
        return check_text(text), [(str(source.file), text)]
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedInvalid([SeedProblem(path, record, "file", f"cannot read {text_path}: {exc}")]) from exc
    except ValueError as exc:
        raise SeedInvalid([SeedProblem(path, record, "file", f"{text_path} {exc}")]) from exc


def _locate(path: Path, raw: dict[str, Any], error: Any) -> SeedProblem:
    """Turn pydantic's location ('measures', 3, 'rate') into record and field names a person can find."""
    loc = list(error["loc"])
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, r.FieldError):
        loc.append(cause.field)
    if not loc:
        return SeedProblem(path, None, None, error["msg"])
    section = str(loc.pop(0))
    record: str | None = section
    if loc and isinstance(loc[0], int):
        index = loc.pop(0)
        item = raw.get(section, [])[index] if isinstance(raw.get(section), list) else None
        record_id = item.get("id") if isinstance(item, dict) else None
        record = f"{section}[{index}]" + (f" ({record_id})" if record_id else "")
    elif isinstance(raw.get(section), dict) and raw[section].get("id"):
        record = f"{section} ({raw[section]['id']})"
    field = ""
    for part in loc:
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
    message = error["msg"]
    if error["type"] == "value_error" and "error" in error.get("ctx", {}):
        message = str(error["ctx"]["error"])  # our own validators' words, without pydantic's prefix
    if error["type"] == "extra_forbidden":
        message = "unknown field (check its spelling against seed/README.md)"
        if not field:
            message = f"unknown section '{section}'"
            record = None
    return SeedProblem(path, record, field or None, message)

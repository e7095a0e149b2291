"""Authoring without arithmetic: quotes without offsets are found, ambiguous ones are refused with their
places, offsets are characters (not bytes), `fix-spans` writes them into the file keeping its layout, and
the seed format's documentation is generated from the record models."""

from __future__ import annotations

import copy
import difflib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_loader import SEED, SEED_FILE, write_seed

from graphapi.graph import records as r
from graphapi.seed.docs import sections, with_format
from graphapi.seed.fix import fix_spans
from graphapi.seed.loader import load, validate_files
from graphapi.seed.problems import SeedInvalid
from graphapi.store import Store
from helpers import SEED_DIR

README = SEED_DIR / "README.md"


def _strip_offsets(document: dict[str, Any]) -> dict[str, Any]:
    """The seed with no offsets at all: every quote alone."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            quoted = "quote" in value
            return {k: strip(v) for k, v in value.items() if not (quoted and k in ("start", "end"))}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return dict(strip(copy.deepcopy(document)))


def _nodes(path: Path) -> dict[str, dict[str, Any]]:
    return {node.id: node.props for node, _, _ in validate_files([path]).plan.nodes}


def test_quotes_without_offsets_are_found(tmp_path: Path) -> None:
    """The whole seed without one offset plans the same graph as with them."""
    bare = write_seed(tmp_path / "bare", _strip_offsets(SEED))
    assert "start:" not in bare.read_text(encoding="utf-8")
    assert _nodes(bare) == _nodes(SEED_FILE)


def test_an_ambiguous_quote_is_refused_with_its_places(tmp_path: Path) -> None:
    document = _strip_offsets(SEED)
    document["measures"][0]["evidence"].append({"quote": "tariffs on vehicle"})
    with pytest.raises(SeedInvalid) as caught:
        validate_files([write_seed(tmp_path, document)])
    message = " ".join(str(caught.value).split())
    assert (
        "measures[0] (measure:us-vehicle-tariff-2025): field 'evidence[3]': the quote occurs 2 times:"
        in message
    )
    assert (
        "at start 1102, end 1120 (...U.S. president's planned 25% [tariffs on vehicle] imports, set"
        in message
    )
    assert (
        "at start 2814, end 2832 (...U.S. exports. The upcoming [tariffs on vehicle]s are expected" in message
    )
    assert "say which with `occurrence: N` (1 for the first), or give start and end" in message


def test_occurrence_says_which(tmp_path: Path) -> None:
    document = _strip_offsets(SEED)
    document["measures"][0]["evidence"].append({"quote": "tariffs on vehicle", "occurrence": 2})
    plan = validate_files([write_seed(tmp_path / "second", document)]).plan
    vehicle = next(n for n, _, _ in plan.nodes if n.id == "measure:us-vehicle-tariff-2025")
    assert vehicle.props["evidenceStarts"][-1] == 2814 and vehicle.props["evidenceEnds"][-1] == 2832
    document["measures"][0]["evidence"][-1]["occurrence"] = 3
    with pytest.raises(SeedInvalid, match="the quote occurs 2 times; there is no occurrence 3"):
        validate_files([write_seed(tmp_path / "third", document)])
    document["measures"][0]["evidence"][-1] = {
        "quote": "tariffs on vehicle",
        "start": 1102,
        "end": 1120,
        "occurrence": 2,
    }
    with pytest.raises(SeedInvalid, match="start 1102 is occurrence 1 of the quote, not 2"):
        validate_files([write_seed(tmp_path / "disagree", document)])


def test_half_an_offset_pair_is_refused(tmp_path: Path) -> None:
    document = _strip_offsets(SEED)
    document["statements"][0]["start"] = 535
    with pytest.raises(SeedInvalid, match="field 'end': give both start and end, or neither"):
        validate_files([write_seed(tmp_path, document)])


def _accented_seed(directory: Path) -> tuple[Path, str]:
    """A seed whose source has a non-ASCII character before its quote."""
    text = "Le premier ministre du Québec a dit: « Nous répondrons. » Le Canada répondra aux tarifs."
    (directory / "sources").mkdir(parents=True)
    (directory / "sources" / "quebec.txt").write_text(text, encoding="utf-8")
    seed = {
        "source": {"id": "source:quebec", "title": "Québec", "file": "sources/quebec.txt"},
        "countries": [{"id": "country:CA", "name": "Canada", "iso_code": "CA"}],
        "statements": [
            {
                "id": "statement:canada-repondra",
                "speaker": "country:CA",
                "quote": "Le Canada répondra",
                "direct": False,
            }
        ],
    }
    import yaml

    path = directory / "quebec.yaml"
    path.write_text(yaml.safe_dump(seed, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, text


def test_offsets_count_characters_not_bytes(tmp_path: Path) -> None:
    path, text = _accented_seed(tmp_path)
    [(statement, _, _)] = [n for n in validate_files([path]).plan.nodes if n[0].id.startswith("statement:")]
    characters = text.index("Le Canada")
    octets = text.encode("utf-8").index(b"Le Canada")  # what `grep -b` reports
    assert (statement.props["spanStart"], statement.props["spanEnd"]) == (characters, characters + 18)
    assert octets == characters + 4  # é, «, é, »: two bytes each before the quote
    # the byte offsets are refused, and the error says where the quote is in characters
    raw = path.read_text(encoding="utf-8").replace(
        "direct: false", f"direct: false\n  start: {octets}\n  end: {octets + 21}"
    )
    path.write_text(raw, encoding="utf-8")
    with pytest.raises(SeedInvalid) as caught:
        validate_files([path])
    assert f"the quote is at start {characters}, end {characters + 18}" in str(caught.value)


async def test_a_seed_without_offsets_loads(scratch_store: Store, tmp_path: Path) -> None:
    path, _ = _accented_seed(tmp_path)
    report = await load(scratch_store, [path])
    assert report.nodes_created["Statement"] == 1


# --- fix-spans ---------------------------------------------------------------------------------------------


def _prepared_copy(tmp_path: Path) -> tuple[Path, str]:
    """The bundled seed file, as written by hand (comments, quoting, layout), with offsets missing, wrong,
    and in a flow mapping, as an author leaves them."""
    (tmp_path / "sources").mkdir()
    shutil.copy(SEED_DIR / "sources" / "us-canada-tariff-call.txt", tmp_path / "sources")
    original = SEED_FILE.read_text(encoding="utf-8")
    text = original
    # a statement without its offsets
    text = text.replace(
        "    quote: very constructive\n    start: 942\n    end: 959\n", "    quote: very constructive\n"
    )
    # evidence without offsets, followed by a comment
    text = text.replace(
        "      - quote: leftist NDP leader Jagmeet Singh\n        start: 3181\n        end: 3213\n",
        "      - quote: leftist NDP leader Jagmeet Singh  # how the article introduces him\n",
    )
    # offsets that drifted (the text gained three characters before them, say)
    text = text.replace(
        "    quote: betrayal\n    start: 3229\n    end: 3237\n",
        "    quote: betrayal\n    start: 3232\n    end: 3240\n",
    )
    # a flow mapping without offsets
    text = text.replace(
        "      - quote: U.S. Commerce Secretary Howard Lutnick\n        start: 1719\n        end: 1757\n",
        "      - {quote: U.S. Commerce Secretary Howard Lutnick}\n",
    )
    assert text.count("\n") == original.count("\n") - 6
    path = tmp_path / "us-canada-tariff-call.yaml"
    path.write_text(text, encoding="utf-8")
    return path, original


def test_fix_spans_writes_only_offsets(tmp_path: Path) -> None:
    path, original = _prepared_copy(tmp_path)
    before = path.read_text(encoding="utf-8")
    said = fix_spans(path)
    assert len(said) == 4
    carney = [s["id"] for s in SEED["statements"]].index("statement:carney-call-very-constructive")
    assert (
        f"statements[{carney}] (statement:carney-call-very-constructive): quote: start 942, end 959 (were missing)"
        in said
    )
    singh = [s["id"] for s in SEED["statements"]].index("statement:singh-betrayal")
    assert (
        f"statements[{singh}] (statement:singh-betrayal): quote: start 3229, end 3237 (were 3232, 3240)"
        in said
    )
    after = path.read_text(encoding="utf-8")
    # the file loads, and plans exactly what the committed seed plans
    assert _nodes(path) == _nodes(SEED_FILE)
    # only offsets changed: every changed or added line is a `start:`/`end:` (or the flow mapping's line)
    changed = [
        line[1:]
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    offsets = re.compile(r"^\s*(start|end): \d+$")
    flow = "      - {quote: U.S. Commerce Secretary Howard Lutnick"
    assert all(offsets.match(line) or line.startswith(flow) for line in changed), changed
    assert "      - {quote: U.S. Commerce Secretary Howard Lutnick, start: 1719, end: 1757}" in after
    assert "# how the article introduces him\n        start: 3181\n        end: 3213\n" in after
    assert after.startswith(original.split("\nsource:")[0])  # the header comments are untouched
    assert fix_spans(path) == []  # nothing left to write


def test_fix_spans_writes_through_a_link_and_keeps_the_permissions(tmp_path: Path) -> None:
    path, _ = _prepared_copy(tmp_path)
    path.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(path)
    assert len(fix_spans(link)) == 4
    assert link.is_symlink() and link.resolve() == path
    assert path.stat().st_mode & 0o777 == 0o640
    assert "start: 942" in path.read_text(encoding="utf-8")


def test_fix_spans_gives_back_the_committed_seed_from_its_quotes_alone(tmp_path: Path) -> None:
    """Every offset of the bundled seed taken out (block and flow mappings, dates' evidence, deeds'
    spans): fix-spans writes them all back, and the file is the committed one, byte for byte."""
    (tmp_path / "sources").mkdir()
    shutil.copy(SEED_DIR / "sources" / "us-canada-tariff-call.txt", tmp_path / "sources")
    original = SEED_FILE.read_text(encoding="utf-8")
    bare = re.sub(r", start: \d+, end: \d+", "", re.sub(r"\n *(start|end): \d+(?=\n)", "", original))
    assert "start:" not in bare
    path = tmp_path / SEED_FILE.name
    path.write_text(bare, encoding="utf-8")
    said = fix_spans(path)
    assert len(said) == original.count("start: ")
    assert path.read_text(encoding="utf-8") == original


def test_fix_spans_refuses_an_ambiguous_quote_and_writes_nothing(tmp_path: Path) -> None:
    path, _ = _prepared_copy(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "      - quote: to affect parts starting later in May\n        start: 2933\n        end: 2970\n",
        "      - quote: Carney\n",
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeedInvalid, match="the quote occurs 11 times"):
        fix_spans(path)
    assert path.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftover


# --- the format's documentation ------------------------------------------------------------------------------


def test_the_seed_readme_is_generated_from_the_records() -> None:
    committed = README.read_text(encoding="utf-8")
    assert committed == with_format(committed), "seed/README.md is stale: run `graphapi seed docs`"


def test_every_field_a_seed_accepts_is_documented() -> None:
    readme = README.read_text(encoding="utf-8")
    for section, record, _ in sections():
        assert f"### `{section}`" in readme
        for name, info in record.model_fields.items():
            assert info.description, f"{record.__name__}.{name} has no description"
            assert f"`{info.alias or name}`" in readme
    for part in (r.Span, r.DateIn, r.Money, r.Effect):
        for name, info in part.model_fields.items():
            assert info.description, f"{part.__name__}.{name} has no description"
    measures = readme.split("### `measures`")[1].split("###")[0]
    assert (
        "| `effects` | list of effects |" in measures and "| `aliases` | list of lines of text |" in measures
    )

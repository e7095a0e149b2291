"""Synthetic seed files of the same shape as the article's graph, at any size.

`write_synthetic_seed(directory, statements=N)` writes a seed file and its source text: countries,
persons holding offices, measures imposed on each other (with retaliation chains), and N statements with
one position each, every quote at its real span in the generated source text. A source's text is bounded
(graphapi/graph/text.py, MAX_TEXT): past STATEMENTS_PER_FILE statements, the rest go into further files,
each with its source, and the directory holding them all is returned instead of the one file.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

from graphapi.graph.text import MAX_TEXT

STANCES = ["SUPPORT", "OPPOSE", "NEUTRAL", "MIXED"]
STATEMENTS_PER_FILE = 20_000  # about 1.3 million characters of source text
TEXT_BUDGET = MAX_TEXT - 100_000  # a source's text, with room for the sentence that passes it


def write_synthetic_seed(
    directory: Path,
    *,
    statements: int,
    persons: int | None = None,
    measures: int | None = None,
    seed: int = 7,
) -> Path:
    rng = random.Random(seed)
    persons = persons or max(2, statements // 20)
    measures = measures or max(2, statements // 50)
    countries = [{"id": f"country:{_iso(i)}", "name": f"Country {i}", "iso_code": _iso(i)} for i in range(10)]
    text_parts: list[str] = []
    offset = 0

    def span(sentence: str, quote: str) -> dict[str, Any]:
        nonlocal offset
        start = offset + sentence.index(quote)
        text_parts.append(sentence)
        offset += len(sentence)
        return {"quote": quote, "start": start, "end": start + len(quote)}

    people, offices, tenures = [], [], []
    for i in range(persons):
        country = countries[i % len(countries)]["id"]
        people.append({"id": f"person:p{i}", "name": f"Person {i}"})
        offices.append({"id": f"office:o{i}", "name": f"Minister {i}", "of": country})
        tenures.append(
            {
                "holder": f"person:p{i}",
                "office": f"office:o{i}",
                "from": f"2025-{1 + i % 12:02d}-01",
                "evidence": [span(f"Person {i} is Minister {i}.\n", f"Person {i} is Minister {i}")],
            }
        )
    policy = []
    for i in range(measures):
        imposer, target = countries[i % 10]["id"], countries[(i + 1) % 10]["id"]
        record: dict[str, Any] = {
            "id": f"measure:m{i}",
            "name": f"Measure {i}",
            "kind": "TARIFF",
            "rate": float(5 + i % 40),
            "status": ["IN_FORCE", "ANNOUNCED", "THREATENED"][i % 3],
            "imposed_by": [imposer],
            "targets": [target],
            "sectors": [f"sector {i % 7}"],
            "effective_from": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "evidence": [span(f"Measure {i} is a tariff of {imposer}.\n", f"Measure {i} is a tariff")],
        }
        if i:
            record["retaliates_against"] = [f"measure:m{i - 1}"]
        policy.append(record)
    said, positions = [], []
    files: list[tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]] = []
    for i in range(statements):
        # a further file, with a source of its own: every STATEMENTS_PER_FILE, or sooner when the first
        # file's source (which holds the actors' and measures' evidence too) would grow past the limit
        if said and (len(said) == STATEMENTS_PER_FILE or offset > TEXT_BUDGET):
            files.append((text_parts, said, positions))
            text_parts, said, positions, offset = [], [], [], 0
        speaker, measure = f"person:p{rng.randrange(persons)}", f"measure:m{rng.randrange(measures)}"
        quote = f"statement number {i} on {measure}"
        s = span(f'Someone said "{quote}" today.\n', quote)
        said.append(
            {
                "id": f"statement:s{i}",
                "speaker": speaker,
                "quote": quote,
                "start": s["start"],
                "end": s["end"],
                "direct": True,
                "said_on": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "about": [measure],
            }
        )
        positions.append(
            {
                "id": f"position:s{i}",
                "actor": speaker,
                "on": measure,
                "stance": STANCES[i % 4],
                "confidence": 0.5,
                "evidence": [f"statement:s{i}"],
            }
        )
    files.append((text_parts, said, positions))
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sources").mkdir(exist_ok=True)
    for n, (text, said, positions) in enumerate(files):
        name = "synthetic" if n == 0 else f"synthetic-{n}"
        (directory / "sources" / f"{name}.txt").write_text("".join(text), encoding="utf-8")
        source = {"id": f"source:{name}", "title": "Synthetic source", "file": f"sources/{name}.txt"}
        document: dict[str, Any] = {"source": source}
        if n == 0:
            document |= {"countries": countries, "persons": people, "offices": offices, "tenures": tenures,
                         "measures": policy}  # fmt: skip
        document |= {"statements": said, "positions": positions}
        path = directory / f"{name}.yaml"
        # libyaml's emitter when PyYAML has it: a million statements are written in minutes, not an hour
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        path.write_text(yaml.dump(document, Dumper=dumper, sort_keys=False, width=200), encoding="utf-8")
    return directory / "synthetic.yaml" if len(files) == 1 else directory


def _iso(i: int) -> str:
    return "X" + "ABCDEFGHIJ"[i]

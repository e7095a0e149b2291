"""Synthetic seed files of the same shape as the article's graph, at any size.

`write_synthetic_seed(directory, statements=N)` writes a seed file and its source text: countries,
persons holding offices, measures imposed on each other (with retaliation chains), and N statements with
one position each, every quote at its real span in the generated source text. A source's text is bounded
(graphapi/graph/text.py, MAX_TEXT): past STATEMENTS_PER_FILE statements, or when a source's text would
pass the limit (at a million statements the offices' and measures' evidence alone does), the rest go
into further files, each with its source, and the directory holding them all is returned instead of the
one file.
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


class _File:
    """One seed file being written: its source's text and the records it states."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.offset = 0
        self.records: dict[str, list[dict[str, Any]]] = {}

    def span(self, sentence: str, quote: str) -> dict[str, Any]:
        """The quote's span in the sentence, the sentence added to the source's text."""
        start = self.offset + sentence.index(quote)
        self.text.append(sentence)
        self.offset += len(sentence)
        return {"quote": quote, "start": start, "end": start + len(quote)}

    def add(self, kind: str, record: dict[str, Any]) -> None:
        self.records.setdefault(kind, []).append(record)


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
    files = [_File()]
    files[0].records["countries"] = countries

    def room(statements_in_file: int = 0) -> _File:
        """The file to write into: a further one, with a source of its own, when this one's source would
        grow past the limit or it holds STATEMENTS_PER_FILE statements."""
        if files[-1].offset > TEXT_BUDGET or statements_in_file == STATEMENTS_PER_FILE:
            files.append(_File())
        return files[-1]

    for i in range(persons):
        country = countries[i % len(countries)]["id"]
        file = room()
        file.add("persons", {"id": f"person:p{i}", "name": f"Person {i}"})
        file.add("offices", {"id": f"office:o{i}", "name": f"Minister {i}", "of": country})
        evidence = file.span(f"Person {i} is Minister {i}.\n", f"Person {i} is Minister {i}")
        tenure = {"holder": f"person:p{i}", "office": f"office:o{i}", "from": f"2025-{1 + i % 12:02d}-01"}
        file.add("tenures", {**tenure, "evidence": [evidence]})
    for i in range(measures):
        imposer, target = countries[i % 10]["id"], countries[(i + 1) % 10]["id"]
        file = room()
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
            "evidence": [file.span(f"Measure {i} is a tariff of {imposer}.\n", f"Measure {i} is a tariff")],
        }
        if i:
            record["retaliates_against"] = [f"measure:m{i - 1}"]
        file.add("measures", record)
    for i in range(statements):
        file = room(len(files[-1].records.get("statements", ())))
        speaker, measure = f"person:p{rng.randrange(persons)}", f"measure:m{rng.randrange(measures)}"
        quote = f"statement number {i} on {measure}"
        s = file.span(f'Someone said "{quote}" today.\n', quote)
        file.add(
            "statements",
            {
                "id": f"statement:s{i}",
                "speaker": speaker,
                "quote": quote,
                "start": s["start"],
                "end": s["end"],
                "direct": True,
                "said_on": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "about": [measure],
            },
        )
        file.add(
            "positions",
            {
                "id": f"position:s{i}",
                "actor": speaker,
                "on": measure,
                "stance": STANCES[i % 4],
                "confidence": 0.5,
                "evidence": [f"statement:s{i}"],
            },
        )
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sources").mkdir(exist_ok=True)
    for n, file in enumerate(files):
        name = "synthetic" if n == 0 else f"synthetic-{n}"
        (directory / "sources" / f"{name}.txt").write_text("".join(file.text), encoding="utf-8")
        source = {"id": f"source:{name}", "title": "Synthetic source", "file": f"sources/{name}.txt"}
        document: dict[str, Any] = {"source": source}
        for kind in ("countries", "persons", "offices", "tenures", "measures", "statements", "positions"):
            if kind in file.records:
                document[kind] = file.records[kind]
        path = directory / f"{name}.yaml"
        # libyaml's emitter when PyYAML has it: a million statements are written in minutes, not an hour
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        path.write_text(yaml.dump(document, Dumper=dumper, sort_keys=False, width=200), encoding="utf-8")
    return directory / "synthetic.yaml" if len(files) == 1 else directory


def _iso(i: int) -> str:
    return "X" + "ABCDEFGHIJ"[i]

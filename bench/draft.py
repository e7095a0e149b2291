"""How long the drafter takes on a 1,000-word article: `python -m bench.draft`.

The article is wire-style paragraphs of the drafter's test articles (tests/drafting/dev/), repeated until
it has --words words; the gazetteer is the fictional world of tests/drafting/world.yaml plus the bundled
seed. It prints the time of the first draft (building the spaCy pipeline for the gazetteer, which the
process then keeps), the median and slowest of the following drafts, and the median's share of the
one-second budget. Not a timed test: the figures depend on the machine and its load."""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from graphapi.draft import Article, Gazetteer, draft_article
from graphapi.seed.files import BUNDLED_SEED_DIR, discover, read_one

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "drafting"
BUDGET = 1.0  # seconds, for 1,000 words


def records() -> list[Any]:
    out: list[Any] = []
    for path in [FIXTURES / "world.yaml", *discover([BUNDLED_SEED_DIR])]:
        document = read_one(path)
        for name in type(document.records).model_fields:
            value = getattr(document.records, name)
            out += value if isinstance(value, list) else ([value] if value is not None else [])
    return out


def article(words: int) -> Article:
    paragraphs: list[str] = []
    for path in sorted((FIXTURES / "dev").glob("*.txt")):
        paragraphs += [
            p for p in path.read_text(encoding="utf-8").split("\n", 1)[1].split("\n\n") if p.strip()
        ]
    body, count = [], 0
    while count < words:
        paragraph = paragraphs[len(body) % len(paragraphs)]
        body.append(paragraph.strip())
        count += len(paragraph.split())
    return Article.parse(
        "A long wire report\nMERIDIA, June 12, 2025 (Wirewatch) - " + "\n\n".join(body) + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--repetitions", type=int, default=20)
    options = parser.parse_args()
    gazetteer = Gazetteer.from_records(records())
    text = article(options.words)
    started = time.perf_counter()
    first = draft_article(text, gazetteer)
    cold = time.perf_counter() - started
    times = []
    for _ in range(options.repetitions):
        started = time.perf_counter()
        draft_article(text, gazetteer)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    words = len(text.text.split())
    print(
        f"article: {words} words, {len(first.statements)} statements drafted; gazetteer: "
        f"{len(gazetteer.entries)} names, {len(gazetteer.offices)} offices"
    )
    print(f"first draft (builds the pipeline): {cold * 1000:.0f} ms")
    print(
        f"next {options.repetitions}: median {median * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms "
        f"({median * 1000 / words / BUDGET:.3f} of the budget of {BUDGET:.0f} s per 1,000 words)"
    )


if __name__ == "__main__":
    main()

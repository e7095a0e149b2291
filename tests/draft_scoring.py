"""Scoring the drafter on the fixture articles of tests/drafting/: each article `NAME.txt` has its expected
quotes in `NAME.expected.yaml` (the quote, its speaker: an id of tests/drafting/world.yaml or `new:<name>`
for a person the article introduces, and its attribution form) and the reported speech it holds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graphapi.draft import Article, Draft, Gazetteer, draft_article
from graphapi.seed.files import read_one

FIXTURES = Path(__file__).parent / "drafting"
WORLD = FIXTURES / "world.yaml"
DEV = sorted((FIXTURES / "dev").glob("*.txt"))
HELD_OUT = sorted((FIXTURES / "heldout").glob("*.txt"))
FORMS = (
    "x_said",
    "said_x",
    "told_reporters",
    "according_to",
    "split",
    "in_reported",
    "title",
    "pronoun",
    "new_person",
    "multi",
)


def world_records() -> list[Any]:
    document = read_one(WORLD)
    out: list[Any] = []
    for name in type(document.records).model_fields:
        value = getattr(document.records, name)
        out += value if isinstance(value, list) else ([value] if value is not None else [])
    return out


def world() -> Gazetteer:
    return Gazetteer.from_records(world_records())


def expected(article: Path) -> dict[str, Any]:
    return yaml.safe_load(article.with_suffix(".expected.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def normal(quote: str) -> str:
    """A quote as compared: the punctuation that hands over to the attribution (",") or ends the sentence
    inside the marks is not counted either way."""
    return quote.strip().rstrip(",.;:").strip()


def speaker_key(draft: Draft, speaker: str) -> str:
    names = {a.id: a.name for a in draft.actors}
    return f"new:{names[speaker]}" if speaker in names else speaker


@dataclass
class Score:
    expected: int = 0
    found: int = 0  # expected quotes drafted verbatim with the right speaker
    drafted: int = 0  # drafted direct quotes
    correct: int = 0  # drafted direct quotes that are expected, with the right speaker
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.drafted if self.drafted else 1.0


def score(articles: list[Path], gazetteer: Gazetteer | None = None) -> dict[str, Score]:
    """Per attribution form, and overall ("all"): recall (expected quotes found verbatim with the right
    speaker) and precision (drafted direct quotes that are real quotes with the right speaker; a drafted
    quote is counted under the form of the expected quote with its words, or "unexpected")."""
    gazetteer = gazetteer or world()
    scores: dict[str, Score] = defaultdict(Score)
    for path in articles:
        draft = draft_article(Article.read(path), gazetteer)
        wanted = {normal(e["quote"]): e for e in expected(path)["quotes"]}
        drafted = {(normal(s.quote), speaker_key(draft, s.speaker)) for s in draft.statements if s.direct}
        for quote, entry in wanted.items():
            for key in (entry["form"], "all"):
                scores[key].expected += 1
                if (quote, entry["speaker"]) in drafted:
                    scores[key].found += 1
                else:
                    scores[key].misses.append(f"{path.name}: {quote!r} by {entry['speaker']}")
        for quote, speaker in drafted:
            entry = wanted.get(quote)
            right = entry is not None and entry["speaker"] == speaker
            for key in (entry["form"] if entry else "unexpected", "all"):
                scores[key].drafted += 1
                if right:
                    scores[key].correct += 1
                else:
                    scores[key].wrong.append(f"{path.name}: {quote!r} by {speaker}")
    return dict(scores)


def reported(articles: list[Path], gazetteer: Gazetteer | None = None) -> tuple[int, int, list[str]]:
    """(expected reported statements found with the right speaker, expected, what was missed)."""
    gazetteer = gazetteer or world()
    found, total, missed = 0, 0, []
    for path in articles:
        draft = draft_article(Article.read(path), gazetteer)
        drafted = [(s.quote, speaker_key(draft, s.speaker)) for s in draft.statements if not s.direct]
        for entry in expected(path)["reported"]:
            total += 1
            if any(entry["contains"] in q and s == entry["speaker"] for q, s in drafted):
                found += 1
            else:
                missed.append(f"{path.name}: {entry}")
    return found, total, missed


def table(scores: dict[str, Score]) -> str:
    """The README's table: per form, recall and precision with their counts."""
    rows = [
        "| attribution form | quotes | found with the right speaker | drafted | real, right speaker |",
        "|---|---:|---:|---:|---:|",
    ]
    for form in (*FORMS, "unexpected", "all"):
        s = scores.get(form)
        if s is None:
            continue
        rows.append(
            f"| {form} | {s.expected} | {s.found} ({s.recall:.0%}) | {s.drafted} | {s.correct} ({s.precision:.0%}) |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    import sys

    chosen = HELD_OUT if "--held-out" in sys.argv else DEV
    result = score(chosen)
    print(table(result))
    for s in result.values():
        for line in s.misses + s.wrong:
            print(" ", line)
    print("reported:", reported(chosen)[:2])

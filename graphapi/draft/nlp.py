"""The text's sentences and the things of the graph it names, found with spaCy without a trained model:
the blank English tokenizer, the rule-based sentencizer, and an entity ruler whose patterns are the
gazetteer's names, aliases, surnames and office titles."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language

from graphapi.draft.gazetteer import Gazetteer

# Abbreviations a sentence does not end with ("Oct. 9", "U.S. officials").
_ABBREVIATIONS = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|St|Gov|Sen|Rep|Gen|Lt|Col|"
    r"No|Inc|Corp|Ltd|U\.S|U\.K|U\.N|E\.U)\.$"
)
TITLE_LABEL = "TITLE"
# Offices named "X of Y": the title is X ("Prime Minister of Canada" -> "prime minister").
_OF = re.compile(r"\s+of\s+.*$", re.IGNORECASE)
# Generic words for whoever leads a country, answered by its head of state or government.
LEADER_WORDS = frozenset({"leader", "head"})
HEAD_TITLES = ("president", "prime minister", "chancellor", "premier")


@dataclass(frozen=True)
class Mention:
    """A stretch of the text naming something of the graph: an entry (`id`), or an office title (`id`
    is `title:<words>`, the offices bearing it are the gazetteer's to find)."""

    start: int
    end: int
    text: str
    id: str
    label: str


@dataclass(frozen=True)
class Parsed:
    sentences: list[tuple[int, int]]
    mentions: list[Mention]


def title_of(office_name: str) -> str:
    return _OF.sub("", office_name).strip().lower()


class Pipeline:
    """A spaCy pipeline for one gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.titles: dict[str, list[str]] = {}
        for office in gazetteer.offices:
            self.titles.setdefault(title_of(office.name), []).append(office.id)
        self.nlp = _pipeline(json.dumps(_patterns(gazetteer, self.titles), sort_keys=True))

    def parse(self, text: str) -> Parsed:
        doc = self.nlp(text)
        sentences = _merged([(s.start_char, s.end_char) for s in doc.sents], text)
        mentions = [
            Mention(e.start_char, e.end_char, e.text, e.ent_id_, e.label_) for e in doc.ents if e.ent_id_
        ]
        return Parsed(sentences, mentions)


def _patterns(gazetteer: Gazetteer, titles: dict[str, list[str]]) -> list[dict[str, Any]]:
    patterns: list[dict[str, Any]] = []
    surnames = Counter(e.name.split()[-1] for e in gazetteer.entries if e.prefix == "person")
    for entry in gazetteer.entries:
        names = {entry.name, *entry.aliases}
        if entry.prefix == "person" and len(entry.name.split()) > 1:
            surname = entry.name.split()[-1]
            if surnames[surname] == 1 and len(surname) > 2:
                names.add(surname)
        if entry.prefix in ("measure", "event"):
            names |= {n.lower() for n in names}  # running text writes them in lower case
        for name in sorted(names):
            patterns.append({"label": entry.prefix.upper(), "pattern": name, "id": entry.id})
    for title in titles:
        for form in (title, title.title(), title.capitalize()):
            patterns.append({"label": TITLE_LABEL, "pattern": form, "id": f"title:{title}"})
    return patterns


@lru_cache(maxsize=8)
def _pipeline(patterns: str) -> Language:
    """A blank English pipeline (spaCy's rule-based tokenizer, no model) with a sentencizer and an entity
    ruler of the patterns (JSON); cached, as the same graph drafts many articles."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(json.loads(patterns))  # type: ignore[attr-defined]
    return nlp


def _merged(sentences: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """The sentencizer's sentences, joined again after an abbreviation ("Oct. 9")."""
    out: list[tuple[int, int]] = []
    for start, end in sentences:
        if (
            out
            and _ABBREVIATIONS.search(text[out[-1][0] : out[-1][1]].rstrip())
            and "\n\n" not in text[out[-1][1] : start]
        ):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def pipeline_for(gazetteer: Gazetteer) -> Pipeline:
    return Pipeline(gazetteer)

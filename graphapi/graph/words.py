"""Words as search sees them, the same on both engines: the text a node is found by is stored already
normalized (`searchText`: accents folded, lower case, British spellings made American, English stems),
and a query is normalized the same way, so neither engine's own analyzer decides what matches.

"tariffs" and "tariff" meet at `tariff`, "autos" and "auto" at `auto`, "aluminium" and "aluminum" at
`aluminum`. A query word of four letters or more also finds the words it begins ("auto" finds
"automotive"); a shorter one only itself, so "car" does not find "Carney". A few words stand for each other
(SYNONYMS): "car tariffs" finds the tariffs on vehicles.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer

# Words too common to search for; RediSearch leaves them out of its index, so asking for them would
# match nothing there while Lucene would match everything.
STOPWORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no",
        "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this",
        "to", "was", "will", "with",
    }
)  # fmt: skip

# One spelling for words English writes two ways (folded before stemming, in the index and in queries).
SPELLINGS = {
    "aluminium": "aluminum",
    "defence": "defense",
    "labour": "labor",
    "centre": "center",
    "harbour": "harbor",
    "programme": "program",
    "tyre": "tire",
    "tyres": "tires",
}

# Words that stand for each other in a query (each query word also finds its synonyms).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "car": ("vehicle", "auto", "automobile"),
    "cars": ("vehicles", "autos", "automobiles"),
    "automobile": ("car", "vehicle", "auto"),
    "vehicle": ("car", "auto", "automobile"),
    "auto": ("car", "vehicle", "automobile"),
    "autos": ("cars", "vehicles", "automobiles"),
}

# A query word this long or longer also matches the words it begins.
PREFIX_MIN = 4
# A word: letters and digits, with inner apostrophes ("Canada's" is one word, stemmed to "canada").
_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
_STEMMER = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Token:
    """A word of a text and where it is: text[start:end], in code points."""

    text: str
    start: int
    end: int


class Term(NamedTuple):
    """A normalized query word; `prefix` when it also matches the words it begins. (A plain pair, as the
    store renders it in its engine's query syntax.)"""

    text: str
    prefix: bool

    def matches(self, normalized: str) -> bool:
        return normalized.startswith(self.text) if self.prefix else normalized == self.text


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=65536)
def normalize(word: str) -> str | None:
    """The form a word is indexed and searched as; None for a word too common to search for."""
    if word.isascii():  # (its own NFKD form, with no combining mark)
        if word.isdigit():  # a number: no stop word, no spelling, nothing to stem
            return word
        folded = word.lower()
    else:
        folded = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
        folded = folded.lower().replace("\u2019", "'")
    if folded in STOPWORDS:
        return None
    folded = SPELLINGS.get(folded, folded)
    # no apostrophe left ("don't" is `dont`): RediSearch would split a word at it, Lucene would not
    return str(_STEMMER.stemWord(folded)).replace("'", "") or None


def index_text(parts: Iterable[str]) -> str | None:
    """What the full-text index holds for a node: its searched texts, normalized, one space between words."""
    words = [n for part in parts for m in _WORD.finditer(part) if (n := normalize(m.group()))]
    return " ".join(words) or None


def query_terms(text: str) -> list[list[Term]]:
    """The terms of a query: one group per word, every group must match (any term of a group)."""
    groups: list[list[Term]] = []
    for token in tokens(text):
        first = normalize(token.text)
        if first is None:
            continue
        spelled = unicodedata.normalize("NFKD", token.text).lower()
        alternatives = [first] + [
            n for synonym in SYNONYMS.get(spelled, ()) if (n := normalize(synonym)) is not None
        ]
        group = [Term(a, len(a) >= PREFIX_MIN) for a in dict.fromkeys(alternatives)]
        if group not in groups:
            groups.append(group)
    return groups


def iter_matches(text: str, groups: list[list[Term]]) -> Iterator[tuple[Token, int]]:
    """The words of a text a query matches, in order, each with the index of the group it answers."""
    for match in _WORD.finditer(text):
        normalized = normalize(match.group())
        if normalized is None:
            continue
        for index, group in enumerate(groups):
            if any(term.matches(normalized) for term in group):
                yield Token(match.group(), match.start(), match.end()), index
                break


def matches(text: str, groups: list[list[Term]]) -> list[tuple[Token, int]]:
    return list(iter_matches(text, groups))

"""The shortcuts of `normalize` (graphapi/graph/words.py) give what the whole way gives: an ASCII word
is its own NFKD form, and a number is its own stem."""

from __future__ import annotations

import unicodedata

import snowballstemmer

from graphapi.graph.words import SPELLINGS, STOPWORDS, normalize

_STEMMER = snowballstemmer.stemmer("english")


def the_whole_way(word: str) -> str | None:
    folded = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    folded = folded.lower().replace("\u2019", "'")
    if folded in STOPWORDS:
        return None
    folded = SPELLINGS.get(folded, folded)
    return str(_STEMMER.stemWord(folded)).replace("'", "") or None


def test_numbers_are_their_own_stems() -> None:
    numbers = [str(n) for n in range(0, 30_000)] + ["0000", "007", "2025", "12345678901234567890"]
    for word in numbers:
        assert normalize(word) == the_whole_way(word) == word


def test_ascii_words_normalize_as_the_whole_way() -> None:
    words = [*STOPWORDS, *SPELLINGS, "Tariffs", "RETALIATION", "don't", "Carney's", "x1", "m38", "A"]
    words += ["running", "Ran", "imposes", "generously", "The", "countervailing", "aren't", "Y", "sky"]
    for word in words:
        assert normalize(word) == the_whole_way(word), word
    for word in ["Zürich", "café", "don\u2019t", "ﬁve", "\uff34ariff"]:
        assert normalize(word) == the_whole_way(word), word

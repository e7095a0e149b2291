"""An article to draft from: its title (the first line of a plain-text file) and its text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graphapi.graph.text import check_line, check_text

MAX_SLUG = 60


@dataclass(frozen=True)
class Article:
    title: str
    text: str

    @classmethod
    def parse(cls, raw: str, title: str | None = None) -> Article:
        """An article from plain text: the first non-empty line is its title unless one is given; the text
        is what follows (or everything, when the title is given). ValueError when either is unusable."""
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        if title is None:
            lines = raw.lstrip("\n").split("\n", 1)
            title, raw = lines[0].strip().strip("*#_ ").strip(), (lines[1] if len(lines) > 1 else "")
        text = raw.strip("\n") + "\n"
        if not title:
            raise ValueError("the article has no title (its first line)")
        if not text.strip():
            raise ValueError("the article has no text after its title")
        return cls(check_line(title), check_text(text))

    @classmethod
    def read(cls, path: Path) -> Article:
        return cls.parse(path.read_text(encoding="utf-8"))

    @property
    def slug(self) -> str:
        return slug(self.title)


def slug(words: str, limit: int = MAX_SLUG) -> str:
    """`Freedonia warns Sylvania` -> `freedonia-warns-sylvania` (ASCII letters and digits, cut at a word)."""
    plain = re.sub(r"[^a-z0-9]+", "-", words.lower().replace("\u2019", "").replace("'", "")).strip("-")
    if len(plain) > limit:
        plain = plain[:limit].rsplit("-", 1)[0]
    return plain or "untitled"

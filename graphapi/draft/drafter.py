"""From an article and a gazetteer to a draft: the source with its date, every quote and reported
statement with its speaker, the new people and organizations they need, and what each is about, as
records of the seed format (graphapi/graph/records.py), each marked as a draft with the rule it rests on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from graphapi.draft.article import Article, slug
from graphapi.draft.attribution import Attributed, Attributor
from graphapi.draft.dates import Dated, Written, days_in, said_on, written
from graphapi.draft.gazetteer import NAMED, Gazetteer
from graphapi.draft.nlp import Mention, Pipeline, pipeline_for
from graphapi.draft.speakers import Resolver, Speaker
from graphapi.graph import records as r
from graphapi.graph.model import id_prefix
from graphapi.seed.spans import occurrences

DATELINE_CONFIDENCE = 0.9
BOUNDS_CONFIDENCE = 0.7


@dataclass
class Draft:
    """What the drafter proposes for one article. `statements` and `actors` are seed records marked as
    drafts; `attributed` says where each statement's quote and speaker sit in the text; `mentions` what
    the text names that the graph knows."""

    article: Article
    source: r.Source
    statements: list[r.Statement] = field(default_factory=list)
    actors: list[r.Person | r.Organization] = field(default_factory=list)
    attributed: list[Attributed] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    days: list[Dated] = field(default_factory=list)  # every day the text gives, with its words

    @property
    def text(self) -> str:
        return self.article.text


def draft_article(
    article: Article, gazetteer: Gazetteer, *, source_id: str | None = None, pipeline: Pipeline | None = None
) -> Draft:
    text = article.text
    pipeline = pipeline or pipeline_for(gazetteer)
    parsed = pipeline.parse(text)
    when = written(text)
    resolver = Resolver(text, parsed.mentions, gazetteer, when.reference)
    attributed = Attributor(text, parsed, resolver).run()
    source = _source(article, source_id or f"source:{article.slug}", when)
    draft = Draft(
        article, source, attributed=attributed, mentions=parsed.mentions, days=days_in(text, when.reference)
    )
    new: dict[str, Speaker] = {}
    ids: set[str] = set()
    for said in attributed:
        speaker = said.speaker
        if speaker.new and speaker.id not in new and speaker.name:
            new[speaker.id] = speaker
        draft.statements.append(_statement(draft, said, ids, when))
    draft.actors = [_actor(text, speaker) for speaker in new.values()]
    return draft


def _mark(rule: str, confidence: float, note: str | None = None) -> r.DraftMark:
    return r.DraftMark(rule=rule, confidence=round(min(max(confidence, 0.0), 1.0), 2), note=note)


def span(text: str, start: int, end: int) -> r.Span:
    """A span of the text as a seed file writes it: the quote, with `occurrence` when it is not unique
    (offsets are left out: the loader and `fix-spans` find them)."""
    quote = text[start:end]
    found = occurrences(text, quote)
    occurrence = found.index(start) + 1 if len(found) > 1 else None
    return r.Span(quote=quote, occurrence=occurrence)


def _date(text: str, dated: Dated) -> dict[str, Any]:
    return {
        "on": dated.day.isoformat(),
        "as_written": dated.words(text),
        "year_stated": dated.year_stated,
        "evidence": [span(text, dated.start, dated.end)],
    }


def _source(article: Article, source_id: str, when: Written) -> r.Source:
    text = article.text
    written_on: dict[str, Any] | None = None
    mark = _mark("no-date", 0.5, "the article gives no date: add `written_on` if you know it")
    if when.day is not None:
        written_on = _date(text, when.day)
        if not when.day.year_stated:
            del written_on["on"]
            written_on["on"] = when.day.day.isoformat()
        note = None if when.day.year_stated else "the dateline gives no year: it was taken from the text"
        mark = _mark("dateline", DATELINE_CONFIDENCE if when.day.year_stated else 0.7, note)
    elif when.earliest or when.latest:
        written_on = {"evidence": []}
        for name, dated in (("earliest", when.earliest), ("latest", when.latest)):
            if dated is not None:
                written_on[name] = dated.day.isoformat()
                written_on["evidence"].append(span(text, *_clause_span(text, dated)))
        mark = _mark(
            "dates-past-and-upcoming",
            BOUNDS_CONFIDENCE,
            "bounds from the dates the text calls past or upcoming",
        )
    return r.Source.model_validate(
        {
            "id": source_id,
            "title": article.title,
            "text": text,
            "written_on": written_on,
            "language": "en",
            "draft": mark,
        }
    )


def _clause_span(text: str, dated: Dated) -> tuple[int, int]:
    """The words that place a bound: the clause up to the date's end."""
    start = max(text.rfind(mark, 0, dated.start) for mark in (",", ".", ";", "\n", "“", '"')) + 1
    while start < dated.start and text[start].isspace():
        start += 1
    return start, dated.end


def _statement(draft: Draft, said: Attributed, ids: set[str], when: Written) -> r.Statement:
    text = draft.text
    speaker = said.speaker
    base = f"statement:{slug(draft.article.title, 40)}-{(speaker.id.split(':', 1)[1])[:30]}"
    number = 1
    while f"{base}-{number}" in ids:
        number += 1
    ids.add(f"{base}-{number}")
    about = _about(draft.mentions, said, speaker)
    day = said_on(text, said.sentence[0], said.sentence[1], when.reference)
    date: dict[str, Any] | None = None
    if day is not None:
        date = _date(
            text, day
        )  # (undated, it was said by the time the source was written: the loader says so)
    quote = span(text, said.start, said.end)
    notes = []
    if speaker.rule == "pronoun":
        notes.append(f"a pronoun, read as {speaker.id}")
    if speaker.rule == "title" and speaker.office:
        notes.append(f"named by title: the holder of {speaker.office} on the source's date")
    return r.Statement.model_validate(
        {
            "id": f"{base}-{number}",
            "speaker": speaker.id,
            "quote": quote.quote,
            "occurrence": quote.occurrence,
            "direct": said.direct,
            "said_on": date,
            "role": speaker.office,
            "about": about,
            "draft": _mark(f"{said.rule}/{speaker.rule}", said.confidence, "; ".join(notes) or None),
        }
    )


def _about(mentions: list[Mention], said: Attributed, speaker: Speaker) -> list[str]:
    """What the statement's sentence names that the graph knows, but its speaker and the words naming
    them."""
    out: list[str] = []
    for mention in mentions:
        if not (said.sentence[0] <= mention.start < said.sentence[1]):
            continue
        if id_prefix(mention.id) not in NAMED or mention.id == speaker.id:
            continue
        phrase = speaker.phrase or (speaker.start, speaker.end)
        if phrase[0] <= mention.start < phrase[1]:
            continue
        out.append(mention.id)
    return list(dict.fromkeys(out))


def _actor(text: str, speaker: Speaker) -> r.Person | r.Organization:
    start, end = speaker.role_span or (speaker.start, speaker.end)
    note = (
        f"role as written: {speaker.role}"
        if speaker.role
        else "a new name: check it is not already in the graph"
    )
    fields: dict[str, Any] = {
        "id": speaker.id,
        "name": speaker.name,
        "evidence": [span(text, start, end)],
        "draft": _mark("new-speaker", speaker.confidence, note),
    }
    if id_prefix(speaker.id) == "org":
        return r.Organization.model_validate({**fields, "kind": "organization"})
    return r.Person.model_validate(fields)


def today() -> dt.date:
    return dt.date.today()

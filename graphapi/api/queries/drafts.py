"""`draftSource`: the drafter (graphapi/draft/) through the API. It answers the draft of an article, every
proposed record with where its words sit in the text, and stores nothing: a client (the explorer's review
page) shows it, lets a person accept, reject or change each record, and saves what was accepted through
the ordinary upserts."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry

from graphapi.api.types import Info
from graphapi.api.types.common import Span
from graphapi.auth import Scope
from graphapi.draft import Article, Draft, Gazetteer, draft_article
from graphapi.draft.seedfile import dump
from graphapi.errors import BadUserInput
from graphapi.graph import records as r
from graphapi.graph.kinds import kind_of
from graphapi.graph.text import check_line


@strawberry.type(description="What a drafted record rests on: the rule that proposed it and how sure it is.")
class DraftMark:
    rule: str = strawberry.field(
        description="The rule of the drafter that proposed the record (`said-after-quote`, `dateline`...)."
    )
    confidence: float = strawberry.field(description="How sure the rule is, from 0 to 1.")
    note: str | None = strawberry.field(
        description="What a curator should check, when the rule has something to say."
    )


@strawberry.type(description="Who a drafted statement gives as its speaker.")
class DraftSpeaker:
    id: strawberry.ID = strawberry.field(
        description="The speaker's global id: the graph's, or a new one proposed."
    )
    name: str | None = strawberry.field(description="The name the graph or the article gives.")
    is_new: bool = strawberry.field(description="True for a person or organization the graph does not know.")
    span: Span = strawberry.field(description="The words of the text that name the speaker.")


@strawberry.type(
    description="A statement the drafter proposes: a quote (or reported speech) and its speaker."
)
class DraftStatement:
    id: strawberry.ID = strawberry.field(description="The statement's proposed global id.")
    quote: str = strawberry.field(description="The words, exactly as the text has them.")
    span: Span = strawberry.field(description="Where the quote sits in the text: text[start:end].")
    occurrence: int | None = strawberry.field(
        description="Which occurrence of the quote it is, when repeated."
    )
    direct: bool = strawberry.field(
        description="True for words in quotation marks; false for reported speech."
    )
    speaker: DraftSpeaker = strawberry.field(description="Who said it, and the words that name them.")
    said_on: str | None = strawberry.field(description="When it was said (YYYY-MM-DD), when the text says.")
    said_on_as_written: str | None = strawberry.field(description="The text's words for when it was said.")
    role: strawberry.ID | None = strawberry.field(description="The office the speaker was named by.")
    about: list[strawberry.ID] = strawberry.field(
        description="What the graph knows that the statement's sentence names."
    )
    draft: DraftMark = strawberry.field(description="The rule that proposed it and how sure it is.")


@strawberry.type(description="A person or organization the article names that the graph does not know.")
class DraftActor:
    id: strawberry.ID = strawberry.field(
        description="The proposed global id of the new person or organization."
    )
    name: str = strawberry.field(description="The name as the article gives it.")
    role: str | None = strawberry.field(description="The role the article gives, as written.")
    span: Span = strawberry.field(description="The words that name it (with its role).")
    draft: DraftMark = strawberry.field(description="The rule that proposed it and how sure it is.")


@strawberry.type(description="Something of the graph the text names: an actor, a measure, an event.")
class DraftMention:
    id: strawberry.ID = strawberry.field(description="The global id of what is named.")
    name: str = strawberry.field(description="Its name in the graph.")
    span: Span = strawberry.field(description="The words of the text that name it.")


@strawberry.type(description="A day the text gives, with its words.")
class DraftDay:
    on: str = strawberry.field(description="The day (YYYY-MM-DD).")
    as_written: str = strawberry.field(description="The text's words for the day.")
    year_stated: bool = strawberry.field(description="False when the year was taken from the article's date.")
    span: Span = strawberry.field(description="Where those words sit in the text.")


@strawberry.type(description="When the article was written, as its text says: a day, or bounds.")
class DraftDate:
    on: str | None = strawberry.field(
        description="The day (YYYY-MM-DD), when the text gives it (a dateline)."
    )
    earliest: str | None = strawberry.field(
        description="The first day it can have been written, when only bounded."
    )
    latest: str | None = strawberry.field(
        description="The last day it can have been written, when only bounded."
    )
    as_written: str | None = strawberry.field(description="The words that date it.")
    year_stated: bool = strawberry.field(
        description="False when the year was not written and was placed from the context."
    )


@strawberry.type(description="The draft of a source: proposals for a person to review; nothing is stored.")
class SourceDraft:
    id: strawberry.ID = strawberry.field(description="The source's proposed id.")
    title: str = strawberry.field(description="The title: the given one, or the article's first line.")
    text: str = strawberry.field(description="The text the spans index into.")
    written_on: DraftDate | None = strawberry.field(
        description="When the article was written, as its text says; null if it does not."
    )
    source_draft: DraftMark = strawberry.field(description="What the source's own record rests on.")
    statements: list[DraftStatement] = strawberry.field(
        description="The quotes and reported speech found, in text order."
    )
    actors: list[DraftActor] = strawberry.field(
        description="The people and organizations the graph does not know yet."
    )
    mentions: list[DraftMention] = strawberry.field(description="What the graph knows that the text names.")
    days: list[DraftDay] = strawberry.field(
        description="Every day the text gives (dates, days of the week read against its own date)."
    )
    seed_file: str = strawberry.field(
        description="The same draft as a seed file (the text inline), as `graphapi seed draft` writes it."
    )


async def draft_source(
    info: Info,
    text: Annotated[
        str, strawberry.argument(description="The article, as plain text; its first line the title.")
    ],
    title: Annotated[
        str | None, strawberry.argument(description="The title, when the text's first line is not it.")
    ] = None,
    id: Annotated[
        strawberry.ID | None,
        strawberry.argument(
            description="The source's id (`source:<slug>`); made from the title if left out."
        ),
    ] = None,
) -> SourceDraft:
    await info.context.require(Scope.WRITE)
    if id is not None and (kind_of(id) is None or kind_of(id).prefix != "source"):  # type: ignore[union-attr]
        raise BadUserInput("`id` must be the id of a 'source:...'", argument="id")
    if title is not None:
        try:
            check_line(title)
        except ValueError as exc:
            raise BadUserInput(f"`title` {exc}", argument="title") from None
    try:
        article = Article.parse(text, title)
    except ValueError as exc:
        raise BadUserInput(f"`text`: {exc}", argument="text") from None
    gazetteer = await Gazetteer.from_store(info.context.store)
    # the rules are pure Python: off the event loop, so other requests go on meanwhile
    draft = await asyncio.to_thread(draft_article, article, gazetteer, source_id=id)
    return _answer(draft, gazetteer)


def _mark(mark: r.DraftMark | None) -> DraftMark:
    assert mark is not None
    return DraftMark(rule=mark.rule, confidence=mark.confidence, note=mark.note)


def _answer(draft: Draft, gazetteer: Gazetteer) -> SourceDraft:
    return SourceDraft(
        id=strawberry.ID(draft.source.id),
        title=draft.source.title,
        text=draft.text,
        written_on=_written_on(draft),
        source_draft=_mark(draft.source.draft),
        statements=_statements(draft, gazetteer),
        actors=_actors(draft),
        mentions=[
            DraftMention(
                id=strawberry.ID(m.id), name=gazetteer.by_id[m.id].name, span=Span(start=m.start, end=m.end)
            )
            for m in draft.mentions
            if m.id in gazetteer.by_id
        ],
        days=[
            DraftDay(
                on=d.day.isoformat(),
                as_written=d.words(draft.text),
                year_stated=d.year_stated,
                span=Span(start=d.start, end=d.end),
            )
            for d in draft.days
        ],
        seed_file=dump(draft, None),
    )


def _statements(draft: Draft, gazetteer: Gazetteer) -> list[DraftStatement]:
    names = {a.id: a.name for a in draft.actors}
    statements = []
    for record, said in zip(draft.statements, draft.attributed, strict=True):
        speaker = said.speaker
        entry = gazetteer.by_id.get(speaker.id)
        statements.append(
            DraftStatement(
                id=strawberry.ID(record.id),
                quote=record.quote,
                span=Span(start=said.start, end=said.end),
                occurrence=record.occurrence,
                direct=record.direct,
                speaker=DraftSpeaker(
                    id=strawberry.ID(speaker.id),
                    name=names.get(speaker.id) or (entry.name if entry else None),
                    is_new=speaker.id in names,
                    span=Span(start=speaker.start, end=speaker.end),
                ),
                said_on=record.said_on.on if record.said_on and isinstance(record.said_on.on, str) else None,
                said_on_as_written=record.said_on.as_written if record.said_on else None,
                role=strawberry.ID(record.role) if record.role else None,
                about=[strawberry.ID(i) for i in record.about],
                draft=_mark(record.draft),
            )
        )
    return statements


def _actors(draft: Draft) -> list[DraftActor]:
    actors = []
    for actor in draft.actors:
        span = actor.evidence[0]
        start = (
            draft.text.find(span.quote)
            if span.occurrence is None
            else _nth(draft.text, span.quote, span.occurrence)
        )
        note = actor.draft.note if actor.draft else None
        role = (
            note.removeprefix("role as written: ") if note and note.startswith("role as written: ") else None
        )
        actors.append(
            DraftActor(
                id=strawberry.ID(actor.id),
                name=actor.name,
                role=role,
                span=Span(start=start, end=start + len(span.quote)),
                draft=_mark(actor.draft),
            )
        )
    return actors


def _written_on(draft: Draft) -> DraftDate | None:
    written = draft.source.written_on
    if written is None:
        return None
    return DraftDate(
        on=str(written.on) if written.on else None,
        earliest=str(written.earliest) if written.earliest else None,
        latest=str(written.latest) if written.latest else None,
        as_written=written.as_written,
        year_stated=written.year_stated,
    )


def _nth(text: str, quote: str, occurrence: int) -> int:
    at = -1
    for _ in range(occurrence):
        at = text.find(quote, at + 1)
    return at


DRAFT_DESCRIPTION = (
    "Draft a source from an article (needs a key with the write scope): its date, every quote and reported "
    "statement with its speaker linked to the graph, new speakers, what each is about, each with the rule "
    "it rests on and where its words sit in the text. Nothing is stored: save what a person accepts with "
    "upsertSource, upsertActor and upsertStatement. Without `title`, the text's first line is the title."
)

"""Who a speaker phrase names ("Alma Reyes", "the prime minister", "Sylvania's commerce secretary",
"he", "Marta Kovacs, head of the Sylvanian Dairy Union"): an actor the graph knows, by name, alias or
surname, or by an office it says the person held on the source's date; the person a pronoun refers back
to; or a new person or organization, with the role as the article writes it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from graphapi.draft.article import slug
from graphapi.draft.gazetteer import Gazetteer
from graphapi.draft.nlp import HEAD_TITLES, LEADER_WORDS, TITLE_LABEL, Mention, title_of

# How sure each way of naming a speaker is.
CONFIDENCE = {
    "name": 0.95,
    "surname": 0.9,
    "organization": 0.9,
    "new": 0.8,
    "title": 0.8,
    "definite": 0.75,
    "pronoun": 0.7,
}
PRONOUNS = frozenset({"he", "she"})
_LEADING = re.compile(
    r"^[\s,;:\u2014\u2013-]*(?:(?:and|but|while|whereas|as|which|who|then)\b\s*)?", re.IGNORECASE
)
# Words that are not part of a name: titles before it, words that begin a sentence.
_NOT_NAME = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "by",
        "of",
        "for",
        "with",
        "according",
        "president",
        "prime",
        "minister",
        "secretary",
        "senator",
        "governor",
        "chancellor",
        "premier",
        "trade",
        "foreign",
        "finance",
        "commerce",
        "opposition",
        "leader",
        "chief",
        "executive",
        "spokesman",
        "spokeswoman",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "dame",
        "lord",
        "general",
        "judge",
        "mayor",
        "ambassador",
        "deputy",
        "junior",
        "former",
        "then",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_ORG_WORDS = frozenset(
    [
        "union",
        "council",
        "ministry",
        "association",
        "bank",
        "company",
        "group",
        "party",
        "agency",
        "commission",
        "institute",
        "university",
        "ironworks",
        "corp",
        "inc",
        "ltd",
        "federation",
        "chamber",
        "board",
        "authority",
        "embassy",
        "office",
        "department",
        "committee",
        "court",
        "parliament",
        "government",
    ]
)
_NEVER_NAME = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "by",
        "of",
        "for",
        "with",
        "according",
        "then",
        "former",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_CONNECTORS = frozenset({"of", "for", "and", "de", "du", "da", "van", "von", "der"})
_DEFINITE = re.compile(r"the\s+(?P<noun>[a-z]+)", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'\u2019.-]*")
# A name close enough to one the graph knows is that one (a misspelt surname).
FUZZY_CUTOFF = 90


@dataclass(frozen=True)
class Speaker:
    """Who said it: `id` of an actor (a new one when `new`), how it was named (`rule`, `confidence`), the
    words that name it (`start`, `end`), and for a new actor its name, kind and role as written."""

    id: str
    rule: str
    confidence: float
    start: int
    end: int
    name: str | None = None
    new: bool = False
    role: str | None = None
    role_span: tuple[int, int] | None = None
    office: str | None = None  # the office it was named by, or named with
    phrase: tuple[int, int] | None = None  # all the words about the speaker (name, role, appositive)


@dataclass
class Cast:
    """The people and organizations an article has named so far: new ones, by name and surname, and the
    person a pronoun would refer to."""

    new: dict[str, Speaker] = field(default_factory=dict)
    salient: Speaker | None = None
    seen: dict[str, Speaker] = field(default_factory=dict)  # organizations named, not yet speakers

    def known_new(self, words: str) -> Speaker | None:
        for speaker in self.new.values():
            name = speaker.name or ""
            if words == name or (len(words.split()) == 1 and name.split()[-1] == words):
                return speaker
        return None


class Resolver:
    """Speaker phrases of one article, resolved against the gazetteer on the article's date."""

    def __init__(self, text: str, mentions: list[Mention], gazetteer: Gazetteer, day: dt.date | None) -> None:
        self.text, self.mentions, self.gazetteer, self.day = text, mentions, gazetteer, day
        self.titles: dict[str, list[str]] = {}
        for office in gazetteer.offices:
            self.titles.setdefault(title_of(office.name), []).append(office.id)
        counts: dict[str, int] = {}
        for mention in mentions:
            if mention.label == "COUNTRY":
                counts[mention.id] = counts.get(mention.id, 0) + 1
        self.main_countries = sorted(counts, key=lambda c: -counts[c])
        names = {e.name: e.id for e in gazetteer.entries if e.prefix in ("person", "org", "party")}
        self._names = names
        self.known_names = frozenset(names)

    def resolve(self, start: int, end: int, cast: Cast, *, after_verb: bool = False) -> Speaker | None:
        """The speaker a phrase names. Before a verb ("Greta Lindqvist, the opposition leader, said") the
        name is the chunk before an appositive; after one ("said Marta Kovacs, head of ...") the first."""
        start = start + len(_LEADING.match(self.text[start:end]).group())  # type: ignore[union-attr]
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if end <= start:
            return None
        chunks = _chunks(self.text, start, end)
        if after_verb:
            order = chunks[:1]
            role = chunks[1] if len(chunks) > 1 else None
        elif self.text[start:end].rstrip().endswith(",") and len(chunks) >= 2:
            order = chunks[-2:] if len(chunks) >= 2 else chunks
            role = None
        else:
            order, role = chunks[-1:], None
        found = None
        for index, (a, b) in enumerate(order):
            found = self._chunk(a, b, cast)
            if found is not None:
                if not after_verb and len(order) == 2:
                    role = order[1 - index]
                break
        if found is None:
            return None
        found = Speaker(**{**found.__dict__, "phrase": (start, end)})
        if found.new and role is not None:
            words = self.text[role[0] : role[1]].strip(" ,.")
            span = (min(found.start, role[0]), max(found.end, role[1]))
            found = Speaker(**{**found.__dict__, "role": words or None, "role_span": span})
        if found.new:
            first = cast.new.get(found.id)
            if first is None or (first.role is None and found.role is not None):
                cast.new[found.id] = found  # the first naming, or the first with a role
        return found

    def _chunk(self, start: int, end: int, cast: Cast) -> Speaker | None:
        inside = [m for m in self.mentions if start <= m.start and m.end <= end]
        actors = [m for m in inside if m.label in ("PERSON", "ORG", "PARTY")]
        words = self.text[start:end].strip(" ,")
        if actors:
            mention = actors[-1]
            rule = "surname" if " " not in mention.text and mention.label == "PERSON" else "name"
            if mention.label != "PERSON":
                rule = "organization"
            office = self._title_office(inside, mention.id)
            return Speaker(mention.id, rule, CONFIDENCE[rule], mention.start, mention.end, office=office)
        if words.lower() in PRONOUNS:
            if cast.salient is None:
                return None
            s = cast.salient
            return Speaker(
                s.id,
                "pronoun",
                CONFIDENCE["pronoun"],
                start + self.text[start:end].index(words),
                start + self.text[start:end].index(words) + len(words),
                name=s.name,
                new=s.new,
            )
        name = _proper_name(self.text, start, end)
        if name is not None:
            a, b = name
            written = self.text[a:b]
            known = cast.known_new(written)
            if known is not None:
                return Speaker(known.id, "new", CONFIDENCE["new"], a, b, name=known.name, new=True)
            close = process.extractOne(
                written, list(self._names), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if close is not None:
                return Speaker(self._names[close[0]], "name", CONFIDENCE["surname"], a, b)
            if len(written.split()) >= 2:
                org = is_organization(written)
                new_id = f"{'org' if org else 'person'}:{slug(written)}"
                return Speaker(new_id, "new", CONFIDENCE["new"], a, b, name=written, new=True)
        titles = [m for m in inside if m.label == TITLE_LABEL]
        if titles:
            return self._by_title(titles[-1], inside, cast)
        definite = _DEFINITE.fullmatch(words)
        if definite and definite.group("noun").lower() in _ORG_WORDS:
            return self._named_before(definite.group("noun").lower(), start, end, cast)
        countries = [m for m in inside if m.label == "COUNTRY"]
        if countries and words.lower().removeprefix("the ").strip() == countries[0].text.lower():
            m = countries[0]
            return Speaker(m.id, "organization", CONFIDENCE["organization"] - 0.2, m.start, m.end)
        return None

    def _named_before(self, noun: str, start: int, end: int, cast: Cast) -> Speaker | None:
        """ "The chamber", "the ministry": the latest organization named before whose name has the word."""
        candidates: list[tuple[int, Speaker]] = []
        for speaker in [*cast.new.values(), *cast.seen.values()]:
            if speaker.id.startswith("org:") and noun in (speaker.name or "").lower().split():
                candidates.append((speaker.start, speaker))
        for mention in self.mentions:
            name = self.gazetteer.by_id[mention.id].name if mention.id in self.gazetteer.by_id else ""
            if mention.label == "ORG" and mention.end <= start and noun in name.lower().split():
                candidates.append((mention.start, Speaker(mention.id, "organization", 0.9, 0, 0)))
        candidates = [c for c in candidates if c[0] < start]
        if not candidates:
            return None
        found = max(candidates, key=lambda c: c[0])[1]
        if found.new:
            cast.new.setdefault(found.id, found)
        return Speaker(
            found.id, "definite", CONFIDENCE["definite"], start, end, name=found.name, new=found.new
        )

    def _qualifier(self, inside: list[Mention]) -> str | None:
        return next((m.id for m in inside if m.label == "COUNTRY"), None)

    def _by_title(self, title: Mention, inside: list[Mention], cast: Cast) -> Speaker | None:
        words = title.id.removeprefix("title:")
        country = self._qualifier(inside)
        offices = list(self.titles.get(words, []))
        if country is not None:
            offices = [o for o in offices if self.gazetteer.country_of(o) == country]
        elif len(offices) > 1:
            ranked = [o for c in self.main_countries for o in offices if self.gazetteer.country_of(o) == c]
            offices = ranked[:1] or offices[:1]
        if not offices and words in LEADER_WORDS and country is not None:
            offices = [
                o
                for head in HEAD_TITLES
                for o in self.titles.get(head, [])
                if self.gazetteer.country_of(o) == country
            ][:1]
        for office in offices:
            holders = self.gazetteer.holders(office, self.day)
            if len(holders) == 1:
                start = min([title.start] + [m.start for m in inside if m.label == "COUNTRY"])
                return Speaker(holders[0], "title", CONFIDENCE["title"], start, title.end, office=office)
        return None

    def _title_office(self, inside: list[Mention], person: str) -> str | None:
        """The office a title next to a known person's name names, when the graph says they held it."""
        for mention in inside:
            if mention.label == TITLE_LABEL:
                for office in self.titles.get(mention.id.removeprefix("title:"), []):
                    if office in self.gazetteer.offices_held(person, self.day):
                        return office
        return None


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The comma-separated parts of text[start:end], as offsets, empty ones left out."""
    out, at = [], start
    for index in [*[i for i in range(start, end) if text[i] == ","], end]:
        if text[at:index].strip():
            lead = len(text[at:index]) - len(text[at:index].lstrip())
            out.append((at + lead, at + len(text[at:index].rstrip())))
        at = index + 1
    return out


def proper_names(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Runs of capitalized words in text[start:end] (titles before them left out), joined over "of",
    "for", "and" ("Chamber of Commerce")."""
    runs: list[list[tuple[int, int]]] = [[]]
    pending: tuple[int, int] | None = None
    for match in _WORD.finditer(text, start, end):
        word = match.group().rstrip(".")
        gap = text[(pending or runs[-1][-1])[1] : match.start()] if runs[-1] else " "
        lower = word.lower()
        # a title begins no name ("Trade Minister Nadia Okafor"), but may go on one ("Ministry of Trade")
        usable = lower not in _NEVER_NAME and (lower not in _NOT_NAME or (runs[-1] and pending is not None))
        if word[:1].isupper() and usable and gap.strip() == "":
            if pending is not None:
                runs[-1].append(pending)
            runs[-1].append((match.start(), match.start() + len(word)))
            pending = None
        elif word in _CONNECTORS and runs[-1] and pending is None and gap.strip() == "":
            pending = (match.start(), match.start() + len(word))
        else:
            pending = None
            if runs[-1]:
                runs.append([])
    return [(r[0][0], r[-1][1]) for r in runs if r]


def _proper_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The last name of two or more words in text[start:end], or a single capitalized word when it is
    all there is (a surname named before)."""
    runs = proper_names(text, start, end)
    several = [(a, b) for a, b in runs if len(text[a:b].split()) >= 2]
    if several:
        return several[-1]
    if len(runs) == 1 and len(text[start:end].split()) == 1:
        return runs[0]
    return None


def is_organization(name: str) -> bool:
    return any(word.lower() in _ORG_WORDS for word in name.split()[1:])

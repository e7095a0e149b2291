"""Who said each quotation, and what speakers are reported to have said, by rules over each sentence:
the words after a quotation ("...," X said / said X / X told reporters), the words before it (X said:
"..." / X said the government was "..." / according to X, ...), a quotation that goes on in the next
sentence or paragraph, and reported speech (X said the government had waited too long; ..., X said)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from graphapi.draft.article import slug
from graphapi.draft.nlp import Parsed
from graphapi.draft.quotes import MASK, Quotation, masked, paragraphs, quotations
from graphapi.draft.speakers import Cast, Resolver, Speaker, is_organization, proper_names

_VERBS = (
    r"said|says|say|told|tells|added|adds|adding|wrote|writes|warned|warns|argued|argues|insisted|insists|"
    r"stated|stating|declared|replied|asked|noted|explained|stressed|acknowledged|conceded|posted|tweeted|"
    r"called|calls|calling|saying|continued|predicted|promised|vowed|urged|urges|described|describing|"
    r"characterized|characterised|asserted|asserting|labeled|labelled|labeling|labelling|cautioned|"
    r"emphasized|emphasised|affirmed|affirming|accused|dismissed|pledged|claimed|signaled|signalled|"
    r"announced|confirmed|denied|admitted|complained|branded|dubbed|remarked"
)
_REPORTING = (
    r"said|says|told|tells|added|adds|warned|warns|argued|argues|insisted|insists|stressed|noted|"
    r"explained|acknowledged|conceded|predicted|promised|vowed"
)
VERB = re.compile(rf"\b(?:{_VERBS})\b")
REPORTING = re.compile(rf"\b(?:{_REPORTING})\b")
# "...," X said / "...," said X (the words right after the closing mark)
_X_SAID = re.compile(
    rf"^\s*,?\s*(?P<spk>[^,;:.{MASK}]{{1,80}}?)(?P<appositive>,[^;:{MASK}]{{1,100}}?,)?\s+(?P<verb>{_VERBS})\b"
)
_SAID_X = re.compile(rf"^\s*,?\s*(?P<verb>{_VERBS})\s+(?P<spk>[^{MASK}]+)")
_ACCORDING = re.compile(rf"\baccording to\s+(?P<spk>[^,{MASK}]+?)(?=,|\s*$|\s+{MASK})", re.IGNORECASE)
_CONJUNCTION = re.compile(r"^[\s,;:]*(?:and|but|while|whereas|as)?[\s,;:]*$", re.IGNORECASE)
_CLAUSE_END = re.compile(r",\s+(?:and|while|but|whereas)\s+|;\s+")
_WEEKDAY_START = re.compile(
    r"^\s*(?:on|late on|early on)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_TOLD_OBJECT = re.compile(r"^\s+(?:reporters|journalists|parliament|lawmakers|legislators|the \w+|\w+)\b")
_THAT = re.compile(r"\bthat\b")
MIN_REPORTED_WORDS = 3
# "<clause>, X said on Thursday." / "<clause>, said X."
_CLAUSE_X_SAID = re.compile(
    rf"^(?P<clause>[^{MASK}]+?),\s+(?P<spk>[^,;{MASK}]{{1,60}}?)\s+(?:{_REPORTING})"
    rf"(?:\s+(?:reporters|journalists))?(?:\s+(?:on|in|at|late|early|after|before|during)\b[^,;{MASK}]*)?"
    r"\s*[.!]?\s*$"
)
_CLAUSE_SAID_X = re.compile(rf"^(?P<clause>[^{MASK}]+?),\s+(?:said|says)\s+(?P<spk>[^{MASK}]+?)\s*\.?\s*$")
_DATELINE_DASH = re.compile(r"\)?\s+[-\u2013\u2014]\s+")
DATELINE_CHARS = 120


@dataclass(frozen=True)
class Attributed:
    """A statement the rules found: the quote's span, its speaker, direct or reported, and the rule."""

    start: int
    end: int
    speaker: Speaker
    direct: bool
    rule: str
    confidence: float
    sentence: tuple[int, int]


def sentences(text: str, parsed: Parsed, found: list[Quotation]) -> list[tuple[int, int]]:
    """The sentencizer's sentences within paragraphs, an opening mark left at the end of one moved to the
    sentence it opens, and sentences joined where a quotation runs across them."""
    out: list[tuple[int, int]] = []
    opening = {q.open for q in found}
    for p_start, p_end in paragraphs(text):
        cuts = sorted({p_start, p_end, *(s for s, _ in parsed.sentences if p_start < s < p_end)})
        carried: int | None = None
        for a, b in itertools.pairwise(cuts):
            if carried is not None:
                a, carried = carried, None
            stripped = text[a:b].rstrip()
            if a + len(stripped) - 1 in opening and stripped[:-1].rstrip().endswith((".", "?", "!")):
                carried = a + len(stripped) - 1
                b = carried
            lead = len(text[a:b]) - len(text[a:b].lstrip())
            a, b = a + lead, a + len(text[a:b].rstrip())
            if b > a:
                out.append((a, b))
    fixed: list[tuple[int, int]] = []
    for a, b in out:
        if fixed and any(q.open < fixed[-1][1] < q.outer_end for q in found):
            fixed[-1] = (fixed[-1][0], b)
        else:
            fixed.append((a, b))
    return fixed


class Attributor:
    """The rules, sentence by sentence in the order of the text, remembering who spoke last (for a
    quote that goes on, and for a pronoun) and the new people and organizations named so far."""

    def __init__(self, text: str, parsed: Parsed, resolver: Resolver) -> None:
        self.text, self.parsed, self.resolver = text, parsed, resolver
        self.first = paragraphs(text)[0][0] if text.strip() else 0  # where a dateline would be
        self.found = quotations(text)
        self.masked = masked(text, self.found)
        self.cast = Cast()

    def run(self) -> list[Attributed]:
        out: list[Attributed] = []
        previous: Attributed | None = None
        last_paragraph = -1
        spans = paragraphs(self.text)
        for sentence in sentences(self.text, self.parsed, self.found):
            paragraph = next(i for i, (a, b) in enumerate(spans) if a <= sentence[0] < b + 1)
            if paragraph != last_paragraph:
                # a quote that runs on into this paragraph goes on with its speaker
                ran_on = any(q.runs_on and q.close == spans[last_paragraph][1] for q in self.found)
                if not (ran_on and last_paragraph >= 0):
                    previous = None
                last_paragraph = paragraph
            said = self._sentence(sentence, previous)
            out += said
            direct = [s for s in said if s.direct]
            previous = direct[-1] if direct else None
            self._remember(sentence, said)
        return out

    def _remember(self, sentence: tuple[int, int], said: list[Attributed]) -> None:
        """The person a later pronoun refers to: the last speaker, else the first person named; and an
        organization a sentence begins with, for a later "the chamber said"."""
        names = proper_names(self.text, sentence[0], min(sentence[1], sentence[0] + 80))
        if names and names[0][0] - sentence[0] <= 4:
            a, b = names[0]
            written = self.text[a:b]
            if is_organization(written) and written not in self.resolver.known_names:
                org = Speaker(f"org:{slug(written)}", "new", 0.8, a, b, name=written, new=True)
                self.cast.seen.setdefault(org.id, org)
        if said:
            self.cast.salient = said[-1].speaker
            return
        for mention in self.parsed.mentions:
            if sentence[0] <= mention.start < sentence[1] and mention.label == "PERSON":
                self.cast.salient = Speaker(mention.id, "name", 1.0, mention.start, mention.end)
                return
        for speaker in self.cast.new.values():
            name = speaker.name or ""
            if name and name.split()[-1] in self.text[sentence[0] : sentence[1]]:
                self.cast.salient = speaker
                return

    def _sentence(self, sentence: tuple[int, int], previous: Attributed | None) -> list[Attributed]:
        s_start, s_end = sentence
        inside = [q for q in self.found if s_start <= q.open and q.outer_end <= s_end]
        said: list[Attributed] = []
        subject: Speaker | None = None
        for index, quote in enumerate(inside):
            after_end = inside[index + 1].open if index + 1 < len(inside) else s_end
            before_start = inside[index - 1].outer_end if index > 0 else s_start
            found = self._after(quote, after_end) or self._before(quote, before_start, s_start, subject)
            if (
                found is None
                and previous is not None
                and index == 0
                and not self.masked[s_start : quote.open].strip()
            ):
                speaker, rule = previous.speaker, "quote-continues"
                found = (speaker, rule, 0.85)
            if found is None:
                continue
            speaker, rule, confidence = found
            subject = subject or speaker
            said.append(
                Attributed(
                    quote.start,
                    quote.end,
                    speaker,
                    True,
                    rule,
                    round(confidence * speaker.confidence, 2),
                    sentence,
                )
            )
            previous = said[-1]
        said += self._reported(sentence, subject)
        return said

    def _after(self, quote: Quotation, stop: int) -> tuple[Speaker, str, float] | None:
        inner = self.text[quote.start : quote.close].rstrip()
        handing = inner.endswith((",", "?", "!")) or self.masked[quote.outer_end : stop].lstrip().startswith(
            ","
        )
        if not handing:
            return None
        after = self.masked[quote.outer_end : stop]
        match = _X_SAID.match(after)
        if match and not _CONJUNCTION.match(
            match.group("spk").split()[0] if match.group("spk").split() else ""
        ):
            a = quote.outer_end + match.start("spk")
            phrase_end = quote.outer_end + (
                match.end("appositive") if match.group("appositive") else match.end("spk")
            )
            speaker = self.resolver.resolve(a, phrase_end, self.cast)
            if speaker is not None:
                return speaker, "quote-then-speaker-verb", 1.0
        match = _SAID_X.match(after)
        if match:
            a = quote.outer_end + match.start("spk")
            end = quote.outer_end + match.end("spk")
            speaker = self.resolver.resolve(a, end, self.cast, after_verb=True)
            if speaker is not None:
                return speaker, "quote-then-verb-speaker", 1.0
        return None

    def _before(
        self, quote: Quotation, start: int, s_start: int, subject: Speaker | None
    ) -> tuple[Speaker, str, float] | None:
        before = self.masked[start : quote.open]
        for match in _ACCORDING.finditer(self.masked[s_start : quote.open]):
            a = s_start + match.start("spk")
            speaker = self.resolver.resolve(a, s_start + match.end("spk"), self.cast, after_verb=True)
            if speaker is not None:
                return speaker, "according-to", 0.95
        verbs = list(VERB.finditer(before))
        for verb in reversed(verbs):
            phrase_end = start + verb.start()
            # ", adding that ...": the main clause's speaker; "X labeling it ...": X
            participle = verb.group().endswith("ing") and before[: verb.start()].rstrip().endswith(",")
            if participle or _CONJUNCTION.match(before[: verb.start()]):
                if subject is not None:
                    return subject, "same-sentence-speaker", 0.9
                continue
            speaker = self.resolver.resolve(start, phrase_end, self.cast)
            if speaker is not None:
                return speaker, "speaker-verb-then-quote", 0.95
            break
        if not verbs and subject is not None:
            return subject, "same-sentence-speaker", 0.85
        return None

    def _clause_then_speaker(self, sentence: tuple[int, int], text: str) -> list[Attributed]:
        """Reported speech before its speaker: "Canada will answer the tariffs, the prime minister said." """
        s_start = sentence[0]
        for pattern, after_verb in ((_CLAUSE_X_SAID, False), (_CLAUSE_SAID_X, True)):
            match = pattern.match(text)
            if match is None:
                continue
            a = match.start("clause") + (_dateline_end(text) if s_start == self.first else 0)
            b = match.end("clause")
            words = text[a:b].strip()
            if len(words.split()) < MIN_REPORTED_WORDS + 1 or not words[:1].isupper() or a >= b:
                return []
            spk_start, spk_end = s_start + match.start("spk"), s_start + match.end("spk")
            speaker = self.resolver.resolve(spk_start, spk_end, self.cast, after_verb=after_verb)
            if speaker is None:
                return []
            lead = len(text[a:b]) - len(text[a:b].lstrip())
            confidence = round(0.8 * speaker.confidence, 2)
            start = s_start + a + lead
            return [
                Attributed(
                    start, start + len(words), speaker, False, "clause-then-speaker", confidence, sentence
                )
            ]
        return []

    def _reported(self, sentence: tuple[int, int], subject: Speaker | None) -> list[Attributed]:
        """Reported speech without quotation marks: `X said (that) <clause>`, `according to X, <clause>`."""
        s_start, s_end = sentence
        text = self.masked[s_start:s_end]
        out: list[Attributed] = []
        starts = [0] + [m.end() for m in _CLAUSE_END.finditer(text)]
        for verb in REPORTING.finditer(text):
            if _attributes_quote(text, verb.start()):
                continue
            clause = _clause(text, _reported_clause_start(text, verb))
            if clause is None:
                continue
            a, b = clause
            phrase_start = max(p for p in starts if p <= verb.start())
            speaker = None
            if _CONJUNCTION.match(text[phrase_start : verb.start()]):
                speaker = subject
            else:
                speaker = self.resolver.resolve(s_start + phrase_start, s_start + verb.start(), self.cast)
            if speaker is None:
                continue
            subject = subject or speaker
            out.append(
                Attributed(
                    s_start + a,
                    s_start + b,
                    speaker,
                    False,
                    "reported-speech",
                    round(0.85 * speaker.confidence, 2),
                    sentence,
                )
            )
        out += self._clause_then_speaker(sentence, text)
        out += self._according_to(sentence, text)
        return out

    def _according_to(self, sentence: tuple[int, int], text: str) -> list[Attributed]:
        """`according to X, <clause>`."""
        s_start = sentence[0]
        out: list[Attributed] = []
        for match in _ACCORDING.finditer(text):
            clause = _clause(text, match.end())
            if clause is None:
                continue
            speaker = self.resolver.resolve(
                s_start + match.start("spk"), s_start + match.end("spk"), self.cast, after_verb=True
            )
            if speaker is not None:
                a, b = clause
                out.append(
                    Attributed(
                        s_start + a,
                        s_start + b,
                        speaker,
                        False,
                        "according-to-reported",
                        round(0.85 * speaker.confidence, 2),
                        sentence,
                    )
                )
        return out


def _reported_clause_start(text: str, verb: re.Match[str]) -> int:
    """Where the clause a reporting verb introduces starts: after `that`, after whom one `told`, after a
    weekday ("said Tuesday")."""
    clause_start = verb.end()
    rest = text[clause_start:]
    that = _THAT.search(rest[:80])
    if that and len(rest[: that.start()].split()) <= 8:
        return clause_start + that.end()
    if verb.group() in ("told", "tells"):
        obj = _TOLD_OBJECT.match(rest)
        clause_start += obj.end() if obj else 0
    weekday = _WEEKDAY_START.match(text[clause_start:])
    return clause_start + (weekday.end() if weekday else 0)


def _dateline_end(text: str) -> int:
    """Where the words after a dateline begin ("OTTAWA, April 3 (Wirewatch) - Canada will ..."), or 0."""
    match = _DATELINE_DASH.search(text[:DATELINE_CHARS])
    return match.end() if match else 0


def _attributes_quote(text: str, verb: int) -> bool:
    """Whether a verb hands a quotation just before it to its speaker ("...," X said; "...," said X)."""
    last = text.rfind(MASK, 0, verb)
    if last < 0:
        return False
    between = text[last + 1 : verb]
    if _CONJUNCTION.match(between) and between.strip():
        return False
    return len(between.split()) <= 6 and not any(c in between for c in ".;")


def _clause(text: str, start: int) -> tuple[int, int] | None:
    """The reported clause from `start`: to the end of the sentence, or of its clause; none when it holds a
    quotation (that is a direct quote's) or is too short to say anything."""
    rest = text[start:]
    if rest[:1] in (":", ",") or rest.lstrip()[:1] in (":", ","):
        return None
    stop = _CLAUSE_END.search(rest)
    body = rest[: stop.start()] if stop else rest
    if MASK in body:
        return None
    lead = len(body) - len(body.lstrip(" ,"))
    body = body.strip().rstrip(".").rstrip()
    if len(body.split()) < MIN_REPORTED_WORDS or not body[:1].isalnum():
        return None
    return start + lead, start + lead + len(body)

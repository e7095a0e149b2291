"""The token count made before parsing never exceeds graphql-core's own, so it refuses only what the parser
would refuse (with the same message and place), and refuses an oversized document in a millisecond."""

from __future__ import annotations

import time
from pathlib import Path

from graphql import GraphQLSyntaxError, TokenKind, parse
from graphql.language import Lexer, Source
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema, nodes

from bench.hostile import CLASSES
from graphapi.api.policy.tokens import over_token_limit, token_count

SDL = (Path(__file__).resolve().parents[1] / "schema" / "schema.graphql").read_text(encoding="utf-8")
# Strings that look like what the count must not mistake for tokens: comments, quotes, escapes, `...`
TEXT = st.sampled_from(["a # b", '"quoted"', "back\\slash", "...", "1.5e3 -2", '"""', "x\ny", ""])
SCALARS = {"Day": TEXT.map(nodes.String), "Date": TEXT.map(nodes.String), "ID": TEXT.map(nodes.String)}


def lexed(text: str) -> int:
    lexer = Lexer(Source(text))
    count = 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


EXAMPLES = [
    '{ a: node(id: "x # not a comment") { id } } # a comment, with, commas',
    '{ search(text: """block "quoted" \\""" still""") { totalCount } }',
    "query($n: Int = -12, $f: Float = 1.5e3) { actors(first: $n) { nodes { ...on Person { id } } } }",
    "\ufeff{ __typename }",
    *CLASSES.values(),
]


def test_the_count_is_the_lexers_on_examples() -> None:
    for text in EXAMPLES:
        assert token_count(text) == lexed(text), text[:80]


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(query=from_schema(SDL, custom_scalars=SCALARS), noise=st.sampled_from(["", " # c\n", ",,,", "\n\t"]))
def test_the_count_never_exceeds_the_lexers(query: str, noise: str) -> None:
    text = query.replace(" ", noise or " ", 3)
    try:
        real = lexed(text)
    except GraphQLSyntaxError:
        return
    assert token_count(text) <= real


def test_an_oversized_document_is_refused_as_the_parser_would_and_fast() -> None:
    text = CLASSES["3,000 aliases"]
    try:
        parse(text, max_tokens=4000)
    except GraphQLSyntaxError as error:
        expected = error
    started = time.perf_counter()
    refused = over_token_limit(text, 4000)
    took = time.perf_counter() - started
    assert refused is not None
    assert (refused.message, refused.locations) == (expected.message, expected.locations)
    assert took < 0.05, took
    assert over_token_limit(CLASSES["1,000 aliases"], 4000) is None  # 3,002 tokens: for the parser

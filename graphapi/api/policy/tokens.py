"""A document's tokens counted at the speed of a regular expression, before anything parses it: a document
over the token limit is refused as graphql-core's parser would refuse it (same message, same place), but
in a millisecond and on no thread. The count never exceeds the parser's (strings, block strings, numbers
and `...` are one token each, comments and commas none), so only documents the parser would refuse too
are refused here; a document that is not GraphQL at all is left to the parser to say why."""

from __future__ import annotations

import re

from graphql import GraphQLSyntaxError, Source

_TOKEN = re.compile(
    r'"""(?:\\"""|[\s\S])*?"""'  # block string
    r'|"(?:\\.|[^"\\\n\r])*"'  # string
    r"|(#)[^\n\r]*"  # comment: the one alternative with a group, not a token
    r"|[_A-Za-z][_0-9A-Za-z]*"  # name
    r"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"  # number
    r"|\.\.\.|[!$&():=@\[\]{}|]"  # punctuators
)


def token_count(text: str) -> int:
    found = _TOKEN.findall(text)
    return len(found) - found.count("#")


def over_token_limit(text: str, max_tokens: int) -> GraphQLSyntaxError | None:
    """graphql-core's own refusal when `text` has more than `max_tokens` tokens; None otherwise."""
    if token_count(text) <= max_tokens:
        return None
    counted = 0
    for match in _TOKEN.finditer(text):
        if match.group(1) is None:
            counted += 1
            if counted > max_tokens:
                return GraphQLSyntaxError(
                    Source(text),
                    match.start(),
                    f"Document contains more than {max_tokens} tokens. Parsing aborted.",
                )
    return None  # pragma: no cover - the count said there were more

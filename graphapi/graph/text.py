"""What text may hold before it becomes a key, a name or a property.

Names, titles and other one-line values hold no control character at all; longer text (a source, a quote,
a note) may hold tabs and line breaks and nothing else of the kind. Lone surrogates (which JSON can carry
but UTF-8 cannot) are refused everywhere, as they cannot be stored.
"""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls; the line-breaking ones are allowed in long text only.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")

MAX_NAME = 500
MAX_TEXT = 2_000_000


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def check_line(value: str, max_length: int = MAX_NAME) -> str:
    """A one-line value: a name, a title, an alias. Raises ValueError saying what is wrong."""
    if len(value) > max_length:
        raise ValueError(f"is {len(value)} characters long; at most {max_length}")
    bad = _CONTROL.search(value) or _SURROGATE.search(value)
    if bad:
        raise ValueError(
            f"holds the control character {_describe(bad.group())}; one line of text is expected"
        )
    return value


def check_text(value: str, max_length: int = MAX_TEXT) -> str:
    """Running text: tabs and line breaks allowed, other control characters not."""
    if len(value) > max_length:
        raise ValueError(f"is {len(value)} characters long; at most {max_length}")
    bad = _CONTROL_IN_TEXT.search(value) or _SURROGATE.search(value)
    if bad:
        raise ValueError(f"holds the character {_describe(bad.group())}, which text may not contain")
    return value

"""A fast reader of seed YAML for the texts where it provably reads what PyYAML reads (graphapi/seed/
yaml_loader.py), twenty times faster: `yaml_rs` (Rust), with its dates left as text, on a text with
none of the forms in which the two differ. Everything else is left to PyYAML (`None`), so what a file
means, and the errors a bad one gets, line numbers included, stay PyYAML's.

Where they differ (tests/seed/test_yaml_fast.py holds every form): PyYAML reads YAML 1.1 numbers
(`017` is octal, `1:20` sexagesimal, `1e3` and `-.5` are text) and dates, yaml_rs YAML 1.2's; PyYAML
takes `<<` merges, `=`, tags such as `!!binary`, a byte order mark and duplicate keys (the last wins),
and refuses some control characters. So a plain scalar that begins like a number (a digit, or a sign or
a dot and a digit) must be a plain decimal integer or fraction, and none of the rest may appear; a text
that yaml_rs refuses is PyYAML's to refuse.
"""

from __future__ import annotations

import re
from typing import Any

import yaml_rs

# A scalar that begins like a number (a digit, or a sign or a dot and a digit), made of the characters
# of PyYAML's numbers and dates, is a number or a date if it resolves to one. Scalars begin after a space
# (a word of the text) or a flow indicator; a quoted one begins with its quote, so is never taken.
_NUMBER_LIKE = re.compile(r"(?:^|(?<=[\[\]{},:]))[-+]?\.?[0-9][0-9A-Za-z_.:+-]*")
# ...which both read alike when it is a decimal integer (up to 18 digits) or fraction, no leading zero.
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,15})?")
# A word that begins with a tag, an anchor, an alias, a directive, a complex or empty key, `=`, or
# a document's start or end.
_INDICATORS = ("!", "&", "*", "%", "?", "=", ":", "---", "...")
# The characters PyYAML's reader refuses (yaml.reader.Reader.NON_PRINTABLE).
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _alike(text: str) -> bool:
    """Whether the text holds none of the forms the two readers read differently (or it may)."""
    if "<<" in text or "\ufeff" in text or _NON_PRINTABLE.search(text) is not None:
        return False
    for word in set(text.split()):
        if word.startswith(_INDICATORS) or _flow_indicated(word):
            return False
        for match in _NUMBER_LIKE.finditer(word):
            ends = match.end() == len(word) or word[match.end()] in ",]}"
            if ends and _PLAIN_NUMBER.fullmatch(match.group()) is None:
                return False
    return True


def _flow_indicated(word: str) -> bool:
    """An indicator after a flow indicator within a word (`[!x]`, `{&a 1}`, `[*a]`)."""
    return any(c in word for c in "[{,") and re.search(r"[\[{,][!&*%?=:]", word) is not None


def read_fast(text: str) -> Any | None:
    """What PyYAML's seed loader reads of `text`, or None where this reader cannot be sure it would
    read the same (the caller then asks PyYAML)."""
    if not _alike(text):
        return None
    try:
        return yaml_rs.loads(
            text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error
        )
    except Exception:  # whatever yaml_rs refuses, PyYAML refuses in its own words
        return None


__all__ = ["read_fast"]

"""YAML with YAML 1.2 booleans: only `true`/`false` are booleans. PyYAML follows YAML 1.1, where
`on`, `off`, `yes`, `no` (and so Norway's country code) silently become booleans.

A text is read by a faster reader where it provably reads the same (graphapi/seed/yaml_fast.py), and by
PyYAML otherwise, whose errors (with their lines) are the ones a bad file gets."""

from __future__ import annotations

import re
from typing import Any

import yaml

from graphapi.seed.yaml_fast import read_fast

# libyaml's parser when PyYAML was built with it (ten times faster on large seeds), else pure Python.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SeedYamlLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """SafeLoader (no arbitrary objects) with strict booleans."""


SeedYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
SeedYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str) -> Any:
    fast = read_fast(text)
    return fast if fast is not None else load_yaml_slow(text)


def load_yaml_slow(text: str) -> Any:
    """PyYAML's reading of `text` (what the fast reader is held to)."""
    return yaml.load(text, Loader=SeedYamlLoader)

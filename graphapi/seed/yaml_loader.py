"""YAML with YAML 1.2 booleans: only `true`/`false` are booleans. PyYAML follows YAML 1.1, where
`on`, `off`, `yes`, `no` (and so Norway's country code) silently become booleans."""

from __future__ import annotations

import re
from typing import Any

import yaml

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
    return yaml.load(text, Loader=SeedYamlLoader)

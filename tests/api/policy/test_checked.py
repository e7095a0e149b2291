"""The limits of a cached document are checked once per value of its size variables
(graphapi/api/policy/checked.py): requests that differ only in other variables are not measured again,
and a request whose `first` differs is measured, so a client cannot pass a costly request off as a cheap
one it sent before."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
import pytest
from graphql import parse

import graphapi.api.policy.checked as checked_module
from graphapi.api.policy.checked import CheckedLimits
from graphapi.api.schema import build_schema
from graphapi.app import create_app
from graphapi.config import Limits, Settings
from graphapi.store import Store
from helpers import gql

DOCUMENT = """query($measure: ID!, $n: Int, $m: Int) {
  positions(on: $measure, first: $n) { nodes { stance actor { statements(first: $m) { id } } } }
}"""


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    measured = [0]
    original = checked_module.check

    def counted(*args: Any) -> Any:
        measured[0] += 1
        return original(*args)

    monkeypatch.setattr(checked_module, "check", counted)
    return measured


def test_a_document_is_measured_once_per_value_of_its_size_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    measured = _counting(monkeypatch)
    limits = CheckedLimits(replace(Limits(), max_cost=1000), build_schema()._schema)
    document = parse(DOCUMENT)
    for measure in ("measure:a", "measure:b", "measure:c"):  # other variables: measured once
        assert limits.check(document, {"measure": measure, "n": 10, "m": 5}) is None
    assert measured[0] == 1
    refused = limits.check(document, {"measure": "measure:a", "n": 100, "m": 100})
    assert refused is not None and "the query costs" in refused.message
    assert measured[0] == 2
    # measured as the measure sees them: a boolean or a string is no size, like null (a variable left out
    # is measured by its default, so it is an entry of its own)
    for no_size in ({"n": None}, {"n": True}, {"n": "10"}):
        limits.check(document, {"m": 5, **no_size})
    assert measured[0] == 3
    assert limits.check(document, {"measure": "measure:z", "n": 100, "m": 100}) is refused
    assert measured[0] == 3


def test_an_equal_document_parsed_again_is_measured_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries are by the parsed document's identity: another parse (another text, or the parse cache's
    eviction) is measured, and an entry keeps its document so the identity is not reused meanwhile."""
    measured = _counting(monkeypatch)
    limits = CheckedLimits(Limits(), build_schema()._schema, maxsize=2)
    documents = [parse(DOCUMENT) for _ in range(3)]
    for document in documents:
        limits.check(document, {"n": 1})
    assert measured[0] == 3
    limits.check(documents[0], {"n": 1})  # evicted (two entries at most): measured again
    assert measured[0] == 4


async def test_a_costly_first_is_refused_on_the_fast_path_after_a_cheap_one(store: Store) -> None:
    settings = replace(Settings.from_env({}), limits=replace(Limits(), max_cost=2000))
    app = create_app(settings, store=store)
    query = "query($n: Int) { actors(first: $n) { nodes { id statements(first: 20) { id } } } }"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        for _ in range(3):  # the second and third askings take the fast path
            assert not (await gql(client, query, n=5)).errors
        refused = await gql(client, query, n=500)
        assert refused.codes == ["BAD_USER_INPUT"] and "the query costs" in refused.errors[0]["message"]
        assert refused.round_trips == 0
        assert not (await gql(client, query, n=5)).errors

"""Compiled reads (graphapi/api/compiled/): each root field that compiles is one statement whatever its
depth, and answers exactly what the resolvers answer, errors included, on the seed and on a synthetic
graph; every field of the schema is either compiled or left to the resolvers on purpose."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from compiled_corpus import DOCUMENTS, LEFT_TO_RESOLVERS, variables
from graphql import (
    FieldNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    OperationDefinitionNode,
    get_named_type,
    parse,
)

from bench.questions import QUESTIONS
from bench.synthetic import write_synthetic_seed
from graphapi.api.compiled.derived import field_table, kind_rules
from graphapi.api.compiled.evidence import node_evidence
from graphapi.api.compiled.fields import FIELDS
from graphapi.api.compiled.objects import FALLBACK
from graphapi.api.compiled.pages import CONNECTION_FIELDS, EDGE_FALLBACK, EDGE_FIELDS, PAGE_INFO_FIELDS
from graphapi.api.compiled.plan_cache import PlanCache
from graphapi.api.compiled.roots import RESOLVED, ROOTS
from graphapi.api.compiled.walk_roots import GRAPH_EDGE_FIELDS, SUBGRAPH_FIELDS
from graphapi.api.reading.cursors import CursorScope
from graphapi.api.schema import build_schema
from graphapi.app import create_app
from graphapi.config import Settings
from graphapi.graph.kinds import BY_PREFIX, KINDS
from graphapi.seed.loader import load
from graphapi.store import Store

# --- the field table covers the schema (no database) --------------------------------------------


def _compiled_types() -> dict[str, GraphQLObjectType]:
    """Every object type a compiled root field can reach through fields that compile."""
    schema = build_schema()._schema
    found: dict[str, GraphQLObjectType] = {}
    todo = [get_named_type(schema.query_type.fields[name].type) for name in ROOTS]  # type: ignore[union-attr]
    while todo:
        named = todo.pop()
        runtimes = (
            list(schema.get_possible_types(named)) if isinstance(named, GraphQLInterfaceType) else [named]
        )
        for runtime in runtimes:
            if not isinstance(runtime, GraphQLObjectType) or runtime.name in found:
                continue
            found[runtime.name] = runtime
            for name, field in runtime.fields.items():
                rule = field_table(schema).get(runtime.name, {}).get(name)
                left = rule is FALLBACK or (runtime.name.endswith("Edge") and name in EDGE_FALLBACK)
                if not left:
                    todo.append(get_named_type(field.type))
    return found


def test_every_field_is_compiled_or_left_to_the_resolvers() -> None:
    """A field added to the schema fails here until the compiler compiles it or marks it FALLBACK."""
    schema = build_schema()._schema
    roots = set(schema.query_type.fields)  # type: ignore[union-attr]
    assert roots == set(ROOTS) | RESOLVED, "a root field neither compiled nor left to the resolvers"
    assert not set(ROOTS) & RESOLVED
    missing = []
    for name, runtime in _compiled_types().items():
        if name == "Subgraph":
            known: set[str] | frozenset[str] = SUBGRAPH_FIELDS
        elif name == "GraphEdge":
            known = set(GRAPH_EDGE_FIELDS)
        elif name.endswith("Connection"):
            known = CONNECTION_FIELDS
        elif name.endswith("Edge"):
            known = EDGE_FIELDS | EDGE_FALLBACK
        elif name == "PageInfo":
            known = PAGE_INFO_FIELDS
        else:
            known = set(field_table(schema).get(name, {}))
        missing += [f"{name}.{field}" for field in runtime.fields if field not in known]
    assert not missing, f"fields neither compiled nor marked FALLBACK: {missing}"


def test_plain_fields_follow_from_the_registry() -> None:
    """A kind's properties, dates and the relationships its record owns compile without a line in the
    table: only fields with their own logic are written there."""
    schema = build_schema()._schema
    event = kind_rules(BY_PREFIX["event"], schema)
    assert {"id", "name", "kind", "status", "date", "end", "participants", "location", "after"} <= set(event)
    assert set(FIELDS["Event"]) == {"statements"}  # an incoming relationship: not the record's
    assert event["evidence"] is node_evidence  # the spans its record owns (its EVIDENCE_IN link)
    # one rule per declaration: the actor types share theirs (a selection on Actor reads `name` once)
    assert len({id(kind_rules(BY_PREFIX[p], schema)["name"]) for p in ("country", "person", "party")}) == 1


def test_each_kind_is_named_as_its_label() -> None:
    """An abstract object's runtime type is read from the node's labels (objects.py, type_name)."""
    assert all(kind.graphql_type == kind.label for kind in KINDS)


# --- the same answers, one statement per root field ----------------------------------------------


def _comparable(body: dict[str, Any]) -> dict[str, Any]:
    """The response without what may differ: the round-trips, the id of a masked error, and the order of
    errors (the order in which root fields finish)."""
    errors = [
        {**e, "extensions": {k: v for k, v in e.get("extensions", {}).items() if k != "requestId"}}
        for e in body.get("errors") or []
    ]
    # As JSON text: 11 and 11.0 are equal in Python, not to a client that decodes an Int.
    data = json.dumps(body.get("data"), sort_keys=True)
    return {"data": data, "errors": sorted(errors, key=lambda e: json.dumps(e, sort_keys=True))}


@pytest.fixture
async def synthetic(scratch_store: Store, tmp_path: Path) -> Store:
    await load(scratch_store, [write_synthetic_seed(tmp_path, statements=300)])
    return scratch_store


async def _both(
    store: Store,
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient, httpx.AsyncClient]]:
    # debug: the responses name the statements they sent; without it, compiled queries asked before take
    # the fast path (graphapi/api/transport/fast.py)
    compiled = create_app(Settings.from_env({"GRAPHAPI_DEBUG": "true"}), store=store)
    resolved = create_app(
        Settings.from_env({"GRAPHAPI_COMPILE": "false", "GRAPHAPI_DEBUG": "true"}), store=store
    )
    fast = create_app(Settings.from_env({}), store=store)
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=compiled), base_url="http://t") as a,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=resolved), base_url="http://t") as b,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=fast), base_url="http://t") as c,
    ):
        yield a, b, c


async def fast_answers(client: httpx.AsyncClient) -> float:
    """How many operations the app's fast path answered (its metric)."""
    text = (await client.get("/metrics")).text
    line = next(x for x in text.splitlines() if x.startswith("graphapi_fast_operations_total "))
    return float(line.split()[1])


async def _alike_on_the_fast_path(
    fast: httpx.AsyncClient, query: str, given: dict[str, Any], expected: dict[str, Any]
) -> None:
    """Asked twice (the second time from the cached plans, when it compiled), the same answer."""
    for _ in range(2):
        assert _comparable(await _post(fast, query, given)) == _comparable(expected), query


async def _post(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = (
        await client.post("/graphql", json={"query": query, "variables": variables})
    ).json()
    return body


async def _compare(store: Store, graph: str) -> int:
    compiled_statements = 0
    async for compiled, resolved, fast in _both(store):
        for document in DOCUMENTS:
            given = variables(document, graph)
            a, b = await _post(compiled, document, given), await _post(resolved, document, given)
            assert _comparable(a) == _comparable(b), document
            await _alike_on_the_fast_path(fast, document, given, b)
            sent = a.get("extensions", {}).get("dbQueries", [])
            compiled_here = sum(name.startswith("compiled.") for name in sent)
            compiled_statements += compiled_here
            if not a.get("errors") and not any(mark in document for mark in LEFT_TO_RESOLVERS):
                # an answer without errors: each compiled root field was one statement, none fell back
                assert compiled_here == _compiled_roots(document), document
            # the next page, from the compiled answer's cursor, on both paths
            for root, value in (a.get("data") or {}).items():
                end = isinstance(value, dict) and (value.get("pageInfo") or {}).get("endCursor")
                if end and value["pageInfo"].get("hasNextPage"):
                    more = {**given, "after": end}
                    query = _with_after(document, root)
                    if query is not None:
                        expected = await _post(resolved, query, more)
                        assert _comparable(await _post(compiled, query, more)) == _comparable(expected), query
                        await _alike_on_the_fast_path(fast, query, more, expected)
        # the fast path answered the second asking of most compiled documents
        assert await fast_answers(fast) >= 40
    return compiled_statements


def _compiled_roots(document: str) -> int:
    """How many of the operation's root fields the compiler takes (ROOTS)."""
    operation = next(d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode))
    return sum(isinstance(s, FieldNode) and s.name.value in ROOTS for s in operation.selection_set.selections)


def _with_after(document: str, root: str) -> str | None:
    """The document asking its root field `root` for the page after `$after` (when it has no `after`)."""
    head, sep, rest = document.partition(f"{root}(")
    if not sep or "after" in rest.split(")")[0] or document.lstrip().startswith("fragment"):
        return None
    opening = "query(" if head.lstrip().startswith("query(") else None
    declared = (
        head.replace("query(", "query($after: String, ", 1) if opening else "query($after: String) " + head
    )
    return f"{declared}{root}(after: $after, {rest}"


def _no_compiler_failure(caplog: pytest.LogCaptureFixture) -> None:
    """A compiler bug falls back to the resolvers, answering right: the log is where it shows."""
    failures = [r.getMessage() for r in caplog.records if r.name.startswith("graphapi.api.compiled")]
    assert not [f for f in failures if "failed" in f], failures


async def test_compiled_answers_are_the_resolvers_answers_on_the_seed(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    assert await _compare(store, "seed") >= 55
    _no_compiler_failure(caplog)


async def test_compiled_answers_are_the_resolvers_answers_on_a_synthetic_graph(
    synthetic: Store, caplog: pytest.LogCaptureFixture
) -> None:
    assert await _compare(synthetic, "synthetic") >= 55
    _no_compiler_failure(caplog)


async def test_the_readme_questions_match_the_hand_written_statements(synthetic: Store) -> None:
    """bench/questions.py: for each README question, the GraphQL answer (compiled or not) is the answer
    of its hand-written statement, the ceiling the benchmark measures GraphQL against."""
    async for compiled, resolved, _fast in _both(synthetic):
        for question in QUESTIONS:
            a = await _post(compiled, question.graphql, question.variables)
            b = await _post(resolved, question.graphql, question.variables)
            cypher, params = question.raw(synthetic.engine)
            ceiling = question.data(await synthetic.read(cypher, params))
            typed = [json.dumps(d, sort_keys=True) for d in (a["data"], b["data"], ceiling)]
            assert typed[0] == typed[1] == typed[2], question.name  # as JSON: 11.0 is not an Int
            trips = a["extensions"]["dbRoundTrips"]
            assert (trips == 1) if question.compiled else (trips > 1), (question.name, trips)


async def test_one_statement_per_compiled_root_field_whatever_its_depth(store: Store) -> None:
    deep = """{
      a: positions(onText: "auto tariffs", first: 3) { totalCount edges { cursor node { actor { name ... on Person {
           tenures { office { holders(first: 2) { holder { statements(first: 2) { about { id } source { title } } } } } } } }
           evidence { statement { speaker { name } role { of { name } } } context { before } } } } }
      b: node(id: "person:mark-carney") { id }
      c: officeHolders(office: "office:ca-prime-minister") { holder { name } }
      d: timeline(actor: "person:mark-carney", first: 2) { totalCount nodes { node { ... on Statement {
           speaker { name } about { id } } } } }
      e: neighbourhood(id: "person:mark-carney") { nodes { id } }
    }"""
    async for client, _, _fast in _both(store):
        body = await _post(client, deep, {})
    assert not body.get("errors"), body
    sent = body["extensions"]["dbQueries"]
    assert sent == ["compiled.positions", "compiled.node", "compiled.officeHolders", "compiled.timeline",
                    "compiled.neighbourhood"]  # fmt: skip
    assert body["extensions"]["dbRoundTrips"] == 5  # the walk too: one statement, whatever its depth
    assert body["data"]["a"]["totalCount"] == 7 and body["data"]["b"] == {"id": "person:mark-carney"}


async def test_the_total_is_counted_only_when_asked(store: Store) -> None:
    async for compiled, _, _fast in _both(store):
        without = await _post(
            compiled, '{ positions(on: "measure:us-vehicle-tariff-2025") { nodes { id } } }', {}
        )
        with_total = await _post(
            compiled, '{ positions(on: "measure:us-vehicle-tariff-2025") { totalCount } }', {}
        )
        assert with_total["data"]["positions"]["totalCount"] == 6
        texts = _statements(compiled)
        assert "count(" not in texts[0] and "count(" in texts[1]
        assert without["extensions"]["dbRoundTrips"] == with_total["extensions"]["dbRoundTrips"] == 1


def _plans(client: httpx.AsyncClient) -> Any:
    """The plan cache of the app behind a test client."""
    app = client._transport.app  # type: ignore[attr-defined]
    graphql = next(r.endpoint for r in app.routes if getattr(r, "path", None) == "/graphql")
    return graphql.schema.execution_context_class.plans


def _statements(client: httpx.AsyncClient) -> list[str]:
    return [plan.cypher.text for _, plan, _chars in _plans(client)._plans.values() if plan is not None]


async def test_statements_are_cached_per_document_and_shape_of_the_variables(store: Store) -> None:
    query = "query($on: ID!, $o: PositionOrder) { positions(on: $on, orderBy: $o) { totalCount } }"
    async for compiled, _, _fast in _both(store):
        plans = _plans(compiled)
        for on in ("measure:us-vehicle-tariff-2025", "measure:ca-planned-retaliation-autos"):
            assert (await _post(compiled, query, {"on": on}))["data"]["positions"]["totalCount"] >= 1
        assert len(plans) == 1  # another id is the same shape: the same statement
        desc = {"field": "CONFIDENCE", "direction": "DESC"}
        await _post(compiled, query, {"on": "measure:us-vehicle-tariff-2025", "o": desc})
        assert len(plans) == 2  # another ordering: another statement
        await _post(compiled, query, {"on": "measure:us-vehicle-tariff-2025", "o": desc})
        await _post(compiled, " " + query, {"on": "measure:us-vehicle-tariff-2025"})  # another document
        assert len(plans) == 3
        texts = _statements(compiled)
        assert len(set(texts)) == 2 and "ORDER BY k DESC" in "".join(texts)


async def test_the_plan_cache_cannot_be_grown_by_a_client(store: Store) -> None:
    """Plans are cached only for documents the parse cache keeps (long ones are compiled each time),
    within a budget of their documents' characters; a plan keeps nothing of its request (variables,
    context), and made-up id prefixes in variables are one shape."""
    async for compiled, resolved, _fast in _both(store):
        plans = _plans(compiled)
        padding = "#" + "x" * 6_000 + "\n"  # a comment: a long document asking what a short one asks
        long = padding + '{ positions(on: "measure:us-vehicle-tariff-2025") { totalCount } }'
        for _ in range(3):
            body = await _post(compiled, long, {})
            assert body["data"]["positions"]["totalCount"] == 6
            assert body["extensions"]["dbQueries"] == ["compiled.positions"]  # compiled, not cached
        assert len(plans) == 0
        # Variables with made-up prefixes: one shape, one plan, answered as the resolvers answer.
        query = "query($id: ID!) { node(id: $id) { id } }"
        for prefix in ("aaa", "aab", "zzz", "person"):
            big = f"{prefix}:" + "y" * 50
            a, b = await _post(compiled, query, {"id": big}), await _post(resolved, query, {"id": big})
            assert _comparable(a) == _comparable(b)
        assert len(plans) == 2  # a made-up prefix, and a kind's
        listed = (
            "query($w: String) { actors(first: 2, filter: {nameContains: $w}) { totalCount nodes { id } } }"
        )
        assert (await _post(compiled, listed, {"w": "zq" * 200}))["data"]["actors"]["totalCount"] == 0
        assert len(plans) == 3
        assert plans.chars <= plans.budget_chars
        for entry in plans._plans.values():
            plan = entry[1]
            assert plan is None or not _reaches_an_executor(plan)


def _reaches_an_executor(plan: Any) -> bool:
    """Whether anything the plan refers to, through closures and objects (not modules' globals), is a
    request's executor."""
    import gc
    import types

    from graphql.execution import Executor

    seen: set[int] = set()
    todo = [plan]
    while todo:
        item = todo.pop()
        if id(item) in seen or isinstance(item, type | types.ModuleType | str | bytes | int | float):
            continue
        seen.add(id(item))
        if isinstance(item, Executor):
            return True
        if isinstance(item, types.FunctionType):
            todo.extend(c.cell_contents for c in item.__closure__ or () if c.cell_contents is not None)
            todo.extend(item.__defaults__ or ())
            continue
        todo.extend(gc.get_referents(item))
    return False


def test_the_plan_cache_keeps_to_its_budget() -> None:
    cache = PlanCache(size=10, budget_chars=1_000)
    operation = object()
    for i in range(50):
        cache.put(operation, ("k", i), None, 300)
        assert cache.chars <= 1_000 and len(cache) <= 3
    cache.put(operation, ("k", 49), None, 100)  # the same key again: replaced, not counted twice
    assert cache.chars == 100 + 2 * 300 and len(cache) == 3


@pytest.mark.parametrize("rank", [-5, -2, -(2**52), 2**32 - 1, 2**32 + 3, 2**40])
async def test_a_forged_search_rank_is_refused_on_both_paths(store: Store, rank: int) -> None:
    """A search cursor is the rank of the last hit given out: a negative or absurd one is not ours."""
    after = CursorScope.of("search", "SCORE:DESC", {"text": "tariff", "kinds": None}).encode([rank])
    query = 'query($a: String) { search(text: "tariff", first: 3, after: $a) { edges { node { id } } } }'
    async for compiled, resolved, _fast in _both(store):
        for client in (compiled, resolved):
            body = await _post(client, query, {"a": after})
            assert [e["extensions"] for e in body["errors"]] == [
                {"code": "BAD_USER_INPUT", "argument": "after"}
            ], body
    # a cursor given out still pages
    async for compiled, resolved, _fast in _both(store):
        first = await _post(compiled, query.replace("node { id }", "cursor"), {"a": None})
        end = first["data"]["search"]["edges"][-1]["cursor"]
        a, b = await _post(compiled, query, {"a": end}), await _post(resolved, query, {"a": end})
        assert _comparable(a) == _comparable(b) and a["data"]["search"]["edges"]


async def test_values_are_parameters_never_text(store: Store) -> None:
    """Hostile values reach the statement as parameters: the text is the same for any of them."""
    query = "query($w: String!) { actors(filter: {nameContains: $w}) { totalCount } }"
    async for compiled, resolved, _fast in _both(store):
        for words in ("Carney", "x') RETURN 1 //", "`} MATCH (n) DETACH DELETE n //"):
            a, b = await _post(compiled, query, {"w": words}), await _post(resolved, query, {"w": words})
            assert _comparable(a) == _comparable(b)
        assert len(set(_statements(compiled))) == 1


async def test_a_compiler_failure_falls_back_to_the_resolvers(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in the compiler costs the client nothing: the resolvers answer (and the failure is logged)."""
    from graphapi.api.compiled import roots

    def broken(*args: Any) -> Any:
        raise KeyError("a bug")

    monkeypatch.setitem(roots.ROOTS, "node", broken)
    async for compiled, _, _fast in _both(store):
        body = await _post(compiled, '{ node(id: "person:mark-carney") { id } }', {})
        assert body["data"] == {"node": {"id": "person:mark-carney"}}
        assert body["extensions"]["dbQueries"] == ["read.nodes_by_id"]


def test_corpus_documents_are_valid_graphql() -> None:
    """The corpus's documents all validate (a typo would only compare two identical errors)."""
    from graphql import parse, validate

    schema = build_schema()._schema
    errors = {doc[-80:]: validate(schema, parse(doc)) for doc in DOCUMENTS}
    assert not {doc: e for doc, e in errors.items() if e}, json.dumps(
        {d: [str(x) for x in e] for d, e in errors.items() if e}
    )

"""`draftSource`: the draft of an article through the API, with its spans, storing nothing; and a draft
accepted and saved through the ordinary upserts, its quotes placed without offsets."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from draft_scoring import DEV, WORLD

from graphapi.app import create_app
from graphapi.auth import Scope, create_key
from graphapi.seed.loader import load
from graphapi.store import Store
from helpers import GraphQLResult

DRAFT = """mutation($text: String!, $title: String) { draftSource(text: $text, title: $title) {
  id title text writtenOn { on earliest latest asWritten yearStated } sourceDraft { rule confidence }
  statements { id quote span { start end } occurrence direct speaker { id name isNew span { start end } }
               saidOn role about draft { rule confidence note } }
  actors { id name role span { start end } draft { rule confidence note } }
  mentions { id name span { start end } } days { on asWritten yearStated span { start end } } seedFile } }"""
COUNT = "{ sources { totalCount } statements { totalCount } }"
ARTICLE = next(p for p in DEV if p.stem == "dairy-farmers").read_text(encoding="utf-8")


class Api:
    def __init__(self, client: httpx.AsyncClient, key: str) -> None:
        self.client, self.key = client, key

    async def __call__(self, query: str, key: str | None = "", **variables: Any) -> GraphQLResult:
        key = self.key if key == "" else key
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        body = {"query": query, "variables": variables}
        return GraphQLResult(await self.client.post("/graphql", json=body, headers=headers))


@pytest.fixture
async def api(scratch_store: Store) -> AsyncIterator[Api]:
    await load(scratch_store, [WORLD])
    key = await create_key(scratch_store, "curator", Scope.WRITE)
    app = create_app(store=scratch_store)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://graphapi.test") as client:
        yield Api(client, key)


async def test_draft_source_answers_the_draft_with_its_spans_and_stores_nothing(api: Api) -> None:
    before = await api(COUNT)
    result = await api(DRAFT, text=ARTICLE)
    assert not result.errors, result.body
    draft = result.data["draftSource"]
    text = draft["text"]
    assert draft["title"] == "Dairy farmers rally as duties bite"
    assert draft["writtenOn"] == {
        "on": "2025-03-03", "earliest": None, "latest": None, "asWritten": "March 3, 2025", "yearStated": True
    }  # fmt: skip
    for statement in draft["statements"]:
        span = statement["span"]
        assert text[span["start"] : span["end"]] == statement["quote"]
        named = statement["speaker"]["span"]
        assert text[named["start"] : named["end"]]
        assert 0 < statement["draft"]["confidence"] <= 1 and statement["draft"]["rule"]
    said = {(s["quote"], s["speaker"]["id"]) for s in draft["statements"] if s["direct"]}
    assert ("I hear them, and I will not abandon them", "person:viktor-halloran") in said
    assert ("the only language Sylvania understands.", "org:xf-steel-council") in said
    [kovacs] = draft["actors"]
    assert kovacs["name"] == "Marta Kovacs" and kovacs["role"] == "head of the Sylvanian Dairy Union"
    assert text[kovacs["span"]["start"] : kovacs["span"]["end"]].startswith("Marta Kovacs")
    assert {"id": "measure:xf-dairy-duties", "name": "Freedonian retaliatory duties on Sylvanian dairy"} in [
        {"id": m["id"], "name": m["name"]} for m in draft["mentions"]
    ]
    assert {"on": "2025-03-03", "asWritten": "March 3, 2025", "yearStated": True} in [
        {k: d[k] for k in ("on", "asWritten", "yearStated")} for d in draft["days"]
    ]
    assert {"on": "2025-03-03", "asWritten": "on Monday", "yearStated": True} in [
        {k: d[k] for k in ("on", "asWritten", "yearStated")} for d in draft["days"]
    ]
    assert all(text[d["span"]["start"] : d["span"]["end"]] == d["asWritten"] for d in draft["days"])
    assert "statements:" in draft["seedFile"] and "draft: {rule:" in draft["seedFile"]
    assert (await api(COUNT)).data == before.data


async def test_draft_source_needs_the_write_scope_and_a_text(api: Api) -> None:
    assert (await api(DRAFT, key=None, text=ARTICLE)).codes == ["UNAUTHENTICATED"]
    empty = await api(DRAFT, text="Only a title\n")
    assert empty.codes == ["BAD_USER_INPUT"] and empty.errors[0]["extensions"]["argument"] == "text"


async def test_an_accepted_draft_is_saved_through_the_upserts_without_offsets(api: Api) -> None:
    draft = (await api(DRAFT, text=ARTICLE)).data["draftSource"]
    saved = await api(
        "mutation($input: SourceInput!) { upsertSource(input: $input) { created } }",
        input={
            "id": draft["id"],
            "title": draft["title"],
            "text": draft["text"],
            "writtenOn": {"on": "2025-03-03"},
        },
    )
    assert not saved.errors, saved.body
    for actor in draft["actors"]:
        made = await api(
            "mutation($input: ActorInput!) { upsertActor(input: $input) { created } }",
            input={"id": actor["id"], "name": actor["name"]},
        )
        assert not made.errors, made.body
    for statement in draft["statements"]:
        made = await api(
            "mutation($input: StatementInput!) { upsertStatement(input: $input) { statement { span { start end } } } }",
            input={
                "id": statement["id"], "speaker": statement["speaker"]["id"], "source": draft["id"],
                "quote": statement["quote"], "occurrence": statement["occurrence"], "direct": statement["direct"],
                "about": statement["about"], "role": statement["role"],
            },
        )  # fmt: skip
        assert not made.errors, made.body
        assert made.data["upsertStatement"]["statement"]["span"] == statement["span"]


@pytest.mark.slow
def test_seed_draft_writes_a_draft_that_validates_and_loads_once_accepted(tmp_path: Path) -> None:
    """The command as a curator runs it, against a database holding the fictional world."""
    data = tmp_path / "data"

    def graphapi(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "GRAPHAPI_DATA_DIR": str(data), "COLUMNS": "200"}
        env.pop("NEO4J_URI", None)
        return subprocess.run(
            [sys.executable, "-m", "graphapi", *args], env=env, capture_output=True, text=True, timeout=300
        )

    assert graphapi("seed", "load", str(WORLD)).returncode == 0
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "draft.yaml"
    drafted = graphapi("seed", "draft", str(article), "--out", str(out), "--data-dir", str(data))
    assert drafted.returncode == 0, drafted.stderr
    assert "7 quote(s), 2 reported statement(s)" in drafted.stdout and "1 new" in drafted.stdout
    assert (tmp_path / "draft.txt").read_text(encoding="utf-8") == ARTICLE.split("\n", 1)[1]
    checked = graphapi("seed", "validate", str(WORLD), str(out))
    assert checked.returncode == 0, checked.stderr
    assert "11 record(s) are still drafts" in checked.stdout  # the source, a person, 9 statements
    refused = graphapi("seed", "load", str(WORLD), str(out))
    assert refused.returncode == 1 and "nothing was loaded" in refused.stderr
    assert (
        "statements[0] (statement:dairy-farmers-rally-as-duties-bite-marta-kovacs-1): field 'draft': is still a draft"
        in refused.stderr
    )
    assert "persons[0] (person:marta-kovacs)" in refused.stderr
    accepted = [
        line for line in out.read_text(encoding="utf-8").splitlines() if not line.strip().startswith("draft:")
    ]
    out.write_text("\n".join(accepted) + "\n", encoding="utf-8")
    loaded = graphapi("seed", "load", str(WORLD), str(out))
    assert loaded.returncode == 0, loaded.stderr


@pytest.mark.slow
def test_seed_draft_refuses_a_data_dir_without_a_graph(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("NEO4J_URI", None)
    command = [
        sys.executable,
        "-m",
        "graphapi",
        "seed",
        "draft",
        str(article),
        "--out",
        str(tmp_path / "d.yaml"),
    ]
    done = subprocess.run(
        [*command, "--data-dir", str(tmp_path / "nothing")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "holds no graph" in done.stderr
    assert not (tmp_path / "d.yaml").exists()

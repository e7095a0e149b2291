"""Red-team attacks on the reload that reads only the files changed since their last load
(graphapi/seed/digests.py). Each test here states what the README promises; a failing one is a gap."""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
from collections.abc import AsyncIterator
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_loader import SEED

from graphapi.app import create_app
from graphapi.auth import Scope, create_key
from graphapi.graph import history
from graphapi.graph.writer import GraphWriter
from graphapi.graph.writes import CREATE_NODES
from graphapi.seed import digests, files
from graphapi.seed.loader import check, load
from graphapi.seed.problems import SeedInvalid
from graphapi.store import Cypher, Store

ABOUT = Cypher(
    "test.about",
    "MATCH (:Node {id: $id})-[:ABOUT]->(m:Node) RETURN m.id AS id ORDER BY id",
)
SEED_FILE = "us-canada-tariff-call.yaml"
DISPUTE = "vehicle-tariff-rate-dispute.yaml"
DIGESTS = Cypher("test.digests", "MATCH (f:SeedFile) RETURN f.name AS name, f.digest AS digest ORDER BY name")


# (`corpus` and `parsed` are tests/seed/conftest.py's)


@pytest.fixture
async def client(scratch_store: Store) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(store=scratch_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        yield http


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


async def digests_of(store: Store) -> dict[str, str]:
    return {row["name"]: row["digest"] for row in await store.read(DIGESTS)}


STATEMENT = "statement:singh-partly-deserved"  # the dispute's own statement
API_MADE = "measure:made-through-the-api"


async def test_a_cascade_delete_that_detaches_a_record_of_an_unchanged_file_makes_it_read(
    scratch_store: Store, corpus: Path, parsed: list[Path]
) -> None:
    """A cascade delete through the API detaches what only refers to the deleted node; the writer keeps a
    `Change` for the deleted nodes only, not for the records it detached. So a file whose record lost a
    reference that way is unchanged, has no change in the history, and is skipped: the graph no longer
    says what the file says, and no load says so. Before the digests (and with --force) the file is read
    and the load is refused: what it refers to is defined nowhere."""
    await load(scratch_store, [corpus])
    # a measure made through the API (no file states it), which the dispute's statement comes to speak of
    await scratch_store.write(
        CREATE_NODES["measure"],
        {"rows": [{"props": {"id": API_MADE, "name": "A measure of the API's", "kind": "TARIFF"}}]},
    )
    edit(
        corpus / DISPUTE,
        "about: [measure:us-vehicle-tariff-2025]",
        f"about: [measure:us-vehicle-tariff-2025, {API_MADE}]",
    )
    report = await load(scratch_store, [corpus])
    assert report.changed
    assert [r["id"] for r in await scratch_store.read(ABOUT, {"id": STATEMENT})] == sorted(
        ["measure:us-vehicle-tariff-2025", API_MADE]
    )
    # an admin deletes the API's measure with cascade: the dispute's statement is detached, not deleted
    deleted = await GraphWriter(scratch_store).delete(API_MADE, cascade=True, who="key:abc123 (admin)")
    assert STATEMENT in deleted.detached and STATEMENT not in deleted.deleted
    assert [r["id"] for r in await scratch_store.read(ABOUT, {"id": STATEMENT})] == [
        "measure:us-vehicle-tariff-2025"
    ]
    # the dispute still says its statement is about the API's measure: a load must not pass over that
    with pytest.raises(SeedInvalid) as forced:
        await load(scratch_store, [corpus], force=True)
    assert f"{API_MADE} is not defined" in str(forced.value)
    parsed.clear()
    with pytest.raises(SeedInvalid) as refused:  # (was skipped as unchanged: no change kept)
        await load(scratch_store, [corpus])
    assert f"{API_MADE} is not defined" in str(refused.value)


async def test_an_api_edit_after_a_load_is_found_whatever_the_clocks_of_the_two_processes(
    scratch_store: Store,
    corpus: Path,
    parsed: list[Path],
    client: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the loading host's clock runs ahead of the API's (here by a minute: two containers, two hosts,
    an NTP step), an API edit made after the load is still found: the load's time and the edit's are both
    the database's (`SeedFile.loadedSeen`, `Change.seen`), not the processes' (`loadedAt` and `Change.at`
    by these strings, the edit would look older than the load and its file would be skipped, the edit
    neither refused nor overwritten)."""
    stamp = history.stamp

    def ahead() -> str:
        return (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).isoformat(timespec="microseconds")

    with monkeypatch.context() as patch:  # the loading process's clock, a minute fast
        patch.setattr(history, "stamp", ahead)
        await load(scratch_store, [corpus])
    assert history.stamp is stamp
    # then, after that load, an edit through the API (its own clock, right)
    key = await create_key(scratch_store, "write key", Scope.WRITE)
    statement = next(s for s in SEED["statements"] if s["id"] == "statement:trump-large-scale-tariffs")
    edited = {k: v for k, v in statement.items() if k not in ("role", "about")}
    edited |= {"source": "source:us-canada-tariff-call", "channel": "Truth Social"}
    mutation = "mutation($i: StatementInput!) { upsertStatement(input: $i) { created } }"
    answer = await client.post(
        "/graphql",
        json={"query": mutation, "variables": {"i": edited}},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert "errors" not in answer.json(), answer.json()
    parsed.clear()
    with pytest.raises(SeedInvalid) as refused:
        await load(scratch_store, [corpus])
    assert "was changed through the API" in str(refused.value)


def test_the_loader_version_covers_what_the_mapping_depends_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README: "a new version of the mapping reads every file again". The mapping writes each
    node's `searchText` (graphapi/graph/mapping.py), made by graphapi/graph/words.py with the stemmer of
    snowballstemmer and Python's Unicode database (unicodedata.normalize), and rounds floats to
    FLOAT_DIGITS of graphapi/store/falkordb_params.py (graphapi/graph/record_fields.py). None of these is
    in the loader's version: after an upgrade of the stemmer or of Python the files are skipped, and the
    graph keeps the search text the old version made, while searches are stemmed by the new one."""
    base = digests.loader_version.__wrapped__()
    version = metadata.version

    def newer(name: str) -> str:
        return "999.0" if name == "snowballstemmer" else version(name)

    with monkeypatch.context() as patch:  # a new stemmer
        patch.setattr(metadata, "version", newer)
        assert digests.loader_version.__wrapped__() != base, "a new snowballstemmer keeps the digests"
    with monkeypatch.context() as patch:  # a new Python, with a new Unicode database
        patch.setattr(unicodedata, "unidata_version", "99.0.0")
        assert digests.loader_version.__wrapped__() != base, "a new Unicode database keeps the digests"
    read: list[str] = []
    read_bytes = Path.read_bytes

    def reading(path: Path) -> bytes:
        read.append(path.as_posix())
        return read_bytes(path)

    with monkeypatch.context() as patch:  # the code the mapping imports from outside graph/ and seed/
        patch.setattr(Path, "read_bytes", reading)
        digests.loader_version.__wrapped__()
    assert any(p.endswith("graphapi/store/falkordb_params.py") for p in read)


# --- attacks that held (these pass) ---

STANCE = Cypher("test.stance", "MATCH (p:Position {id: $id}) RETURN p.stance AS stance")
SINGH = "position:singh-opposes-us-vehicle-tariff"


async def test_two_files_of_one_name_in_two_directories_loaded_in_turn_are_each_read(
    scratch_store: Store, corpus: Path, tmp_path: Path, parsed: list[Path]
) -> None:
    await load(scratch_store, [corpus])
    other = tmp_path / "other"
    shutil.copytree(corpus / "sources", other / "sources")
    shutil.copy(corpus / DISPUTE, other / DISPUTE)
    edit(other / DISPUTE, "stance: MIXED", "stance: SUPPORT")
    for path, stance in ((other, "SUPPORT"), (corpus, "MIXED"), (other, "SUPPORT"), (corpus, "MIXED")):
        parsed.clear()
        report = await load(scratch_store, [path / DISPUTE])
        assert [p for p in parsed if p.suffix] == [path / DISPUTE] and report.changed
        assert await scratch_store.read(STANCE, {"id": SINGH}) == [{"stance": stance}]


async def test_a_file_edited_while_it_is_loaded_is_read_again_next_time(
    scratch_store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await load(scratch_store, [corpus])
    edit(corpus / DISPUTE, "stance: MIXED", "stance: SUPPORT")
    read_one = files.read_one

    def then_edited(path: Path) -> Any:
        document = read_one(path)
        if path.name == DISPUTE:  # edited again just after it was read, before the load lands
            edit(path, "stance: SUPPORT", "stance: OPPOSE")
        return document

    with monkeypatch.context() as patch:
        patch.setattr(files, "read_one", then_edited)
        await load(scratch_store, [corpus])
    assert await scratch_store.read(STANCE, {"id": SINGH}) == [{"stance": "SUPPORT"}]
    report = await load(scratch_store, [corpus])
    assert report.changed and await scratch_store.read(STANCE, {"id": SINGH}) == [{"stance": "OPPOSE"}]


async def test_a_record_of_an_unchanged_file_deleted_through_the_api_makes_the_load_refuse(
    scratch_store: Store, corpus: Path, parsed: list[Path]
) -> None:
    await load(scratch_store, [corpus])
    await GraphWriter(scratch_store).delete(SINGH, cascade=False, who="key:abc123 (writer)")
    parsed.clear()
    with pytest.raises(SeedInvalid) as refused:
        await load(scratch_store, [corpus])
    assert SINGH in str(refused.value)
    assert sorted(p.name for p in parsed if p.suffix) == sorted([DISPUTE, SEED_FILE])


async def test_a_dry_run_or_a_validation_leaves_the_digests(scratch_store: Store, corpus: Path) -> None:
    await load(scratch_store, [corpus])
    kept = await digests_of(scratch_store)
    edit(corpus / DISPUTE, "stance: MIXED", "stance: SUPPORT")
    checked = await check(scratch_store, [corpus])  # what `seed load --dry-run` and `seed validate` run
    assert checked.prepared is not None and checked.prepared.steps
    assert await digests_of(scratch_store) == kept
    assert (await load(scratch_store, [corpus])).changed


async def test_a_seed_file_that_is_a_symlink_is_read_when_its_target_changes(
    scratch_store: Store, corpus: Path, tmp_path: Path, parsed: list[Path]
) -> None:
    await load(scratch_store, [corpus])
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "a.yaml").write_bytes((corpus / DISPUTE).read_bytes())
    (versions / "b.yaml").write_text(
        (corpus / DISPUTE).read_text(encoding="utf-8").replace("stance: MIXED", "stance: SUPPORT")
    )
    shutil.copytree(corpus / "sources", versions / "sources")
    (corpus / DISPUTE).unlink()
    (corpus / DISPUTE).symlink_to(versions / "a.yaml")
    assert not (await load(scratch_store, [corpus])).changed
    (corpus / DISPUTE).unlink()
    (corpus / DISPUTE).symlink_to(versions / "b.yaml")
    parsed.clear()
    report = await load(scratch_store, [corpus])
    assert [p for p in parsed if p.suffix] == [corpus / DISPUTE] and report.changed
    assert await scratch_store.read(STANCE, {"id": SINGH}) == [{"stance": "SUPPORT"}]


async def test_a_renamed_file_is_read_and_refused_not_skipped(
    scratch_store: Store, corpus: Path, parsed: list[Path]
) -> None:
    await load(scratch_store, [corpus])
    (corpus / DISPUTE).rename(corpus / "renamed.yaml")
    parsed.clear()
    with pytest.raises(SeedInvalid) as refused:
        await load(scratch_store, [corpus])
    assert f"is stated by {DISPUTE} in the graph" in str(refused.value)
    assert [p.name for p in parsed if p.suffix] == ["renamed.yaml"]

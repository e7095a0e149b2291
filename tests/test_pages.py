"""The pages over HTTP, without a browser: what the app serves at /, /explore and /graphql, that every
script and style is its own (pinned, from the lockfile, rebuilt identically), and that the explorer's
code never turns data into markup. What a browser does with them is tests/test_browser.py."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import brotli
import httpx
import pytest

from browser import artifacts_dir, chromium_path
from graphapi.web.assets import IMMUTABLE, AssetIndex
from graphapi.web.pages import STATIC_DIR, asset_index

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "frontend"
MANIFEST = json.loads((STATIC_DIR / "manifest.json").read_text(encoding="utf-8"))
HTML = "text/html"


def lockfile_versions() -> dict[str, str]:
    lock = json.loads((FRONTEND / "package-lock.json").read_text(encoding="utf-8"))
    package = json.loads((FRONTEND / "package.json").read_text(encoding="utf-8"))
    names = [*package["dependencies"], *package["devDependencies"]]
    return {name: lock["packages"][f"node_modules/{name}"]["version"] for name in names}


def test_the_built_files_are_those_of_the_lockfiles_versions() -> None:
    package = json.loads((FRONTEND / "package.json").read_text(encoding="utf-8"))
    pinned = {**package["dependencies"], **package["devDependencies"]}
    # Exact versions only: the lockfile, package.json and the build agree.
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in pinned.values()), pinned
    assert lockfile_versions() == pinned == MANIFEST["packages"]
    assert MANIFEST["packages"]["graphiql"].startswith("5.")


def test_the_readme_names_the_pinned_versions() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Upgrading GraphiQL") :]
    section = " ".join(section[: section.index("```")].split())
    for name, version in MANIFEST["packages"].items():
        assert f"{name} {version}" in section, (name, version)


def test_the_built_files_are_unchanged_since_the_build() -> None:
    built = sorted(
        str(path.relative_to(STATIC_DIR))
        for folder in ("graphiql", "vendor")
        for path in (STATIC_DIR / folder).rglob("*")
        if path.is_file() and path.suffix not in (".gz", ".br")
    )
    assert built == sorted(MANIFEST["files"]), "a file was added or removed by hand: rebuild (README)"
    for name, digest in MANIFEST["files"].items():
        assert hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest() == digest, name


TEXT = {".js", ".css", ".ttf", ".woff", ".svg", ".txt"}


def test_every_text_file_is_precompressed_from_its_current_content() -> None:
    """Each script, style and font has a gzip and a brotli variant made from the file as it now is (the
    explorer's too: edit one, and this fails until `npm run build` in frontend/ makes them again)."""
    texts = sorted(
        path.relative_to(STATIC_DIR).as_posix()
        for path in STATIC_DIR.rglob("*")
        if path.is_file() and path.suffix in TEXT
    )
    assert sorted(MANIFEST["encoded"]) == texts
    for name, made_from in MANIFEST["encoded"].items():
        content = (STATIC_DIR / name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == made_from, f"{name} changed: rebuild (README)"
        assert gzip.decompress((STATIC_DIR / f"{name}.gz").read_bytes()) == content, name
        assert brotli.decompress((STATIC_DIR / f"{name}.br").read_bytes()) == content, name


def test_a_variant_made_from_other_text_is_not_used(tmp_path: Path) -> None:
    (tmp_path / "explorer").mkdir()
    (tmp_path / "explorer" / "app.js").write_text("new text")
    (tmp_path / "explorer" / "app.js.gz").write_bytes(gzip.compress(b"old text"))
    stale = {"encoded": {"explorer/app.js": hashlib.sha256(b"old text").hexdigest()}}
    (tmp_path / "manifest.json").write_text(json.dumps(stale))
    assert AssetIndex.scan(tmp_path).variants == {}


def test_a_file_edited_under_a_running_app_is_served_as_it_now_is(tmp_path: Path) -> None:
    (tmp_path / "explorer").mkdir()
    script = tmp_path / "explorer" / "app.js"
    script.write_text("old text")
    (tmp_path / "explorer" / "app.js.gz").write_bytes(gzip.compress(b"old text"))
    (tmp_path / "manifest.json").write_text(
        json.dumps({"encoded": {"explorer/app.js": hashlib.sha256(b"old text").hexdigest()}})
    )
    index = AssetIndex.scan(tmp_path)
    assert index.usable_variants("explorer/app.js") == ("gzip",)
    script.write_text("new text, longer")
    assert index.usable_variants("explorer/app.js") == ()


async def test_assets_are_compressed_named_by_content_and_cached_for_good(client: httpx.AsyncClient) -> None:
    index = asset_index()
    page = await client.get("/graphql", headers={"accept": HTML})
    assert page.headers["cache-control"] == "no-cache"  # the page is revalidated...
    again = await client.get("/graphql", headers={"accept": HTML, "if-none-match": page.headers["etag"]})
    assert again.status_code == 304 and again.content == b""  # ...and not sent again when unchanged
    script = "graphiql/graphiql.js"
    url = "/" + index.url(script)
    content = (STATIC_DIR / script).read_bytes()
    for accept, coding, suffix in [
        ("gzip, deflate, br, zstd", "br", ".br"),
        ("gzip, deflate", "gzip", ".gz"),
        ("br;q=0, gzip", "gzip", ".gz"),
        ("identity", None, ""),
    ]:
        response = await client.get(url, headers={"accept-encoding": accept})
        assert response.status_code == 200
        assert response.headers["cache-control"] == IMMUTABLE
        assert response.headers["vary"] == "Accept-Encoding"
        assert response.headers.get("content-encoding") == coding, accept
        assert response.headers["content-type"].split(";")[0] in ("text/javascript", "application/javascript")
        assert response.content == content  # as httpx decoded it
        sent = (STATIC_DIR / f"{script}{suffix}").read_bytes()
        assert response.headers["content-length"] == str(len(sent))
        assert response.headers["x-content-type-options"] == "nosniff"
    brotli_size = len((STATIC_DIR / f"{script}.br").read_bytes())
    assert brotli_size < len(content) / 3
    # another version's name is not this content; the variants are not addressable by themselves
    assert (await client.get(url.replace(index.versions["graphiql"], "0" * 16))).status_code == 404
    assert (await client.get(f"{url}.br")).status_code == 404
    assert (await client.get("/static/manifest.json")).status_code == 404
    # the plain names still answer, revalidated
    plain = await client.get(f"/static/{script}", headers={"accept-encoding": "gzip"})
    assert plain.headers["cache-control"] == "no-cache" and plain.headers["content-encoding"] == "gzip"


@pytest.mark.slow
def test_a_rebuild_from_the_lockfile_gives_the_same_files(tmp_path: Path) -> None:
    """The committed bundle is exactly what the pinned packages build (esbuild is deterministic)."""
    node = shutil.which("node")
    if not node or not (FRONTEND / "node_modules").is_dir():
        reason = "frontend/node_modules is missing: `./dev test` installs it (npm ci --prefix frontend)"
        if os.environ.get("GRAPHAPI_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    subprocess.run([node, str(FRONTEND / "build.mjs"), str(tmp_path)], check=True, timeout=300)
    rebuilt = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert rebuilt == MANIFEST


def test_the_pages_name_no_other_host() -> None:
    """Nothing the pages load is addressed to another host: only paths of the app's own."""
    pages = [STATIC_DIR.parent / "graphiql.html", STATIC_DIR.parent / "explore.html"]
    explorer = sorted(p for p in (STATIC_DIR / "explorer").glob("*") if p.suffix not in (".gz", ".br"))
    for path in [*pages, *explorer, STATIC_DIR / "graphiql-page.css"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), path
        assert not re.search(r"""(import|from)\s*\(?\s*["'](https?:)?//""", text), path
        assert not re.search(r"url\(\s*[\"']?(https?:)?//", text), path
    # GraphiQL's own bundle: no CDN, no js-cookie (which Strawberry's page needed).
    bundle = "".join(p.read_text(encoding="utf-8") for p in (STATIC_DIR / "graphiql").rglob("*.js"))
    for cdn in ("unpkg.com", "esm.sh", "cdn.jsdelivr.net", "cdnjs.cloudflare.com", "js-cookie"):
        assert cdn not in bundle, cdn


def test_the_explorer_needs_no_build_step() -> None:
    """Its modules import only each other and the vendored cytoscape, by relative paths a browser loads."""
    for path in sorted((STATIC_DIR / "explorer").glob("*.js")):
        for target in re.findall(
            r"""^import .*?from\s+["']([^"']+)["']""", path.read_text(encoding="utf-8"), re.M
        ):
            assert target.startswith(("./", "../vendor/")), (path.name, target)
            assert (path.parent / target).resolve().is_file(), (path.name, target)


def test_the_explorer_never_parses_data_as_html() -> None:
    """The explorer builds its DOM with text nodes and attributes only (see dom.js)."""
    sinks = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|srcdoc")
    for path in sorted((STATIC_DIR / "explorer").glob("*.js")):
        assert not sinks.search(path.read_text(encoding="utf-8")), path


async def test_the_explorer_and_graphiql_are_served_with_a_same_origin_policy(
    client: httpx.AsyncClient,
) -> None:
    home = await client.get("/")
    assert home.status_code == 307 and home.headers["location"] == "explore"
    explore = await client.get("/explore")
    graphiql = await client.get("/graphql", headers={"accept": f"{HTML},application/xhtml+xml,*/*;q=0.8"})
    index = asset_index()
    assert "graphapi explorer" in explore.text and f'src="{index.url("explorer/app.js")}"' in explore.text
    assert "GraphiQL · graphapi" in graphiql.text
    assert f'src="{index.url("graphiql/graphiql.js")}"' in graphiql.text
    for page in (explore, graphiql):
        assert page.status_code == 200 and page.headers["content-type"].startswith(HTML)
        policy = page.headers["content-security-policy"]
        assert (
            "default-src 'none'" in policy
            and "script-src 'self';" in policy
            and "connect-src 'self'" in policy
        )
        assert "http" not in policy  # no other origin allowed
    # Strawberry's page (scripts from a CDN) is not reachable: any GET it would answer gets ours.
    for accept in (HTML, "*/*"):
        page = await client.get("/graphql", headers={"accept": accept})
        assert "GraphiQL · graphapi" in page.text and "unpkg" not in page.text


async def test_graphql_over_get_is_not_taken_for_the_page(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": "{ sources { totalCount } }"}, headers={"accept": f"{HTML}, */*"}
    )
    assert response.json()["data"] == {"sources": {"totalCount": 1}}
    posted = await client.post("/graphql", json={"query": "{ sources { totalCount } }"})
    assert posted.json()["data"] == {"sources": {"totalCount": 1}}


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/static/graphiql/graphiql.js", "text/javascript"),
        ("/static/graphiql/graphql.worker.js", "text/javascript"),
        ("/static/graphiql/graphiql.css", "text/css"),
        ("/static/vendor/cytoscape.esm.min.js", "text/javascript"),
        ("/static/explorer/app.js", "text/javascript"),
        ("/static/explorer/explorer.css", "text/css"),
    ],
)
async def test_the_static_files_are_served_with_their_types(
    client: httpx.AsyncClient, path: str, media: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    # Module scripts must come as JavaScript (Python may call it application/javascript).
    assert response.headers["content-type"].split(";")[0] in (media, "application/javascript")
    assert response.headers["x-content-type-options"] == "nosniff"
    again = await client.get(path, headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304  # revalidated, not downloaded again


async def test_no_file_outside_the_static_folder_is_served(client: httpx.AsyncClient) -> None:
    for path in ("/static/../pages.py", "/static/%2e%2e/pages.py", "/static/../../app.py", "/static/"):
        assert (await client.get(path)).status_code == 404, path


def test_browser_tests_skip_without_chromium_and_fail_where_it_is_required(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GRAPHAPI_CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.delenv("GRAPHAPI_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        chromium_path()
    monkeypatch.setenv("GRAPHAPI_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="GRAPHAPI_REQUIRE_BROWSER"):
        chromium_path()
    # CI requires them, and `./dev test` installs Chromium as root.
    assert "export GRAPHAPI_REQUIRE_BROWSER=1" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get install -y -q chromium" in (ROOT / "dev").read_text(encoding="utf-8")


def test_screenshots_go_to_the_artifacts_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GRAPHAPI_TEST_ARTIFACTS", raising=False)
    assert artifacts_dir() == ROOT / "test-artifacts" / "browser"
    assert "test-artifacts/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    monkeypatch.setenv("GRAPHAPI_TEST_ARTIFACTS", str(tmp_path))
    assert artifacts_dir() == tmp_path / "browser" and (tmp_path / "browser").is_dir()

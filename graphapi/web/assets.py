"""The pages' static files: compressed, named by their content, cached for good.

- **Precompressed**: `frontend/build.mjs` writes FILE.gz and FILE.br beside each text file and records
  in `manifest.json` the SHA-256 of the text each was made from. A browser that accepts brotli (or
  gzip) gets that file with `Content-Encoding`; a variant whose text has changed since (an explorer
  file edited without rebuilding) is not used, so nothing stale is ever served.
- **Named by content**: the pages refer to `/assets/<version>/<path>`, where the version is a hash of
  every file of the path's bundle (GraphiQL's, or the explorer's with its vendored library and the page
  styles). Files of one bundle refer to each other by relative paths, so a bundle changes as a whole;
  a version that is not the current one is 404, never another content under an old name.
- **Cached**: `/assets/...` is `Cache-Control: public, max-age=31536000, immutable`; the pages
  themselves and `/static/<path>` (the same files under their plain names) are revalidated (ETag).
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Preferred first: brotli is smaller than gzip for every file here.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
GRAPHIQL = "graphiql"
PAGES = "pages"


def bundle_of(path: str) -> str:
    """The bundle a static path belongs to: GraphiQL's files, or the rest (explorer, vendor, styles)."""
    return GRAPHIQL if path.split("/", 1)[0] == GRAPHIQL else PAGES


def accepted(header: str) -> set[str]:
    """The content codings an Accept-Encoding header accepts (q=0 refuses one)."""
    found = set()
    for part in header.split(","):
        coding, *params = (p.strip() for p in part.split(";"))
        refused = any(p.replace(" ", "").lower() in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in params)
        if coding and not refused:
            found.add(coding.lower())
    return found


@dataclass
class AssetIndex:
    """What is in the static folder: each bundle's version, and which files have usable variants."""

    root: Path
    versions: dict[str, str] = field(default_factory=dict)
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Each file with variants as it was scanned (size, modification time): a file edited under a
    # running app (a developer's explorer) is then served as it now is, not by its stale variants.
    scanned: dict[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def scan(cls, root: Path) -> AssetIndex:
        index = cls(root)
        manifest_path = root / "manifest.json"
        manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
        made_from: dict[str, str] = manifest.get("encoded", {})
        digests: dict[str, hashlib._Hash] = {GRAPHIQL: hashlib.sha256(), PAGES: hashlib.sha256()}
        for path in sorted(root.rglob("*")):
            name = path.relative_to(root).as_posix()
            if not path.is_file() or name.endswith((".gz", ".br")) or name == "manifest.json":
                continue
            content = path.read_bytes()
            sha = hashlib.sha256(content).hexdigest()
            digests[bundle_of(name)].update(f"{name}\0{sha}\0".encode())
            if made_from.get(name) == sha:
                stat = path.stat()
                index.scanned[name] = (stat.st_size, stat.st_mtime_ns)
                index.variants[name] = tuple(
                    coding for coding, suffix in ENCODINGS if path.with_name(path.name + suffix).is_file()
                )
        index.versions = {bundle: digest.hexdigest()[:16] for bundle, digest in digests.items()}
        return index

    def usable_variants(self, path: str) -> tuple[str, ...]:
        """The encodings `path` has a variant in, made from the file as it still is."""
        codings = self.variants.get(path, ())
        if codings:
            try:
                stat = (self.root / path).stat()
            except OSError:
                return ()
            if (stat.st_size, stat.st_mtime_ns) != self.scanned[path]:
                return ()
        return codings

    def url(self, path: str) -> str:
        """The content-named URL of a static path, relative to the site's root."""
        return f"assets/{self.versions[bundle_of(path)]}/{path}"


class Assets(StaticFiles):
    """The static folder, each file in the best encoding the client accepts. `named` serves
    /assets/<version>/<path> (immutable); otherwise /static/<path> (revalidated)."""

    def __init__(self, index: AssetIndex, *, named: bool, headers: dict[str, str]) -> None:
        super().__init__(directory=index.root)
        self.index = index
        self.named = named
        self.headers = {**headers, "Cache-Control": IMMUTABLE if named else REVALIDATE}

    async def get_response(self, path: str, scope: Scope) -> Response:
        if self.named:
            version, _, path = path.partition("/")
            if not path or self.index.versions.get(bundle_of(path)) != version:
                raise HTTPException(status_code=404)
        if path.endswith((".gz", ".br")) or path == "manifest.json":
            raise HTTPException(status_code=404)  # only through the encodings they stand for
        codings = accepted(Headers(scope=scope).get("accept-encoding", ""))
        coding = next((c for c in self.index.usable_variants(path) if c in codings), None)
        suffix = dict(ENCODINGS)[coding] if coding else ""
        response = await super().get_response(path + suffix, scope)
        if coding is not None:
            response.headers["Content-Encoding"] = coding
            media, _ = mimetypes.guess_type(path)
            if media is not None:
                response.headers["Content-Type"] = (
                    f"{media}; charset=utf-8" if media.startswith("text/") else media
                )
        if path in self.index.variants:
            response.headers["Vary"] = "Accept-Encoding"
        response.headers.update(self.headers)
        return response

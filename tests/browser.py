"""A real headless Chromium for the page tests: Debian's `chromium` driven by Playwright (no browser
download), in a fresh profile, with every request that leaves 127.0.0.1 refused and recorded."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
# The flags that work on this kind of machine (as root, without a GPU), and no traffic of the browser's own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]
# A laptop screen: every page must fit it.
VIEWPORT = {"width": 1366, "height": 768}
REPO = Path(__file__).resolve().parents[1]


def chromium_path() -> str:
    """Debian's Chromium ($GRAPHAPI_CHROMIUM names another), or skip saying what is missing; with
    $GRAPHAPI_REQUIRE_BROWSER set (CI, where .ci/run installs it) fail instead."""
    named = os.environ.get("GRAPHAPI_CHROMIUM")
    candidates = [named] if named else [*CHROMIUM_CANDIDATES, shutil.which("chromium") or ""]
    found = next((path for path in candidates if path and Path(path).is_file()), None)
    reason = ""
    if not found:
        reason = (
            "no Chromium: install Debian's `chromium` (apt-get install chromium) to run the browser tests"
        )
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            reason = "the `playwright` package is missing: install the dev extras (./dev test does)"
    if reason:
        if os.environ.get("GRAPHAPI_REQUIRE_BROWSER"):
            pytest.fail(reason + " (GRAPHAPI_REQUIRE_BROWSER is set)")
        pytest.skip(reason)
    assert found
    return found


def artifacts_dir() -> Path:
    """Where screenshots go: $GRAPHAPI_TEST_ARTIFACTS or test-artifacts/browser (ignored by git)."""
    path = Path(os.environ.get("GRAPHAPI_TEST_ARTIFACTS") or REPO / "test-artifacts") / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Traffic:
    """What the pages asked for: requests that left the machine (refused), page errors, console errors."""

    allowed_host: str
    outside: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return parts.scheme in ("http", "ws") and parts.hostname == self.allowed_host

    def check(self) -> None:
        assert not self.outside, f"requests left the machine: {self.outside}"
        assert not self.page_errors, f"the page threw: {self.page_errors}"
        assert not self.console_errors, f"the console reported errors: {self.console_errors}"


@asynccontextmanager
async def browser_context(
    user_data_dir: Path, *, refuse: bool = True, viewport: dict[str, int] | None = None
) -> AsyncIterator[tuple[Any, Traffic]]:
    """A fresh Chromium profile with one page context; every request not to 127.0.0.1 is aborted. With
    `refuse=False` they are only recorded (still failing `Traffic.check`): Playwright turns the
    browser's HTTP cache off while it routes requests, so a test of caching cannot route them."""
    from playwright.async_api import async_playwright

    executable = chromium_path()
    traffic = Traffic("127.0.0.1")
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(user_data_dir),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=viewport or VIEWPORT,
            service_workers="block",
        )
        try:

            async def guard(route: Any) -> None:
                url = route.request.url
                if traffic.is_local(url):
                    await route.continue_()
                else:
                    traffic.outside.append(url)
                    await route.abort("blockedbyclient")

            def on_request(request: Any) -> None:
                # Requests the router does not see (a worker's, a preconnect) are still recorded here.
                if not traffic.is_local(request.url) and request.url not in traffic.outside:
                    traffic.outside.append(request.url)

            def on_websocket(socket: Any) -> None:
                if not traffic.is_local(socket.url):
                    traffic.outside.append(socket.url)

            def on_console(message: Any) -> None:
                if message.type == "error":
                    traffic.console_errors.append(message.text[:300])

            def watch(page: Any) -> None:
                page.on("pageerror", lambda error: traffic.page_errors.append(str(error)))
                page.on("console", on_console)
                page.on("websocket", on_websocket)

            if refuse:
                await context.route("**/*", guard)
            context.on("request", on_request)
            context.on("page", watch)
            for page in context.pages:
                watch(page)
            yield context, traffic
        finally:
            await context.close()

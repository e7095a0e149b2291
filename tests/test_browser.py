"""The pages in a real headless Chromium (Debian's, driven by Playwright), against real `graphapi serve`
processes: GraphiQL at /graphql runs the README's headline query; the explorer shows each view with the
article's data. Every request that leaves 127.0.0.1 is refused and fails the test. Screenshots are kept
in test-artifacts/browser/ (or $GRAPHAPI_TEST_ARTIFACTS/browser/); their paths are printed at the end."""

from __future__ import annotations

import asyncio
import http.server
import json
import os
import re
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from browser import artifacts_dir, browser_context, chromium_path
from helpers import serving

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
# The README's headline query: the first GraphQL block, the one it tells a reader to run in GraphiQL.
HEADLINE_QUERY = re.search(r"```graphql\n(.*?)```", README, re.S).group(1)  # type: ignore[union-attr]
READY = 60_000  # ms: generous, the machine is shared

pytestmark = pytest.mark.slow  # starts server processes and a browser


class Pages:
    def __init__(self, graphiql: str, explorer: str, data_dir: Path) -> None:
        self.graphiql = graphiql  # a server as configured by default
        self.explorer = explorer  # a server with introspection off: the explorer must not need it
        self.data_dir = data_dir
        self.screenshots: list[Path] = []

    async def api(self, query: str, key: str | None = None, **variables: Any) -> Any:
        """What the API answers (the explorer's server), to compare with what the page shows."""
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        async with httpx.AsyncClient() as client:
            response = await client.post(
                f"{self.explorer}/graphql", json={"query": query, "variables": variables}, headers=headers
            )
        body = response.json()
        assert not body.get("errors"), body
        return body["data"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Pages]:
    chromium_path()  # skip (or fail in CI) before starting anything
    data_dir = tmp_path_factory.mktemp("pages-data")
    with ExitStack() as stack:
        # Two processes on one embedded database: the second attaches to the first one's server.
        graphiql, _ = stack.enter_context(serving(data_dir, GRAPHAPI_LOG_LEVEL="WARNING"))
        explorer, _ = stack.enter_context(
            serving(data_dir, GRAPHAPI_LOG_LEVEL="WARNING", GRAPHAPI_INTROSPECTION="false")
        )
        state = Pages(graphiql, explorer, data_dir)
        yield state
    # Printed past pytest's output capture, so a passing run shows where its screenshots are.
    plugins = request.config.pluginmanager
    reporter, capture = plugins.getplugin("terminalreporter"), plugins.getplugin("capturemanager")
    if reporter and capture and state.screenshots:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nbrowser screenshots ({len(state.screenshots)}) in {artifacts_dir()}:")
            for path in state.screenshots:
                reporter.write_line(f"  {path}")


@pytest.fixture(scope="module")
async def browser(pages: Pages, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Any]:
    async with browser_context(tmp_path_factory.mktemp("chromium-profile")) as (context, traffic):
        yield context, traffic


@pytest.fixture
async def page(browser: Any, pages: Pages) -> AsyncIterator[Any]:
    """A new tab; afterwards no request may have left the machine and the page may not have thrown."""
    context, traffic = browser
    traffic.outside.clear()
    traffic.page_errors.clear()
    traffic.console_errors.clear()
    tab = await context.new_page()
    yield tab
    await tab.close()
    traffic.check()


async def screenshot(tab: Any, pages: Pages, name: str) -> None:
    path = artifacts_dir() / f"{name}.png"
    await tab.screenshot(path=str(path))
    pages.screenshots.append(path)


async def fits_the_screen(tab: Any) -> None:
    """Nothing wider than a 1366x768 laptop screen: no horizontal scrolling."""
    width, inner = await tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"the page is {width}px wide in a {inner}px window"


async def open_view(tab: Any, pages: Pages, hash_: str, view: str, state: str = "ready") -> None:
    """Opens an explorer route and waits until its view says it is drawn (or failed)."""
    url = f"{pages.explorer}/explore{hash_}"
    if tab.url.startswith(f"{pages.explorer}/explore"):
        await tab.evaluate("document.body.dataset.state = 'navigating'")
    await tab.goto(url)
    await tab.wait_for_selector(f"body[data-view='{view}'][data-state='{state}']", timeout=READY)
    await fits_the_screen(tab)


def node_route(kind: str, node_id: str, *more: str) -> str:
    return "#/" + "/".join(quote(part, safe="") for part in (kind, node_id, *more))


# GraphiQL


async def test_graphiql_runs_the_readme_query_with_nothing_from_outside(page: Any, pages: Pages) -> None:
    from playwright.async_api import expect

    expected = (await pages.api(HEADLINE_QUERY))["positions"]
    assert expected["totalCount"] >= 1
    await page.goto(f"{pages.graphiql}/graphql")
    await expect(page).to_have_title("GraphiQL · graphapi")
    await page.wait_for_selector(".graphiql-query-editor .monaco-editor", timeout=READY)
    result = page.locator(".result-window")
    await expect(result).not_to_contain_text("totalCount")  # a fresh profile: no answer yet
    await page.click(".graphiql-query-editor .view-lines")
    await page.keyboard.press("Control+A")
    await page.keyboard.press("Delete")
    # Typed as one line: the editor indents and closes brackets as a person types, which the query's own
    # indentation would double; GraphQL ignores the whitespace.
    await page.keyboard.insert_text(" ".join(HEADLINE_QUERY.split()))
    await page.click(".graphiql-execute-button")
    await expect(result).to_contain_text(f'"totalCount": {expected["totalCount"]}', timeout=READY)
    first = expected["nodes"][0]
    await expect(result).to_contain_text(f'"stance": "{first["stance"]}"')
    await expect(result).to_contain_text(f'"name": "{first["actor"]["name"]}"')
    await screenshot(page, pages, "graphiql-headline-query")


async def test_graphiql_explorer_plugin_builds_a_query(page: Any, pages: Pages) -> None:
    from playwright.async_api import expect

    await page.goto(f"{pages.graphiql}/graphql")
    await page.wait_for_selector(".graphiql-query-editor .monaco-editor", timeout=READY)
    await page.click(".graphiql-query-editor .view-lines")
    await page.keyboard.press("Control+A")
    await page.keyboard.press("Delete")  # the explorer starts a query of its own
    await page.click("[aria-label='Show GraphiQL Explorer']")
    explorer = page.locator(".graphiql-explorer-root")
    # The plugin lists the schema's root fields (from introspection).
    await expect(
        explorer.locator("[data-field-name='positions'][data-field-type='PositionConnection']")
    ).to_be_visible(timeout=READY)
    await explorer.locator("[data-field-name='sources'][data-field-type='SourceConnection']").click()
    await page.click(".graphiql-explorer-sources [data-field-name='totalCount']")
    editor = page.locator(".graphiql-query-editor .view-lines")
    await expect(editor).to_contain_text("sources")
    await expect(editor).to_contain_text("totalCount")
    await page.click(".graphiql-execute-button")
    total = (await pages.api("{ sources { totalCount } }"))["sources"]["totalCount"]
    await expect(page.locator(".result-window")).to_contain_text(f'"totalCount": {total}', timeout=READY)
    await screenshot(page, pages, "graphiql-explorer-plugin")


# The explorer


async def test_the_explorer_server_has_introspection_off(pages: Pages) -> None:
    with pytest.raises(AssertionError, match="introspection has been disabled"):
        await pages.api("{ __schema { types { name } } }")


async def test_home_lists_the_measures_and_actors(page: Any, pages: Pages) -> None:
    data = await pages.api(
        "{ measures(first: 100) { nodes { name } } actors(first: 100) { nodes { name } } }"
    )
    await page.goto(f"{pages.explorer}/")  # / leads to the explorer
    await page.wait_for_selector("body[data-view='home'][data-state='ready']", timeout=READY)
    assert page.url.startswith(f"{pages.explorer}/explore")
    measures = await page.locator("#measures li > a:first-child").all_inner_texts()
    actors = await page.locator("#actors li a:not(.small)").all_inner_texts()
    assert sorted(measures) == sorted(m["name"] for m in data["measures"]["nodes"])
    assert sorted(actors) == sorted(a["name"] for a in data["actors"]["nodes"])
    await fits_the_screen(page)
    await screenshot(page, pages, "explorer-home")


async def test_search_finds_a_name_a_quote_and_a_measure(page: Any, pages: Pages) -> None:
    await page.goto(f"{pages.explorer}/explore")
    await page.wait_for_selector("body[data-view='home'][data-state='ready']", timeout=READY)
    for text, expected in [
        ("Carney", "Mark Carney"),
        ("betrayal", "Jagmeet Singh: “betrayal”"),
        ("vehicle imports", "US tariffs on vehicle imports"),
    ]:
        await page.fill("input[name=q]", text)
        await page.evaluate("document.body.dataset.state = 'navigating'")
        await page.press("input[name=q]", "Enter")
        await page.wait_for_selector("body[data-view='search'][data-state='ready']", timeout=READY)
        results = await page.locator("#results li a").all_inner_texts()
        assert expected in results, (text, results)
    await screenshot(page, pages, "explorer-search")
    # A result leads to its page: the measure's.
    await page.evaluate("document.body.dataset.state = 'navigating'")
    await page.click("#results a:text-is('US tariffs on vehicle imports')")
    await page.wait_for_selector("body[data-view='measure'][data-state='ready']", timeout=READY)


async def test_a_measure_shows_positions_by_side_and_a_click_opens_the_quote_in_its_source(
    page: Any, pages: Pages
) -> None:
    measure = "measure:us-vehicle-tariff-2025"
    fields = "id stance basis actor { name } evidence { quote span { start end } }"
    data = (
        await pages.api(
            f"""query($id: ID!) {{ node(id: $id) {{ ... on Measure {{ name positions(first: 100) {{ {fields} }}
             parts {{ positions(first: 100) {{ {fields} }} }} }} }} }}""",
            id=measure,
        )
    )["node"]
    # The measure's page answers for the measure and its parts (the tariff on parts extends it).
    data["positions"] += [p for part in data.pop("parts") for p in part["positions"]]
    assert len(data["positions"]) == 7
    await open_view(page, pages, node_route("measure", measure), "measure")
    assert await page.inner_text("h1") == f"{data['name']} tariff"
    stances = {p["stance"] for p in data["positions"]}
    # The article: Canada's side opposes the vehicle tariffs in words; the side imposing them supports
    # them by the deed.
    assert stances == {"OPPOSE", "SUPPORT"}
    assert {p["basis"] for p in data["positions"] if p["stance"] == "SUPPORT"} == {"ACTION"}
    for stance in stances:
        side = page.locator(f"#positions section[data-stance='{stance}']")
        names = await side.locator(".position header a").all_inner_texts()
        assert sorted(names) == sorted(p["actor"]["name"] for p in data["positions"] if p["stance"] == stance)
        bases = await side.locator(".position").evaluate_all("cards => cards.map(c => c.dataset.basis)")
        assert sorted(bases) == sorted(p["basis"] for p in data["positions"] if p["stance"] == stance)
        for position in data["positions"]:
            if position["stance"] == stance and position["basis"] == "ACTION":
                card = side.locator(".position", has_text=position["actor"]["name"])
                assert "from a deed" in await card.first.inner_text()
        # Each quote is lit up in the text around it.
        marks = await side.locator(".position mark").all_inner_texts()
        quotes = [e["quote"] for p in data["positions"] if p["stance"] == stance for e in p["evidence"]]
        assert sorted(marks) == sorted(quotes)
    await screenshot(page, pages, "explorer-measure-positions")

    # A click on a position's quote opens the source with that quote highlighted, in view.
    carney = next(p for p in data["positions"] if p["actor"]["name"] == "Mark Carney")
    await page.evaluate("document.body.dataset.state = 'navigating'")
    await page.locator(f".position[data-id='{carney['id']}']").locator("a.quote").first.click()
    await page.wait_for_selector("body[data-view='source'][data-state='ready']", timeout=READY)
    highlight = page.locator("#highlight")
    assert await highlight.inner_text() == carney["evidence"][0]["quote"]
    assert await highlight.is_visible()
    box = await highlight.bounding_box()
    assert box and 0 <= box["y"] < 768, box  # scrolled into the window
    # The highlight is exactly text[start:end] of the source (spans count code points).
    text = (await pages.api('{ node(id: "source:us-canada-tariff-call") { ... on Source { text } } }'))[
        "node"
    ]["text"]
    span = carney["evidence"][0]["span"]
    assert await page.inner_text("#source-text") == text
    assert text[span["start"] : span["end"]] == carney["evidence"][0]["quote"]
    await fits_the_screen(page)
    await screenshot(page, pages, "explorer-quote-in-source")


async def drawn_pixels(tab: Any) -> int:
    """Pixels cytoscape painted on its canvases (0 for a blank drawing)."""
    return int(
        await tab.evaluate(
            """() => [...document.querySelectorAll('#graph canvas')].reduce((sum, canvas) => {
                 const context = canvas.getContext('2d');
                 if (!context || !canvas.width || !canvas.height) return sum;
                 const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
                 let painted = 0;
                 for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
                 return sum + painted;
               }, 0)"""
        )
    )


async def test_the_neighbourhood_graph_is_drawn(page: Any, pages: Pages) -> None:
    carney = "person:mark-carney"
    subgraph = (
        await pages.api(
            "query($id: ID!) { neighbourhood(id: $id) { nodes { id } edges { from to } } }", id=carney
        )
    )["neighbourhood"]
    await open_view(page, pages, node_route("graph", carney), "graph")
    graph = page.locator("#graph")
    assert await graph.get_attribute("data-nodes") == str(len(subgraph["nodes"]))
    assert await graph.get_attribute("data-edges") == str(len(subgraph["edges"]))
    assert await drawn_pixels(page) > 2000
    listed = await page.locator("#graph-nodes li").count()
    assert listed == len(subgraph["nodes"])
    await screenshot(page, pages, "explorer-neighbourhood")


async def test_retaliation_chains_are_drawn(page: Any, pages: Pages) -> None:
    measure = "measure:us-vehicle-tariff-2025"
    chain = (
        await pages.api(
            "query($id: ID!) { retaliationChain(measure: $id) { nodes { id ... on Measure { name } } edges { from to } } }",
            id=measure,
        )
    )["retaliationChain"]
    # The article: Canada promised retaliatory tariffs against the April 2 measures, the vehicle tariffs.
    assert {n["id"] for n in chain["nodes"]} == {measure, "measure:ca-planned-retaliation-autos"}
    await open_view(page, pages, node_route("retaliations", measure), "retaliations")
    graph = page.locator("#graph")
    assert await graph.get_attribute("data-nodes") == "2"
    assert await graph.get_attribute("data-edges") == "1"
    assert await drawn_pixels(page) > 1000
    await screenshot(page, pages, "explorer-retaliation-chain")

    everything = (await pages.api("{ retaliations { nodes { id } edges { from } } }"))["retaliations"]
    await open_view(page, pages, "#/retaliations", "retaliations")
    assert await graph.get_attribute("data-nodes") == str(len(everything["nodes"]))
    assert await graph.get_attribute("data-edges") == str(len(everything["edges"]))
    await screenshot(page, pages, "explorer-retaliations")


def when(date: dict[str, Any] | None) -> str:
    """The page's words for a date: the day, or the bounds the sources set, and the source's words."""
    if date is None:
        return "undated"
    iso, earliest, latest = date["iso"], date["earliest"], date["latest"]
    if iso is not None:
        known = iso
    elif earliest and latest:
        known = f"{earliest} \u2013 {latest}"
    elif latest:
        known = f"by {latest}"
    else:
        known = f"on or after {earliest}"
    written = date["asWritten"]
    return f"{known} (“{written}”)" if written and written != iso else known


async def test_mark_carneys_timeline(page: Any, pages: Pages) -> None:
    timeline = (
        await pages.api(
            '{ timeline(actor: "person:mark-carney", first: 100) { nodes { kind summary date { iso earliest latest asWritten } } } }'
        )
    )["timeline"]["nodes"]
    await open_view(page, pages, node_route("actor", "person:mark-carney"), "actor")
    assert await page.inner_text("h1") == "Mark Carney Person"
    entries = page.locator("#timeline li")
    assert await entries.count() == len(timeline)
    kinds = [await entries.nth(i).get_attribute("data-kind") for i in range(len(timeline))]
    assert kinds == [entry["kind"] for entry in timeline]  # in the API's (date) order
    whens = await page.locator("#timeline .when").all_inner_texts()
    assert whens == [when(e["date"]) for e in timeline]
    # "already" the party's leader: by the article's latest possible day, first in date order.
    assert whens[0] == "by 2025-04-02"
    prime_minister = next(
        i
        for i, e in enumerate(timeline)
        if e["kind"] == "TENURE_STARTED" and "Prime Minister" in e["summary"]
    )
    assert whens[prime_minister] == "2025-03-14 (“March 14”)"  # he became Prime Minister on March 14
    await screenshot(page, pages, "explorer-timeline-mark-carney")


async def test_errors_from_the_api_are_shown(page: Any, pages: Pages) -> None:
    await open_view(page, pages, node_route("measure", "measure:no-such-measure"), "measure", "error")
    alert = page.locator("#error")
    assert await alert.is_visible()
    # In plain words first; what the API said, with its code, folded away below for whoever needs it.
    assert (await alert.locator("strong").inner_text()).startswith(
        "There is nothing in the graph with this id."
    )
    details = await alert.locator("details").text_content()
    assert "measure:no-such-measure" in details and "NOT_FOUND" in details
    await screenshot(page, pages, "explorer-error")
    await open_view(page, pages, node_route("graph", "not an id"), "graph", "error")
    assert "does not name anything in the graph" in await alert.locator("strong").inner_text()
    assert "BAD_USER_INPUT" in await alert.locator("details").text_content()
    await open_view(page, pages, "#/search/%22(*", "search", "error")  # punctuation only
    assert "nothing to search for in these words" in await alert.locator("strong").inner_text()
    assert "no words to search for" in await alert.locator("details").text_content()
    # Routes that are not pages, names every object has included, and bad parts of a route are the
    # page's own errors, not the API's.
    for hash in ("#/nowhere", "#/constructor", "#/toString", "#/__proto__", "#/hasOwnProperty"):
        await open_view(page, pages, hash, "unknown", "error")
        text = await alert.inner_text()
        assert "There is no page" in text and "This page cannot be shown" in text, (hash, text)
        assert "use the search or the links above" in text
    source = node_route("source", "source:us-canada-tariff-call")
    for span in ("abc", "5-2", "99999-100000"):
        await open_view(page, pages, f"{source}/{span}", "source", "error")
        assert "is not a passage of this source" in await alert.inner_text(), span
    for depth in ("-1", "7"):
        await open_view(page, pages, f"{node_route('graph', 'person:mark-carney')}/{depth}", "graph", "error")
        assert "one or two steps away" in await alert.inner_text(), depth


async def write_key(pages: Pages) -> str:
    """A new API key with the write scope, made by the command line."""
    command = [
        sys.executable,
        "-m",
        "graphapi",
        "keys",
        "create",
        "--name",
        "browser test",
        "--scope",
        "write",
    ]
    process = await asyncio.create_subprocess_exec(
        *command, env={**os.environ, "GRAPHAPI_DATA_DIR": str(pages.data_dir)}, stdout=asyncio.subprocess.PIPE
    )
    stdout, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0
    return stdout.decode().strip().splitlines()[-1]


async def test_text_from_the_data_is_never_markup(page: Any, pages: Pages) -> None:
    """A name written to look like HTML shows as those characters, wherever the explorer shows it."""
    key = await write_key(pages)
    hostile = '<img src=x onerror="document.title=1"><script>document.title=2</script>&amp; <b>bold</b>'
    created = await pages.api(
        "mutation($i: ActorInput!) { upsertActor(input: $i) { created } }",
        key,
        i={"id": "person:hostile-name", "name": hostile},
    )
    assert created["upsertActor"]["created"] is True
    await open_view(page, pages, "#/", "home")
    assert hostile in await page.locator("#actors").inner_text()
    await open_view(page, pages, node_route("actor", "person:hostile-name"), "actor")
    assert await page.inner_text("h1") == f"{hostile} Person"
    await open_view(page, pages, node_route("graph", "person:hostile-name"), "graph")
    assert hostile in await page.locator("#graph-nodes").inner_text()
    # Nothing of it became an element, and nothing of it ran.
    assert await page.locator("main img, main script, main b").count() == 0
    assert await page.title() == "graphapi explorer"
    await screenshot(page, pages, "explorer-hostile-text")


REVIEW_ARTICLE = """Carney vows to answer new tariffs
OTTAWA, April 3, 2025 (Wirewatch) - Canada will answer the new U.S. vehicle tariffs, its prime minister said on Thursday.

"We will fight these tariffs with everything we have," Carney told reporters. "Canadians expect nothing less."

"Canada has been very difficult to deal with," Trump said in Washington.

Ava Moreau, a spokeswoman for the Canadian Auto Workers, said the union was "ready for a long fight."
"""
REVIEW_SOURCE = "source:carney-vows-to-answer-new-tariffs"


async def test_an_article_is_drafted_reviewed_and_saved(page: Any, pages: Pages) -> None:
    """The review page: the draft's quotes, speakers and mentions lit up in the text; a person accepts,
    rejects and changes proposals, and what was accepted is saved through the ordinary mutations."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "graphapi", "keys", "create", "--name", "curator", "--scope", "write",
        env={**os.environ, "GRAPHAPI_DATA_DIR": str(pages.data_dir)}, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, _ = await asyncio.wait_for(process.communicate(), 60)
    key = stdout.decode().strip().splitlines()[-1]
    await open_view(page, pages, "#/review", "review")
    await page.fill("#review-form textarea[name=article]", REVIEW_ARTICLE)
    await page.fill("#review-form input[name=key]", key)
    await page.click("#draft-button")
    await page.wait_for_selector("body[data-review='drafted']", timeout=READY)
    cards = page.locator("#proposals article.proposal[data-id^='statement:']")
    assert await cards.count() == 5  # four quotes, and the first sentence's reported speech
    quotes = await page.locator("#review-text .hl.q").all_inner_texts()
    assert "Canada has been very difficult to deal with" in "".join(quotes)
    assert await page.locator("#review-text .hl.who", has_text="Trump").count() == 1
    assert await page.locator("#review-text .hl.day", has_text="April 3, 2025").count() == 1
    assert await page.locator("#proposals article[data-id='person:ava-moreau']").count() == 1
    await fits_the_screen(page)
    await screenshot(page, pages, "explorer-review-drafted")

    def card(quote: str) -> Any:
        return page.locator("#proposals article.proposal", has=page.locator("textarea", has_text=quote))

    await page.click("#accept-all")
    await card("very difficult").locator("button.reject").click()
    assert await page.locator("#review-text .hl.rejected").count() >= 1
    await card("with everything we have").locator("textarea").fill("We will fight these tariffs")
    await card("with everything we have").locator("textarea").dispatch_event("change")
    changed = card("nothing less")
    await changed.locator("input.speaker").fill("person:justin-trudeau")
    await changed.locator("input.speaker").dispatch_event("change")
    await page.click("#save")
    await page.wait_for_selector("body[data-review='saved']", timeout=READY)
    await screenshot(page, pages, "explorer-review-saved")
    saved = await pages.api(
        "query($id: ID!) { node(id: $id) { ... on Source { statements(first: 20) { quote speaker { id name } } } } }",
        id=REVIEW_SOURCE,
    )
    said = {(s["quote"], s["speaker"]["id"]) for s in saved["node"]["statements"]}
    assert said == {
        ("Canada will answer the new U.S. vehicle tariffs", "person:mark-carney"),
        ("We will fight these tariffs", "person:mark-carney"),
        ("Canadians expect nothing less.", "person:justin-trudeau"),
        ("ready for a long fight.", "person:ava-moreau"),
    }
    moreau = await pages.api('{ node(id: "person:ava-moreau") { ... on Person { name } } }')
    assert moreau["node"] == {"name": "Ava Moreau"}
    await page.click("#saved-source")
    await page.wait_for_selector("body[data-view='source'][data-state='ready']", timeout=READY)


# Live updates in the browser: Server-Sent Events read by the browser's own EventSource

EVENT_SOURCE = """([query, timeout]) => new Promise((resolve, reject) => {
  const source = new EventSource('graphql?query=' + encodeURIComponent(query));
  const done = (value, failed) => { source.close(); clearTimeout(timer); failed ? reject(value) : resolve(value); };
  const timer = setTimeout(() => done('no event within ' + timeout + ' ms', true), timeout);
  source.addEventListener('next', (event) => done(JSON.parse(event.data), false));
  source.onerror = () => done('EventSource reported an error', true);
  window.__sseOpen = new Promise((opened) => { source.onopen = () => opened(true); });
})"""


async def test_event_source_receives_a_result_and_a_change(page: Any, pages: Pages) -> None:
    """The browser's EventSource (a GET that accepts text/event-stream) receives a query's result and
    a subscription's change, events separated as every client reads them."""
    await open_view(page, pages, "#/", "home")
    # (a query the other tests' writes to this module's server leave alone: the review page adds a source)
    result = await page.evaluate(EVENT_SOURCE, ['{ node(id: "person:mark-carney") { id } }', READY])
    assert result["data"] == {"node": {"id": "person:mark-carney"}}
    subscription = 'subscription { positionChanges(on: "measure:us-auto-parts-tariff-2025") { kind id } }'
    change = asyncio.ensure_future(page.evaluate(EVENT_SOURCE, [subscription, READY]))
    await page.wait_for_function("window.__sseOpen", timeout=READY)
    await page.evaluate("window.__sseOpen")
    key = await write_key(pages)
    position = {
        "id": "position:sse-browser-test", "actor": "person:jagmeet-singh",
        "on": "measure:us-auto-parts-tariff-2025", "stance": "OPPOSE", "confidence": 0.5,
        "evidence": ["statement:singh-betrayal"],
    }  # fmt: skip
    await asyncio.sleep(0.5)  # the subscription starts listening once its stream is open
    await pages.api("mutation($i: PositionInput!) { upsertPosition(input: $i) { created } }", key, i=position)
    received = await asyncio.wait_for(change, READY / 1000)
    assert received["data"]["positionChanges"] == {"kind": "CREATED", "id": "position:sse-browser-test"}
    await pages.api("mutation($id: ID!) { deleteNode(id: $id) { deletedId } }", key, id=position["id"])


# What the pages cost over the wire

TRANSFERRED = """() => performance.getEntries()
  .filter((entry) => 'transferSize' in entry)
  .reduce((sum, entry) => sum + entry.transferSize, 0)"""


async def transferred(context: Any, url: str, ready: str) -> int:
    """Bytes a page's load took over the wire (headers and encoded bodies, its workers' scripts
    included), by the browser's own resource timing."""
    tab = await context.new_page()
    await tab.goto(url)
    await tab.wait_for_selector(ready, timeout=READY)
    # Until nothing more arrives for two seconds (its workers' scripts and the schema come after).
    seen, quiet, deadline = -1, 0, time.monotonic() + READY / 1000
    while quiet < 4 and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        count = await tab.evaluate("performance.getEntries().length")
        quiet, seen = (quiet + 1, seen) if count == seen else (0, count)
    total = int(await tab.evaluate(TRANSFERRED))
    await tab.close()
    return total


async def test_first_and_second_loads_transfer_little(pages: Pages, tmp_path: Path) -> None:
    """Compressed, content-named assets: GraphiQL's first load is under 1.5 MB over the wire; on the
    second, the assets come from the browser's cache unasked and only the pages are revalidated."""
    figures = {}
    async with browser_context(tmp_path / "profile", refuse=False) as (context, traffic):
        for name, url, ready in [
            ("graphiql", f"{pages.graphiql}/graphql", ".graphiql-container .graphiql-query-editor"),
            ("explorer", f"{pages.explorer}/explore", "body[data-state='ready']"),
        ]:
            figures[name] = (await transferred(context, url, ready), await transferred(context, url, ready))
        traffic.check()
    print(f"\nbytes over the wire, first and second load: {figures}")
    assert figures["graphiql"][0] < 1_500_000
    assert figures["explorer"][0] < 250_000
    assert figures["graphiql"][1] < 40_000 and figures["explorer"][1] < 10_000


# The headline question, on one page

HEADLINE = "positions on the auto tariffs"


async def test_positions_on_the_auto_tariffs_on_one_page(page: Any, pages: Pages) -> None:
    """Searching the analyst's own words shows every position on the auto tariffs (the vehicle tariff
    and its extension to parts), by side, each piece of evidence saying who said it, in what role, when
    and in which source; the context cut at word boundaries and free of the source's markup."""
    answer = (
        await pages.api(
            """{ positions(onText: "auto tariffs", first: 100) { totalCount nodes { id stance actor { name }
               evidence { statement { speaker { name } role { name } } source { title } } } } }"""
        )
    )["positions"]
    assert answer["totalCount"] == 7
    await open_view(page, pages, f"#/search/{quote(HEADLINE)}", "search")
    board = page.locator("#search-positions")
    cards = board.locator(".position")
    assert await cards.count() == 7
    assert sorted(await cards.evaluate_all("cards => cards.map(c => c.dataset.id)")) == sorted(
        p["id"] for p in answer["nodes"]
    )
    for stance in {p["stance"] for p in answer["nodes"]}:
        side = board.locator(f"section[data-stance='{stance}'] .position")
        assert await side.count() == sum(p["stance"] == stance for p in answer["nodes"])
    # Canada's position rests on Carney's words: its card says whose, in what role, where.
    canada = next(p for p in answer["nodes"] if p["actor"]["name"] == "Canada")
    caption = await board.locator(f".position[data-id='{canada['id']}'] figcaption").first.inner_text()
    statement = canada["evidence"][0]["statement"]
    assert statement["speaker"]["name"] in caption and statement["role"]["name"] in caption
    assert "for Canada" in caption and canada["evidence"][0]["source"]["title"] in caption
    assert all(await board.locator("figcaption").evaluate_all("fs => fs.map(f => / · /.test(f.textContent))"))
    # No markup of the source's, no word cut in two at either end of a context.
    text = await board.inner_text()
    assert "**" not in text
    contexts = await board.locator("a.quote").evaluate_all("qs => qs.map(q => q.textContent)")
    for context in contexts:
        assert re.match(r"^(… )?[\w\"“'(]", context) and not re.search(r"\w…$", context), context
    # The API's snippets are shown under the hits, the matched words lit up.
    assert await page.locator("#results .snippet mark").count() > 0
    await fits_the_screen(page)
    await screenshot(page, pages, "explorer-headline-search")


async def test_a_measure_says_what_the_api_says_of_its_status(page: Any, pages: Pages) -> None:
    """An announced measure is not "in force from" its date: it is to take effect, and today it is
    possibly in force, as `inForce(on:)` answers."""
    measure = "measure:us-vehicle-tariff-2025"
    await open_view(page, pages, node_route("measure", measure), "measure")
    facts = await page.locator(".facts").inner_text()
    assert "announced" in facts and "To take effect" in facts and "In force from" not in facts
    assert "possibly in force" in facts
    assert "Including 1 on its part." in await page.inner_text("main")
    # Its status over time, drawn from what each source reports of it (its claims): known as far as
    # the latest source, only possible after it.
    claims = (
        await pages.api(
            'query($id: ID!) { node(id: $id) { ... on Measure { claims(field: "status") { writtenBy } } } }',
            id=measure,
        )
    )["node"]["claims"]
    drawing = page.locator("#status-drawing")
    assert await drawing.locator(".report").count() == len(claims) >= 1
    assert await drawing.locator(".report").first.get_attribute("data-status") == "ANNOUNCED"
    caption = await page.locator(".status-figure figcaption").inner_text()
    assert f"by {claims[-1]['writtenBy']}, announced" in caption and "only possible" in caption


async def test_graphs_have_a_legend_and_relationships_in_words(page: Any, pages: Pages) -> None:
    await open_view(page, pages, node_route("graph", "person:mark-carney"), "graph")
    kinds = await page.locator("#legend li").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert kinds == sorted({"Person", "Office", "Measure", "Event", "Statement", "Position"})
    words = await page.locator("#legend .rel").all_inner_texts()
    assert "said by" in words and not any("_" in w for w in words)


async def test_an_actors_timeline_is_drawn(page: Any, pages: Pages) -> None:
    timeline = (
        await pages.api(
            '{ timeline(actor: "person:mark-carney", first: 100) { nodes { kind date { iso earliest latest } } } }'
        )
    )["timeline"]["nodes"]
    drawable = [
        e
        for e in timeline
        if e["date"] and (e["date"]["iso"] or e["date"]["earliest"] or e["date"]["latest"])
    ]
    await open_view(page, pages, node_route("actor", "person:mark-carney"), "actor")
    drawing = page.locator("#timeline-drawing")
    assert await drawing.is_visible()
    marks = await drawing.locator(".entry").evaluate_all("marks => marks.map(m => m.dataset.kind)")
    assert sorted(marks) == sorted(e["kind"] for e in drawable)
    box = await drawing.bounding_box()
    assert box and box["height"] > 80


# At a phone's width, and for everyone: axe-core's checks

PHONE = {"width": 390, "height": 844}
VIEWS = [
    ("home", "#/", "home"),
    ("search", f"#/search/{quote(HEADLINE)}", "search"),
    ("measure", node_route("measure", "measure:us-vehicle-tariff-2025"), "measure"),
    ("actor", node_route("actor", "person:mark-carney"), "actor"),
    ("neighbourhood", node_route("graph", "person:mark-carney"), "graph"),
    ("retaliations", "#/retaliations", "retaliations"),
    ("source", node_route("source", "source:us-canada-tariff-call", "1290-1302"), "source"),
]


async def test_the_explorer_works_at_a_phones_width(page: Any, pages: Pages) -> None:
    """390 px wide: no view scrolls sideways, the search and the navigation are on the screen, and
    graphs are drawn large enough to use."""
    await page.set_viewport_size(PHONE)
    for name, hash_, view in VIEWS:
        await open_view(page, pages, hash_, view)  # checks the page fits the window
        for selector in ("input[name=q]", ".bar nav a:last-child", ".search button"):
            box = await page.locator(selector).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (name, selector, box)
        if view in ("graph", "retaliations"):
            box = await page.locator("#graph").bounding_box()
            assert box and box["width"] >= 340 and box["height"] >= 320, box
            assert await drawn_pixels(page) > 500
        await screenshot(page, pages, f"phone-{name}")


AXE = Path(__file__).parent / "graphql_http" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("width", [1366, 390])
async def test_no_serious_or_critical_accessibility_violations(page: Any, pages: Pages, width: int) -> None:
    """axe-core (pinned in tests/graphql_http/) on every view of the explorer, at a laptop's and a
    phone's width: no violation of serious or critical impact. What it finds is written beside the
    screenshots (axe-<width>.json)."""
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `npm ci --prefix tests/graphql_http` (./dev test does)")
    source = AXE.read_text(encoding="utf-8")
    await page.set_viewport_size({"width": width, "height": 844 if width < 500 else 768})
    found: dict[str, Any] = {}
    for name, hash_, view in VIEWS:
        await open_view(page, pages, hash_, view)
        await page.evaluate("source => { if (!window.axe) (0, eval)(source); }", source)
        result = await page.evaluate(
            "() => axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => "
            "({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))"
        )
        found[name] = result
    (artifacts_dir() / f"axe-{width}.json").write_text(json.dumps(found, indent=2), encoding="utf-8")
    serious = {name: [v for v in found[name] if v["impact"] in ("serious", "critical")] for name in found}
    print(f"\naxe-core at {width}px: " + "; ".join(f"{n}: {len(v)} violations" for n, v in found.items()))
    assert serious == {name: [] for name in found}


# Live data across origins, from a page in the browser

CROSS_ORIGIN = """async ([api]) => {
  const http = await fetch(api + '/graphql', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ sources { totalCount } }' }),
  }).then((r) => r.json()).then((b) => b.data.sources.totalCount, (e) => 'refused: ' + e);
  const ws = await new Promise((resolve) => {
    const socket = new WebSocket(api.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
    socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init' }));
    socket.onmessage = (m) => { socket.close(); resolve(JSON.parse(m.data).type); };
    socket.onerror = () => resolve('refused');
  });
  return { http, ws };
}"""


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # a blank page: the test's script runs in it
        body = b"<!doctype html><title>another origin</title>"
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_a_page_on_an_origin_cors_allows_subscribes_over_websocket(tmp_path: Path) -> None:
    """A page on an origin GRAPHAPI_CORS_ORIGINS names queries and opens a WebSocket to the API (the
    browser sends its Origin, as it does for every handshake); a page on any other origin can do
    neither."""
    chromium_path()
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    allowed, other = (f"http://127.0.0.1:{s.server_address[1]}" for s in servers)

    async def visit(api: str) -> dict[str, Any]:
        found = {}
        async with browser_context(tmp_path / "profile", refuse=False) as (context, traffic):
            tab = await context.new_page()
            for origin in (allowed, other):
                await tab.goto(origin)
                found[origin] = await tab.evaluate(CROSS_ORIGIN, [api])
            assert not traffic.outside  # the refusals are the browser's console errors, expected here
        return found

    try:
        with serving(tmp_path, GRAPHAPI_LOG_LEVEL="WARNING", GRAPHAPI_CORS_ORIGINS=allowed) as (api, _):
            found = asyncio.run(visit(api))
    finally:
        for server in servers:
            server.shutdown()
    assert found[allowed] == {"http": 1, "ws": "connection_ack"}
    assert found[other]["ws"] == "refused" and str(found[other]["http"]).startswith("refused")

// One function per view. Each gets the route's arguments and a `view` handle (its main element, a way to
// keep a graph for cleanup) and returns once the view is drawn; errors from the API propagate to app.js.
import { DAY, LABEL, gql } from "./api.js";
import { codePointSlices, day, h, link, mount, plain, route, shorten, wordsAfter, wordsBefore } from "./dom.js";
import { KIND_COLOURS, chainLayout, draw, label, legend, ringsAround } from "./graph.js";
import { statusDrawing } from "./status.js";
import { timelineDrawing } from "./timeline.js";

const ACTOR_KINDS = new Set(["Country", "Person", "Party", "Organization"]);
const STANCES = ["SUPPORT", "OPPOSE", "MIXED", "NEUTRAL"];
const SIDES = { SUPPORT: "For it", OPPOSE: "Against it", MIXED: "Mixed", NEUTRAL: "Neutral" };
// A measure's status in the API's words.
const STATUS = {
  THREATENED: "threatened",
  ANNOUNCED: "announced",
  IN_FORCE: "in force",
  PAUSED: "paused",
  REMOVED: "removed",
};
// `inForce(on:)`'s answer in words: known, possible, or not.
const IN_FORCE = { KNOWN: "in force", POSSIBLE: "possibly in force", NO: "not in force" };

function today() {
  return new Date().toISOString().slice(0, 10);
}

// What a card needs of a position: who, the side, and for each piece of evidence who said it, in what
// role, when, and where it is written.
const POSITION_CARD = `
fragment PositionCard on Position {
  id stance basis confidence note
  actor { __typename id name }
  on { __typename id ... on Measure { name } ... on Event { name } }
  evidence {
    span { start end }
    source { id title writtenOn { ...Day } }
    statement { id direct speaker { id name } role { name } saidOn { ...Day } }
    context(chars: 140) { before quote after truncatedBefore truncatedAfter }
  }
}`;

function kindBadge(kind) {
  const badge = h("span", { class: "kind" }, kind);
  badge.style.setProperty("--kind", KIND_COLOURS[kind] ?? "#374151");
  return badge;
}

// Where a click on a node of any kind leads.
function nodeRoute(node) {
  if (node.__typename === "Measure") return route("measure", node.id);
  if (ACTOR_KINDS.has(node.__typename)) return route("actor", node.id);
  if (node.__typename === "Statement" && node.source) return route("source", node.source.id, `${node.span.start}-${node.span.end}`);
  if (node.__typename === "Source") return route("source", node.id);
  return route("node", node.id);
}

export async function home(view) {
  const data = await gql(`
    query Home {
      measures(first: 100, orderBy: { field: EFFECTIVE_FROM }) {
        totalCount
        nodes { id name status rate imposedBy { name } effectiveFrom { ...Day } }
      }
      actors(first: 100, orderBy: { field: NAME }) { totalCount nodes { __typename id name } }
    }
    ${DAY}`);
  mount(
    view.main,
    h("section", { class: "columns" },
      h("div", {},
        h("h1", {}, `Measures (${data.measures.totalCount})`),
        h("ul", { class: "list", id: "measures" },
          data.measures.nodes.map((m) =>
            h("li", {},
              link(m.name, "measure", m.id),
              h("span", { class: "muted" },
                ` ${m.status.toLowerCase().replace("_", " ")}`,
                m.rate != null ? ` · ${m.rate}%` : "",
                m.imposedBy.length ? ` · by ${m.imposedBy.map((a) => a.name).join(", ")}` : "",
                m.effectiveFrom ? ` · from ${day(m.effectiveFrom)}` : ""),
              " ", h("a", { class: "small", href: route("retaliations", m.id) }, "retaliation chain")))),
        h("p", {}, h("a", { href: route("retaliations") }, "Who retaliated against whom: the whole picture"))),
      h("div", {},
        h("h1", {}, `Actors (${data.actors.totalCount})`),
        h("ul", { class: "list", id: "actors" },
          data.actors.nodes.map((a) =>
            h("li", {}, kindBadge(a.__typename), " ", link(a.name, "actor", a.id), " ",
              h("a", { class: "small", href: route("graph", a.id) }, "neighbourhood")))))));
}

// "positions on the auto tariffs" asks for positions on what the rest of the words name.
const ASKING_FOR_POSITIONS = /^\s*(?:(?:all|every)\s+)?(?:the\s+)?positions?\s+(?:on|about|over|taken\s+on)\s+(?:the\s+)?/i;

export async function search(view, text) {
  view.searchBox.value = text;
  const about = text.replace(ASKING_FOR_POSITIONS, "").trim() || text;
  const data = await gql(`
    query Search($about: String!) {
      search(text: $about, first: 30) {
        totalCount
        edges {
          score
          node { ...Label ... on Statement { span { start end } source { id } } }
          snippet { field text highlights { start end } truncatedBefore truncatedAfter }
        }
      }
      positions(onText: $about, first: 50) { totalCount nodes { ...PositionCard } }
    }
    ${LABEL} ${POSITION_CARD} ${DAY}`, { about });
  const edges = data.search.edges.filter((e) => e.node);
  const positions = data.positions.nodes;
  mount(
    view.main,
    h("h1", {}, `What the graph holds on “${about}”`),
    positions.length
      ? h("section", { id: "search-positions" },
          h("h2", {}, `Positions on ${onWhat(positions)} (${data.positions.totalCount})`),
          positionsBySide(positions, { naming: true }))
      : null,
    h("h2", {}, `${data.search.totalCount} ${data.search.totalCount === 1 ? "match" : "matches"}`),
    h("ol", { class: "results", id: "results" },
      edges.map(({ node, snippet }) =>
        h("li", {}, kindBadge(node.__typename), " ",
          h("a", { href: nodeRoute(node) }, node.__typename === "Statement" ? label(node) : shorten(label(node), 120)),
          snippet && snippet.field !== "name" ? snippetLine(snippet) : null))),
    edges.length ? null : h("p", { class: "muted" }, "Nothing matches: try fewer or other words."));
}

// The measures (or events) positions are on, by name.
function onWhat(positions) {
  const names = [...new Set(positions.map((p) => p.on?.name).filter(Boolean))];
  return names.length ? names.map((n) => `“${n}”`).join(" and ") : "what matches";
}

// A hit's snippet: the words that matched lit up, cut at word boundaries, markup left out.
function snippetLine(snippet) {
  const points = Array.from(snippet.text);
  const parts = [];
  let at = 0;
  for (const { start, end } of snippet.highlights) {
    if (start < at) continue;
    parts.push(points.slice(at, start).join(""), h("mark", {}, plain(points.slice(start, end).join(""))));
    at = end;
  }
  const rest = points.slice(at).join("");
  const first = typeof parts[0] === "string" ? wordsBefore(parts[0], snippet.truncatedBefore) : null;
  const body = first == null ? parts : [first, ...parts.slice(1)];
  const tail = wordsAfter(rest, snippet.truncatedAfter);
  return h("p", { class: "snippet" },
    snippet.truncatedBefore ? "… " : "",
    body.map((part) => (typeof part === "string" ? plain(part) : part)),
    plain(tail),
    snippet.truncatedAfter ? " …" : "");
}

export async function measure(view, id) {
  const { node } = await gql(`
    query Measure($id: ID!, $today: Day!) {
      node(id: $id) {
        __typename id
        ... on Measure {
          name kind status rate condition aliases sectors
          announcedOn { ...Day } effectiveFrom { ...Day } effectiveTo { ...Day }
          inForce(on: $today) { certainty why }
          value { amount currency asWritten }
          imposedBy { id name } targets { id name }
          retaliatesAgainst { id name } retaliatedBy { id name }
          partOf { id name }
          claims(field: "status") { file writtenBy source { title } fields { name value stands } }
          positions(first: 40) { ...PositionCard }
          parts(first: 5) { id name status positions(first: 20) { ...PositionCard } }
        }
      }
    }
    ${POSITION_CARD} ${DAY}`, { id, today: today() });
  if (node.__typename !== "Measure") return view.redirect(nodeRoute(node));
  const actors = (list) => list.map((a, i) => [i ? ", " : "", link(a.name, "actor", a.id)]);
  const measures = (list) => list.map((m, i) => [i ? ", " : "", link(m.name, "measure", m.id)]);
  // An announced or threatened measure is not in force from its date: it is planned to be.
  const started = ["IN_FORCE", "PAUSED", "REMOVED"].includes(node.status);
  const facts = [
    ["Status", STATUS[node.status] ?? node.status],
    ["Today", `${IN_FORCE[node.inForce.certainty]} (${today()}): ${node.inForce.why}`],
    ["Rate", node.rate != null ? `${node.rate}%` : null],
    ["Imposed by", node.imposedBy.length ? actors(node.imposedBy) : null],
    ["Targets", node.targets.length ? actors(node.targets) : null],
    ["Announced", day(node.announcedOn)],
    [started ? "In force from" : "To take effect", day(node.effectiveFrom)],
    ["Until", day(node.effectiveTo)],
    ["Value", node.value.map((v) => v.asWritten ?? `${v.amount} ${v.currency}`).join(", ") || null],
    ["Sectors", node.sectors.join(", ") || null],
    ["Condition", node.condition],
    ["Part of", node.partOf ? link(node.partOf.name, "measure", node.partOf.id) : null],
    ["Its parts", node.parts.length ? measures(node.parts) : null],
    ["Answers", node.retaliatesAgainst.length ? measures(node.retaliatesAgainst) : null],
    ["Answered by", node.retaliatedBy.length ? measures(node.retaliatedBy) : null],
  ].filter(([, value]) => value != null);
  // The positions on the measure and on the measures that are part of it: one answer, on one page.
  const positions = [...node.positions, ...node.parts.flatMap((part) => part.positions)];
  const onParts = positions.length - node.positions.length;
  mount(
    view.main,
    h("h1", {}, node.name, " ", h("span", { class: "muted" }, node.kind.toLowerCase())),
    h("p", { class: "muted" }, node.aliases.length ? `Also: ${node.aliases.join(", ")} · ` : "",
      h("a", { href: route("retaliations", node.id) }, "retaliation chain"), " · ",
      h("a", { href: route("graph", node.id) }, "neighbourhood")),
    h("dl", { class: "facts" }, facts.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
    node.claims.length ? [h("h2", {}, "Status over time"), statusDrawing(node.claims, today())] : null,
    h("h2", {}, `Positions by side (${positions.length})`),
    onParts ? h("p", { class: "muted" }, `Including ${onParts} on its ${node.parts.length === 1 ? "part" : "parts"}.`) : null,
    positionsBySide(positions, { naming: onParts > 0 }),
    h("p", { class: "muted" }, positions.length ? "" : "No positions recorded. ",
      "Click a quote to read it in its source."));
}

// Positions in columns by side, each a card.
function positionsBySide(positions, { naming }) {
  return h("div", { id: "positions", class: "sides" },
    STANCES.filter((stance) => positions.some((p) => p.stance === stance)).map((stance) => {
      const side = positions.filter((p) => p.stance === stance);
      return h("section", { class: `stance ${stance.toLowerCase()}`, "data-stance": stance },
        h("h3", {}, `${SIDES[stance]} (${side.length})`),
        h("div", { class: "cards" }, side.map((p) => positionCard(p, naming))));
    }));
}

function positionCard(position, naming) {
  // basis: what the reading rests on, the actor's own words or a deed the source reports.
  const basis = position.basis === "ACTION" ? "from a deed" : "from their words";
  return h("article", { class: "position", "data-id": position.id, "data-basis": position.basis },
    h("header", {}, position.actor ? link(position.actor.name, "actor", position.actor.id) : "someone the sources do not name",
      h("span", { class: "muted" }, ` · ${basis} · confidence ${Math.round(position.confidence * 100)}%`)),
    naming && position.on?.name ? h("p", { class: "on" }, "On ", h("a", { href: nodeRoute(position.on) }, position.on.name)) : null,
    position.evidence.map((evidence) => evidenceCard(evidence, position.actor)),
    position.note ? h("p", { class: "note" }, position.note) : null);
}

// One piece of evidence: the quote lit up in the words around it, and who said it, in what role, when,
// and in which source (Canada's position rests on Carney's words: the card says so).
function evidenceCard(evidence, actor) {
  const c = evidence.context;
  const statement = evidence.statement;
  const speaker = statement?.speaker;
  const who = statement
    ? [speaker ? link(speaker.name, "actor", speaker.id) : "an unnamed speaker",
       statement.role ? `, ${statement.role.name}` : "",
       speaker && actor && speaker.id !== actor.id ? ` (for ${actor.name})` : "",
       statement.direct ? " · quoted" : " · reported"]
    : ["Reported"];
  const when = day(statement?.saidOn) ?? day(evidence.source.writtenOn);
  return h("figure", { class: "evidence" },
    h("a", {
        class: "quote",
        href: route("source", evidence.source.id, `${evidence.span.start}-${evidence.span.end}`),
        title: `Open in “${evidence.source.title}”`,
      },
      c.truncatedBefore ? "… " : "", wordsBefore(c.before, c.truncatedBefore), h("mark", {}, c.quote),
      wordsAfter(c.after, c.truncatedAfter), c.truncatedAfter ? " …" : ""),
    h("figcaption", {}, who, when ? ` · ${when}` : " · undated", " · in ",
      h("cite", {}, evidence.source.title)));
}

export async function source(view, id, span) {
  const { node } = await gql(`
    query Source($id: ID!) {
      node(id: $id) {
        __typename id
        ... on Source {
          title publisher url publishedOn { ...Day } text
          statements(first: 100) { id quote span { start end } speaker { name } }
        }
      }
    }
    ${DAY}`, { id });
  if (node.__typename !== "Source") return view.redirect(nodeRoute(node));
  const [start, end] = (span ?? "").split("-").map(Number);
  const length = Array.from(node.text).length;
  const lit = Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start < end && end <= length;
  if (span != null && !lit) throw new Error(`“${span}” is not a passage of this source (start-end, within its ${length} characters).`);
  const [before, quote, after] = lit ? codePointSlices(node.text, start, end) : [node.text, "", ""];
  // Only web links become links; anything else a source's url says is shown as text.
  const url = /^https?:\/\//i.test(node.url ?? "") ? h("a", { href: node.url, rel: "noreferrer" }, node.url) : node.url;
  mount(
    view.main,
    h("h1", {}, node.title),
    h("p", { class: "muted" }, [node.publisher, day(node.publishedOn), url].filter(Boolean).map((x, i) => [i ? " · " : "", x])),
    h("div", { class: "reader" },
      h("article", { class: "source-text", id: "source-text", tabindex: "0", "aria-label": "The source's text" }, before, lit ? h("mark", { id: "highlight" }, quote) : null, after),
      h("aside", { tabindex: "0", "aria-label": "Quotes in this source" },
        h("h2", {}, "Quotes in this source"),
        h("ul", { class: "list" },
          node.statements.map((s) =>
            h("li", {}, h("a", { href: route("source", node.id, `${s.span.start}-${s.span.end}`) },
              `${s.speaker?.name ?? "?"}: “${shorten(s.quote, 70)}”`)))))));
  document.getElementById("highlight")?.scrollIntoView({ block: "center" });
}

export async function actor(view, id) {
  const data = await gql(`
    query Actor($id: ID!) {
      node(id: $id) {
        __typename id
        ... on Actor {
          name aliases
          positions(first: 100) { id stance on { __typename id ... on Measure { name } ... on Event { name } } }
        }
        ... on Person { tenures { office { id name } from { ...Day } to { ...Day } } }
      }
    }
    ${DAY}`, { id });
  const node = data.node;
  if (!ACTOR_KINDS.has(node.__typename)) return view.redirect(nodeRoute(node));
  const { timeline } = await gql(`
    query Timeline($id: ID!) {
      timeline(actor: $id, first: 100) {
        totalCount
        nodes {
          kind summary date { ...Day }
          node { __typename id ... on Statement { span { start end } source { id } } }
        }
      }
    }
    ${DAY}`, { id });
  mount(
    view.main,
    h("h1", {}, node.name, " ", kindBadge(node.__typename)),
    h("p", { class: "muted" }, node.aliases.length ? `Also: ${node.aliases.join(", ")} · ` : "",
      h("a", { href: route("graph", node.id) }, "neighbourhood")),
    h("div", { class: "columns" },
      h("section", {},
        h("h2", {}, `Timeline (${timeline.totalCount})`),
        timelineDrawing(timeline.nodes, nodeRoute),
        h("ol", { class: "timeline", id: "timeline" },
          timeline.nodes.map((entry) =>
            h("li", { "data-kind": entry.kind },
              h("span", { class: "when" }, day(entry.date) ?? "undated"),
              h("span", { class: "what" }, entry.kind.toLowerCase().replaceAll("_", " ")),
              entry.node
                ? h("a", { href: nodeRoute(entry.node) }, entry.kind === "STATEMENT" ? `“${entry.summary}”` : entry.summary)
                : entry.summary)))),
      h("section", {},
        node.tenures?.length ? [
          h("h2", {}, "Offices"),
          h("ul", { class: "list" }, node.tenures.map((t) =>
            h("li", {}, link(t.office.name, "graph", t.office.id), h("span", { class: "muted" },
              ` ${day(t.from) ?? "?"} – ${day(t.to) ?? ""}`)))),
        ] : null,
        h("h2", {}, `Positions (${node.positions.length})`),
        h("ul", { class: "list" }, node.positions.map((p) =>
          h("li", {}, h("span", { class: `badge ${p.stance.toLowerCase()}` }, p.stance.toLowerCase()), " ",
            p.on ? h("a", { href: nodeRoute(p.on) }, p.on.name ?? p.on.id) : "?"))))));
}

// Draws a subgraph beside a list of its nodes (the same facts, readable without the picture).
async function graphView(view, title, subgraph, layout, centre, extra, select) {
  const canvas = h("div", { class: "graph", id: "graph" });
  mount(
    view.main,
    h("h1", {}, title),
    extra,
    subgraph.truncated ? h("p", { class: "warning" }, "Cut short by the API's limit: not everything is drawn.") : null,
    h("div", { class: "graph-view" },
      h("div", { class: "graph-box" }, canvas, legend(subgraph)),
      h("aside", { tabindex: "0", "aria-label": "The nodes drawn" },
        h("p", { class: "muted" }, `${subgraph.nodes.length} nodes, ${subgraph.edges.length} relationships. Click a node to centre on it.`),
        h("ul", { class: "list", id: "graph-nodes" },
          subgraph.nodes.map((n) => h("li", {}, kindBadge(n.__typename), " ", h("a", { href: nodeRoute(n) }, label(n))))))));
  view.keep(await draw(canvas, subgraph, { layout, centre, onSelect: (next) => view.go(select(next)) }));
}

export async function graph(view, id, depth = "1") {
  if (depth !== "1" && depth !== "2") throw new Error(`The neighbourhood is drawn one or two steps away, not “${depth}”.`);
  const data = await gql(`
    query Neighbourhood($id: ID!, $depth: Int!) {
      neighbourhood(id: $id, depth: $depth, limit: 100) {
        truncated
        nodes { ...Label ... on Statement { span { start end } source { id } } }
        edges { type from to }
      }
    }
    ${LABEL}`, { id, depth: Number(depth) === 2 ? 2 : 1 });
  const subgraph = data.neighbourhood;
  const centre = subgraph.nodes.find((n) => n.id === id);
  const other = Number(depth) === 2 ? "1" : "2";
  await graphView(view, `Around ${centre ? label(centre) : id}`, subgraph, ringsAround(id, subgraph), id,
    h("p", { class: "muted" }, centre ? [h("a", { href: nodeRoute(centre) }, "open its page"), " · "] : null,
      h("a", { href: route("graph", id, other) }, `show ${other === "2" ? "two steps" : "one step"} away`)),
    (next) => route("graph", next, depth));
}

export async function retaliations(view, id) {
  const fields = `truncated nodes { ...Label ... on Measure { imposedBy { name } } } edges { type from to }`;
  const data = id
    ? (await gql(`query Chain($id: ID!) { graph: retaliationChain(measure: $id, direction: BOTH) { ${fields} } } ${LABEL}`, { id })).graph
    : (await gql(`query Retaliations { graph: retaliations(limit: 100) { ${fields} } } ${LABEL}`)).graph;
  const named = { ...data, nodes: data.nodes.map((n) => n.imposedBy?.length ? { ...n, name: `${n.imposedBy.map((a) => a.name).join(", ")}: ${n.name}` } : n) };
  const centre = data.nodes.find((n) => n.id === id);
  await graphView(view, centre ? `Retaliation chain of ${centre.name}` : "Who retaliated against whom", named, chainLayout(data), id,
    h("p", { class: "muted" }, "An arrow points from a measure to the measure it answers.",
      id ? [" · ", h("a", { href: route("retaliations") }, "all retaliations")] : null),
    (next) => route("retaliations", next));
}

// Any id: to the view that suits its kind.
export async function node(view, id) {
  const { node } = await gql(`
    query Kind($id: ID!) {
      node(id: $id) {
        __typename id
        ... on Statement { span { start end } source { id } }
        ... on Position { on { __typename id } }
      }
    }`, { id });
  if (node.__typename === "Position" && node.on) return view.redirect(nodeRoute(node.on));
  const target = nodeRoute(node);
  return view.redirect(target === route("node", id) ? route("graph", id) : target);
}

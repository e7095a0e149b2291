// Graph drawings with cytoscape (served from ../vendor/, built from the pinned npm package).
import cytoscape from "../vendor/cytoscape.esm.min.js";
import { h, shorten } from "./dom.js";

// Dark enough for white text on them (WCAG AA, 4.5:1), as the kinds' badges have it.
export const KIND_COLOURS = {
  Country: "#0f766e",
  Person: "#2563eb",
  Party: "#7c3aed",
  Organization: "#0e7490",
  Office: "#475569",
  Measure: "#b91c1c",
  Event: "#b45309",
  Statement: "#15803d",
  Position: "#be185d",
  Source: "#525252",
};

// Relationships in words a reader uses, read from the node the arrow leaves.
export const REL_WORDS = {
  BASED_IN: "based in",
  OFFICE_OF: "office of",
  HOLDS: "holds",
  IMPOSED_BY: "imposed by",
  TARGETS: "targets",
  RETALIATES_AGAINST: "retaliates against",
  PART_OF: "part of",
  CONDITION_INVOLVES: "condition names",
  PARTICIPANT: "with",
  LOCATED_IN: "held in",
  AFTER: "after",
  SAID_BY: "said by",
  IN_ROLE: "as",
  AT_EVENT: "said at",
  ABOUT: "about",
  QUOTED_IN: "quoted in",
  HELD_BY: "held by",
  ON: "on",
  EVIDENCED_BY: "rests on",
  EVIDENCE_IN: "evidence in",
};

// What the colours and lines of a drawing mean: the kinds of node drawn, and the relationships.
export function legend(subgraph) {
  const kinds = [...new Set(subgraph.nodes.map((n) => n.__typename))].sort();
  const rels = [...new Set(subgraph.edges.map((e) => e.type))].sort();
  return h("div", { class: "legend", id: "legend", "aria-label": "Legend" },
    h("ul", {}, kinds.map((kind) => {
      const dot = h("span", { class: "dot", "aria-hidden": "true" });
      dot.style.setProperty("--kind", KIND_COLOURS[kind] ?? "#374151");
      return h("li", { "data-kind": kind }, dot, kind);
    })),
    h("p", { class: "muted" }, "An arrow reads from one node to the other: ",
      rels.map((r, i) => [i ? "; " : "", h("span", { class: "rel" }, REL_WORDS[r] ?? r.toLowerCase())]), "."));
}

export function label(node) {
  switch (node.__typename) {
    case "Statement":
      return `${node.speaker?.name ?? "?"}: “${shorten(node.quote, 40)}”`;
    case "Position":
      return `${node.actor?.name ?? "?"} ${String(node.stance).toLowerCase()}s`;
    case "Source":
      return node.title;
    default:
      return node.name ?? node.id;
  }
}

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "background-color": "data(colour)",
      "font-size": 12,
      "text-wrap": "wrap",
      "text-max-width": 130,
      "text-valign": "bottom",
      "text-margin-y": 5,
      // Labels on a light plate, so lines and other labels behind them do not garble them.
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": 2,
      "min-zoomed-font-size": 7,
      width: 22,
      height: 22,
      color: "#111827",
    },
  },
  { selector: "node.centre", style: { width: 34, height: 34, "border-width": 3, "border-color": "#111827" } },
  {
    selector: "edge",
    style: {
      width: 1.5,
      "line-color": "#9ca3af",
      "target-arrow-color": "#9ca3af",
      "target-arrow-shape": "triangle",
      "curve-style": "bezier",
      label: "data(words)",
      "font-size": 10,
      color: "#4b5563",
      "text-rotation": "autorotate",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": 1,
      "min-zoomed-font-size": 8,
    },
  },
  { selector: "edge[type = 'RETALIATES_AGAINST']", style: { "line-color": "#dc2626", "target-arrow-color": "#dc2626", width: 2.5 } },
];

// Draws a subgraph ({nodes, edges}) into `container`; `layout` is a cytoscape layout. Resolves once
// laid out, with the cytoscape instance (the caller destroys it when the view changes).
export function draw(container, subgraph, { layout, centre, onSelect }) {
  const present = new Set(subgraph.nodes.map((n) => n.id));
  const elements = [
    ...subgraph.nodes.map((n) => ({
      data: { id: n.id, label: shorten(label(n), 48), colour: KIND_COLOURS[n.__typename] ?? "#374151" },
      classes: n.id === centre ? "centre" : "",
    })),
    // A subgraph cut short by a limit may name nodes it does not list: draw only what both ends exist for.
    ...subgraph.edges
      .filter((e) => present.has(e.from) && present.has(e.to))
      .map((e, i) => ({
        data: { id: `edge${i}`, source: e.from, target: e.to, type: e.type, words: REL_WORDS[e.type] ?? e.type },
      })),
  ];
  // On a phone there is no room for every name: the drawing shows the shape (colours, as the legend
  // says) and the centre's name; the list below it names every node.
  const narrow = container.clientWidth < 600;
  const style = narrow
    ? [
        ...STYLE,
        { selector: "node", style: { label: "", width: 26, height: 26 } },
        { selector: "node.centre", style: { label: "data(label)", "font-size": 13, width: 36, height: 36 } },
        { selector: "edge", style: { label: "" } },
      ]
    : STYLE;
  const cy = cytoscape({ container, elements, style, minZoom: 0.2, maxZoom: 3 });
  cy.on("tap", "node", (event) => onSelect?.(event.target.id()));
  return new Promise((resolve) => {
    const spacing = narrow && layout.minNodeSpacing ? { minNodeSpacing: 28, spacingFactor: 1 } : {};
    const run = cy.layout({ animate: false, fit: true, padding: narrow ? 12 : 30, ...layout, ...spacing });
    run.one("layoutstop", () => {
      // A small graph fitted to the box would be drawn huge.
      if (cy.zoom() > 1.2) {
        cy.zoom(1.2);
        cy.center();
      }
      container.dataset.nodes = String(cy.nodes().length);
      container.dataset.edges = String(cy.edges().length);
      resolve(cy);
    });
    run.run();
  });
}

// Rings around the centre by distance (deterministic, unlike force-directed layouts).
export function ringsAround(centre, subgraph) {
  const distance = new Map([[centre, 0]]);
  let frontier = [centre];
  while (frontier.length) {
    const next = [];
    for (const e of subgraph.edges) {
      for (const [a, b] of [[e.from, e.to], [e.to, e.from]]) {
        if (frontier.includes(a) && !distance.has(b)) {
          distance.set(b, distance.get(a) + 1);
          next.push(b);
        }
      }
    }
    frontier = next;
  }
  return {
    name: "concentric",
    concentric: (node) => 10 - (distance.get(node.id()) ?? 9),
    levelWidth: () => 1,
    // Room for the labels: nodes far enough apart that their names do not run into each other.
    minNodeSpacing: 70,
    spacingFactor: 1.1,
  };
}

// Answered measures on top, the answers below them.
export function chainLayout(subgraph) {
  const answers = new Set(subgraph.edges.filter((e) => e.type === "RETALIATES_AGAINST").map((e) => e.from));
  const roots = subgraph.nodes.filter((n) => !answers.has(n.id)).map((n) => n.id);
  return { name: "breadthfirst", directed: false, roots: roots.length ? roots : undefined, spacingFactor: 1.6 };
}

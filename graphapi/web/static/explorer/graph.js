// Graph drawings with cytoscape (served from ../vendor/, built from the pinned npm package).
import cytoscape from "../vendor/cytoscape.esm.min.js";
import { shorten } from "./dom.js";

export const KIND_COLOURS = {
  Country: "#0f766e",
  Person: "#2563eb",
  Party: "#7c3aed",
  Organization: "#0891b2",
  Office: "#64748b",
  Measure: "#dc2626",
  Event: "#d97706",
  Statement: "#16a34a",
  Position: "#db2777",
  Source: "#525252",
};

export function label(node) {
  switch (node.__typename) {
    case "Statement":
      return `${node.speaker?.name ?? "?"}: “${shorten(node.quote, 48)}”`;
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
      "font-size": 11,
      "text-wrap": "wrap",
      "text-max-width": 150,
      "text-valign": "bottom",
      "text-margin-y": 4,
      width: 22,
      height: 22,
      color: "#1f2937",
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
      label: "data(type)",
      "font-size": 8,
      color: "#6b7280",
      "text-rotation": "autorotate",
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
      data: { id: n.id, label: label(n), colour: KIND_COLOURS[n.__typename] ?? "#374151" },
      classes: n.id === centre ? "centre" : "",
    })),
    // A subgraph cut short by a limit may name nodes it does not list: draw only what both ends exist for.
    ...subgraph.edges
      .filter((e) => present.has(e.from) && present.has(e.to))
      .map((e, i) => ({ data: { id: `edge${i}`, source: e.from, target: e.to, type: e.type } })),
  ];
  const cy = cytoscape({ container, elements, style: STYLE, minZoom: 0.2, maxZoom: 3 });
  cy.on("tap", "node", (event) => onSelect?.(event.target.id()));
  return new Promise((resolve) => {
    const run = cy.layout({ animate: false, fit: true, padding: 30, ...layout });
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
    minNodeSpacing: 40,
  };
}

// Answered measures on top, the answers below them.
export function chainLayout(subgraph) {
  const answers = new Set(subgraph.edges.filter((e) => e.type === "RETALIATES_AGAINST").map((e) => e.from));
  const roots = subgraph.nodes.filter((n) => !answers.has(n.id)).map((n) => n.id);
  return { name: "breadthfirst", directed: false, roots: roots.length ? roots : undefined, spacingFactor: 1.2 };
}

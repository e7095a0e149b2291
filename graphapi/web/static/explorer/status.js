// A measure's status over time, as its sources report it: each source's report a mark on a line of time
// at the last day it can have been written; the status it reports holds (as far as anyone knows) until
// the next report, and after the latest one it is only possible, drawn faded, up to today.
import { h, svg } from "./dom.js";

const COLOURS = {
  THREATENED: "#b45309",
  ANNOUNCED: "#1d4ed8",
  IN_FORCE: "#b91c1c",
  PAUSED: "#4b5563",
  REMOVED: "#15803d",
};
const WORDS = { THREATENED: "threatened", ANNOUNCED: "announced", IN_FORCE: "in force", PAUSED: "paused", REMOVED: "removed" };
const WIDTH = 720;
const LEFT = 16;
const RIGHT = 16;
const Y = 34;

// The status each claim reports, with the day its source was written by, oldest first.
export function statusReports(claims) {
  return claims
    .map((claim) => {
      const field = claim.fields.find((f) => f.name === "status");
      let status = null;
      try {
        status = JSON.parse(field?.value ?? "{}").status ?? null;
      } catch {
        status = null;
      }
      return { status, on: claim.writtenBy, source: claim.source?.title ?? claim.file, stands: field?.stands };
    })
    .filter((r) => r.status && r.on)
    .sort((a, b) => a.on.localeCompare(b.on));
}

export function statusDrawing(claims, today) {
  const reports = statusReports(claims);
  if (!reports.length) return null;
  const times = reports.map((r) => Date.parse(r.on));
  const end = Math.max(Date.parse(today), times[times.length - 1] + 86_400_000);
  const pad = Math.max((end - times[0]) * 0.04, 86_400_000);
  const start = times[0] - pad;
  const x = (t) => LEFT + ((t - start) / (end - start)) * (WIDTH - LEFT - RIGHT);
  const last = reports[reports.length - 1];
  const words = reports.map((r) => `by ${r.on}, ${WORDS[r.status] ?? r.status} (${r.source})`).join("; ");
  const drawing = svg("svg", {
      class: "status-drawing",
      id: "status-drawing",
      viewBox: `0 0 ${WIDTH} 70`,
      role: "group",
      "aria-label": `Status as the sources report it: ${words}; after ${last.on}, only possibly still ${WORDS[last.status] ?? last.status}.`,
    },
    reports.map((r, i) => {
      const from = x(times[i]);
      const to = i + 1 < reports.length ? x(times[i + 1]) : x(end);
      const known = i + 1 < reports.length;
      return svg("g", { class: "report", "data-status": r.status },
        svg("rect", {
          x: from, y: Y - 7, width: Math.max(to - from, 2), height: 14, rx: 3,
          fill: COLOURS[r.status] ?? "#374151", "fill-opacity": known ? 0.85 : 0.25,
          stroke: COLOURS[r.status] ?? "#374151", "stroke-dasharray": known ? null : "4 3",
        }),
        svg("circle", { cx: from, cy: Y, r: 6, fill: COLOURS[r.status] ?? "#374151", stroke: "#fff", "stroke-width": 1.5 },
          svg("title", {}, `${r.source}, written by ${r.on}: ${WORDS[r.status] ?? r.status}`)),
        svg("text", { x: from + 8, y: Y - 12, class: "status-word" }, `${WORDS[r.status] ?? r.status}${known ? "" : " (possibly still)"}`),
        svg("text", { x: from, y: Y + 26, class: "tick", "text-anchor": i === 0 ? "start" : "middle" }, r.on));
    }),
    svg("text", { x: WIDTH - RIGHT, y: Y + 26, class: "tick", "text-anchor": "end" }, `today, ${today}`));
  return h("figure", { class: "status-figure", tabindex: "0", "aria-label": "Status over time" }, drawing,
    h("figcaption", { class: "muted" },
      `As its sources report it: ${words}. `,
      `Nothing is known past the latest source: after ${last.on} the status is only possible (faded).`));
}

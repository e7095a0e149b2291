// An actor's timeline drawn: each dated entry a mark on a line of time, in a lane by what it is (what
// was said, measures, events, offices); a date known only within bounds is drawn as a bar over them.
// The list below the drawing says the same in words.
import { day, h, svg } from "./dom.js";

const LANES = [
  { name: "Said", kinds: ["STATEMENT"], colour: "#15803d" },
  { name: "Measures", kinds: ["MEASURE_ANNOUNCED", "MEASURE_EFFECTIVE", "MEASURE_ENDED", "MEASURE"], colour: "#b91c1c" },
  { name: "Events", kinds: ["EVENT"], colour: "#b45309" },
  { name: "Offices", kinds: ["TENURE_STARTED", "TENURE_ENDED", "TENURE"], colour: "#2563eb" },
];
const WIDTH = 720;
const LEFT = 92;
const RIGHT = 16;
const LANE = 34;
const TOP = 14;

// The first and last possible day of a date, as times.
function bounds(date) {
  if (!date) return null;
  const first = date.earliest ?? date.iso ?? date.latest;
  const last = date.latest ?? date.iso ?? date.earliest;
  if (!first || !last || first.startsWith("0000") || last.startsWith("9999")) return null;
  const start = Date.parse(first.length === 4 ? `${first}-01-01` : first.length === 7 ? `${first}-01` : first);
  const end = Date.parse(last.length === 4 ? `${last}-12-31` : last.length === 7 ? `${last}-28` : last);
  return Number.isFinite(start) && Number.isFinite(end) ? [start, end] : null;
}

function tick(time) {
  return new Date(time).toISOString().slice(0, 10);
}

export function timelineDrawing(entries, routeOf) {
  const dated = entries.map((e) => ({ entry: e, span: bounds(e.date) })).filter((x) => x.span);
  if (!dated.length) return null;
  const lanes = LANES.filter((lane) => dated.some((x) => lane.kinds.includes(x.entry.kind)));
  let min = Math.min(...dated.map((x) => x.span[0]));
  let max = Math.max(...dated.map((x) => x.span[1]));
  const pad = Math.max((max - min) * 0.05, 86_400_000);
  min -= pad;
  max += pad;
  const x = (time) => LEFT + ((time - min) / (max - min)) * (WIDTH - LEFT - RIGHT);
  const height = TOP + lanes.length * LANE + 30;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => min + f * (max - min));
  const drawing = svg("svg", {
      class: "timeline-drawing",
      id: "timeline-drawing",
      viewBox: `0 0 ${WIDTH} ${height}`,
      role: "group",
      "aria-label": `A drawn timeline of ${dated.length} dated entries, from ${tick(min + pad)} to ${tick(max - pad)}; the list below gives each.`,
    },
    ticks.map((t, i) => [
      svg("line", { x1: x(t), x2: x(t), y1: TOP - 6, y2: height - 24, class: "grid" }),
      svg("text", {
        x: x(t),
        y: height - 8,
        "text-anchor": i === 0 ? "start" : i === ticks.length - 1 ? "end" : "middle",
        class: "tick",
      }, tick(t)),
    ]),
    lanes.map((lane, i) => {
      const y = TOP + i * LANE + LANE / 2;
      return svg("g", { class: "lane", "data-lane": lane.name },
        svg("text", { x: 4, y: y + 4, class: "lane-name" }, lane.name),
        svg("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y, y2: y, class: "axis" }),
        dated.filter((d) => lane.kinds.includes(d.entry.kind)).map(({ entry, span }) => {
          const [a, b] = span.map(x);
          const words = `${day(entry.date)}: ${entry.summary}`;
          const mark = b - a > 3
            ? svg("rect", { x: a, y: y - 5, width: b - a, height: 10, rx: 5, fill: lane.colour, "fill-opacity": 0.35, stroke: lane.colour })
            : svg("circle", { cx: a, cy: y, r: 6, fill: lane.colour, stroke: "#fff", "stroke-width": 1.5 });
          const node = entry.node ? routeOf(entry.node) : null;
          const marked = [svg("title", {}, words), mark];
          return node
            ? svg("a", { href: node, class: "entry", "data-kind": entry.kind, "aria-label": words }, marked)
            : svg("g", { class: "entry", "data-kind": entry.kind }, marked);
        }));
    }));
  // It may scroll sideways on a phone: reachable by keyboard too.
  return h("figure", { class: "timeline-figure", tabindex: "0", "aria-label": "Timeline drawing" }, drawing,
    h("figcaption", { class: "muted" },
      "Each mark is something said or done; a bar is a date the sources give only within bounds. ",
      "Undated entries are only in the list."));
}

// Builds the page from data without ever parsing data as HTML: every string becomes a text node and
// every attribute is set with setAttribute, so a name such as "<img onerror=…>" shows as those characters.

export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

// The same for SVG drawings (the timeline): elements in the SVG namespace, attributes set as data.
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key === "className" ? "class" : key, value === true ? "" : String(value));
  }
  return append(el, children);
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function mount(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// A link inside the explorer: "#/measure/measure%3Aus-…". Parts are encoded, so data cannot make
// a link leave the page (no "javascript:" or other scheme).
export function route(...parts) {
  return "#/" + parts.map((part) => encodeURIComponent(String(part))).join("/");
}

export function link(text, ...parts) {
  return h("a", { href: route(...parts) }, text);
}

// Spans index the source text in Unicode code points, while JavaScript strings count UTF-16 units.
export function codePointSlices(text, start, end) {
  const points = Array.from(text);
  return [points.slice(0, start), points.slice(start, end), points.slice(end)].map((p) => p.join(""));
}

// At most `max` characters, cut at the end of a word.
export function shorten(text, max = 80) {
  const points = Array.from(plain(text));
  if (points.length <= max) return points.join("");
  const cut = points.slice(0, max - 1).join("");
  const atWord = cut.replace(/\s+\S*$/, "");
  return (atWord.length > max / 2 ? atWord : cut).replace(/[\s,;:.]+$/, "") + "…";
}

// A date as the API gives it: a day, month or year, or only the bounds the sources set ("already" is
// "by" the source's own date).
export function day(date) {
  if (!date) return null;
  const { iso, earliest, latest } = date;
  const known = iso ?? (earliest && latest ? `${earliest} – ${latest}`
    : latest ? `by ${latest}` : earliest ? `on or after ${earliest}` : null);
  if (known == null) return date.asWritten ?? null;
  return date.asWritten && date.asWritten !== iso ? `${known} (“${date.asWritten}”)` : known;
}

// A source's text as a reader should see it: its markup (Markdown's **bold**, __bold__, # headings)
// left out, its words as written.
export function plain(text) {
  return String(text ?? "")
    .replace(/\*\*|__/g, "")
    .replace(/^#{1,6}\s+/gm, "");
}

// Context around a quote, cut at word boundaries: a piece the API cut mid-word loses that word's part.
export function wordsBefore(text, cut) {
  const clean = plain(text);
  return cut ? clean.replace(/^\S*\s*/, "") : clean;
}

export function wordsAfter(text, cut) {
  const clean = plain(text);
  return cut ? clean.replace(/\s*\S*$/, "") : clean;
}

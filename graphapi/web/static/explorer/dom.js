// Builds the page from data without ever parsing data as HTML: every string becomes a text node and
// every attribute is set with setAttribute, so a name such as "<img onerror=…>" shows as those characters.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key === "className" ? "class" : key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
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

export function shorten(text, max = 80) {
  const points = Array.from(text ?? "");
  return points.length > max ? points.slice(0, max - 1).join("") + "…" : points.join("");
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

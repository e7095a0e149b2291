// The explorer: a hash router over the views in views.js. The page's state is its URL, so every view can
// be bookmarked and the back button works.
import { ApiError, plainWords } from "./api.js";
import { h, mount, route } from "./dom.js";
import { review } from "./review.js";
import * as views from "./views.js";

const ROUTES = {
  "": views.home,
  search: views.search,
  measure: views.measure,
  actor: views.actor,
  source: views.source,
  graph: views.graph,
  retaliations: views.retaliations,
  node: views.node,
  review,
};

const main = document.getElementById("main");
const errorBox = document.getElementById("error");
const searchForm = document.getElementById("search");
let current = { cy: null, token: 0 };

function parse(hash) {
  const [name = "", ...args] = hash.replace(/^#\/?/, "").split("/").map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  return { name, args };
}

// Errors in plain words first; what the API said, with its code, below for whoever needs it.
function showError(error) {
  const fromApi = error instanceof ApiError;
  if (!fromApi) {
    mount(errorBox, h("strong", {}, "This page cannot be shown. "), String(error?.message ?? error));
  } else {
    const words = [...new Set(error.errors.map(plainWords))];
    mount(errorBox,
      h("strong", {}, words.join(" ")),
      h("details", {},
        h("summary", {}, "What the API answered"),
        h("ul", {}, error.errors.map((e) =>
          h("li", {}, e.message, e.extensions?.code ? h("code", {}, ` ${e.extensions.code}`) : null)))));
  }
  errorBox.hidden = false;
}

async function render() {
  const token = ++current.token;
  current.cy?.destroy();
  current.cy = null;
  errorBox.hidden = true;
  const { name, args } = parse(location.hash);
  // Own routes only: `constructor` or `toString` are not pages, though every object has them.
  const show = Object.hasOwn(ROUTES, name) ? ROUTES[name] : undefined;
  document.body.dataset.view = show ? name || "home" : "unknown";
  document.body.dataset.state = "loading";
  mount(main, h("p", { class: "muted" }, "Loading…"));
  const stale = () => token !== current.token;
  const view = {
    main,
    searchBox: searchForm.elements.q,
    keep: (cy) => (stale() ? cy.destroy() : (current.cy = cy)),
    go: (hash) => (location.hash = hash),
    redirect: (hash) => location.replace(hash),
  };
  try {
    if (!show) throw new Error(`There is no page at ${location.hash}: use the search or the links above.`);
    await show(view, ...args);
    if (!stale()) document.body.dataset.state = "ready";
  } catch (error) {
    if (stale()) return;
    mount(main);
    showError(error);
    document.body.dataset.state = "error";
  }
}

searchForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = searchForm.elements.q.value.trim();
  if (text) location.hash = route("search", text);
});
window.addEventListener("hashchange", render);
render();

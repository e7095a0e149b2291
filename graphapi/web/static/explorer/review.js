// The review page: paste an article, get the drafter's proposals (the draftSource mutation: nothing is
// stored), see each quote, speaker and mention lit up in the text, accept, reject or change each, and save
// what was accepted as a new source through the ordinary upserts (upsertSource, upsertActor,
// upsertStatement; quotes are sent without offsets when changed, and placed by the API).
import { ApiError, gql } from "./api.js";
import { h, mount, route } from "./dom.js";

const DRAFT = `mutation Draft($text: String!) {
  draftSource(text: $text) {
    id title text
    writtenOn { on earliest latest asWritten yearStated }
    sourceDraft { rule confidence note }
    statements {
      id quote span { start end } occurrence direct
      speaker { id name isNew span { start end } }
      saidOn saidOnAsWritten role about draft { rule confidence note }
    }
    actors { id name role span { start end } draft { rule confidence note } }
    mentions { id name span { start end } }
    days { on asWritten span { start end } }
  }
}`;
const SAVE_SOURCE = `mutation SaveSource($input: SourceInput!) { upsertSource(input: $input) { created } }`;
const SAVE_ACTOR = `mutation SaveActor($input: ActorInput!) { upsertActor(input: $input) { created } }`;
const SAVE_STATEMENT = `mutation SaveStatement($input: StatementInput!) {
  upsertStatement(input: $input) { statement { id span { start end } } }
}`;

const percent = (x) => `${Math.round(x * 100)}%`;
const message = (error) => (error instanceof ApiError ? error.errors.map((e) => e.message).join("; ") : String(error?.message ?? error));

export async function review(view) {
  const form = h("form", { id: "review-form", class: "review-form" },
    h("label", {}, "Article (its first line is the title)",
      h("textarea", { name: "article", rows: "8", required: true, spellcheck: "false" })),
    h("div", { class: "row" },
      h("label", {}, "API key (write scope) ", h("input", { name: "key", type: "password", autocomplete: "off", required: true })),
      h("button", { type: "submit", id: "draft-button" }, "Draft")));
  const status = h("p", { id: "review-status", class: "muted", role: "status" });
  const board = h("div", { id: "review-board" });
  mount(view.main, h("h1", {}, "Review an article"), form, status, board);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = form.elements.key.value.trim();
    status.textContent = "Drafting…";
    document.body.dataset.review = "drafting";
    try {
      const { draftSource } = await gql(DRAFT, { text: form.elements.article.value }, key);
      show(board, status, draftSource, key);
      document.body.dataset.review = "drafted";
    } catch (error) {
      mount(board);
      status.textContent = `The draft failed: ${message(error)}`;
      document.body.dataset.review = "failed";
    }
  });
}

// One proposal's state: "pending", "accepted" or "rejected", and what the curator changed.
function show(board, status, draft, key) {
  const statements = draft.statements.map((s, i) => ({ ...s, ref: `s${i}`, decision: "pending", changedSpeaker: null, changedQuote: null }));
  const actors = draft.actors.map((a, i) => ({ ...a, ref: `a${i}`, decision: "pending" }));
  const text = litText(draft, statements, actors);
  const cards = h("div", { id: "proposals" },
    sourceCard(draft),
    actors.length ? h("h2", {}, `New speakers (${actors.length})`) : null,
    actors.map((a) => actorCard(a, text)),
    h("h2", {}, `Statements (${statements.length})`),
    h("p", {}, h("button", { type: "button", id: "accept-all", onclick: () => decideAll(board, statements, actors, "accepted") }, "Accept all")),
    statements.map((s) => statementCard(s, text)));
  const saveButton = h("button", { type: "button", id: "save", onclick: () => save(draft, statements, actors, key, saveButton, status) }, "Save accepted");
  mount(board, h("div", { class: "reader review" }, text, h("aside", {}, cards, h("p", {}, saveButton))));
  status.textContent = `${statements.length} statement(s) and ${actors.length} new speaker(s) proposed for “${draft.title}”: accept, reject or change each, then save.`;
}

function sourceCard(draft) {
  const w = draft.writtenOn;
  const when = !w ? "no date found" : w.on ? `${w.on}${w.asWritten ? ` (“${w.asWritten}”)` : ""}${w.yearStated ? "" : ", year not stated"}`
    : `between ${w.earliest ?? "?"} and ${w.latest ?? "?"}`;
  return h("section", { class: "proposal", id: "source-card" },
    h("header", {}, "Source"),
    h("label", {}, "id ", h("input", { name: "source-id", value: draft.id, size: "40" })),
    h("div", {}, draft.title),
    h("div", { class: "muted small" }, `written: ${when} · ${draft.sourceDraft.rule} ${percent(draft.sourceDraft.confidence)}`));
}

function decisionButtons(item, card, onchange) {
  const set = (decision) => {
    item.decision = decision;
    card.dataset.decision = decision;
    onchange?.();
  };
  return h("span", { class: "decide" },
    h("button", { type: "button", class: "accept", onclick: () => set("accepted") }, "Accept"),
    h("button", { type: "button", class: "reject", onclick: () => set("rejected") }, "Reject"));
}

function lightUp(text, ref, on) {
  for (const el of text.querySelectorAll(`[data-refs~="${ref}"]`)) el.classList.toggle("active", on);
}

function actorCard(actor, text) {
  const card = h("article", { class: "proposal", "data-ref": actor.ref, "data-id": actor.id, "data-decision": "pending" });
  const name = h("input", { class: "name", value: actor.name, size: "28", onchange: () => (actor.name = name.value.trim()) });
  mount(card,
    h("header", {}, h("code", {}, actor.id), " ", h("span", { class: "kind new" }, "new")),
    h("label", {}, "name ", name),
    actor.role ? h("div", { class: "muted small" }, `role as written: ${actor.role}`) : null,
    h("div", { class: "muted small" }, `${actor.draft.rule} · ${percent(actor.draft.confidence)}`),
    decisionButtons(actor, card, () => markText(text, actor.ref, actor.decision)));
  card.addEventListener("mouseenter", () => lightUp(text, actor.ref, true));
  card.addEventListener("mouseleave", () => lightUp(text, actor.ref, false));
  return card;
}

function statementCard(s, text) {
  const card = h("article", { class: "proposal", "data-ref": s.ref, "data-id": s.id, "data-decision": "pending" });
  const speaker = h("input", { class: "speaker", value: s.speaker.id, size: "28", "aria-label": "speaker id" });
  speaker.addEventListener("change", () => (s.changedSpeaker = speaker.value.trim() === s.speaker.id ? null : speaker.value.trim()));
  const quote = h("textarea", { class: "quote-text", rows: "2", "aria-label": "quote" }, s.quote);
  quote.addEventListener("change", () => (s.changedQuote = quote.value === s.quote ? null : quote.value));
  mount(card,
    h("header", {}, h("span", { class: s.direct ? "kind quoted" : "kind reported" }, s.direct ? "quote" : "reported"), " ",
      s.speaker.name ?? s.speaker.id, s.speaker.isNew ? h("span", { class: "muted" }, " (new)") : null),
    quote,
    h("label", {}, "speaker ", speaker),
    h("div", { class: "muted small" },
      `${s.draft.rule} · ${percent(s.draft.confidence)}`,
      s.draft.note ? ` · ${s.draft.note}` : "",
      s.about.length ? ` · about ${s.about.join(", ")}` : "",
      s.saidOn ? ` · said ${s.saidOn}` : ""),
    h("div", { class: "error small", hidden: true }),
    decisionButtons(s, card, () => markText(text, s.ref, s.decision)));
  card.addEventListener("mouseenter", () => lightUp(text, s.ref, true));
  card.addEventListener("mouseleave", () => lightUp(text, s.ref, false));
  return card;
}

function markText(text, ref, decision) {
  for (const el of text.querySelectorAll(`[data-refs~="${ref}"]`)) {
    el.classList.toggle("rejected", decision === "rejected");
    el.classList.toggle("accepted", decision === "accepted");
  }
}

function decideAll(board, statements, actors, decision) {
  for (const item of [...statements, ...actors]) {
    item.decision = decision;
    const card = board.querySelector(`[data-ref="${item.ref}"]`);
    if (card) card.dataset.decision = decision;
    markText(board, item.ref, decision);
  }
}

// The text with every proposal lit up: the text is cut at every span's ends (in code points, as the API
// counts), and each piece says which proposals cover it.
function litText(draft, statements, actors) {
  const points = Array.from(draft.text);
  const marks = [
    ...statements.map((s) => ({ ...s.span, cls: s.direct ? "q" : "r", ref: s.ref })),
    ...statements.map((s) => ({ ...s.speaker.span, cls: "who", ref: s.ref })),
    ...actors.map((a) => ({ ...a.span, cls: "who new", ref: a.ref })),
    ...draft.mentions.map((m) => ({ ...m.span, cls: "mention", ref: "", title: `${m.name} (${m.id})` })),
    ...draft.days.map((d) => ({ ...d.span, cls: "day", ref: "", title: d.on })),
  ];
  const cuts = [...new Set([0, points.length, ...marks.flatMap((m) => [m.start, m.end])])].sort((a, b) => a - b);
  const article = h("article", { class: "source-text", id: "review-text" });
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const piece = points.slice(a, b).join("");
    const over = marks.filter((m) => m.start <= a && b <= m.end);
    if (!over.length) {
      article.append(piece);
      continue;
    }
    const classes = [...new Set(over.flatMap((m) => m.cls.split(" ")))];
    const refs = [...new Set(over.map((m) => m.ref).filter(Boolean))];
    const title = over.find((m) => m.title)?.title;
    article.append(h("span", { class: ["hl", ...classes].join(" "), "data-refs": refs.join(" ") || null, title }, piece));
  }
  return article;
}

async function save(draft, statements, actors, key, button, status) {
  const sourceId = document.querySelector("#source-card input[name=source-id]").value.trim();
  const accepted = statements.filter((s) => s.decision === "accepted");
  if (!accepted.length) {
    status.textContent = "Nothing is accepted yet.";
    return;
  }
  button.disabled = true;
  document.body.dataset.review = "saving";
  const w = draft.writtenOn;
  const writtenOn = w ? Object.fromEntries(Object.entries({ on: w.on, earliest: w.earliest, latest: w.latest, asWritten: w.asWritten, yearStated: w.yearStated }).filter(([, v]) => v != null)) : null;
  let saved = 0;
  const refused = [];
  try {
    await gql(SAVE_SOURCE, { input: { id: sourceId, title: draft.title, text: draft.text, writtenOn } }, key);
    const speakers = new Set(accepted.map((s) => s.changedSpeaker ?? s.speaker.id));
    for (const actor of actors) {
      if (actor.decision === "rejected" || !speakers.has(actor.id)) continue;
      const quote = Array.from(draft.text).slice(actor.span.start, actor.span.end).join("");
      await gql(SAVE_ACTOR, { input: { id: actor.id, name: actor.name, source: sourceId, evidence: [{ quote, start: actor.span.start, end: actor.span.end }] } }, key);
    }
    for (const s of accepted) {
      const card = document.querySelector(`[data-ref="${s.ref}"]`);
      const errorBox = card.querySelector(".error");
      const input = {
        id: s.id, speaker: s.changedSpeaker ?? s.speaker.id, source: sourceId, direct: s.direct,
        quote: s.changedQuote ?? s.quote, about: s.about, role: s.changedSpeaker ? null : s.role,
      };
      if (s.changedQuote == null && s.occurrence != null) input.occurrence = s.occurrence;
      if (s.saidOn) input.saidOn = { on: s.saidOn, asWritten: s.saidOnAsWritten };
      try {
        await gql(SAVE_STATEMENT, { input }, key);
        card.dataset.saved = "true";
        errorBox.hidden = true;
        saved += 1;
      } catch (error) {
        errorBox.textContent = message(error);
        errorBox.hidden = false;
        refused.push(s.id);
      }
    }
    mount(status, `Saved ${saved} statement(s) to `, h("a", { href: route("source", sourceId), id: "saved-source" }, sourceId),
      refused.length ? `; ${refused.length} refused (see their cards)` : "", ".");
    document.body.dataset.review = refused.length ? "partly-saved" : "saved";
  } catch (error) {
    status.textContent = `Saving failed: ${message(error)}`;
    document.body.dataset.review = "save-failed";
  } finally {
    button.disabled = false;
  }
}

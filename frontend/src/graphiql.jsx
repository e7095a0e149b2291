// GraphiQL as graphapi serves it at /graphql: every script, style, font and worker comes from the app
// itself (this file is bundled by build.mjs), nothing from a CDN.
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { explorerPlugin } from "@graphiql/plugin-explorer";
import { GraphiQL } from "graphiql";
import { createRoot } from "react-dom/client";
import "graphiql/style.css";
import "@graphiql/plugin-explorer/style.css";

// Monaco runs its language services in web workers; build.mjs bundles each one beside this script.
globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    const name = label === "graphql" || label === "json" ? label : "editor";
    return new Worker(new URL(`./${name}.worker.js`, import.meta.url), { type: "module" });
  },
};

// Queries go to the page's own URL; subscriptions to the same URL over WebSocket (graphql-transport-ws).
const url = new URL(window.location.pathname, window.location.href);
const subscriptionUrl = new URL(url);
subscriptionUrl.protocol = url.protocol === "https:" ? "wss:" : "ws:";

const defaultQuery = `# All positions on the auto tariffs, with the quotes behind them.
# Run it with Ctrl-Enter; the explorer (left) builds queries by ticking fields.
{
  positions(onText: "auto tariffs") {
    totalCount
    nodes {
      stance
      confidence
      actor { name }
      evidence { quote span { start end } source { title } }
    }
  }
}
`;

createRoot(document.getElementById("graphiql")).render(
  <GraphiQL
    fetcher={createGraphiQLFetcher({ url: url.href, subscriptionUrl: subscriptionUrl.href })}
    plugins={[explorerPlugin()]}
    defaultQuery={defaultQuery}
  >
    <GraphiQL.Logo>
      <a href="/explore" title="The graph explorer">graphapi</a>
    </GraphiQL.Logo>
  </GraphiQL>,
);

// Subscribes over Server-Sent Events with a real client and prints one JSON line per happening:
// {"connected": true} once the stream is open, then each result, until `count` results have come;
// {"failed": ...} if the client gives up. The clients:
// - graphql-sse: graphql-sse's own client, in distinct connections mode (one SSE response per operation);
// - urql: @urql/core with `fetchSubscriptions` (its own SSE reader, which splits events on "\n\n").
// Usage: node sse.mjs <graphql url> <document> [variables JSON] [count] [graphql-sse|urql]
import { createClient } from 'graphql-sse';
import { Client, fetchExchange } from '@urql/core';

const [url, query, variables = '{}', count = '1', which = 'graphql-sse'] = process.argv.slice(2);
const connected = () => console.log(JSON.stringify({ connected: true }));

async function withGraphqlSse() {
  const client = createClient({ url, singleConnection: false, retryAttempts: 0 });
  let seen = 0;
  try {
    for await (const result of client.iterate({ query, variables: JSON.parse(variables) }, { connected })) {
      console.log(JSON.stringify(result));
      if (++seen >= Number(count)) break;
    }
  } finally {
    client.dispose();
  }
}

async function withUrql() {
  const announcing = async (...args) => {
    const response = await fetch(...args);
    connected();
    return response;
  };
  const client = new Client({ url, exchanges: [fetchExchange], fetchSubscriptions: true, fetch: announcing });
  await new Promise((resolve, reject) => {
    let seen = 0;
    const { unsubscribe } = client.subscription(query, JSON.parse(variables)).subscribe((result) => {
      if (result.error && result.error.networkError) {
        unsubscribe();
        reject(result.error.networkError);
        return;
      }
      const errors = result.error?.graphQLErrors.map((e) => ({ message: e.message, extensions: e.extensions }));
      console.log(JSON.stringify({ data: result.data ?? undefined, errors }));
      if (++seen >= Number(count)) {
        unsubscribe();
        resolve();
      }
    });
  });
}

try {
  await (which === 'urql' ? withUrql() : withGraphqlSse());
} catch (error) {
  console.log(JSON.stringify({ failed: String(error) }));
  process.exitCode = 1;
}
// Unsubscribing aborts urql's fetch, whose AbortError would otherwise end the process as a failure.
process.exit(process.exitCode ?? 0);

// Subscribes with graphql-sse's own client, in distinct connections mode (one SSE response per
// operation), and prints one JSON line per happening: {"connected": true} once the stream is open, then
// each result, until `count` results have come; {"failed": ...} if the client gives up.
// Usage: node sse.mjs <graphql url> <document> [variables JSON] [count]
import { createClient } from 'graphql-sse';

const [url, query, variables = '{}', count = '1'] = process.argv.slice(2);
const client = createClient({ url, singleConnection: false, retryAttempts: 0 });
const listeners = { connected: () => console.log(JSON.stringify({ connected: true })) };
let seen = 0;
try {
  for await (const result of client.iterate({ query, variables: JSON.parse(variables) }, listeners)) {
    console.log(JSON.stringify(result));
    if (++seen >= Number(count)) break;
  }
} catch (error) {
  console.log(JSON.stringify({ failed: String(error) }));
  process.exitCode = 1;
} finally {
  client.dispose();
}

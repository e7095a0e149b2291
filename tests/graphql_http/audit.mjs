// Runs graphql-http's server audits (GraphQL over HTTP conformance) against a running server and prints
// one JSON object: every audit's id, name, status (ok, notice, warn, error) and, when it failed, why.
// Usage: node audit.mjs http://127.0.0.1:8000/graphql
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}
const results = [];
for (const { id, name, fn } of serverAudits({ url })) {
  const result = await fn(); // one at a time: a shared two-core machine, and readable server logs
  const entry = { id, name, status: result.status };
  if (result.status !== 'ok') {
    entry.reason = result.reason;
    entry.httpStatus = result.response.status;
    entry.contentType = result.response.headers.get('content-type');
  }
  results.push(entry);
}
console.log(JSON.stringify(results));

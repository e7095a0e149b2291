// Runs queries with Apollo Client's persisted-query link (automatic persisted queries: the hash first,
// the text once if the server does not know it) and prints one JSON line per query: its result and the
// requests the link sent ({method, hashOnly}), so a test sees the protocol as well as the answer.
// Usage: node apollo.mjs <graphql url> <post|get> <document> [<document> ...]
import { createHash } from 'node:crypto';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client/core/index.js';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries/index.js';

const [url, method, ...documents] = process.argv.slice(2);
let sent = [];
const recordingFetch = async (input, init = {}) => {
  const target = new URL(String(input));
  const body = init.body ? JSON.parse(init.body) : null;
  const hasQuery = body ? typeof body.query === 'string' : target.searchParams.has('query');
  sent.push({ method: init.method || 'GET', hashOnly: !hasQuery });
  return fetch(input, init);
};
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const link = createPersistedQueryLink({ sha256, useGETForHashedQueries: method === 'get' }).concat(
  new HttpLink({ uri: url, fetch: recordingFetch }),
);
const client = new ApolloClient({ link, cache: new InMemoryCache({ addTypename: false }), defaultOptions: { query: { fetchPolicy: 'no-cache' } } });
for (const document of documents) {
  sent = [];
  try {
    const result = await client.query({ query: gql(document), fetchPolicy: 'no-cache' });
    console.log(JSON.stringify({ data: result.data, errors: result.errors ?? null, sent }));
  } catch (error) {
    console.log(JSON.stringify({ failed: String(error.message || error), sent }));
  }
}

// The explorer's only way to the data: the public GraphQL API at ./graphql, like any other client.

export class ApiError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("\n"));
    this.errors = errors;
  }
}

// `key`: an API key, for mutations (sent as a bearer token, never stored by the page).
export async function gql(query, variables = {}, key = null) {
  let response;
  const headers = {
    "content-type": "application/json",
    accept: "application/graphql-response+json, application/json;q=0.9",
  };
  if (key) headers.authorization = `Bearer ${key}`;
  try {
    response = await fetch("graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new ApiError([{ message: `The API could not be reached (${error.message}).` }]);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError([{ message: `The API answered ${response.status} ${response.statusText} without JSON.` }]);
  }
  if (body.errors?.length) throw new ApiError(body.errors);
  if (!response.ok || !body.data) throw new ApiError([{ message: `The API answered ${response.status}.` }]);
  return body.data;
}

// What the graph views need to name a node of any kind.
export const LABEL = `
fragment Label on Node {
  __typename
  id
  ... on Actor { name }
  ... on Measure { name }
  ... on Event { name }
  ... on Office { name }
  ... on Statement { quote speaker { name } }
  ... on Position { stance actor { name } }
  ... on Source { title }
}`;

export const DAY = `fragment Day on FuzzyDate { iso earliest latest precision asWritten }`;

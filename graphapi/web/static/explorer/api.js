// The explorer's only way to the data: the public GraphQL API at ./graphql, like any other client.

export class ApiError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("\n"));
    this.errors = errors;
  }
}

// What went wrong, for a reader rather than a developer: the API's code in plain words, with what the
// API said kept for whoever needs it.
const PLAIN = {
  NOT_FOUND: () => "There is nothing in the graph with this id. It may have been removed, or the link is mistyped.",
  BAD_USER_INPUT: (e) =>
    /no words/.test(e.message) || e.extensions?.argument === "text"
      ? "There is nothing to search for in these words: try a name, a quote or a measure."
      : /\bcosts\b|\blimit\b|at most/.test(e.message)
        ? "This asks the service for too much at once."
        : /\bid\b/.test(e.message)
          ? "This address does not name anything in the graph: check the link."
          : "The service could not make sense of this request.",
  UNAUTHENTICATED: () => "The service asks for a key before it answers.",
  FORBIDDEN: () => "The service does not allow this.",
  UNAVAILABLE: () => "The database is not answering right now. Try again in a moment.",
  INTERNAL: () => "Something went wrong on the server. Try again; if it lasts, tell its maintainers.",
};

export function plainWords(error) {
  const words = PLAIN[error.extensions?.code];
  return words ? words(error) : "The service could not answer this.";
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
    throw new ApiError([{
      message: `The API could not be reached (${error.message}).`,
      extensions: { code: "UNAVAILABLE" },
    }]);
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

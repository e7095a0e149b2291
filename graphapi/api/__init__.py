"""The GraphQL API: types, resolvers, per-request context and the error policy."""

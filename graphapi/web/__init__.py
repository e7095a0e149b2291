"""The pages people look at, served by the app itself: GraphiQL at /graphql and the explorer at /explore.

Their scripts come from `static/` (built from the pinned npm packages in `frontend/`, or written by hand
for the explorer); no page loads anything from another host."""

from graphapi.web.pages import GraphiQLPage, graphiql_page, routes

__all__ = ["GraphiQLPage", "graphiql_page", "routes"]

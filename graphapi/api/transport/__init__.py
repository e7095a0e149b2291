"""Transport: GraphQL over HTTP and WebSocket, connection capacity, metrics and logs, response headers."""

"""The graph model: node kinds, relationship types, and the Cypher that reads and writes them."""

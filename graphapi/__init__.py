"""graphapi: a GraphQL knowledge graph of political actors, their policies and their positions."""

__version__ = "0.1.0"

"""Benchmarks of graphapi: synthetic graphs of the seed's shape, GraphQL against raw Cypher."""

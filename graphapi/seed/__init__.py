"""Seed files: reading, validating and loading them into the graph."""

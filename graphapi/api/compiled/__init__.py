"""Compiled reads: a root query field's whole selection becomes one Cypher statement that returns the
response's shape, as @neo4j/graphql and Hasura compile theirs; what does not compile (full-text-ranked
walks, the timeline, anything the field table does not know) is answered by the resolvers, in the same
response.

- `objects.py`: the selection walker; `fields.py`: how each field of each type compiles (the table),
  from the building blocks of `field_rules.py`, `evidence.py` and `tenure_rules.py`;
- `roots.py`: the root fields that compile (lookups, and the table of them), `list_roots.py` (the
  lists), `timeline_and_search.py`, `pages.py` (the selection of a connection), `root_plans.py` (what
  they share); `pipeline.py`: the statement being built;
- `plan_cache.py`: a compiled root field and the cache of them; `shapes.py`: the little left to Python;
- `execution.py`: the hook into execution (graphql-core's executor, one method).
"""

from graphapi.api.compiled.execution import CompiledExecution, compiled_execution
from graphapi.api.compiled.plan_cache import PlanCache

__all__ = ["CompiledExecution", "PlanCache", "compiled_execution"]

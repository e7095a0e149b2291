"""Compiled reads: a root query field's whole selection becomes one Cypher statement that returns the
response's shape, as @neo4j/graphql and Hasura compile theirs; what does not compile (full-text-ranked
walks, the timeline, anything the field table does not know) is answered by the resolvers, in the same
response.

- `objects.py`: the selection walker; `fields.py`: how each field of each type compiles;
- `roots.py`: the root fields that compile; `pipeline.py`: the statement being built;
- `plan.py`: a compiled root field and the cache of them; `shapes.py`: the little left to Python;
- `execution.py`: the hook into execution (graphql-core's executor, one method).
"""

from graphapi.api.compiled.execution import CompiledExecution, compiled_execution
from graphapi.api.compiled.plan_cache import PlanCache

__all__ = ["CompiledExecution", "PlanCache", "compiled_execution"]

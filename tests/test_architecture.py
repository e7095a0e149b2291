"""The package's shape, read from its source: no import of a private name (`_x`) from another module, no
circle of imports (but the GraphQL types', which refer to each other through `strawberry.lazy`), no
module over 450 lines and no function over 60. Modules and functions still over are listed below, and
the list may only shrink.

`python tests/test_architecture.py` prints the figures: the largest modules and functions and the
circles of imports."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "graphapi"
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60
# Circles of imports allowed: the GraphQL types refer to each other (through `strawberry.lazy`).
ALLOWED_CIRCLE_PREFIX = "graphapi.api.types."
# Still too long: each is split in its turn; an entry that is no longer over its limit must go.
LONG_MODULES: set[str] = set()
LONG_FUNCTIONS: set[str] = set()
# Private names imported across modules, still to be made public or moved.
PRIVATE_IMPORTS: set[str] = set()
# Circles still to be broken.
CIRCLES: list[list[str]] = []


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    tree: ast.Module
    lines: int


def modules() -> list[Module]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        text = path.read_text()
        found.append(Module(name, path, ast.parse(text), len(text.splitlines())))
    return found


def _resolve(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.name.split(".")
    if module.path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(module: Module, known: set[str]) -> Iterator[tuple[str, str | None, ast.AST]]:
    """(module imported, name imported from it or None, the node) for each import of the package."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("graphapi"):
                    yield alias.name, None, node
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, node)
            if not source.startswith("graphapi"):
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in known:
                    yield submodule, None, node
                else:
                    yield source, alias.name, node


def _type_checking_only(module: Module) -> set[int]:
    """Line numbers of imports under `if TYPE_CHECKING:` (they are not run)."""
    lines: set[int] = set()
    for node in ast.walk(module.tree):
        if (
            isinstance(node, ast.If)
            and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING"
        ):
            for inner in node.body:
                for sub in ast.walk(inner):
                    if isinstance(sub, ast.Import | ast.ImportFrom):
                        lines.add(sub.lineno)
    return lines


def graph(found: list[Module]) -> dict[str, set[str]]:
    """Which modules each module imports when it runs (imports for type checking left out)."""
    known = {m.name for m in found}
    edges: dict[str, set[str]] = {m.name: set() for m in found}
    for module in found:
        skip = _type_checking_only(module)
        for target, _, node in imports(module, known):
            if getattr(node, "lineno", 0) in skip:
                continue
            while target not in known and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in known and target != module.name:
                edges[module.name].add(target)
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    sys.setrecursionlimit(10_000)

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _is_package_init_of(source: str, module: Module) -> bool:
    return module.path.name == "__init__.py" and source.startswith(module.name)


def private_imports(found: list[Module]) -> set[str]:
    """`module: source.name` for each private name a module imports from another module."""
    known = {m.name for m in found}
    seen = set()
    for module in found:
        for source, name, _ in imports(module, known):
            if name is None and source.rsplit(".", 1)[-1].startswith("_") and not source.endswith("__"):
                seen.add(f"{module.name}: {source}")
            elif (
                name is not None
                and name.startswith("_")
                and not name.startswith("__")
                and source != module.name
                and not _is_package_init_of(source, module)
            ):
                seen.add(f"{module.name}: {source}.{name}")
    return seen


def functions(found: list[Module]) -> dict[str, int]:
    """`module:qualified.name` → its lines (decorators included) for every function of the package."""
    sizes: dict[str, int] = {}

    def walk(node: ast.AST, module: str, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    start = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                    sizes[f"{module}:{name}"] = (child.end_lineno or child.lineno) - start + 1
                walk(child, module, name + ".")
            else:
                walk(child, module, prefix)

    for module in found:
        walk(module.tree, module.name, "")
    return sizes


def long_modules(found: list[Module]) -> dict[str, int]:
    return {m.name: m.lines for m in found if m.lines > MAX_MODULE_LINES}


def long_functions(found: list[Module]) -> dict[str, int]:
    return {name: n for name, n in functions(found).items() if n > MAX_FUNCTION_LINES}


def _unallowed(components: list[list[str]]) -> list[list[str]]:
    return [c for c in components if not all(m.startswith(ALLOWED_CIRCLE_PREFIX) for m in c)]


def test_no_private_name_is_imported_from_another_module() -> None:
    found = private_imports(modules())
    assert found <= PRIVATE_IMPORTS, sorted(found - PRIVATE_IMPORTS)
    assert not PRIVATE_IMPORTS - found, f"fixed, take off the list: {sorted(PRIVATE_IMPORTS - found)}"


def test_no_circle_of_imports_but_the_graphql_types() -> None:
    found = _unallowed(circles(graph(modules())))
    assert all(c in CIRCLES for c in found), [c for c in found if c not in CIRCLES]
    assert all(c in found for c in CIRCLES), (
        f"broken, take off the list: {[c for c in CIRCLES if c not in found]}"
    )


def test_modules_and_functions_stay_small() -> None:
    found = modules()
    modules_over, functions_over = set(long_modules(found)), set(long_functions(found))
    assert modules_over <= LONG_MODULES, (
        f"over {MAX_MODULE_LINES} lines: {sorted(modules_over - LONG_MODULES)}"
    )
    assert functions_over <= LONG_FUNCTIONS, (
        f"over {MAX_FUNCTION_LINES} lines: {sorted(functions_over - LONG_FUNCTIONS)}"
    )
    assert not LONG_MODULES - modules_over, (
        f"now small, take off the list: {sorted(LONG_MODULES - modules_over)}"
    )
    assert not LONG_FUNCTIONS - functions_over, (
        f"now small, take off the list: {sorted(LONG_FUNCTIONS - functions_over)}"
    )


# Folders of graphapi/api/ and those they must not import: the compiler and what both read paths share
# stay below the resolvers (the schema's types and roots).
API_BELOW = {
    "graphapi.api.compiled": ("queries", "types", "mutations", "live", "transport"),
    "graphapi.api.reading": ("queries", "types", "mutations", "live", "transport", "compiled"),
}


def test_the_compiler_and_the_shared_reads_stay_below_the_resolvers() -> None:
    edges = graph(modules())
    wrong = [
        f"{module} imports {target}"
        for module, targets in edges.items()
        for folder, banned in API_BELOW.items()
        if module.startswith(folder + ".") or module == folder
        for target in targets
        if any(target.startswith(f"graphapi.api.{b}.") or target == f"graphapi.api.{b}" for b in banned)
    ]
    assert not wrong


def report() -> str:
    found = modules()
    sizes = functions(found)
    largest_modules = sorted(found, key=lambda m: -m.lines)[:5]
    largest_functions = sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
    lines = [
        f"modules: {len(found)}, over {MAX_MODULE_LINES} lines: {len(long_modules(found))}",
        f"functions: {len(sizes)}, over {MAX_FUNCTION_LINES} lines: {len(long_functions(found))}",
        "largest modules: " + ", ".join(f"{m.name} ({m.lines})" for m in largest_modules),
        "largest functions: " + ", ".join(f"{n} ({s})" for n, s in largest_functions),
        f"private names imported across modules: {len(private_imports(found))}",
    ]
    for component in circles(graph(found)):
        allowed = "" if component not in _unallowed([component]) else " (not allowed)"
        lines.append(f"circle{allowed}: {' ↔ '.join(component)}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())

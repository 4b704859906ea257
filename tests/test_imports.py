"""The import graph of the project, read with ``ast``: no cycle, and layers that import one way.

``dashboard -> metrics -> sources``: ``sources`` imports nothing of ``metrics`` or ``dashboard``,
``metrics`` nothing of ``dashboard``, and neither imports Streamlit. Every import counts, also the
ones inside functions and under ``TYPE_CHECKING``: a cycle hidden there is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGES = ("app.py", "metrics", "sources", "dashboard", "tests")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    files = [REPO / "app.py"]
    for folder in PACKAGES[1:]:
        files += sorted((REPO / folder).rglob("*.py"))
    return {_module_name(path): path for path in files}


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """The project modules ``path`` imports (``from a import b`` is ``a.b`` when that is one).

    Importing a submodule runs its package's ``__init__`` first, but that is the package's own
    business, not an edge: only what a module names counts.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            submodules = {f"{base}.{alias.name}" for alias in node.names} & known
            found |= submodules
            if len(submodules) < len(node.names):  # a name defined in ``base`` itself
                found.add(base)
    return {module for module in found if module in known and module != name}


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(path, name, set(modules)) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _all_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names.add(node.module or "")
    return names


def test_the_project_has_no_import_cycle():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_layers_import_one_way():
    forbidden = {
        "sources": ("metrics", "dashboard", "streamlit"),
        "metrics": ("dashboard", "streamlit"),
    }
    wrong = [
        f"{name} imports {imported}"
        for name, path in project_modules().items()
        for imported in sorted(_all_imports(path))
        if imported.split(".")[0] in forbidden.get(name.split(".")[0], ())
    ]
    assert not wrong, wrong


def test_no_module_imports_through_a_package_whose_init_imports_it() -> None:
    """``sources/demo/__init__.py`` imports ``generate``; had ``generate`` imported its siblings
    through the package (``from sources.demo import budget``), importing either first would run
    the other half-initialised. Modules import their siblings by their own path."""
    modules = project_modules()
    offences = []
    for name, path in modules.items():
        if path.name != "__init__.py":
            continue
        init_imports = {
            f"{node.module}"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom) and node.module
        }
        for child in init_imports:
            child_path = modules.get(child)
            if child_path is None or child_path.name == "__init__.py":
                continue
            for node in ast.walk(ast.parse(child_path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module == name:
                    offences.append(f"{child} imports from {name}, whose __init__ imports it")
    assert offences == []

"""The one-direction rule (desktop → viewer → layers), checked with import-linter's contracts."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken" in result.stdout


def _imported_modules(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (REPO / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update((str(path.relative_to(REPO)), alias.name.split(".")[0]) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((str(path.relative_to(REPO)), node.module.split(".")[0]))
    return found


def test_layers_never_import_qt_or_vtk_even_lazily():
    # import-linter sees module-level and function-level imports alike; this double-checks by reading
    # every file, so a lazy import inside a function cannot slip through either
    forbidden = {"PySide6", "pyvista", "pyvistaqt", "vtk", "vtkmodules", "viewer", "desktop"}
    offenders = sorted((f, m) for f, m in _imported_modules("layers") if m in forbidden)
    assert offenders == []


def test_viewer_never_imports_qt():
    forbidden = {"PySide6", "pyvistaqt", "desktop"}
    offenders = sorted((f, m) for f, m in _imported_modules("viewer") if m in forbidden)
    assert offenders == []


# -- no import cycles inside a package ------------------------------------------------------------
PACKAGES = ("layers", "viewer", "desktop")


def _module_names() -> dict[str, Path]:
    names = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            parts = list(path.relative_to(REPO).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            names[".".join(parts)] = path
    return names


def _import_graph() -> dict[str, set[str]]:
    """module → the modules of ours it imports anywhere (top level, in functions, for type checking)."""
    modules = _module_names()

    def ours(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else []))
                targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                found = ours(target)
                # a module importing its own package's __init__ (its parent) is not a cycle of files
                if found and found != name and not name.startswith(found + "."):
                    graph[name].add(found)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_inside_a_package():
    cycles = [sorted(c) for c in _cycles(_import_graph())]
    assert cycles == [], "import cycles (function-level and TYPE_CHECKING imports count)"


# -- typed contracts: no probing of layers, no style read by a string key --------------------------
def _code(package: str) -> list[tuple[str, int, str]]:
    """(file, line number, code) of every line of ``package`` outside comments and docstrings."""
    import io
    import tokenize

    found = []
    for path in sorted((REPO / package).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        skip: set[int] = set()
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT or (
                token.type == tokenize.STRING and token.string.lstrip("rbuRBU").startswith(('"""', "'''"))
            ):
                skip.update(range(token.start[0], token.end[0] + 1))
        for number, line in enumerate(text.splitlines(), 1):
            if number not in skip:
                found.append((str(path.relative_to(REPO)), number, line.split("#")[0]))
    return found


def test_viewer_and_desktop_never_probe_layers():
    """Visuals and controls are typed against their layer class; generic code asks the protocols
    of layers/core/base.py (isinstance), never getattr/hasattr on a layer."""
    probe = re.compile(r"\b(getattr|hasattr)\(\s*[\w.]*layer\b")
    offenders = [
        f"{f}:{n}: {line.strip()}"
        for p in ("viewer", "desktop")
        for f, n, line in _code(p)
        if probe.search(line)
    ]
    assert offenders == []


def test_styles_are_read_through_their_classes():
    """A kind's display options are the fields of its style class (layer.style.cmap), never a string
    key read or written elsewhere."""
    by_key = re.compile(r"\.style\[|\.style\.get\(|\bset_style\(|\.style\.update\(")
    offenders = [
        f"{f}:{n}: {line.strip()}"
        for p in ("layers", "viewer", "desktop")
        for f, n, line in _code(p)
        if by_key.search(line)
    ]
    assert offenders == []

"""The one-direction rule (desktop → viewer → layers), checked with import-linter's contracts."""

from __future__ import annotations

import ast
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

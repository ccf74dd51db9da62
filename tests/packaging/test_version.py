"""The version has one source, pyproject.toml: the package, ``maquette --version`` and the About box."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import layers
from desktop.cli import main

ROOT = Path(__file__).resolve().parents[2]


def pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_package_version_is_pyproject_version():
    assert layers.__version__ == pyproject_version()


def test_cli_prints_the_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert capsys.readouterr().out.strip() == f"maquette {pyproject_version()}"


def test_installed_metadata_is_the_fallback(tmp_path):
    """Outside a source checkout (pyproject.toml absent) the version comes from package metadata."""
    code = (
        "import importlib.metadata as m, pathlib, sys;"
        "sys.path.insert(0, sys.argv[1]);"
        "import layers;"
        "print(layers.__version__)"
    )
    # a copy of layers/__init__.py with no pyproject.toml beside its parent
    package = tmp_path / "layers"
    package.mkdir()
    (package / "__init__.py").write_text(
        (ROOT / "layers" / "__init__.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    from importlib.metadata import PackageNotFoundError, version

    try:
        expected = version("maquette")
    except PackageNotFoundError:
        expected = "0+unknown"
    assert out.stdout.strip() == expected

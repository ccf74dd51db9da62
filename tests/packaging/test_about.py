"""The About box shows the version and the licences of the bundled components."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from desktop.about import AboutDialog, app_icon
from desktop.licenses import markdown, native_components, python_components
from layers import __version__

ROOT = Path(__file__).resolve().parents[2]


def runtime_names() -> set[str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return {re.split(r"[<>=!~;\[ ]", d, maxsplit=1)[0].strip().lower().replace("_", "-") for d in deps}


def test_every_runtime_dependency_is_listed_with_a_licence():
    listed = {c.name.lower().replace("_", "-"): c for c in python_components()}
    missing = runtime_names() - set(listed)
    assert not missing, f"not in the licence table: {missing}"
    for component in listed.values():
        assert component.version and component.licence, component


def test_native_libraries_are_listed():
    names = " ".join(c.name for c in native_components())
    for part in ("Python", "Qt", "VTK", "GDAL", "PROJ", "GEOS", "FFmpeg", "x264", "OpenBLAS"):
        assert part in names
    ffmpeg = next(c for c in native_components() if c.name.startswith("FFmpeg"))
    assert ffmpeg.licence.startswith("GPL"), "PyAV's FFmpeg is built with x264/x265: the GPL applies"


def test_markdown_table(tmp_path):
    text = markdown("9.9.9")
    assert "Maquette 9.9.9" in text
    assert "| VTK (in vtk) |" in text and "LGPL-3.0" in text
    rows = [
        line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| Component")
    ]
    assert len(rows) > 40


def test_about_dialog_shows_version_and_licences(qtbot):
    dialog = AboutDialog(language="fr")
    qtbot.addWidget(dialog)
    assert f"Maquette {__version__}" in dialog.heading.text()
    assert "VTK" in dialog.heading.text()  # the runtime line
    table = dialog.licences.toPlainText()
    for name in ("PySide6", "vtk", "pyvista", "GDAL", "PROJ", "shapely", "pyproj"):
        assert name in table
    assert dialog.windowTitle() == "À propos de Maquette"


def test_app_icon_has_every_size(qtbot):
    icon = app_icon()
    assert not icon.isNull()
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 32, 48, 256, 512} <= sizes

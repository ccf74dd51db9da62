"""The components Maquette carries and their licences, for the About box and the installers.

Python distributions come from their installed metadata (the closure of Maquette's runtime
requirements, no extras); the native libraries inside the wheels (Qt, VTK, GDAL, PROJ, GEOS) and
Python itself are added with the versions the running interpreter reports.
``packaging/third_party_licenses.py`` writes the same table to ``THIRD_PARTY_LICENSES.md``, which
the frozen application carries (:data:`BUNDLED_NAME`) and the About box shows. No Qt here.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: the file name of the table inside a frozen application (``sys._MEIPASS``)
BUNDLED_NAME = "THIRD_PARTY_LICENSES.md"


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    url: str = ""


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _licence(metadata) -> str:
    """A short licence name from a distribution's metadata (SPDX expression when declared)."""
    expression = (metadata.get("License-Expression") or "").strip()
    if expression:
        return expression
    text = (metadata.get("License") or "").strip()
    if text and "\n" not in text and len(text) <= 60 and text.upper() != "UNKNOWN":
        return text
    classifiers = []
    for classifier in metadata.get_all("Classifier") or []:
        if classifier.startswith("License ::"):
            short = classifier.split(" :: ")[-1]
            if short not in classifiers and short != "OSI Approved":
                classifiers.append(short)
    if classifiers:
        return " / ".join(classifiers)
    if text and text.upper() != "UNKNOWN":
        first = text.splitlines()[0].strip()
        return first[:60] + ("…" if len(first) > 60 else "")
    return "see the distribution's licence file"


def _url(metadata) -> str:
    home = (metadata.get("Home-page") or "").strip()
    if home:
        return home
    urls = metadata.get_all("Project-URL") or []
    for label in ("homepage", "home", "source", "repository", "documentation"):
        for entry in urls:
            key, _, value = entry.partition(",")
            if key.strip().lower() == label:
                return value.strip()
    return urls[0].partition(",")[2].strip() if urls else ""


def runtime_requirements() -> list[str]:
    """Maquette's run-time requirements: ``pyproject.toml`` in a source checkout, else its metadata."""
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == "maquette":
            return list(project.get("dependencies", []))
    from importlib.metadata import PackageNotFoundError, requires

    try:
        return list(requires("maquette") or [])
    except PackageNotFoundError:
        return []


def python_components(requirements: list[str] | None = None) -> list[Component]:
    """The installed distributions ``requirements`` (default: Maquette's) need, recursively, no extras."""
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.requirements import Requirement

    def wanted(line: str) -> str | None:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            return requirement.name
        return None

    seen: dict[str, Component] = {}
    todo = [
        name for name in map(wanted, runtime_requirements() if requirements is None else requirements) if name
    ]
    while todo:
        name = todo.pop()
        key = _normalise(name)
        if key in seen:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        meta = dist.metadata
        seen[key] = Component(meta["Name"], dist.version, _licence(meta), _url(meta))
        todo += [name for name in map(wanted, dist.requires or []) if name]
    return sorted(seen.values(), key=lambda c: c.name.lower())


def native_components() -> list[Component]:
    """Python and the native libraries inside the wheels, with the versions loaded here."""
    found = [Component("Python", sys.version.split()[0], "PSF-2.0", "https://www.python.org")]

    def add(name: str, licence: str, url: str, version: Callable[[], object]) -> None:
        try:
            found.append(Component(name, str(version()), licence, url))
        except Exception:  # noqa: BLE001 - a component that is absent is simply not listed
            pass

    def qt() -> str:
        from PySide6.QtCore import qVersion

        return qVersion()

    def vtk() -> str:
        from vtkmodules.vtkCommonCore import vtkVersion

        return vtkVersion.GetVTKVersion()

    def gdal_pyogrio() -> str:
        import pyogrio

        return pyogrio.__gdal_version_string__

    def gdal_rasterio() -> str:
        import rasterio

        return rasterio.__gdal_version__

    def proj() -> str:
        import pyproj

        return pyproj.proj_version_str

    def geos() -> str:
        import shapely

        return shapely.geos_version_string

    add("Qt (in PySide6)", "LGPL-3.0-only", "https://www.qt.io", qt)
    add("VTK (in vtk)", "BSD-3-Clause", "https://vtk.org", vtk)
    add("GDAL (in pyogrio)", "MIT", "https://gdal.org", gdal_pyogrio)
    add("GDAL (in rasterio)", "MIT", "https://gdal.org", gdal_rasterio)
    add("PROJ (in pyproj)", "MIT", "https://proj.org", proj)
    add("GEOS (in shapely)", "LGPL-2.1-only", "https://libgeos.org", geos)

    def ffmpeg() -> str:
        import av

        return getattr(av, "ffmpeg_version_info", None) or ".".join(
            map(str, av.library_versions["libavcodec"])
        )

    def blas() -> str:
        import numpy

        return numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]["version"]

    def icu() -> str:
        from PySide6.QtCore import QLibraryInfo

        libraries = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath))
        found_icu = sorted(libraries.glob("libicuuc.so.*")) + sorted(libraries.glob("icuuc*.dll"))
        if not found_icu:
            raise LookupError("no ICU beside Qt")
        return re.sub(r"\D*(\d+).*", r"\1", found_icu[0].name.split(".so.")[-1])

    # PyAV's wheels carry an FFmpeg built with x264 and x265: GPL-2.0-or-later as a whole
    add("FFmpeg (in PyAV)", "GPL-2.0-or-later (built with x264, x265)", "https://ffmpeg.org", ffmpeg)
    add(
        "x264 (in PyAV)",
        "GPL-2.0-or-later",
        "https://www.videolan.org/developers/x264.html",
        lambda: "in FFmpeg " + ffmpeg(),
    )
    add("x265 (in PyAV)", "GPL-2.0-or-later", "https://www.x265.org", lambda: "in FFmpeg " + ffmpeg())
    add("OpenBLAS (in numpy, scipy)", "BSD-3-Clause", "https://www.openblas.net", blas)

    def gfortran() -> str:
        import numpy

        libs = Path(numpy.__file__).resolve().parent.parent / "numpy.libs"
        found_lib = sorted(libs.glob("libgfortran*.so.*"))
        if not found_lib:
            raise LookupError("no libgfortran in numpy's wheel")
        return "soname " + found_lib[0].name.split(".so.")[-1]

    add(
        "libgfortran (in numpy, scipy)",
        "GPL-3.0-or-later WITH GCC-exception-3.1",
        "https://gcc.gnu.org",
        gfortran,
    )
    add("ICU (in PySide6)", "Unicode-3.0", "https://icu.unicode.org", icu)

    def cesium() -> str:
        import json

        from layers.web.cesium_build import find_cesium_build

        build = find_cesium_build()  # its package.json: beside the copy, or the npm package's root
        for manifest in (build / "package.json", build.parent.parent / "package.json"):
            if manifest.is_file():
                return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
        raise LookupError("no package.json beside CesiumJS")

    # copied into the offline pages of 3D Tiles exports (maquette export --3dtiles --viewer)
    add("CesiumJS (offline web pages)", "Apache-2.0", "https://cesium.com/platform/cesiumjs/", cesium)
    return found


def markdown(version: str) -> str:
    """The table of components as Markdown (what ``THIRD_PARTY_LICENSES.md`` holds)."""

    def rows(components: list[Component]) -> list[str]:
        return [f"| {c.name} | {c.version} | {c.licence} | {c.url} |" for c in components]

    header = ["| Component | Version | Licence | Project |", "|---|---|---|---|"]
    lines = [
        "# Third-party components",
        "",
        f"Maquette {version} (MIT licence) carries the following components. Their full licence texts",
        "are installed with the application, in each distribution's `*.dist-info` folder.",
        "",
        "## Runtimes and native libraries",
        "",
        *header,
        *rows(native_components()),
        "",
        "## Python distributions",
        "",
        *header,
        *rows(python_components()),
        "",
        "Qt is used under the LGPL-3.0 through PySide6's shared libraries, which can be replaced.",
        "FFmpeg, x264 and x265 come inside PyAV's wheel and are under the GPL-2.0-or-later: their source",
        "code is published by their projects, and an installer that carries them must come with the",
        "GPL's licence text and source offer (packaging/README.md).",
        "",
    ]
    return "\n".join(lines)


def licences_text() -> str:
    """The table the About box shows: the bundled file when frozen, else computed here."""
    bundled = Path(getattr(sys, "_MEIPASS", "")) / BUNDLED_NAME
    if getattr(sys, "frozen", False) and bundled.is_file():
        return bundled.read_text(encoding="utf-8")
    from layers import __version__

    return markdown(__version__)

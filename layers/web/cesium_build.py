"""Where the CesiumJS build is, and the copy of its minimum beside an exported page.

CesiumJS (Apache-2.0) comes from npm: ``packaging/bootstrap.sh`` installs it into
``packaging/node/node_modules/cesium`` from the committed lock. An installed application carries a
copy of ``Build/Cesium`` under its assets (``<assets>/cesium``: the frozen bundle's ``_MEIPASS`` or
``<prefix>/share/maquette``); ``$MAQUETTE_CESIUM_DIR`` names another one. Nothing is ever fetched at
run time.

Only what a page showing a 3D Tiles folder on a plain globe uses is copied (:data:`PARTS`, 9.4 MB of
the 22 MB build): the library, the widgets' style sheet, the web workers and the Draco decoder
(compressed glTF, geometry built off the page's thread), the approximate terrain heights, the
Earth orientation tables (the sun's direction, hence the buildings' shading) and the credit logo;
not the sky box, the Natural Earth imagery, the other widgets' images nor the ES-module copies.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from layers.core.errors import InputError

#: the files and folders of ``Build/Cesium`` an offline page uses (relative paths)
PARTS: tuple[str, ...] = (
    "Cesium.js",
    "Widgets/widgets.css",
    "Workers",
    "ThirdParty/draco_decoder.wasm",
    "Assets/approximateTerrainHeights.json",
    "Assets/Images/ion-credit.png",
    "Assets/IAU2006_XYS",
)
#: the license shipped with the copy (Apache-2.0 asks for it)
LICENSE = "LICENSE.md"
#: where the build lies inside the npm package
BUILD_IN_PACKAGE = Path("cesium") / "Build" / "Cesium"
INSTALL_HINT = (
    "install the web tools: packaging/bootstrap.sh test (npm ci in packaging/node), "
    "or set MAQUETTE_CESIUM_DIR to a CesiumJS Build/Cesium folder"
)


def candidates(extra: Sequence[Path] = ()) -> list[Path]:
    """The folders searched for the build, in order: ``$MAQUETTE_CESIUM_DIR``, ``extra``, the
    frozen application's and the installed package's assets, then the source tree's node_modules."""
    found: list[Path] = []
    override = os.environ.get("MAQUETTE_CESIUM_DIR")
    if override:
        found.append(Path(override))
    found += [Path(p) for p in extra]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        found.append(Path(frozen) / "cesium")
    found.append(Path(sys.prefix) / "share" / "maquette" / "cesium")
    source_tree = Path(__file__).resolve().parents[2]  # layers/web/cesium_build.py → the checkout
    found.append(source_tree / "packaging" / "node" / "node_modules" / BUILD_IN_PACKAGE)
    return found


def is_build(folder: Path) -> bool:
    """Whether ``folder`` holds every part of a CesiumJS build an offline page needs."""
    return all((folder / part).exists() for part in PARTS)


def find_cesium_build(extra: Sequence[Path] = ()) -> Path:
    """The first folder of :func:`candidates` that is a CesiumJS build (``Build/Cesium``);
    :class:`InputError` naming what to install when there is none."""
    searched = candidates(extra)
    for folder in searched:
        if is_build(folder):
            return folder
    raise InputError(None, "the CesiumJS build was not found", hint=INSTALL_HINT)


def license_of(build: Path) -> Path | None:
    """CesiumJS's LICENSE.md: beside the build (an installed copy) or at the npm package's root."""
    for path in (build / LICENSE, build.parent.parent / LICENSE):
        if path.is_file():
            return path
    return None


def copy_parts(build: Path, destination: Path) -> int:
    """Copy :data:`PARTS` (and the license) of ``build`` into ``destination`` (a new, empty or
    missing folder); the number of bytes copied."""
    destination.mkdir(parents=True, exist_ok=True)
    total = 0
    for part in PARTS:
        source = build / part
        target = destination / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
            total += sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
        else:
            shutil.copyfile(source, target)
            total += target.stat().st_size
    license_file = license_of(build)
    if license_file is not None:
        shutil.copyfile(license_file, destination / LICENSE)
        total += (destination / LICENSE).stat().st_size
    return total

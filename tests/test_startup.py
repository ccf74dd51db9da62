"""The command line's start-up stays cheap: what each command imports (checked in fresh processes).

``maquette COMMAND --help`` must not import any heavy library, and a command must not import the
heavy libraries it does not use (the figures are in bench/startup.md). Each check runs in its own
``python`` process and reads ``sys.modules`` at the end, so a top-level import added anywhere on the
path (a module of ``layers/``, ``viewer/`` or ``desktop/cli/``) shows up here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import COMMANDS

REPO = Path(__file__).resolve().parents[1]
HEAVY = (
    "PySide6",
    "pyvista",
    "pyvistaqt",
    "vtkmodules",
    "matplotlib",
    "pvlib",
    "scipy",
    "pandas",
    "geopandas",
    "shapely",
    "pyproj",
    "rasterio",
    "numpy",
    "av",
)


def imported_after(code: str) -> list[str]:
    """The heavy top-level packages loaded once ``code`` has run in a fresh interpreter."""
    probe = (
        "import json, sys\n"
        f"{code}\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=300, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_help_of_every_command_imports_nothing_heavy():
    code = (
        "import contextlib, io\n"
        "from desktop.cli import COMMANDS, main\n"
        "for name in [None, *COMMANDS]:\n"
        "    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "        main(['--help'] if name is None else [name, '--help'])\n"
    )
    assert imported_after(code) == []


def test_the_table_holds_every_command_of_the_design():
    assert list(COMMANDS) == [
        "render",
        "video",
        "export",
        "info",
        "shade",
        "sunlight",
        "new",
        "prepare",
        "publish",
    ]
    for name, command in COMMANDS.items():
        assert command.name == name and command.parser().prog == f"maquette {name}"


@pytest.fixture(scope="module")
def small_buildings(tmp_path_factory) -> Path:
    import geopandas as gpd
    from shapely.geometry import box

    path = tmp_path_factory.mktemp("startup") / "buildings.gpkg"
    x0, y0 = 351_500.0, 6_789_000.0
    geometry = [box(x0 + 30 * i, y0, x0 + 30 * i + 20, y0 + 15) for i in range(5)]
    gpd.GeoDataFrame({"hauteur": [9.0, 12.0, 15.0, 6.0, 21.0]}, geometry=geometry, crs="EPSG:2154").to_file(
        path
    )
    return path


def test_info_and_export_list_do_not_load_the_renderer(small_buildings):
    for argv in (["info", str(small_buildings)], ["export", str(small_buildings), "--list"]):
        loaded = imported_after(f"from desktop.cli import main\nassert main({argv!r}) == 0")
        assert not set(loaded) & {"PySide6", "pyvista", "vtkmodules", "matplotlib", "pvlib", "scipy"}, argv


def test_shade_uses_the_sun_algorithm_without_all_of_pvlib(small_buildings, tmp_path):
    argv = ["shade", str(small_buildings), "--at", "2025-06-21T10:00", "-o", str(tmp_path / "s.gpkg")]
    loaded = imported_after(f"from desktop.cli import main\nassert main({argv!r}) == 0")
    assert not set(loaded) & {"PySide6", "pyvista", "vtkmodules", "matplotlib", "pvlib"}


def test_render_loads_no_qt_and_no_sun_library(small_buildings, tmp_path):
    argv = ["render", str(small_buildings), "-o", str(tmp_path / "r.png"), "--size", "320x240"]
    loaded = imported_after(f"from desktop.cli import main\nassert main({argv!r}) == 0")
    assert "pyvista" in loaded and "vtkmodules" in loaded
    assert not set(loaded) & {"PySide6", "pyvistaqt", "pvlib", "scipy"}

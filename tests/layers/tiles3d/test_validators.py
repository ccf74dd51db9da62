"""3D Tiles export read by real clients' tools: every tile through Khronos' glTF-Validator, the
tileset through CesiumGS' 3d-tiles-tools (upgrade to 1.1, and a round trip through a .3tz package).

The tools come from packaging/node (``packaging/bootstrap.sh test`` installs them); from a git
worktree without its own copy, the main checkout's is used.
"""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from layers.buildings.layer import BuildingsLayer
from layers.tiles3d.scene import layer_buildings
from layers.tiles3d.writer import write_tileset

from .test_tileset import district

REPO = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent


def node_modules() -> Path:
    """packaging/node/node_modules with the tools, or a skip saying what is missing."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed (packaging/bootstrap.sh test installs it)")
    for candidate in (REPO / "packaging/node/node_modules", Path("/work/main/packaging/node/node_modules")):
        if (candidate / "gltf-validator").is_dir() and (candidate / ".bin/3d-tiles-tools").exists():
            return candidate
    pytest.skip("gltf-validator / 3d-tiles-tools not installed (packaging/bootstrap.sh test)")


def validate_glbs(files: list[Path]) -> list[dict]:
    """glTF-Validator's report of each file: errors, warnings, infos, the first messages."""
    reports = []
    for start in range(0, len(files), 200):
        done = subprocess.run(
            ["node", str(HERE / "validate_glb.cjs"), str(node_modules())]
            + [str(f) for f in files[start : start + 200]],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        reports.extend(json.loads(line) for line in done.stdout.splitlines())
    assert len(reports) == len(files)
    return reports


def tiles_tools(*args: str) -> None:
    """Run 3d-tiles-tools; it must succeed without logging a warning or an error."""
    done = subprocess.run(
        [str(node_modules() / ".bin/3d-tiles-tools"), "--logJson", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for line in (done.stdout + done.stderr).splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            assert record.get("level", 0) < 40, line  # pino: 40 warn, 50 error, 60 fatal
        else:  # some commands log in pretty form whatever --logJson says
            assert not any(f" {level} " in line for level in ("WARN", "ERROR", "FATAL")), line


def check_with_clients(folder: Path, tmp_path: Path) -> dict[str, int]:
    """Every tile validated, the tileset upgraded and packaged; the validators' counts."""
    glbs = sorted((folder / "tiles").glob("*.glb"))
    reports = validate_glbs(glbs)
    for report in reports:
        assert report["errors"] == 0, report
        assert report["warnings"] == 0, report
    tiles_tools("upgrade", "-i", str(folder), "-o", str(tmp_path / "upgraded"), "--targetVersion", "1.1")
    upgraded = json.loads((tmp_path / "upgraded/tileset.json").read_text())
    assert upgraded["asset"]["version"] == "1.1"
    tiles_tools("convert", "-i", str(folder / "tileset.json"), "-o", str(tmp_path / "city.3tz"))
    tiles_tools("convert", "-i", str(tmp_path / "city.3tz"), "-o", str(tmp_path / "unpacked"))
    compared = filecmp.dircmp(folder, tmp_path / "unpacked")
    assert not compared.left_only and not compared.right_only and not compared.diff_files
    assert not filecmp.cmpfiles(folder / "tiles", tmp_path / "unpacked/tiles", [g.name for g in glbs])[1]
    tiles_tools("analyze", "-i", str(glbs[0]), "-o", str(tmp_path / "analyzed"))
    analyzed = json.loads(next((tmp_path / "analyzed").glob("*.json")).read_text())
    assert set(analyzed["extensionsUsed"]) == {"EXT_mesh_features", "EXT_structural_metadata"}
    return {
        "tiles": len(glbs),
        "errors": sum(r["errors"] for r in reports),
        "warnings": sum(r["warnings"] for r in reports),
        "infos": sum(r["infos"] for r in reports),
    }


def test_synthetic_district_passes_the_validators(tmp_path):
    folder = tmp_path / "district"
    write_tileset(district(), folder, max_per_tile=40)
    counts = check_with_clients(folder, tmp_path)
    assert counts["tiles"] > 5 and counts["errors"] == 0


def test_sample_city_passes_the_validators(tmp_path, sample_city):
    layer = BuildingsLayer.load(sample_city / "buildings.gpkg")
    frame, colours = layer_buildings(layer)
    folder = tmp_path / "sample"
    stats = write_tileset(frame, folder, colors=colours, max_per_tile=500)
    assert stats["buildings"] == len(layer.frame)
    check_with_clients(folder, tmp_path)


def test_bdtopo_extract_passes_the_validators(tmp_path, shared_data):
    path = shared_data / "buildings/lyon1_bdtopo/buildings_lyon1.geojson"
    if not path.is_file():
        pytest.skip(f"not found: {path}")
    layer = BuildingsLayer.load(path)
    if not layer.crs.is_projected:
        from pyproj import CRS

        layer.reproject(CRS.from_epsg(2154))
    frame, colours = layer_buildings(layer)
    assert frame["id"].str.startswith("BATIMENT").all()  # BD TOPO's identifiers
    assert (frame["usage"] != "").mean() > 0.9  # USAGE1
    folder = tmp_path / "lyon1"
    stats = write_tileset(frame, folder, colors=colours, max_per_tile=500)
    assert stats["buildings"] == len(layer.frame)
    check_with_clients(folder, tmp_path)

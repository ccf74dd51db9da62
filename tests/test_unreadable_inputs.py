"""Inputs that cannot be read — a folder given as a file, a named pipe, a device (``/dev/zero``), an
empty file, a file cut short of each format, a file without read permission — as the input of
every command: one line naming the file, exit 2, never a hang, a traceback or "internal error".
In a project, a layer whose file cannot be read is handled like a missing one: the project opens,
the layer is reported (``layer skipped``) and stays in the project; the app offers to locate it."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from layers.core.errors import DataUnreadable, InputError
from layers.core.reading import open_layer
from layers.session.opening import open_paths

X0, Y0 = 351_500.0, 6_789_000.0


def run(argv: list[str]) -> tuple[int, list[str]]:
    from desktop.cli import main

    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, stderr.getvalue().splitlines()


@pytest.fixture(scope="module")
def good(tiny_city, tmp_path_factory) -> dict[str, Path]:
    """A good file of each format (buildings as GeoJSON, GeoPackage, Shapefile, FlatGeobuf, CSV;
    a GeoTIFF; a CityJSON)."""
    import geopandas as gpd
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    folder = tmp_path_factory.mktemp("good")
    frame = gpd.read_file(tiny_city / "buildings.geojson").head(12)
    files = {"geojson": folder / "b.geojson", "gpkg": folder / "b.gpkg", "shp": folder / "b.shp"}
    files["fgb"] = folder / "b.fgb"
    for path in files.values():
        frame.to_file(path)
    csv = folder / "b.csv"
    frame.assign(wkt=frame.geometry.to_wkt()).drop(columns="geometry").to_csv(csv, index=False)
    files["csv"] = csv
    tif = folder / "lden.tif"
    profile = {
        "driver": "GTiff",
        "width": 16,
        "height": 16,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:2154",
    }
    with rasterio.open(tif, "w", transform=from_origin(X0, Y0 + 160, 10, 10), **profile) as ds:
        ds.write(np.linspace(40, 80, 256, dtype=np.float32).reshape(1, 16, 16))
    files["tif"] = tif
    cityjson = folder / "b.city.json"
    cityjson.write_text(
        json.dumps(
            {
                "type": "CityJSON",
                "version": "1.1",
                "transform": {"scale": [0.01, 0.01, 0.01], "translate": [X0, Y0, 0]},
                "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/2154"},
                "vertices": [[0, 0, 0], [1000, 0, 0], [1000, 1000, 0], [0, 1000, 0]],
                "CityObjects": {
                    "B1": {
                        "type": "Building",
                        "geometry": [{"type": "MultiSurface", "lod": "1", "boundaries": [[[0, 1, 2, 3]]]}],
                    }
                },
            }
        )
    )
    files["cityjson"] = cityjson
    return files


def unreadable(good: dict[str, Path], folder: Path) -> dict[str, Path]:
    """Each way of being unreadable, as a file with a data suffix."""
    cases: dict[str, Path] = {}
    for kind, path in good.items():
        cut = folder / f"coupe_{path.name}"
        data = path.read_bytes()
        cut.write_bytes(data[: max(1, len(data) // 3)])
        if kind == "shp":
            for part in (".shx", ".dbf", ".prj"):
                shutil.copy(path.with_suffix(part), cut.with_suffix(part))
        cases[f"cut short {kind}"] = cut
    (folder / "vide.geojson").write_bytes(b"")
    cases["empty"] = folder / "vide.geojson"
    (folder / "dossier.geojson").mkdir()
    cases["folder"] = folder / "dossier.geojson"
    os.mkfifo(folder / "tube.geojson")
    cases["named pipe"] = folder / "tube.geojson"
    (folder / "zero.tif").symlink_to("/dev/zero")
    cases["device"] = folder / "zero.tif"
    return cases


def commands(path: Path, out: Path) -> list[list[str]]:
    p = str(path)
    return [
        ["info", p],
        ["render", p, "--size", "64x48", "-o", str(out / "v.png")],
        ["video", p, "--size", "64x48", "--duration", "1", "--fps", "2", "-o", str(out / "v.gif")],
        ["export", p, "-o", str(out / "m.glb")],
        ["shade", p, "--at", "2025-06-21T12:00", "-o", str(out / "o.gpkg")],
        ["sunlight", p, "--date", "2025-06-21", "-o", str(out / "h.tif")],
    ]


def test_every_command_answers_an_unreadable_input_in_one_line(good, tmp_path):
    out = tmp_path / "sorties"
    out.mkdir()
    failures = []
    for name, path in unreadable(good, tmp_path).items():
        with pytest.raises(InputError) as caught:
            open_layer(path)
        assert str(caught.value).startswith(f"{path}: "), (name, str(caught.value))
        for argv in commands(path, out):
            code, lines = run(argv)
            ok = code == 2 and len(lines) == 1 and lines[0].startswith(f"maquette: error: {path}: ")
            if not ok:
                failures.append((name, argv[0], code, lines))
        assert not list(out.iterdir()), name  # nothing written
    assert not failures, failures


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without permission")
def test_a_file_without_read_permission_is_one_line(good, tmp_path):
    path = tmp_path / "secret.geojson"
    shutil.copy(good["geojson"], path)
    path.chmod(0)
    try:
        code, lines = run(["info", str(path)])
    finally:
        path.chmod(0o644)
    assert code == 2 and len(lines) == 1 and lines[0].startswith(f"maquette: error: {path}: "), lines


@pytest.mark.parametrize("how", ["cut short", "empty", "folder", "named pipe", "device"])
def test_a_project_layer_that_cannot_be_read_is_handled_like_a_missing_one(good, tmp_path, how):
    shutil.copy(good["geojson"], tmp_path / "batiments.geojson")
    bad = tmp_path / "rues.geojson"
    if how == "cut short":
        bad.write_bytes(good["geojson"].read_bytes()[:200])
    elif how == "empty":
        bad.write_bytes(b"")
    elif how == "folder":
        bad.mkdir()
    elif how == "named pipe":
        os.mkfifo(bad)
    else:
        bad.symlink_to("/dev/zero")
    project = tmp_path / "etude.maquette.json"
    project.write_text(
        json.dumps(
            {
                "version": 1,
                "layers": [
                    {"id": "bati", "kind": "buildings", "name": "Bâtiments", "source": "batiments.geojson"},
                    {"id": "rues", "kind": "vector", "name": "Rues", "source": "rues.geojson"},
                ],
            }
        )
    )
    session = open_paths([project])
    assert [layer.name for layer in session.scene.layers] == ["Bâtiments"]
    assert [spec["id"] for spec in session.report.missing] == ["rues"]
    (error,) = session.report.errors
    assert isinstance(error, DataUnreadable)
    assert error.one_line().startswith(f"{bad}: data of layer 'Rues' cannot be read: ")
    assert "locate a good copy or remove the layer" in error.one_line()
    assert session.report.unreadable["rues"] == error.message
    code, lines = run(["render", str(project), "--size", "64x48", "-o", str(tmp_path / "v.png")])
    assert code == 0 and lines[-1] == f"maquette: warning: layer skipped: {error.one_line()}", lines
    assert all(line.startswith("maquette: warning: ") for line in lines), lines  # /dev/zero: outside too

"""Rasters with a damaged or odd geotransform (zero, negative or non-finite pixel size, rotation,
a position no place on Earth) or odd data types (complex, int8, int64, uint64, 1-bit, one pixel, a
huge declared size, every pixel NaN), generated with rasterio: each is read right (flipped and
rotated grids placed where they are) or refused with one line naming the file, through the API
and ``maquette info`` / ``render`` — never a traceback, a library warning on stderr or a wrong
success. (float16 is not listed: rasterio cannot write it, and GDAL reads it as float32.)"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.transform import Affine, from_origin

from layers.core.errors import InputError
from layers.core.reading import open_layer

X, Y = 351_500.0, 6_789_400.0
BASE = np.linspace(40, 80, 64, dtype=np.float32).reshape(8, 8)


def write(path: Path, data: np.ndarray, transform: Affine, **profile: object) -> Path:
    data = data[None] if data.ndim == 2 else data
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=data.shape[2],
        height=data.shape[1],
        count=data.shape[0],
        dtype=data.dtype,
        crs="EPSG:2154",
        transform=transform,
        **profile,
    ) as ds:
        ds.write(data)
    return path


NORTH_UP = from_origin(X, Y, 10, 10)
#: name: (data, transform, extra profile, what the one line says)
REFUSED = {
    "pixel height zero": (BASE, Affine(10, 0, X, 0, 0, Y), {}, "a pixel size of zero"),
    "NaN in the geotransform": (BASE, Affine(float("nan"), 0, X, 0, -10, Y), {}, "not numbers"),
    "infinite origin": (BASE, Affine(10, 0, float("inf"), 0, -10, Y), {}, "not numbers"),
    "pixels of 1e30 m": (BASE, Affine(1e30, 0, X, 0, -1e30, Y), {}, "no place on Earth"),
    "complex": (BASE.astype(np.complex64), NORTH_UP, {}, "holds complex numbers (complex64)"),
    "every pixel NaN": (np.full((8, 8), np.nan, np.float32), NORTH_UP, {}, "holds no valid pixel"),
}
#: name: (data, transform, extra profile, (x0, y0) of the grid read, its value at the north-west pixel)
READ = {
    "x flipped": (BASE, Affine(-10, 0, X, 0, -10, Y), {}, (X - 80, Y), BASE[0, -1]),
    "south up": (BASE, Affine(10, 0, X, 0, 10, Y), {}, (X, Y + 80), BASE[-1, 0]),
    "int8": ((BASE - 60).astype(np.int8), NORTH_UP, {}, (X, Y), -20),
    "int64": ((BASE * 1e9).astype(np.int64), NORTH_UP, {}, (X, Y), 40e9),
    "uint64": ((BASE * 1e9).astype(np.uint64), NORTH_UP, {}, (X, Y), 40e9),
    "one pixel": (BASE[:1, :1], NORTH_UP, {}, (X, Y), 40.0),
    "infinite values": (np.where(BASE > 60, np.inf, BASE).astype(np.float32), NORTH_UP, {}, (X, Y), 40.0),
}


def run(argv: list[str]) -> tuple[int, list[str]]:
    from desktop.cli import main

    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, stderr.getvalue().splitlines()


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_raster_placed_nowhere_or_unreadable_is_refused_in_one_line(tmp_path, name):
    data, transform, profile, said = REFUSED[name]
    path = write(tmp_path / "grille.tif", data, transform, **profile)
    with pytest.raises(InputError) as caught:
        open_layer(path)
    assert str(caught.value).startswith(f"{path}: ") and said in str(caught.value), str(caught.value)
    for argv in (
        ["info", str(path)],
        ["render", str(path), "--size", "64x48", "-o", str(tmp_path / "v.png")],
    ):
        code, lines = run(argv)
        assert code == 2 and len(lines) == 1, (argv[0], lines)
        assert lines[0].startswith(f"maquette: error: {path}: ") and said in lines[0], lines


@pytest.mark.parametrize("name", sorted(READ))
def test_an_odd_raster_is_read_where_it_is(tmp_path, name):
    data, transform, profile, corner, north_west = READ[name]
    path = write(tmp_path / "grille.tif", data, transform, **profile)
    grid = open_layer(path, "raster").grid
    assert (grid.x0, grid.y0) == pytest.approx(corner)
    assert grid.values[0, 0] == pytest.approx(float(north_west), rel=1e-6)
    for argv in (
        ["info", str(path)],
        ["render", str(path), "--size", "64x48", "-o", str(tmp_path / "v.png")],
    ):
        code, lines = run(argv)
        assert code == 0 and not lines, (argv[0], lines)


def test_a_rotated_raster_is_warped_north_up_over_its_footprint(tmp_path):
    side = 10 / np.sqrt(2)
    path = write(tmp_path / "tourne.tif", BASE, Affine(side, side, X, side, -side, Y))
    grid = open_layer(path, "raster").grid
    assert grid.dx == pytest.approx(10, rel=0.01) and grid.values.shape[0] > 8  # the diamond's box
    assert np.nanmin(grid.values) >= 40 - 1e-3 and np.nanmax(grid.values) <= 80 + 1e-3
    code, lines = run(["render", str(path), "--size", "64x48", "-o", str(tmp_path / "v.png")])
    assert code == 0 and not lines, lines


def test_a_one_bit_raster_and_a_huge_declared_one_open_with_a_note(tmp_path):
    bits = write(tmp_path / "bits.tif", (BASE > 60).astype(np.uint8), NORTH_UP, nbits=1)
    open_layer(bits)
    huge = tmp_path / "immense.tif"
    with rasterio.open(
        huge,
        "w",
        driver="GTiff",
        width=20_000,
        height=20_000,
        count=1,
        dtype="float32",
        crs="EPSG:2154",
        transform=from_origin(X, Y, 1, 1),
        tiled=True,
        sparse_ok=True,
        compress="deflate",
        nodata=0,
    ) as ds:
        ds.write(np.ones((1, 256, 256), np.float32), window=rasterio.windows.Window(0, 0, 256, 256))
    layer = open_layer(huge, "raster")
    assert max(layer.grid.values.shape) <= 4096
    assert any("20000 x 20000 px" in note for note in layer.warnings)
    code, lines = run(["info", str(huge)])
    assert code == 0 and all(line.startswith("maquette: ") for line in lines), lines


def test_a_raster_with_no_band_is_refused(tmp_path):
    path = tmp_path / "vide.vrt"
    path.write_text(
        '<VRTDataset rasterXSize="8" rasterYSize="8"><SRS>EPSG:2154</SRS>'
        f"<GeoTransform>{X}, 10, 0, {Y}, 0, -10</GeoTransform></VRTDataset>"
    )
    with pytest.raises(InputError) as caught:
        open_layer(path, "raster")
    assert str(caught.value).startswith(f"{path}: ")
    code, lines = run(["info", str(path)])
    assert code == 2 and len(lines) == 1 and lines[0].startswith(f"maquette: error: {path}: "), lines

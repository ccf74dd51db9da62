"""Raster overlays: the Grid, reading GeoTIFFs (nodata, images, bad files), warping, describing."""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from affine import Affine
from pyproj import CRS

from layers.core.detect import detect_kind
from layers.core.errors import InputError
from layers.core.scene import Scene
from layers.io.grid import Grid
from layers.io.raster_file import read_header, write_geotiff
from layers.raster.layer import RasterLayer

CC46 = CRS.from_epsg(3946)
L93 = CRS.from_epsg(2154)
X0, Y0 = 1_842_000.0, 5_176_000.0


def write_tif(path, data, *, transform=None, crs="EPSG:3946", nodata=None, tags=None, dtype=None, **extra):
    data = np.asarray(data)
    bands = data if data.ndim == 3 else data[None]
    profile = dict(
        driver="GTiff",
        width=bands.shape[2],
        height=bands.shape[1],
        count=bands.shape[0],
        dtype=dtype or bands.dtype,
        transform=transform or Affine(10, 0, X0, 0, -10, Y0),
        nodata=nodata,
        **extra,
    )
    if crs is not None:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(bands.astype(profile["dtype"]))
        if tags:
            ds.update_tags(**tags)
    return path


# -- Grid --------------------------------------------------------------------------------------
def ramp_grid() -> Grid:
    # value = col + 10 * row at pixel centres; 10 m pixels, non-square in y (5 m)
    rows, cols = 4, 5
    values = np.add.outer(10.0 * np.arange(rows), np.arange(cols))
    return Grid(values=values, x0=100.0, y0=200.0, dx=10.0, dy=5.0, crs=CC46)


def test_grid_geometry():
    grid = ramp_grid()
    assert grid.shape == (4, 5)
    assert grid.bounds() == (100.0, 180.0, 150.0, 200.0)
    xs, ys = grid.cell_centers()
    assert xs.tolist() == [105.0, 115.0, 125.0, 135.0, 145.0]
    assert ys.tolist() == [197.5, 192.5, 187.5, 182.5]
    assert grid.values.dtype == np.float32
    assert grid.transform() @ (0, 0) == (100.0, 200.0)


def test_grid_sampling_nearest_and_bilinear():
    grid = ramp_grid()
    # nearest: the pixel containing the point
    assert grid.sample(112.0, 193.0).tolist() == 11.0
    # bilinear: exact on a linear ramp between pixel centres
    assert grid.sample(120.0, 190.0, method="bilinear") == pytest.approx(11.5 + 5.0)
    assert grid.sample(np.array([105.0, 145.0]), np.array([197.5, 182.5]), "bilinear").tolist() == [0.0, 34.0]
    # outside → NaN (both methods); the outer half pixel is clamped to the edge
    out = grid.sample(np.array([99.0, 151.0, 120.0]), np.array([190.0, 190.0, 201.0]), "bilinear")
    assert np.isnan(out).all()
    assert grid.sample(100.5, 199.5, "bilinear") == pytest.approx(0.0)
    with pytest.raises(ValueError):
        grid.sample(0, 0, method="cubic")


def test_bilinear_leaves_nodata_neighbours_out():
    grid = ramp_grid()
    grid.values[0, 1] = np.nan
    value = grid.sample(110.0, 197.5, "bilinear")  # between pixel (0,0)=0 and the NaN (0,1)
    assert value == pytest.approx(0.0)
    assert np.isnan(grid.sample(115.0, 197.5, "nearest"))


def test_grid_validation_and_images():
    with pytest.raises(ValueError):
        Grid(values=np.zeros((2, 2)), x0=0, y0=0, dx=-1, dy=1)
    with pytest.raises(ValueError):
        Grid(x0=0, y0=0, dx=1, dy=1)
    rgba = np.zeros((2, 2, 4), np.uint8)
    rgba[0, 0] = [255, 0, 0, 255]
    image = Grid(rgba=rgba, x0=0, y0=2, dx=1, dy=1)
    assert image.is_image and image.valid().sum() == 1
    assert image.sample(0.5, 1.5).tolist() == [255.0, 0.0, 0.0, 255.0]
    assert np.isnan(image.sample(5.0, 5.0)).all()
    with pytest.raises(ValueError):
        image.sample(0.5, 1.5, "bilinear")


# -- reading -----------------------------------------------------------------------------------
def test_nodata_becomes_nan_and_unit_comes_from_tags(tmp_path):
    data = np.arange(12, dtype=np.float32).reshape(3, 4)
    data[1, 2] = -9999
    path = write_tif(tmp_path / "pm10.tif", data, nodata=-9999, tags={"UNIT": "µg/m3"})
    layer = RasterLayer.load(path)
    assert layer.kind == "raster" and layer.crs.equals(CC46)
    assert np.isnan(layer.grid.values[1, 2]) and layer.feature_count() == 11
    assert layer.unit == "µg/m3"
    assert layer.bounds() == (X0, Y0 - 30, X0 + 40, Y0)
    info = layer.describe()
    json.dumps(info)
    assert info["nodata"] == -9999 and info["resolution_m"] == [10.0, 10.0] and info["unit"] == "µg/m3"
    assert info["size"] == [4, 3] and info["dtype"] == "float32" and info["bands"] == 1
    assert RasterLayer.load(path, unit="ppb").unit == "ppb"


def test_without_nodata_every_value_is_data(tmp_path):
    data = np.zeros((3, 3), np.int16)
    layer = RasterLayer.load(write_tif(tmp_path / "z.tif", data))
    assert layer.feature_count() == 9 and not np.isnan(layer.grid.values).any()


def test_non_square_pixels_and_scale_offset(tmp_path):
    path = tmp_path / "scaled.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=3,
        height=2,
        count=1,
        dtype="int16",
        crs="EPSG:3946",
        transform=Affine(4.0, 0, X0, 0, -2.5, Y0),
    ) as ds:
        ds.write(np.array([[100, 200, 300], [400, 500, 600]], np.int16), 1)
        ds.scales = (0.1,)
        ds.offsets = (-5.0,)
    layer = RasterLayer.load(path)
    assert (layer.grid.dx, layer.grid.dy) == (4.0, 2.5)
    assert layer.grid.values[0].tolist() == pytest.approx([5.0, 15.0, 25.0])


def test_south_up_and_rotated_files_become_north_up(tmp_path):
    data = np.array([[1, 2], [3, 4]], np.float32)
    south_up = write_tif(tmp_path / "south.tif", data, transform=Affine(10, 0, X0, 0, 10, Y0))
    layer = RasterLayer.load(south_up)
    assert layer.grid.values.tolist() == [[3, 4], [1, 2]]  # the row at the largest y comes first
    assert layer.grid.y0 == Y0 + 20 and layer.grid.dy == 10
    rotated = write_tif(
        tmp_path / "rot.tif",
        np.ones((20, 20), np.float32),
        transform=Affine.translation(X0, Y0) @ Affine.rotation(30) @ Affine.scale(10, -10),
    )
    layer = RasterLayer.load(rotated)
    assert layer.grid.dx > 0 and layer.grid.dy > 0
    assert np.isnan(layer.grid.values).any() and np.nanmax(layer.grid.values) == 1.0
    assert (layer.grid.dx, layer.grid.dy) == pytest.approx((10.0, 10.0))
    assert layer.feature_count() == pytest.approx(400, rel=0.1)  # the same area of data


def test_crs_missing_given_or_overridden(tmp_path):
    path = write_tif(tmp_path / "nocrs.tif", np.ones((2, 2), np.float32), crs=None)
    with pytest.raises(InputError, match="no coordinate reference system"):
        RasterLayer.load(path)
    layer = RasterLayer.load(path, crs="EPSG:3946")
    assert layer.crs.equals(CC46) and layer.options["crs"] == "EPSG:3946"
    with pytest.raises(InputError, match="not a coordinate reference system"):
        RasterLayer.load(path, crs="nonsense")
    other = RasterLayer.load(write_tif(tmp_path / "cc46.tif", np.ones((2, 2), np.float32)), crs=2154)
    assert other.crs.equals(L93) and any("replaced" in w for w in other.warnings)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"this is not a raster at all" * 50, "cannot be read as a raster")],
)
def test_bad_files_raise_input_errors(tmp_path, content, message):
    path = tmp_path / "bad.tif"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        RasterLayer.load(path)
    assert "bad.tif" in str(info.value) and "\n" not in str(info.value)


def test_truncated_tif_raises_input_error(tmp_path):
    path = write_tif(tmp_path / "full.tif", np.random.default_rng(1).random((200, 200)).astype(np.float32))
    cut = tmp_path / "cut.tif"
    cut.write_bytes(path.read_bytes()[:60_000])
    with pytest.raises(InputError, match="cut.tif.*truncated"):
        RasterLayer.load(cut)
    with pytest.raises(InputError, match="no such file"):
        RasterLayer.load(tmp_path / "missing.tif")


def test_missing_band_and_all_nodata(tmp_path):
    path = write_tif(tmp_path / "one.tif", np.ones((2, 2), np.float32))
    with pytest.raises(InputError, match="no band 2"):
        RasterLayer.load(path, band=2)
    empty = write_tif(tmp_path / "nodata.tif", np.full((2, 2), -1, np.float32), nodata=-1)
    with pytest.raises(InputError, match="no valid pixel"):
        RasterLayer.load(empty)


def test_second_band_is_read_when_asked(tmp_path):
    data = np.stack([np.zeros((2, 2)), np.full((2, 2), 7.0)]).astype(np.float32)
    layer = RasterLayer.load(write_tif(tmp_path / "two.tif", data), band=2)
    assert np.all(layer.grid.values == 7.0) and layer.options["band"] == 2


def test_large_rasters_are_read_decimated(tmp_path):
    path = write_tif(tmp_path / "big.tif", np.ones((200, 300), np.float32))
    layer = RasterLayer.load(path, max_pixels=10_000)
    assert layer.grid.shape[0] * layer.grid.shape[1] <= 10_000
    assert layer.bounds() == pytest.approx((X0, Y0 - 2000, X0 + 3000, Y0))
    assert any("1/3 resolution" in w for w in layer.warnings)


def test_value_range_is_robust_and_inspector_reads_pixels(tmp_path):
    data = np.linspace(0, 100, 10_000, dtype=np.float32).reshape(100, 100)
    data[0, 0] = 1e6
    layer = RasterLayer.load(write_tif(tmp_path / "r.tif", data))
    low, high = layer.value_range()
    assert low == pytest.approx(2.0, abs=0.1) and high == pytest.approx(98.0, abs=0.1)
    assert layer.attributes_at(X0 + 5, Y0 - 5) == {"value": 1e6, "unit": None}
    assert layer.attributes_at(X0 - 5, Y0) == {}
    pixel = layer.attributes(101)
    assert (pixel["row"], pixel["col"]) == (1, 1) and pixel["x"] == X0 + 15 and pixel["y"] == Y0 - 15
    with pytest.raises(IndexError):
        layer.attributes(100 * 100)


def test_paletted_image_is_a_colour_image(tmp_path):
    path = tmp_path / "classes.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=2,
        height=2,
        count=1,
        dtype="uint8",
        crs="EPSG:3946",
        transform=Affine(10, 0, X0, 0, -10, Y0),
    ) as ds:
        ds.write(np.array([[0, 1], [1, 0]], np.uint8), 1)
        ds.write_colormap(1, {0: (255, 0, 0, 255), 1: (0, 0, 255, 255)})
    layer = RasterLayer.load(path)
    assert layer.grid.is_image and layer.unit is None and layer.value_range() is None
    assert layer.grid.rgba[0, 1].tolist() == [0, 0, 255, 255]
    assert detect_kind(path) == "raster"


def test_reproject_keeps_values_in_place(tmp_path):
    xs = np.arange(50) * 10.0
    data = np.tile(xs, (40, 1)).astype(np.float32)  # value = metres east of the west edge
    layer = RasterLayer.load(write_tif(tmp_path / "ramp.tif", data))
    layer.reproject(L93)
    assert layer.crs.equals(L93) and layer.grid.crs.equals(L93)
    from pyproj import Transformer

    x, y = Transformer.from_crs(CC46, L93, always_xy=True).transform(X0 + 255.0, Y0 - 200.0)
    assert layer.grid.sample(x, y, "bilinear") == pytest.approx(250.0, abs=3.0)
    assert layer.grid.dx == pytest.approx(10.0, rel=0.02)


def test_write_geotiff_round_trip(tmp_path):
    grid = ramp_grid()
    grid.values[0, 0] = np.nan
    path = write_geotiff(grid, tmp_path / "out.tif", tags={"UNIT": "m"})
    layer = RasterLayer.load(path)
    assert np.array_equal(np.isnan(layer.grid.values), np.isnan(grid.values))
    assert layer.grid.bounds() == grid.bounds() and layer.unit == "m"


# -- real files ---------------------------------------------------------------------------------
def test_lyon_dem_as_plain_raster(shared_data):
    path = shared_data / "dem/lyon_partdieu_mnt10m_cc46.tif"
    layer = RasterLayer.load(path)
    assert layer.crs.to_epsg() == 3946
    assert layer.grid.shape == (169, 352)
    assert layer.feature_count() == 169 * 352  # no nodata declared: every pixel is a height
    assert layer.grid.dx == pytest.approx(9.996, abs=1e-3) and layer.grid.dy == pytest.approx(9.982, abs=1e-3)
    assert layer.describe()["dtype"] == "int16"


def test_rendered_no2_map_is_an_image_not_measurements(shared_data):
    path = shared_data / "sensors/lyon_partdieu_no2_2012_rgb.tif"
    assert detect_kind(path) == "raster"
    header = read_header(path)
    assert header.is_image and header.band_count == 3
    layer = RasterLayer.load(path)
    assert layer.grid.is_image and layer.grid.values is None
    assert layer.unit is None and layer.value_range() is None
    assert any("not measurements" in w for w in layer.warnings)
    info = layer.describe()
    assert "not measurements" in info["image"] and "value_range" not in info
    assert "color" in layer.attributes_at(1_843_000, 5_175_500)
    opaque = layer.feature_count()
    scene = Scene(L93)
    scene.add(layer)
    assert layer.crs.equals(L93) and layer.grid.is_image
    assert layer.feature_count() == pytest.approx(opaque, rel=0.01)
    # nearest resampling: no colour that was not in the map appears
    before = {tuple(c) for c in RasterLayer.load(path).grid.rgba.reshape(-1, 4)[:, :3]}
    after = layer.grid.rgba.reshape(-1, 4)
    assert {tuple(c) for c in after[after[:, 3] > 0][:, :3]} <= before

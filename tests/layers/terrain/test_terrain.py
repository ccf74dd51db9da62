"""Terrain: the Lyon DEM (int16, no nodata, non-square pixels), heights under points."""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from affine import Affine
from pyproj import CRS, Transformer

from layers.core.detect import detect_kind
from layers.core.errors import InputError
from layers.core.scene import Scene
from layers.terrain.layer import TerrainLayer


@pytest.fixture(scope="module")
def lyon_dem_path(shared_data):
    return shared_data / "dem/lyon_partdieu_mnt10m_cc46.tif"


@pytest.fixture()
def dem(lyon_dem_path):
    return TerrainLayer.load(lyon_dem_path)


def test_lyon_dem_reads_every_pixel(dem, lyon_dem_path):
    assert detect_kind(lyon_dem_path) == "terrain"
    assert dem.kind == "terrain" and dem.unit == "m" and dem.crs.to_epsg() == 3946
    assert dem.feature_count() == 352 * 169 and not dem.warnings
    low, high = dem.elevation_range()
    assert low == pytest.approx(160, abs=2) and high == pytest.approx(295, abs=2)
    info = dem.describe()
    json.dumps(info)
    assert info["elevation_range_m"] == [low, high] and info["nodata"] is None
    assert info["resolution_m"] == [pytest.approx(9.996, abs=1e-3), pytest.approx(9.982, abs=1e-3)]


def test_height_at_pixel_centres_and_between(dem, lyon_dem_path):
    with rasterio.open(lyon_dem_path) as ds:
        raw = ds.read(1).astype(float)
        t = ds.transform
    rows, cols = np.array([10, 80, 150]), np.array([20, 200, 300])
    xs = t.c + (cols + 0.5) * t.a
    ys = t.f + (rows + 0.5) * t.e
    assert dem.height_at(xs, ys) == pytest.approx(raw[rows, cols])
    # halfway between two pixel centres: their mean
    mid = dem.height_at(xs[0] + t.a / 2, ys[0])
    assert mid == pytest.approx((raw[10, 20] + raw[10, 21]) / 2)
    outside = dem.height_at(np.array([t.c - 50, xs[1]]), np.array([ys[1], t.f + 50]))
    assert np.isnan(outside).all()


def test_heights_survive_the_move_into_the_scene_crs(dem, lyon_dem_path):
    with rasterio.open(lyon_dem_path) as ds:
        t = ds.transform
    x, y = t.c + 150.5 * t.a, t.f + 80.5 * t.e
    before = float(dem.height_at(x, y))
    scene = Scene(CRS.from_epsg(2154))
    scene.add(dem)
    x93, y93 = Transformer.from_crs(3946, 2154, always_xy=True).transform(x, y)
    assert dem.crs.to_epsg() == 2154
    assert float(dem.height_at(x93, y93)) == pytest.approx(before, abs=1.5)


def test_undeclared_sentinels_become_nodata(tmp_path):
    values = np.full((4, 4), 42.0, np.float32)
    values[0, 0] = -9999.0
    path = tmp_path / "mnt.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=4,
        height=4,
        count=1,
        dtype="float32",
        crs="EPSG:2154",
        transform=Affine(5, 0, 350_000, 0, -5, 6_790_000),
    ) as ds:
        ds.write(values, 1)
    layer = TerrainLayer.load(path)
    assert np.isnan(layer.grid.values[0, 0]) and layer.elevation_range() == (42.0, 42.0)
    assert any("nodata" in w for w in layer.warnings)


def test_elevations_in_feet(tmp_path):
    path = tmp_path / "dem_ft.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=2,
        height=2,
        count=1,
        dtype="float32",
        crs="EPSG:2154",
        transform=Affine(5, 0, 350_000, 0, -5, 6_790_000),
    ) as ds:
        ds.write(np.full((2, 2), 100.0, np.float32), 1)
        ds.update_tags(UNIT="ft")
    layer = TerrainLayer.load(path)
    assert layer.unit == "m" and layer.grid.values[0, 0] == pytest.approx(30.48)


def test_colour_image_is_no_dem(shared_data):
    with pytest.raises(InputError, match="not elevations"):
        TerrainLayer.load(shared_data / "sensors/lyon_partdieu_no2_2012_rgb.tif")

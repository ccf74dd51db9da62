"""Rasters, flat features and streets read over an area only (``area=``: a commune, a box)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from layers.core.area import Area
from layers.core.errors import InputError
from layers.raster.layer import RasterLayer
from layers.streets.layer import StreetsLayer
from layers.vector.layer import VectorLayer

X0, Y0 = 351_000.0, 6_790_000.0


@pytest.fixture
def raster(tmp_path):
    """A 100 x 100 grid of 1 m pixels, value = column + 1000 × row."""
    path = tmp_path / "grid.tif"
    rows, cols = np.mgrid[0:100, 0:100]
    values = (cols + 1000 * rows).astype("float32")
    profile = dict(driver="GTiff", width=100, height=100, count=1, dtype="float32", crs="EPSG:2154")
    with rasterio.open(path, "w", transform=from_origin(X0, Y0, 1.0, 1.0), **profile) as ds:
        ds.write(values, 1)
    return path


def test_a_raster_is_read_over_the_area_only(raster):
    area = Area.from_bbox((X0 + 10, Y0 - 30, X0 + 20, Y0 - 20), "EPSG:2154")
    layer = RasterLayer.load(raster, area=area)
    values = layer.grid_values()
    assert values.shape == (10, 10)
    assert layer.bounds() == (X0 + 10, Y0 - 30, X0 + 20, Y0 - 20)
    assert float(np.nanmin(values)) == 20 * 1000 + 10  # row 20, column 10
    assert not any("px" in w for w in layer.warnings)  # a part read as asked: not a warning
    assert "area" not in layer.options  # the project keeps the area once, not per layer


def test_an_area_in_degrees_reads_the_same_window(raster):
    box = Area.from_bbox((X0 + 10, Y0 - 30, X0 + 20, Y0 - 20), "EPSG:2154")
    layer = RasterLayer.load(raster, area=box.in_crs("EPSG:4326"))
    assert 10 <= layer.grid_values().shape[0] <= 12


def test_a_raster_outside_the_area_is_said(raster):
    with pytest.raises(InputError, match="none of its pixels meets the box 0, 0, 10, 10"):
        RasterLayer.load(raster, area=Area.from_bbox((0, 0, 10, 10), "EPSG:2154"))


def test_an_area_covering_the_raster_reads_it_whole(raster):
    layer = RasterLayer.load(raster, area=Area.from_bbox((0, 0, 1e7, 1e7), "EPSG:2154"))
    assert layer.grid_values().shape == (100, 100) and not layer.warnings


def test_flat_features_and_streets_meeting_the_area(tmp_path):
    zones = gpd.GeoDataFrame(
        {"nature": ["Bois", "Lande"]},
        geometry=[shapely.box(X0, Y0, X0 + 10, Y0 + 10), shapely.box(X0 + 500, Y0, X0 + 510, Y0 + 10)],
        crs="EPSG:2154",
    )
    zones.to_file(tmp_path / "zones.gpkg")
    roads = gpd.GeoDataFrame(
        {"nature": ["Route", "Chemin"]},
        geometry=[
            shapely.LineString([(X0, Y0), (X0 + 50, Y0)]),
            shapely.LineString([(X0 + 500, Y0), (X0 + 550, Y0)]),
        ],
        crs="EPSG:2154",
    )
    roads.to_file(tmp_path / "routes.gpkg")
    area = Area.from_bbox((X0 - 5, Y0 - 5, X0 + 100, Y0 + 20), "EPSG:2154", name="Ici")
    vector = VectorLayer.load(tmp_path / "zones.gpkg", area=area)
    assert vector.frame["nature"].tolist() == ["Bois"] and "area" not in vector.options
    streets = StreetsLayer.load(tmp_path / "routes.gpkg", area=area)
    assert streets.feature_count() == 1


def test_streets_account_for_what_they_leave_aside(tmp_path):
    mixed = gpd.GeoDataFrame(
        {"nature": ["Route", "Rond-point", "Route"]},
        geometry=[
            shapely.LineString([(X0, Y0), (X0 + 50, Y0)]),
            shapely.Point(X0 + 10, Y0 + 10),
            shapely.LineString([(X0 + 900, Y0), (X0 + 950, Y0)]),
        ],
        crs="EPSG:2154",
    )
    mixed.to_file(tmp_path / "routes.gpkg")
    area = Area.from_bbox((X0 - 5, Y0 - 5, X0 + 100, Y0 + 20), "EPSG:2154")
    streets = StreetsLayer.load(tmp_path / "routes.gpkg", area=area)
    assert streets.feature_count() == 1
    assert streets.stats["outside_area"] == 1 and streets.stats["dropped_reasons"] == {"not a line": 1}
    assert streets.stats["features_in"] == streets.feature_count() + streets.stats["dropped"]

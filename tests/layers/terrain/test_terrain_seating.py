"""Terrain and buildings on one vertical reference: DEM under footprints, spot-height DEMs, Z as altitude."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.buildings.layer import BuildingsLayer
from layers.core.detect import detect_kind
from layers.core.scene import Scene
from layers.io.grid import Grid
from layers.terrain.layer import TerrainLayer

LYON_DEM = "dem/lyon_partdieu_mnt10m_cc46.tif"
LYON_BDTOPO = "buildings/lyon1_bdtopo/buildings_lyon1.geojson"
LORIENT_DEM = "dem/lorient_noisemodelling_dem_points.geojson"
X0, Y0 = 351_000.0, 6_789_000.0


def _slope(crs: str = "EPSG:2154") -> TerrainLayer:
    """A 200 m × 200 m DEM rising 1 m per 10 m eastwards, from 100 m at X0."""
    cols = np.arange(200) + 0.5
    values = np.tile(100.0 + cols / 10.0, (200, 1))
    return TerrainLayer("slope", Grid(values=values, x0=X0, y0=Y0 + 200, dx=1.0, dy=1.0, crs=crs))


def test_scene_reference_is_the_lowest_ground(shared_data):
    scene = Scene()
    assert scene.terrain() is None and scene.ground_reference_m == 0.0
    dem = TerrainLayer.load(shared_data / LYON_DEM)
    scene.add(BuildingsLayer.load(shared_data / LYON_BDTOPO))
    scene.add(dem)
    assert scene.terrain() is dem
    assert scene.ground_reference_m == pytest.approx(dem.elevation_range()[0])


def test_lyon_buildings_stand_on_the_dem(shared_data):
    dem = TerrainLayer.load(shared_data / LYON_DEM)
    layer = BuildingsLayer.load(shared_data / LYON_BDTOPO)
    ground = layer.seat_on(dem)
    covered = np.isfinite(ground)
    assert 0.2 < covered.mean() < 1.0  # the DEM covers part of the 1st arrondissement only
    # on the DEM, the lowest ground under a building is near BD TOPO's own Z_MIN_SOL (a few metres:
    # a 10 m DEM smooths the quays and the slopes)
    gap = ground[covered] - layer.ground_m[covered]
    assert np.nanmedian(np.abs(gap)) < 3.0
    # cached for the same terrain
    assert layer.seat_on(dem) is ground


def test_ground_from_bdtopo_fields(shared_data):
    layer = BuildingsLayer.load(shared_data / LYON_BDTOPO)
    np.testing.assert_allclose(layer.ground_m, layer.frame["Z_MIN_SOL"].to_numpy(dtype=float), equal_nan=True)
    assert layer.attributes(0)["ground_altitude_m"] == pytest.approx(200.6)


def test_footprints_with_altitude_z_and_no_height(tmp_path):
    """Roof-edge altitudes as Z and no height field: on a terrain, height = Z − ground."""
    ring = [(X0 + 50, Y0 + 50), (X0 + 60, Y0 + 50), (X0 + 60, Y0 + 60), (X0 + 50, Y0 + 60)]
    polygons = [
        shapely.Polygon([(x, y, 118.0) for x, y in ring]),
        shapely.box(X0 + 500, Y0, X0 + 510, Y0 + 10),
    ]
    path = tmp_path / "z.gpkg"
    gpd.GeoDataFrame({"nom": ["a", "b"]}, geometry=polygons, crs="EPSG:2154").to_file(path)
    layer = BuildingsLayer.load(path)
    assert layer.height_field is None and np.all(layer.height_m == 9.0)
    ground = layer.seat_on(_slope())
    assert ground[0] == pytest.approx(105.0, abs=0.01)  # lowest ground under the outline (x = 50 m)
    assert np.isnan(ground[1])  # off the DEM: on the flat ground plane
    assert layer.height_m[0] == pytest.approx(13.0, abs=0.01) and layer.height_source[0] == "Z − terrain"
    assert layer.height_m[1] == 9.0
    assert layer.stats["heights_from_z"] == 1
    assert layer.mesh().points[:, 2].max() == pytest.approx(13.0, abs=0.01)


def test_spot_heights_become_a_terrain(shared_data):
    path = shared_data / LORIENT_DEM
    assert detect_kind(path) == "terrain"
    dem = TerrainLayer.load(path)
    assert dem.crs.to_epsg() == 2154 and dem.point_count == 1362
    lo, hi = dem.elevation_range()
    assert -1.8 <= lo < 0.0 and 30.0 < hi <= 33.3  # the points' range (slightly negative by the sea)
    assert dem.grid.dx == pytest.approx(37.0, abs=1.0)
    # linear interpolation goes through the points
    frame = gpd.read_file(path)
    xy = shapely.get_coordinates(frame.geometry.values)
    sampled = dem.height_at(xy[:, 0], xy[:, 1])
    inside = np.isfinite(sampled)
    assert inside.mean() > 0.9
    assert np.nanmedian(np.abs(sampled[inside] - frame["height"].to_numpy()[inside])) < 0.5
    assert any("1362 spot heights" in w for w in dem.warnings)


def test_spot_heights_without_elevation(tmp_path):
    path = tmp_path / "dem_points.geojson"
    gpd.GeoDataFrame(
        {"nom": ["a", "b", "c"]},
        geometry=shapely.points([[X0, Y0], [X0 + 10, Y0], [X0, Y0 + 10]]),
        crs="EPSG:2154",
    ).to_file(path)
    from layers.core.errors import InputError

    with pytest.raises(InputError, match="has no elevations"):
        TerrainLayer.load(path)

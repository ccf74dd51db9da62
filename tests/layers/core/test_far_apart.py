"""Places far apart: the distance between extents, and which added layers lie far from the others."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from layers.buildings.layer import BuildingsLayer
from layers.core.scene import FAR_APART_M, Scene, far_apart, far_from, gap_m
from layers.sun.shadow_raster import plan_grid


def buildings_at(tmp_path, name: str, x: float, y: float) -> BuildingsLayer:
    frame = gpd.GeoDataFrame(
        {"hauteur": [12.0, 20.0]},
        geometry=[box(x, y, x + 40, y + 40), box(x + 80, y, x + 120, y + 30)],
        crs=2154,
    )
    path = tmp_path / name
    frame.to_file(path, driver="GeoJSON")
    return BuildingsLayer.load(path, height_field="hauteur")


def test_gap_between_boxes():
    assert gap_m((0, 0, 10, 10), (5, 5, 20, 20)) == 0.0
    assert gap_m((0, 0, 10, 10), (13, 0, 20, 10)) == 3.0
    assert gap_m((0, 0, 10, 10), (13, 14, 20, 20)) == 5.0  # corner to corner


def test_a_file_from_another_city_is_far_apart_naming_both_files(tmp_path):
    scene = Scene()
    rennes = scene.add(buildings_at(tmp_path, "rennes.geojson", 351_500.0, 6_789_000.0))
    suburb = scene.add(buildings_at(tmp_path, "suburb.geojson", 371_500.0, 6_789_000.0))
    lyon = scene.add(buildings_at(tmp_path, "lyon.geojson", 842_000.0, 6_520_000.0))
    assert far_from([rennes], suburb) is None  # 20 km: one place
    found = far_apart(scene.layers)
    assert [f.layer for f in found] == [lyon]
    assert found[0].nearest is suburb and 500_000 < found[0].gap_m < 600_000
    line = found[0].describe()
    assert "lyon.geojson" in line and "suburb.geojson" in line and "km" in line
    assert FAR_APART_M == 50_000.0


@pytest.mark.parametrize("side_km", [1, 5, 10, 30, 500])
def test_planned_grids_never_pass_their_budget(side_km):
    """A plan is arithmetic only: 500 km of ground at 0.5 m would be a trillion pixels."""
    bounds = (0.0, 0.0, side_km * 1000.0, side_km * 600.0)
    plan = plan_grid(bounds, (0.5, 1.0, 2.0, 4.0, 8.0), 4_000_000, centre=(1000.0, 1000.0))
    assert plan.grid.pixels <= 4_000_000
    assert plan.cropped == (side_km >= 30)  # 30 km x 18 km at 8 m: 8 million pixels
    x0, y0, x1, y1 = plan.grid.bounds()
    assert bounds[0] - 8 <= x0 and x1 <= bounds[2] + 8 and bounds[1] - 8 <= y0 and y1 <= bounds[3] + 8


def test_the_place_of_a_layer_leaves_a_far_city_out(tmp_path):
    rennes = buildings_at(tmp_path, "rennes.geojson", 351_000, 6_789_000)
    nearby = buildings_at(tmp_path, "voisins.geojson", 352_000, 6_790_000)
    lyon = buildings_at(tmp_path, "lyon.geojson", 842_000, 6_519_000)
    scene = Scene()
    for layer in (rennes, nearby, lyon):
        scene.add(layer)
    assert scene.bounds_near(rennes) == (351_000, 6_789_000, 352_120, 6_790_040)
    assert scene.bounds_near(lyon) == lyon.bounds()

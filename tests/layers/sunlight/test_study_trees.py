"""The app's sunlight study counts the shade of the scene's trees, not only of its buildings."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
from pyproj import CRS
from shapely.geometry import box

from layers.buildings.layer import BuildingsLayer
from layers.core.scene import Scene
from layers.sunlight.study import run_study
from layers.trees.layer import TreesLayer

X, Y = 770_500.0, 6_277_500.0


def scene_with(trees: bool, tmp_path) -> Scene:
    blocks = [box(X, Y, X + 12, Y + 30), box(X + 40, Y, X + 52, Y + 30)]  # a courtyard between
    frame = gpd.GeoDataFrame({"hauteur": [12.0, 12.0]}, geometry=blocks, crs=2154)
    frame.to_file(tmp_path / "block.geojson", driver="GeoJSON")
    scene = Scene()
    scene.add(BuildingsLayer.load(tmp_path / "block.geojson", height_field="hauteur"))
    if trees:  # a row of 10 m trees with 6 m crowns in the courtyard
        xy = np.column_stack([X + 14 + 6 * np.arange(5), np.full(5, Y + 8)])
        scene.add(TreesLayer.from_points("row", xy, np.full(5, 10.0), np.full(5, 6.0), CRS(2154)))
    return scene


def test_trees_take_sun_in_the_study_of_the_scene(tmp_path):
    day = date(2025, 6, 21)
    before = run_study(scene_with(False, tmp_path), day, tmp_path / "a", step_min=30, resolution_m=1.0)
    after = run_study(scene_with(True, tmp_path), day, tmp_path / "b", step_min=30, resolution_m=1.0)
    assert after.figures["mean_hours"] < before.figures["mean_hours"]

"""LiDAR drawn: crowns standing on the terrain, roofs left out; a large terrain within its budgets."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.buildings.layer import BuildingsLayer
from layers.canopy.layer import BUILDING
from layers.session.opening import open_paths
from viewer.render import make_plotter, render_still
from viewer.scene_view import SceneView


def test_montpellier_canopy_stands_on_its_terrain(shared_data, tmp_path):
    folder = shared_data / "lidar_hd/montpellier_0770_6277"
    session = open_paths([next(folder.glob("DTM_*.tif")), next(folder.glob("DHM_*.tif"))])
    terrain, canopy = session.scene.layers
    assert (terrain.kind, canopy.kind) == ("terrain", "canopy")
    plotter = make_plotter((640, 400))
    view = SceneView(plotter, session.scene, auto_render=False)
    visual = view.visual(canopy)
    assert len(visual.actors) == 1  # one actor for the whole canopy
    points = np.asarray(visual.actors[0].GetMapper().GetInput().GetPoints().GetData())
    reference = session.scene.ground_reference_m
    lo, hi = terrain.elevation_range()
    tallest = float(canopy.heights_m[canopy.canopy_mask()].max())
    # crowns reach about the tallest tree above the ground, and round off down to the ground
    assert points[:, 2].max() == pytest.approx(hi - reference + tallest, abs=2.5)
    assert points[:, 2].min() < hi - reference + 0.1
    legend = visual.legends()[0].content()
    assert "(m)" in legend.title
    plotter.close()
    stats = render_still(session, tmp_path / "canopy.png", size=(480, 320))
    assert stats["features_in"] == stats["features"] + stats["dropped"] and stats["dropped"] > 5000


def test_buildings_in_the_scene_are_not_drawn_as_trees(shared_data):
    folder = shared_data / "lidar_hd/montpellier_0770_6277"
    session = open_paths([next(folder.glob("DHM_*.tif"))])
    (canopy,) = session.scene.layers
    box = shapely.box(770570, 6277570, 770590, 6277590)
    frame = gpd.GeoDataFrame({"hauteur": [10.0]}, geometry=[box], crs="EPSG:2154")
    session.scene.add(BuildingsLayer("one building", frame, np.array([10.0])))
    plotter = make_plotter((320, 200))
    view = SceneView(plotter, session.scene, auto_render=False)
    view.visual(canopy)
    assert canopy.stats["dropped_reasons"][BUILDING] > 0
    plotter.close()


def test_a_large_terrain_is_drawn_within_its_pixel_budget():
    from pyproj import CRS

    from layers.io.grid import Grid
    from viewer.visuals.terrain import drawn_grid

    values = np.arange(100 * 90, dtype=np.float32).reshape(100, 90)
    values[:4, :4] = np.nan  # a whole block of nodata stays nodata
    values[4, 4] = np.nan  # one nodata pixel in a block: the mean of the others
    grid = Grid(values=values, x0=1000.0, y0=2000.0, dx=0.5, dy=0.5, crs=CRS.from_epsg(2154))
    coarse, drawn = drawn_grid(grid, values, budget=600)
    assert drawn.size <= 600 and coarse.dx == coarse.dy == 2.0 and (coarse.x0, coarse.y0) == (1000.0, 2000.0)
    assert np.isnan(drawn[0, 0]) and np.isfinite(drawn[1:, 1:]).all()
    block = values[4:8, 4:8]
    assert drawn[1, 1] == pytest.approx(np.nanmean(block))
    same, kept = drawn_grid(grid, values, budget=10**6)
    assert same is grid and kept.shape == values.shape


def test_a_large_terrain_moves_as_a_light_stand_in(tmp_path):
    import rasterio
    from affine import Affine

    y, x = np.mgrid[0:800, 0:800].astype(np.float32)
    path = tmp_path / "mnt_large.tif"
    with rasterio.open(
        path, "w", driver="GTiff", width=800, height=800, count=1, dtype="float32", crs="EPSG:2154",
        transform=Affine(0.5, 0, 770000.0, 0, -0.5, 6278000.0), nodata=-9999.0,
    ) as ds:  # fmt: skip
        ds.write(20 + np.sin(x / 50) * np.cos(y / 70), 1)
    session = open_paths([path])
    (terrain,) = session.scene.layers
    plotter = make_plotter((320, 200))
    view = SceneView(plotter, session.scene, auto_render=False)
    visual = view.visual(terrain)
    full = visual.actor.GetMapper().GetInput().GetNumberOfCells()
    assert full <= 500_000 < 800 * 800  # drawn within its budget
    visual.set_detail(False)
    coarse = [a for a in visual.actors if a is not visual.actor and a.GetVisibility()]
    assert len(coarse) == 1 and not visual.actor.GetVisibility()
    assert coarse[0].GetMapper().GetInput().GetNumberOfCells() <= 60_000
    visual.set_detail(True)
    assert visual.actor.GetVisibility() and not coarse[0].GetVisibility()
    terrain.visible = False
    assert not any(a.GetVisibility() for a in visual.actors)
    plotter.close()


def test_a_large_canopy_moves_as_a_light_stand_in(tmp_path):
    import rasterio
    from affine import Affine

    rng = np.random.default_rng(3)
    heights = np.where(rng.random((700, 700)) < 0.6, rng.uniform(3, 20, (700, 700)), 0.0)
    path = tmp_path / "chm_large.tif"
    with rasterio.open(
        path, "w", driver="GTiff", width=700, height=700, count=1, dtype="float32", crs="EPSG:2154",
        transform=Affine(0.5, 0, 770000.0, 0, -0.5, 6278000.0), nodata=-9999.0,
    ) as ds:  # fmt: skip
        ds.write(heights.astype(np.float32), 1)
    session = open_paths([path])
    (canopy,) = session.scene.layers
    canopy.update_style(roof_area_m2=0.0)
    plotter = make_plotter((320, 200))
    view = SceneView(plotter, session.scene, auto_render=False)
    visual = view.visual(canopy)
    visual.set_detail(False)
    (coarse,) = [a for a in visual.actors if a is not visual.actor]
    assert coarse.GetVisibility() and not visual.actor.GetVisibility()
    assert coarse.GetMapper().GetInput().GetNumberOfCells() <= 120_000
    visual.set_detail(True)
    assert visual.actor.GetVisibility() and not coarse.GetVisibility()
    plotter.close()
